// Parameters of one posed body: shape (betas, SMPL-X expression), pose as
// one axis-angle 3-vector per joint (root first, radians), translation
// (metres, added after skinning), optional PCA hand poses, and the joints
// whose rotation matrix is zeroed (AJAHR's amputation, METHOD.md section 6).
// Missing entries mean zeros. Validation names the source of the values.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "model/body_model.h"

namespace resihmr::model {

struct BodyParams {
  Eigen::VectorXd betas;            // <= model.num_betas (missing: 0)
  RowMatrixX3d pose;                // J x 3 axis-angle (or 0 rows: all zero)
  Eigen::Vector3d transl = Eigen::Vector3d::Zero();  // metres
  Eigen::VectorXd expression;       // <= model.num_expression (SMPL-X)
  Eigen::VectorXd left_hand_pose;   // PCA coefficients, <= number of components
  Eigen::VectorXd right_hand_pose;
  std::vector<int> zeroed_joints;   // joint indices whose rotation matrix is zero

  static BodyParams Zero(const BodyModel& model);
};

// The accepted ranges of parameter values (anything outside is refused):
// shape coefficients are in units of the shape space's standard deviations,
// axis-angle components in radians (4 pi: two full turns), translation in
// metres; hand PCA coefficients in the components' units.
inline constexpr double kMaxAbsBeta = 20;
inline constexpr double kMaxAbsAxisAngle = 12.566370614359172;  // 4 pi
inline constexpr double kMaxAbsTranslation = 1000;
inline constexpr double kMaxAbsHandPca = 50;

// Throws resihmr::Error naming `what` and the key when a size does not fit
// the model, a value is not finite or lies outside the ranges above, or a
// zeroed joint index is out of range.
void ValidateParams(const BodyParams& params, const BodyModel& model, const std::string& what);

// [betas, expression] padded with zeros to model.num_shape().
Eigen::VectorXd ShapeVector(const BodyParams& params, const BodyModel& model);

// J x 3 axis-angle pose with the PCA hand poses applied: a hand's 15 joint
// rotations become pose + hands_mean + sum_k c_k components_k when that
// hand's coefficients are given (the mean is added only then).
RowMatrixX3d FullPose(const BodyParams& params, const BodyModel& model);

// J flags, 1 where the joint's rotation matrix is zeroed.
std::vector<uint8_t> ZeroedMask(const BodyParams& params, const BodyModel& model);

// Index of the first joint of the left / right hand chains (15 joints each),
// or -1 for SMPL.
int FirstHandJoint(const BodyModel& model, bool left);

}  // namespace resihmr::model
