// The residual limbs' endpoints as a data term of the body (the video fit,
// optim/video_fit.h): each endpoint lies on its segment at the limb's lambda,
// so its keypoint pulls on the segment's direction in every frame, while one
// lambda per limb is shared by every frame.
//
// Parameter blocks: global orientation (3), body pose (3(J-1)), betas (B),
// translation (3, metres) as KeypointReprojectionCost, and lambdas (one per
// residual limb, in [0, 1]). Per observed endpoint e of limb l, with its
// segment's posed joints J_t, J_a (camera frame) and pixel x_e:
//   R_e = J_a + lambda_l (J_t - J_a)
//   d_c = pi_c(R_e) - x_ec,   r_c = s rho d_c / sqrt(d_c^2 + rho^2),   s = sqrt(2) w data_weight
// (the Geman-McClure keypoint term of optim/keypoint_reprojection_cost.h);
// dR/dq = (1 - lambda) dJ_a/dq + lambda dJ_t/dq, dR/dlambda = J_t - J_a, from
// the analytic joint Jacobian of model/joints_jacobian.h. A point nearer
// than 5 cm makes the evaluation fail (a rejected step).
#pragma once

#include <ceres/cost_function.h>

#include <vector>

#include "model/body_model.h"
#include "model/camera.h"
#include "model/joints_jacobian.h"

namespace resihmr::optim {

struct SegmentEndpoint {
  int limb = 0;              // index into the lambdas block
  int joint_t = 0, joint_a = 0;  // the segment's joints
  double x = 0, y = 0;       // observed pixel
  double weight = 1;         // w (layout weight times confidence)
};

class SegmentEndpointCost : public ceres::CostFunction {
 public:
  SegmentEndpointCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                      std::vector<SegmentEndpoint> endpoints, int limbs, double rho_px, double data_weight);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;

 private:
  const model::BodyModel& model_;
  model::PinholeCamera camera_;
  std::vector<SegmentEndpoint> endpoints_;
  double rho_, data_weight_;
  mutable model::JointsWithJacobian scratch_;
  mutable std::vector<double> pose_, shape_;
};

}  // namespace resihmr::optim
