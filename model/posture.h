// A body's orientation and posture as biomechanics reads them (issue 20):
// the root (pelvis) rotation, the body's up axis, and the trunk's lean
// against the camera's vertical. Frames: a body model's rest pose is Y up,
// facing +Z (SMPL's convention, and the embedded model's); parameters and
// posed joints are in the camera frame of model/camera.h (x right, y down,
// z forward, metres), so the camera's vertical "up" is -y, which is the
// world's up for a level camera.
#pragma once

#include <Eigen/Core>
#include <limits>

#include "model/body_model.h"
#include "model/body_params.h"

namespace resihmr::model {

// The root joint's rotation (pose row 0, axis-angle) as a matrix; identity
// when the pose has no rows.
Eigen::Matrix3d RootRotation(const BodyParams& params);

// The geodesic angle (degrees, 0..180) between two rotations.
double RotationAngleDeg(const Eigen::Matrix3d& a, const Eigen::Matrix3d& b);

// The body's up axis (unit, camera frame): the root rotation applied to the
// rest pose's +Y.
Eigen::Vector3d BodyUpAxis(const BodyParams& params);

// The angle (degrees, 0..180) between two directions (any length > 0).
double AngleDeg(const Eigen::Vector3d& a, const Eigen::Vector3d& b);

// The trunk's lean: the direction from the pelvis to the neck joint against
// the camera's vertical (-y). lean_deg is the whole angle; toward_camera_deg
// its part in the camera's y-z plane (positive: the top leans towards the
// camera) and sideways_deg its part in the x-y plane (positive: the top
// leans to the image's right).
struct TrunkLean {
  double lean_deg = std::numeric_limits<double>::quiet_NaN();
  double toward_camera_deg = std::numeric_limits<double>::quiet_NaN();
  double sideways_deg = std::numeric_limits<double>::quiet_NaN();
};

// joints: J x 3 posed joints (camera frame) of `model`, which must name
// "pelvis" and "neck"; NaN values where it does not.
TrunkLean TrunkLeanOf(const BodyModel& model, const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& joints);

}  // namespace resihmr::model
