// A body's parameters (model::BodyParams) as the Ceres parameter blocks the
// keypoint cost (optim/keypoint_reprojection_cost.h) and the priors take:
// global orientation (3, axis-angle), translation (3, metres), body pose
// (3(J-1), joints 1..J-1, axis-angle) and betas (B); and back, each
// rotation made canonical (angle in [0, pi]). Shared by the several-view
// and the video fits.
#pragma once

#include <vector>

#include "model/body_params.h"

namespace resihmr::optim {

struct BodyBlocks {
  double orient[3], transl[3];
  std::vector<double> body_pose;  // 3(J-1): joints 1..J-1
  std::vector<double> betas;      // B
  explicit BodyBlocks(const model::BodyParams& p);
  // False, leaving `params` as it was, when a value is not finite.
  bool Store(model::BodyParams* params) const;
};

}  // namespace resihmr::optim
