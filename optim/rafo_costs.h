// RAFO's cost terms (optim/rafo.h) as Ceres autodiff functors, one per
// term, so that each can be tested on its own (tests/optim/rafo_test.cc
// checks their derivatives). Parameter blocks: ja, the distal joint J_a
// (3, camera frame, metres); lambda (1, in [0, 1]). Residuals are already
// divided by their scales, so the sum of squares is a negative log-posterior.
#pragma once

#include <Eigen/Core>
#include <cmath>

#include "model/camera.h"
#include "optim/rafo.h"

namespace resihmr::optim {

// (pi(R (J_a + lambda (J_t - J_a)) + t) - k) / sigma; R, t map RAFO's frame
// into the camera's (identity and zero for the view RAFO's frame is; another
// view of the endpoint: optim/rafo.h, RafoView).
struct EndpointReprojection {
  Eigen::Vector3d joint_t;
  Eigen::Vector2d k;
  model::PinholeCamera camera;
  double sigma;
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();
  Eigen::Vector3d t = Eigen::Vector3d::Zero();
  template <typename T>
  bool operator()(const T* ja, const T* lambda, T* r) const {
    T q[3], p[3];
    for (int c = 0; c < 3; ++c) q[c] = ja[c] + lambda[0] * (T(joint_t[c]) - ja[c]);
    for (int c = 0; c < 3; ++c) p[c] = T(R(c, 0)) * q[0] + T(R(c, 1)) * q[1] + T(R(c, 2)) * q[2] + T(t[c]);
    if (!(p[2] > T(1e-3))) return false;
    T uv[2];
    camera.Project(p, uv);
    r[0] = (uv[0] - T(k.x())) / T(sigma);
    r[1] = (uv[1] - T(k.y())) / T(sigma);
    return true;
  }
};

// (J_a - J_a^0) / s_J.
struct AnchorPrior {
  Eigen::Vector3d init;
  double scale;
  template <typename T>
  bool operator()(const T* ja, T* r) const {
    for (int c = 0; c < 3; ++c) r[c] = (ja[c] - T(init[c])) / T(scale);
    return true;
  }
};

// (|J_t - J_a| - L) / s_L.
struct LengthPrior {
  Eigen::Vector3d joint_t;
  double length, scale;
  template <typename T>
  bool operator()(const T* ja, T* r) const {
    using std::sqrt;
    const T d0 = T(joint_t[0]) - ja[0], d1 = T(joint_t[1]) - ja[1], d2 = T(joint_t[2]) - ja[2];
    r[0] = (sqrt(d0 * d0 + d1 * d1 + d2 * d2) - T(length)) / T(scale);
    return true;
  }
};

// Hinge prior, u = (J_a - J_t) / |J_a - J_t|:
//   r = [ (u . a) / s_h,  max(0, phi - hi, lo - phi) / s_phi ],
//   phi = atan2(u . (a x rest), u . rest).
struct HingePrior {
  Eigen::Vector3d joint_t;
  RafoHinge hinge;
  template <typename T>
  bool operator()(const T* ja, T* r) const {
    using std::atan2;
    using std::sqrt;
    T d[3];
    for (int c = 0; c < 3; ++c) d[c] = ja[c] - T(joint_t[c]);
    const T norm = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (!(norm > T(1e-9))) return false;
    const Eigen::Vector3d a = hinge.axis, rest = hinge.rest, side = hinge.axis.cross(hinge.rest);
    const auto dot = [&](const Eigen::Vector3d& v) { return (T(v[0]) * d[0] + T(v[1]) * d[1] + T(v[2]) * d[2]) / norm; };
    r[0] = dot(a) / T(hinge.off_plane_scale);
    const T phi = atan2(dot(side), dot(rest));
    r[1] = phi > T(hinge.hi) ? (phi - T(hinge.hi)) / T(hinge.range_scale)
                             : (phi < T(hinge.lo) ? (T(hinge.lo) - phi) / T(hinge.range_scale) : T(0.0));
    return true;
  }
};

}  // namespace resihmr::optim
