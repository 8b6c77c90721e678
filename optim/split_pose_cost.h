// A cost function over the body-pose block (3(J-1), joints 1..J-1) seen as
// J-1 blocks of 3, one per joint: the video fit (optim/video_fit.h) gives
// each joint of each frame its own parameter block, so that the constant-
// velocity prior between frames couples 3 x 3 blocks, not 3(J-1)-wide dense
// ones (which made the normal equations of 30 frames cost 50 ms to form and
// factor), and held joints are constant blocks instead of a manifold.
// The wrapped cost is evaluated as it is; its Jacobian's columns are handed
// to the joints' blocks.
#pragma once

#include <ceres/cost_function.h>

#include <memory>
#include <vector>

namespace resihmr::optim {

class SplitPoseCost : public ceres::CostFunction {
 public:
  // `inner`'s parameter block `pose_block` (size 3(J-1)) becomes J-1 blocks
  // of 3, in its place; takes ownership of `inner`.
  SplitPoseCost(ceres::CostFunction* inner, int pose_block);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;


 private:
  std::unique_ptr<ceres::CostFunction> inner_;
  int pose_block_, joints_;
  mutable std::vector<double> pose_, jacobian_;
};

}  // namespace resihmr::optim
