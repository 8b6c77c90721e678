#include "optim/prior_costs.h"

#include <Eigen/Cholesky>
#include <ceres/ceres.h>

#include <cmath>
#include <limits>

#include "model/error.h"
#include "model/npz.h"
#include "model/joint_limits.h"

namespace resihmr::optim {

namespace {
constexpr double kLimitStiffness = 10.0;  // per radian beyond a limit
}

JointLimitPrior::JointLimitPrior(const model::BodyModel& model, const std::vector<uint8_t>& fixed_joints,
                                 const StageWeights* weights)
    : weights_(weights) {
  for (int j = 1; j < model.num_joints(); ++j) {
    if (!fixed_joints.empty() && fixed_joints[static_cast<size_t>(j)]) continue;
    model::JointRange range;
    if (!model::JointRangeFor(model.joint_names[static_cast<size_t>(j)], &range)) continue;
    for (int a = 0; a < 3; ++a) {
      entries_.push_back({3 * (j - 1) + a, range.mean[a], 0.5 * (range.hi[a] - range.lo[a]), range.lo[a], range.hi[a]});
    }
  }
  set_num_residuals(static_cast<int>(entries_.size()));
  mutable_parameter_block_sizes()->assign({3 * (model.num_joints() - 1)});
}

bool JointLimitPrior::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const double lambda = weights_->body_pose;
  const int n = parameter_block_sizes()[0];
  if (jacobians && jacobians[0]) std::fill(jacobians[0], jacobians[0] + num_residuals() * n, 0.0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const double t = parameters[0][e.index];
    const double beyond = t > e.hi ? t - e.hi : (t < e.lo ? t - e.lo : 0.0);  // signed distance past a limit
    residuals[i] = lambda * ((t - e.mean) / e.sigma + kLimitStiffness * beyond);
    if (jacobians && jacobians[0]) {
      jacobians[0][i * n + e.index] = lambda * (1.0 / e.sigma + (beyond != 0.0 ? kLimitStiffness : 0.0));
    }
  }
  return true;
}

std::vector<double> JointLimitPrior::MeanBodyPose(const model::BodyModel& model) {
  std::vector<double> pose(3 * static_cast<size_t>(model.num_joints() - 1), 0.0);
  for (int j = 1; j < model.num_joints(); ++j) {
    model::JointRange range;
    if (!model::JointRangeFor(model.joint_names[static_cast<size_t>(j)], &range)) continue;
    for (int a = 0; a < 3; ++a) pose[static_cast<size_t>(3 * (j - 1) + a)] = range.mean[a];
  }
  return pose;
}

ShapePrior::ShapePrior(int num_betas, const StageWeights* weights) : weights_(weights) {
  set_num_residuals(num_betas);
  mutable_parameter_block_sizes()->assign({num_betas});
}

bool ShapePrior::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int n = num_residuals();
  for (int i = 0; i < n; ++i) residuals[i] = weights_->shape * parameters[0][i];
  if (jacobians && jacobians[0]) {
    std::fill(jacobians[0], jacobians[0] + n * n, 0.0);
    for (int i = 0; i < n; ++i) jacobians[0][i * n + i] = weights_->shape;
  }
  return true;
}

BendingPrior::BendingPrior(const model::BodyModel& model, const std::vector<uint8_t>& fixed_joints,
                           const StageWeights* weights)
    : weights_(weights) {
  const std::pair<const char*, std::pair<int, double>> joints[] = {
      {"left_elbow", {1, 1.0}}, {"right_elbow", {1, -1.0}}, {"left_knee", {0, -1.0}}, {"right_knee", {0, -1.0}}};
  for (const auto& [name, axis_sign] : joints) {
    const int j = model.JointIndex(name);
    if (j < 1 || (!fixed_joints.empty() && fixed_joints[static_cast<size_t>(j)])) continue;
    entries_.push_back({3 * (j - 1) + axis_sign.first, axis_sign.second});
  }
  set_num_residuals(static_cast<int>(entries_.size()));
  mutable_parameter_block_sizes()->assign({3 * (model.num_joints() - 1)});
}

bool BendingPrior::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int n = parameter_block_sizes()[0];
  if (jacobians && jacobians[0]) std::fill(jacobians[0], jacobians[0] + num_residuals() * n, 0.0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    const auto [index, sign] = entries_[i];
    const double value = weights_->bending * std::exp(sign * parameters[0][index]);
    residuals[i] = value;
    if (jacobians && jacobians[0]) jacobians[0][i * n + index] = sign * value;
  }
  return true;
}

