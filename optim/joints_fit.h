// A body fitted to 3D joint positions, the start HSMR (or any method that
// gives joints, or an SMPL-topology skin mesh regressed to joints) offers a
// fit: the pose of every joint, the translation and the betas (held when
// given). Solved with Ceres and the analytic joints Jacobian:
//   min_{theta, t, beta}  sum_j |J_j(theta, beta) + t - X_j|^2
//                         + w sum_{k>=1} |theta_k|^2 + w_b |beta|^2
// with X the targets (camera frame, metres), w = 1e-4 m^2 per rad^2, so that
// what joint positions cannot show (a bone's twist, a leaf joint's rotation)
// stays near zero, and w_b = 1e-5 m^2, so that the bone lengths set the shape
// they can and the rest stays at the mean. The global orientation starts from the Kabsch
// rotation of the rest joints onto the targets, so any facing is reached.
#pragma once

#include <Eigen/Core>

#include "model/body_model.h"
#include "model/body_params.h"

namespace resihmr::optim {

struct JointsFit {
  model::BodyParams params;
  double rms_error_m = 0;  // root mean square joint distance after the fit
};

// targets: n x 3 (n <= model.num_joints(), at least 4): joints 0..n-1 in the
// model's order; betas: the shape to hold (empty: fitted too). Throws
// resihmr::Error for too few or non-finite targets.
JointsFit FitBodyToJoints(const model::BodyModel& model,
                          const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& targets,
                          const Eigen::VectorXd& betas = Eigen::VectorXd());

}  // namespace resihmr::optim
