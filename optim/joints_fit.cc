#include "optim/joints_fit.h"

#include <ceres/ceres.h>

#include <Eigen/Geometry>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>

#include "model/error.h"
#include "model/joints_jacobian.h"

namespace resihmr::optim {
namespace {

constexpr double kTwistWeight = 1e-2;  // sqrt(1e-4): residual scale of the pose term
constexpr double kBetaWeight = 3e-3;   // sqrt(1e-5 m^2): residual scale of the shape term

// r_j = J_j(theta, beta) + t - X_j, 3 per target joint, then w theta_k for the
// body joints (k >= 1), then w_b beta_i; parameters: pose (3J), transl (3),
// shape (num_shape; expression entries have no target and stay put).
class JointPositionCost : public ceres::CostFunction {
 public:
  JointPositionCost(const model::BodyModel& model, const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& targets)
      : model_(model), targets_(targets) {
    set_num_residuals(static_cast<int>(3 * targets.rows()) + 3 * (model.num_joints() - 1) + model.num_shape());
    mutable_parameter_block_sizes()->push_back(3 * model.num_joints());
    mutable_parameter_block_sizes()->push_back(3);
    mutable_parameter_block_sizes()->push_back(model.num_shape());
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    model::PoseJointsWithJacobian(model_, parameters[2], parameters[0], parameters[1], nullptr, &scratch_);
    const int n = static_cast<int>(targets_.rows()), J = model_.num_joints(), S = model_.num_shape();
    const int rows = 3 * n + 3 * (J - 1) + S;
    for (int j = 0; j < n; ++j) {
      for (int c = 0; c < 3; ++c) residuals[3 * j + c] = scratch_.points(j, c) - targets_(j, c);
    }
    for (int i = 3; i < 3 * J; ++i) residuals[3 * n + i - 3] = kTwistWeight * parameters[0][i];
    for (int i = 0; i < S; ++i) residuals[3 * n + 3 * (J - 1) + i] = kBetaWeight * parameters[2][i];
    if (jacobians && jacobians[0]) {
      std::fill(jacobians[0], jacobians[0] + rows * 3 * J, 0.0);
      for (int r = 0; r < 3 * n; ++r) {
        for (int k = 0; k < 3 * J; ++k) jacobians[0][r * 3 * J + k] = scratch_.d_pose(r, k);
      }
      for (int i = 3; i < 3 * J; ++i) jacobians[0][(3 * n + i - 3) * 3 * J + i] = kTwistWeight;
    }
    if (jacobians && jacobians[1]) {
      std::fill(jacobians[1], jacobians[1] + rows * 3, 0.0);
      for (int r = 0; r < 3 * n; ++r) jacobians[1][3 * r + r % 3] = 1.0;
    }
    if (jacobians && jacobians[2]) {
      std::fill(jacobians[2], jacobians[2] + rows * S, 0.0);
      for (int r = 0; r < 3 * n; ++r) {
        for (int k = 0; k < S; ++k) jacobians[2][r * S + k] = scratch_.d_shape(r, k);
      }
      for (int i = 0; i < S; ++i) jacobians[2][(3 * n + 3 * (J - 1) + i) * S + i] = kBetaWeight;
    }
    return true;
  }

 private:
  const model::BodyModel& model_;
  const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& targets_;
  mutable model::JointsWithJacobian scratch_;
};

}  // namespace

JointsFit FitBodyToJoints(const model::BodyModel& model,
                          const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& targets,
                          const Eigen::VectorXd& betas) {
  const int J = model.num_joints(), n = static_cast<int>(targets.rows());
  if (n < 4 || n > J) {
    throw Error("3D joints: " + std::to_string(n) + " given, 4 to " + std::to_string(J) + " (the model's) expected");
  }
  if (!targets.allFinite()) throw Error("3D joints: non-finite values");
  JointsFit fit;
  fit.params = model::BodyParams::Zero(model);
  for (Eigen::Index b = 0; b < std::min<Eigen::Index>(betas.size(), fit.params.betas.size()); ++b) fit.params.betas[b] = betas[b];
  std::vector<double> shape(static_cast<size_t>(model.num_shape()), 0.0);
  for (Eigen::Index b = 0; b < fit.params.betas.size(); ++b) shape[static_cast<size_t>(b)] = fit.params.betas[b];

  // Start: the rest joints turned onto the targets (Kabsch), translated onto their centroid.
  std::vector<double> pose(3 * static_cast<size_t>(J), 0.0), transl(3, 0.0);
  model::JointsWithJacobian rest;
  model::PoseJointsWithJacobian(model, shape.data(), pose.data(), transl.data(), nullptr, &rest);
  const Eigen::MatrixXd A = rest.points.topRows(n), B = targets;
  const Eigen::RowVector3d ca = A.colwise().mean(), cb = B.colwise().mean();
  const Eigen::JacobiSVD<Eigen::Matrix3d> svd((A.rowwise() - ca).transpose() * (B.rowwise() - cb),
                                              Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3d D = Eigen::Matrix3d::Identity();
  D(2, 2) = (svd.matrixV() * svd.matrixU().transpose()).determinant() < 0 ? -1 : 1;
  const Eigen::Matrix3d R = svd.matrixV() * D * svd.matrixU().transpose();
  const Eigen::AngleAxisd aa(R);
  for (int c = 0; c < 3; ++c) pose[static_cast<size_t>(c)] = aa.angle() * aa.axis()[c];
  // Then the translation that puts the turned joints' centroid on the targets'.
  model::PoseJointsWithJacobian(model, shape.data(), pose.data(), transl.data(), nullptr, &rest);
  const Eigen::RowVector3d moved = rest.points.topRows(n).colwise().mean();
  for (int c = 0; c < 3; ++c) transl[static_cast<size_t>(c)] = cb[c] - moved[c];

  ceres::Problem problem;
  problem.AddResidualBlock(new JointPositionCost(model, targets), nullptr, pose.data(), transl.data(), shape.data());
  if (betas.size() > 0) problem.SetParameterBlockConstant(shape.data());
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.max_num_iterations = 200;
  options.function_tolerance = 1e-12;
  options.parameter_tolerance = 1e-12;
  options.logging_type = ceres::SILENT;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);

  for (int j = 0; j < J; ++j) {
    for (int c = 0; c < 3; ++c) fit.params.pose(j, c) = pose[static_cast<size_t>(3 * j + c)];
  }
  for (int c = 0; c < 3; ++c) fit.params.transl[c] = transl[static_cast<size_t>(c)];
  for (Eigen::Index b = 0; b < fit.params.betas.size(); ++b) fit.params.betas[b] = shape[static_cast<size_t>(b)];
  model::PoseJointsWithJacobian(model, shape.data(), pose.data(), transl.data(), nullptr, &rest);
  fit.rms_error_m = std::sqrt((rest.points.topRows(n) - targets).rowwise().squaredNorm().mean());
  return fit;
}

}  // namespace resihmr::optim
