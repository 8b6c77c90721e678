#include "model/posture.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>

#include "model/rotation.h"

namespace resihmr::model {

Eigen::Matrix3d RootRotation(const BodyParams& params) {
  if (params.pose.rows() == 0) return Eigen::Matrix3d::Identity();
  const double aa[3] = {params.pose(0, 0), params.pose(0, 1), params.pose(0, 2)};
  Eigen::Matrix<double, 3, 3, Eigen::RowMajor> R;
  AxisAngleToRotation(aa, R.data());
  return R;
}

double RotationAngleDeg(const Eigen::Matrix3d& a, const Eigen::Matrix3d& b) {
  const double c = std::clamp(((a.transpose() * b).trace() - 1.0) / 2.0, -1.0, 1.0);
  return std::acos(c) * 180.0 / M_PI;
}

Eigen::Vector3d BodyUpAxis(const BodyParams& params) { return RootRotation(params).col(1); }

double AngleDeg(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  // atan2 of the cross and dot products: accurate at small angles too.
  return std::atan2(a.cross(b).norm(), a.dot(b)) * 180.0 / M_PI;
}

TrunkLean TrunkLeanOf(const BodyModel& model, const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& joints) {
  TrunkLean out;
  const int pelvis = model.JointIndex("pelvis"), neck = model.JointIndex("neck");
  if (pelvis < 0 || neck < 0 || std::max(pelvis, neck) >= joints.rows()) return out;
  const Eigen::Vector3d t = joints.row(neck).transpose() - joints.row(pelvis).transpose();
  const Eigen::Vector3d up(0, -1, 0);
  out.lean_deg = AngleDeg(t, up);
  out.toward_camera_deg = std::atan2(-t.z(), -t.y()) * 180.0 / M_PI;
  out.sideways_deg = std::atan2(t.x(), -t.y()) * 180.0 / M_PI;
  return out;
}

}  // namespace resihmr::model
