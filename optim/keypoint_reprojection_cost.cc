#include "optim/keypoint_reprojection_cost.h"

#include <ceres/jet.h>
#include <ceres/rotation.h>

#include <Eigen/Geometry>
#include <cmath>

#include "data/keypoint_layout.h"

namespace resihmr::optim {

std::vector<FittedKeypoint> FittedKeypointsOf(const model::BodyModel& model, const data::Observation& person,
                                              const std::vector<uint8_t>& use, std::vector<std::string>* warnings) {
  const data::KeypointLayout& layout = *person.layout;
  const std::vector<int> targets = data::ModelPointsOfLayout(model, layout);
  std::vector<FittedKeypoint> fitted;
  for (int k = 0; k < layout.size(); ++k) {
    if (!person.present(k)) continue;
    if (!use.empty() && !use[static_cast<size_t>(k)]) continue;
    if (!std::isfinite(person.points(k, 0)) || !std::isfinite(person.points(k, 1))) continue;
    if (targets[static_cast<size_t>(k)] < 0) {
      if (warnings && layout.targets[static_cast<size_t>(k)].kind != data::TargetKind::kResidualEndpoint) {
        warnings->push_back("keypoint " + layout.names[static_cast<size_t>(k)] + ": the model has no '" +
                            layout.targets[static_cast<size_t>(k)].name + "'; not fitted");
      }
      continue;
    }
    fitted.push_back({k, targets[static_cast<size_t>(k)], person.points(k, 0), person.points(k, 1),
                      layout.targets[static_cast<size_t>(k)].weight * person.confidence[k]});
  }
  return fitted;
}

KeypointReprojectionCost::KeypointReprojectionCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                                                   std::vector<FittedKeypoint> keypoints, double rho_px,
                                                   double data_weight, const uint8_t* zeroed)
    : model_(model), camera_(camera), keypoints_(std::move(keypoints)), rho_(rho_px), data_weight_(data_weight),
      zeroed_(zeroed) {
  set_num_residuals(2 * static_cast<int>(keypoints_.size()));
  mutable_parameter_block_sizes()->assign({3, 3 * (model.num_joints() - 1), model.num_betas, 3});
  pose_.resize(3 * static_cast<size_t>(model.num_joints()));
  shape_.assign(static_cast<size_t>(model.num_shape()), 0.0);
}

KeypointReprojectionCost::KeypointReprojectionCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                                                   const Eigen::Matrix3d& R, const Eigen::Vector3d& t,
                                                   std::vector<FittedKeypoint> keypoints, double rho_px,
                                                   double data_weight, const uint8_t* zeroed)
    : KeypointReprojectionCost(model, camera, std::move(keypoints), rho_px, data_weight, zeroed) {
  R_ = R;
  t_ = t;
  posed_ = true;
}

KeypointReprojectionCost* KeypointReprojectionCost::WithFreeCamera(const model::BodyModel& model,
                                                                   const model::PinholeCamera& camera,
                                                                   std::vector<FittedKeypoint> keypoints, double rho_px,
                                                                   double data_weight, const uint8_t* zeroed) {
  auto* cost = new KeypointReprojectionCost(model, camera, std::move(keypoints), rho_px, data_weight, zeroed);
  cost->posed_ = true;
  cost->free_camera_ = true;
  cost->mutable_parameter_block_sizes()->push_back(6);
  return cost;
}