GmmPosePrior::GmmPosePrior(const std::string& path, const model::BodyModel& model, const StageWeights* weights,
                           double factor)
    : weights_(weights), factor_(factor), block_size_(3 * (model.num_joints() - 1)) {
  const model::NpzContents npz = model::ReadNpz(path);
  for (const char* key : {"means", "covars", "weights"}) {
    if (!npz.arrays.count(key)) throw Error(path + ": missing key '" + key + "' (a GMM prior needs means, covars, weights)");
  }
  const model::NpyArray& m = npz.arrays.at("means");
  const model::NpyArray& c = npz.arrays.at("covars");
  const model::NpyArray& w = npz.arrays.at("weights");
  if (m.shape.size() != 2) throw Error(path + ": means: has shape " + m.shape_string() + ", expected (K, D)");
  const int K = static_cast<int>(m.shape[0]), D = static_cast<int>(m.shape[1]);
  if (D < 3 || D > block_size_ || D % 3 != 0) {
    throw Error(path + ": means: dimension " + std::to_string(D) + " does not fit the model's body pose (at most " +
                std::to_string(block_size_) + " values, a multiple of 3)");
  }
  if (c.shape != std::vector<int64_t>{K, D, D}) {
    throw Error(path + ": covars: has shape " + c.shape_string() + ", expected (" + std::to_string(K) + ", " +
                std::to_string(D) + ", " + std::to_string(D) + ")");
  }
  if (w.size() != K) throw Error(path + ": weights: has shape " + w.shape_string() + ", expected (" + std::to_string(K) + ",)");
  const std::vector<double> means = m.ToDoubles(), covars = c.ToDoubles(), mix = w.ToDoubles();
  means_ = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(means.data(), K, D);
  if (!means_.allFinite()) throw Error(path + ": means: non-finite values");
  constants_.resize(K);
  for (int k = 0; k < K; ++k) {
    const Eigen::MatrixXd S = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        covars.data() + static_cast<size_t>(k) * D * D, D, D);
    Eigen::LLT<Eigen::MatrixXd> llt(S);
    if (llt.info() != Eigen::Success || !S.allFinite()) {
      throw Error(path + ": covars[" + std::to_string(k) + "]: not symmetric positive definite");
    }
    if (!(mix[static_cast<size_t>(k)] > 0)) throw Error(path + ": weights[" + std::to_string(k) + "]: must be positive");
    const Eigen::MatrixXd precision = llt.solve(Eigen::MatrixXd::Identity(D, D));
    chol_.push_back(Eigen::LLT<Eigen::MatrixXd>(precision).matrixL());
    const double log_det = 2.0 * Eigen::MatrixXd(llt.matrixL()).diagonal().array().log().sum();
    constants_[k] = -std::log(mix[static_cast<size_t>(k)]) + 0.5 * log_det;
  }
  set_num_residuals(D);
  mutable_parameter_block_sizes()->assign({block_size_});
}

bool GmmPosePrior::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int D = dimension();
  const Eigen::Map<const Eigen::VectorXd> theta(parameters[0], D);
  int best = 0;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int k = 0; k < static_cast<int>(chol_.size()); ++k) {
    const Eigen::VectorXd z = chol_[static_cast<size_t>(k)].transpose() * (theta - means_.row(k).transpose());
    const double cost = 0.5 * z.squaredNorm() + constants_[k];
    if (cost < best_cost) {
      best_cost = cost;
      best = k;
    }
  }
  const double lambda = weights_->body_pose * factor_;
  const Eigen::MatrixXd& L = chol_[static_cast<size_t>(best)];
  Eigen::Map<Eigen::VectorXd>(residuals, D) = lambda * L.transpose() * (theta - means_.row(best).transpose());
  if (jacobians && jacobians[0]) {
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> J(jacobians[0], D, block_size_);
    J.setZero();
    J.leftCols(D) = lambda * L.transpose();
  }
  return true;
}

void HoldBodyBlocks(const model::BodyModel& model, const FitConfig& config, const std::vector<uint8_t>& fixed_joints,
                    bool held_at_zero, double* body_pose, double* betas, ceres::Problem* problem) {
  const int J = model.num_joints();
  if (config.beta_bound > 0) {
    for (int i = 0; i < model.num_betas; ++i) {
      problem->SetParameterLowerBound(betas, i, -config.beta_bound);
      problem->SetParameterUpperBound(betas, i, config.beta_bound);
    }
  }
  std::vector<int> constant;
  for (int j = 1; j < J; ++j) {
    const bool fixed = !fixed_joints.empty() && fixed_joints[static_cast<size_t>(j)];
    const bool hand_or_face = model.kind != model::ModelKind::kSmpl && j >= 22;  // SMPL+H / SMPL-X fingers, jaw, eyes
    if (fixed || hand_or_face) {
      for (int a = 0; a < 3; ++a) constant.push_back(3 * (j - 1) + a);
    }
  }
  if (static_cast<int>(constant.size()) == 3 * (J - 1)) {
    problem->SetParameterBlockConstant(body_pose);
  } else if (!constant.empty() && !held_at_zero) {
    problem->SetManifold(body_pose, new ceres::SubsetManifold(3 * (J - 1), constant));
  }
}

}  // namespace resihmr::optim
