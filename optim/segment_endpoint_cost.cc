#include "optim/segment_endpoint_cost.h"

#include <algorithm>
#include <cmath>

namespace resihmr::optim {

SegmentEndpointCost::SegmentEndpointCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                                         std::vector<SegmentEndpoint> endpoints, int limbs, double rho_px,
                                         double data_weight)
    : model_(model), camera_(camera), endpoints_(std::move(endpoints)), rho_(rho_px), data_weight_(data_weight) {
  set_num_residuals(2 * static_cast<int>(endpoints_.size()));
  mutable_parameter_block_sizes()->assign({3, 3 * (model.num_joints() - 1), model.num_betas, 3, limbs});
  pose_.resize(3 * static_cast<size_t>(model.num_joints()));
  shape_.assign(static_cast<size_t>(model.num_shape()), 0.0);
}

bool SegmentEndpointCost::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int J = model_.num_joints(), B = model_.num_betas;
  const int L = parameter_block_sizes()[4];
  std::copy(parameters[0], parameters[0] + 3, pose_.begin());
  std::copy(parameters[1], parameters[1] + 3 * (J - 1), pose_.begin() + 3);
  std::copy(parameters[2], parameters[2] + B, shape_.begin());
  model::PoseJointsWithJacobian(model_, shape_.data(), pose_.data(), parameters[3], nullptr, &scratch_);
  const double rho2 = rho_ * rho_;
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    const SegmentEndpoint& e = endpoints_[i];
    const double lambda = parameters[4][e.limb];
    double P[3], d_lambda[3];
    for (int c = 0; c < 3; ++c) {
      const double t = scratch_.points(e.joint_t, c), a = scratch_.points(e.joint_a, c);
      P[c] = a + lambda * (t - a);
      d_lambda[c] = t - a;
    }
    const double X = P[0], Y = P[1], Z = P[2];
    if (!(Z >= 0.05) || !std::isfinite(X) || !std::isfinite(Y)) return false;
    const double s = std::sqrt(2.0) * data_weight_ * e.weight;
    const double d[2] = {camera_.fx * X / Z + camera_.cx - e.x, camera_.fy * Y / Z + camera_.cy - e.y};
    double dr_dd[2];
    for (int c = 0; c < 2; ++c) {
      const double q = d[c] * d[c] + rho2;
      residuals[2 * i + c] = s * rho_ * d[c] / std::sqrt(q);
      dr_dd[c] = s * rho_ * rho2 / (q * std::sqrt(q));
    }
    if (!jacobians) continue;
    const double iz = 1.0 / Z;
    const double dP[2][3] = {{dr_dd[0] * camera_.fx * iz, 0.0, -dr_dd[0] * camera_.fx * X * iz * iz},
                             {0.0, dr_dd[1] * camera_.fy * iz, -dr_dd[1] * camera_.fy * Y * iz * iz}};
    const int rt = 3 * e.joint_t, ra = 3 * e.joint_a;
    // d r / d q for a column of d_pose or d_shape.
    const auto through = [&](int c, const model::RowMatrixXd& D, int m) {
      double v = 0;
      for (int k = 0; k < 3; ++k) v += dP[c][k] * ((1 - lambda) * D(ra + k, m) + lambda * D(rt + k, m));
      return v;
    };
    for (int c = 0; c < 2; ++c) {
      const int r = 2 * static_cast<int>(i) + c;
      if (jacobians[0]) {
        for (int m = 0; m < 3; ++m) jacobians[0][r * 3 + m] = through(c, scratch_.d_pose, m);
      }
      if (jacobians[1]) {
        const int n = 3 * (J - 1);
        for (int m = 0; m < n; ++m) jacobians[1][r * n + m] = through(c, scratch_.d_pose, 3 + m);
      }
      if (jacobians[2]) {
        for (int m = 0; m < B; ++m) jacobians[2][r * B + m] = through(c, scratch_.d_shape, m);
      }
      if (jacobians[3]) {
        for (int m = 0; m < 3; ++m) jacobians[3][r * 3 + m] = dP[c][m];
      }
      if (jacobians[4]) {
        for (int l = 0; l < L; ++l) jacobians[4][r * L + l] = 0;
        jacobians[4][r * L + e.limb] = dP[c][0] * d_lambda[0] + dP[c][1] * d_lambda[1] + dP[c][2] * d_lambda[2];
      }
    }
  }
  return true;
}

}  // namespace resihmr::optim