bool KeypointReprojectionCost::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int J = model_.num_joints();
  const int B = model_.num_betas;
  std::copy(parameters[0], parameters[0] + 3, pose_.begin());
  std::copy(parameters[1], parameters[1] + 3 * (J - 1), pose_.begin() + 3);
  std::copy(parameters[2], parameters[2] + B, shape_.begin());  // expression stays zero
  model::PoseJointsWithJacobian(model_, shape_.data(), pose_.data(), parameters[3], zeroed_, &scratch_);
  const double rho2 = rho_ * rho_;
  using Jet3 = ceres::Jet<double, 3>;
  Jet3 omega[3];
  if (free_camera_) {
    const double* w = parameters[4];
    const double angle = std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    R_ = angle < 1e-300 ? Eigen::Matrix3d::Identity()
                        : Eigen::AngleAxisd(angle, Eigen::Vector3d(w[0], w[1], w[2]) / angle).toRotationMatrix();
    t_ = Eigen::Vector3d(parameters[4][3], parameters[4][4], parameters[4][5]);
    for (int a = 0; a < 3; ++a) omega[a] = Jet3(w[a], a);
  }
  for (size_t i = 0; i < keypoints_.size(); ++i) {
    const FittedKeypoint& k = keypoints_[i];
    Eigen::Vector3d P(scratch_.points(k.point_index, 0), scratch_.points(k.point_index, 1),
                      scratch_.points(k.point_index, 2));
    if (posed_) P = R_ * P + t_;
    const double X = P.x(), Y = P.y(), Z = P.z();
    if (!(Z >= kMinDepth) || !std::isfinite(X) || !std::isfinite(Y)) return false;
    const double s = std::sqrt(2.0) * data_weight_ * k.weight;
    const double e[2] = {camera_.fx * X / Z + camera_.cx - k.x, camera_.fy * Y / Z + camera_.cy - k.y};
    double dr_de[2];
    for (int c = 0; c < 2; ++c) {
      const double q = e[c] * e[c] + rho2;
      residuals[2 * i + c] = s * rho_ * e[c] / std::sqrt(q);
      dr_de[c] = s * rho_ * rho2 / (q * std::sqrt(q));
    }
    if (!jacobians) continue;
    // d r / d P (2 x 3) = dr/de * de/dP.
    const double iz = 1.0 / Z;
    double dP[2][3] = {{dr_de[0] * camera_.fx * iz, 0.0, -dr_de[0] * camera_.fx * X * iz * iz},
                       {0.0, dr_de[1] * camera_.fy * iz, -dr_de[1] * camera_.fy * Y * iz * iz}};
    if (free_camera_ && jacobians[4]) {  // d r / d (omega, t) = d r / d P [d (R X) / d omega, I]
      const Jet3 Xw[3] = {Jet3(scratch_.points(k.point_index, 0)), Jet3(scratch_.points(k.point_index, 1)),
                          Jet3(scratch_.points(k.point_index, 2))};
      Jet3 RX[3];
      ceres::AngleAxisRotatePoint(omega, Xw, RX);
      for (int c = 0; c < 2; ++c) {
        double* row = jacobians[4] + (2 * i + c) * 6;
        for (int m = 0; m < 3; ++m) row[m] = dP[c][0] * RX[0].v[m] + dP[c][1] * RX[1].v[m] + dP[c][2] * RX[2].v[m];
        for (int m = 0; m < 3; ++m) row[3 + m] = dP[c][m];
      }
    }
    if (posed_) {  // d r / d X_world = d r / d P R
      for (int c = 0; c < 2; ++c) {
        const double d[3] = {dP[c][0], dP[c][1], dP[c][2]};
        for (int m = 0; m < 3; ++m) dP[c][m] = d[0] * R_(0, m) + d[1] * R_(1, m) + d[2] * R_(2, m);
      }
    }
    const int row = 3 * k.point_index;
    for (int c = 0; c < 2; ++c) {
      const int r = 2 * static_cast<int>(i) + c;
      if (jacobians[0]) {
        for (int m = 0; m < 3; ++m) {
          jacobians[0][r * 3 + m] = dP[c][0] * scratch_.d_pose(row, m) + dP[c][1] * scratch_.d_pose(row + 1, m) +
                                    dP[c][2] * scratch_.d_pose(row + 2, m);
        }
      }
      if (jacobians[1]) {
        const int n = 3 * (J - 1);
        for (int m = 0; m < n; ++m) {
          jacobians[1][r * n + m] = dP[c][0] * scratch_.d_pose(row, 3 + m) + dP[c][1] * scratch_.d_pose(row + 1, 3 + m) +
                                    dP[c][2] * scratch_.d_pose(row + 2, 3 + m);
        }
      }
      if (jacobians[2]) {
        for (int m = 0; m < B; ++m) {
          jacobians[2][r * B + m] = dP[c][0] * scratch_.d_shape(row, m) + dP[c][1] * scratch_.d_shape(row + 1, m) +
                                    dP[c][2] * scratch_.d_shape(row + 2, m);
        }
      }
      if (jacobians[3]) {
        for (int m = 0; m < 3; ++m) jacobians[3][r * 3 + m] = dP[c][m];
      }
    }
  }
  return true;
}

}  // namespace resihmr::optim
