#include "optim/split_pose_cost.h"

#include <algorithm>

namespace resihmr::optim {

SplitPoseCost::SplitPoseCost(ceres::CostFunction* inner, int pose_block) : inner_(inner), pose_block_(pose_block) {
  const std::vector<int32_t>& sizes = inner_->parameter_block_sizes();
  joints_ = sizes[static_cast<size_t>(pose_block)] / 3;
  set_num_residuals(inner_->num_residuals());
  for (size_t b = 0; b < sizes.size(); ++b) {
    if (static_cast<int>(b) == pose_block) {
      for (int j = 0; j < joints_; ++j) mutable_parameter_block_sizes()->push_back(3);
    } else {
      mutable_parameter_block_sizes()->push_back(sizes[b]);
    }
  }
  pose_.resize(3 * static_cast<size_t>(joints_));
}

bool SplitPoseCost::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const size_t blocks = inner_->parameter_block_sizes().size();
  const int n = 3 * joints_, rows = num_residuals();
  std::vector<const double*> inner_params(blocks);
  std::vector<double*> inner_jacobians(blocks, nullptr);
  for (int j = 0; j < joints_; ++j) std::copy(parameters[pose_block_ + j], parameters[pose_block_ + j] + 3, &pose_[3 * j]);
  bool any_joint = false;
  for (size_t b = 0, p = 0; b < blocks; ++b) {
    if (static_cast<int>(b) == pose_block_) {
      inner_params[b] = pose_.data();
      for (int j = 0; jacobians && j < joints_; ++j) any_joint = any_joint || jacobians[p + j];
      if (any_joint) {
        jacobian_.resize(static_cast<size_t>(rows) * n);
        inner_jacobians[b] = jacobian_.data();
      }
      p += joints_;
    } else {
      inner_params[b] = parameters[p];
      if (jacobians) inner_jacobians[b] = jacobians[p];
      ++p;
    }
  }
  if (!inner_->Evaluate(inner_params.data(), residuals, jacobians ? inner_jacobians.data() : nullptr)) return false;
  if (!any_joint) return true;
  for (int j = 0; j < joints_; ++j) {
    double* out = jacobians[pose_block_ + j];
    if (!out) continue;
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < 3; ++c) out[r * 3 + c] = jacobian_[static_cast<size_t>(r) * n + 3 * j + c];
    }
  }
  return true;
}

}  // namespace resihmr::optim
