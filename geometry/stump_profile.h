// The fitter's own residual-limb shape (issue 17): the convex-capped stump
// of geometry/stump_mesh.h reshaped by four smooth parameters, which the
// stump profile fit (optim/stump_profile_fit.h) finds from the person's mask.
// With the segment's unit axis n from the joint J_t, a limb vertex x at axial
// coordinate a = (x - J_t) . n, s = a / d its fraction of the residual
// length d (to the cut) and r = x - J_t - a n its radial offset,
//   x' = J_t + a'(a) n + rho(s) r,
//   rho(s) = 1 - (1 - e) s^p  (s <= 1),  e beyond the cut (the cap);
//   a'     = a + t S((s - 0.5) / 0.5)  (s <= 1, S the smoothstep 3u^2 - 2u^3
//            clamped to [0, 1]),  d + t + q (a - d) beyond the cut,
// with e the end radius over the cut's, p the taper (1 conical, large: the
// radius holds and falls near the end, below 1: it falls early), t the soft
// tissue beyond the cut (metres) and q the end's roundness (its height over
// the convex cap's, which is 0.6 of the cut's radius). e = 1, t = 0, q = 1
// is the convex default (p then does nothing). Nothing moves at the joint
// plane (rho(0) = 1, a'(0) = 0), so the limb's region and its measurements
// are found as before. This family is not the synthetic benchmark's
// (data/stump_shapes.h), though they share the conical profile (p = 1) and
// the meaning of roundness; docs/stump.md says what each covers.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

namespace resihmr::geometry {

struct StumpProfile {
  double end_ratio = 1.0;  // e
  double taper = 1.0;      // p
  double tissue_m = 0.0;   // t, metres
  double roundness = 1.0;  // q
  static constexpr int kSize = 4;  // parameters, in this order
};

// x' for the vertex at `x` (3 values, metres, the frame of `joint_t`) with
// parameters theta = (e, p, t, q): templated for automatic differentiation.
template <typename T>
void ProfiledPoint(const T* theta, const double* x, const Eigen::Vector3d& joint_t, const Eigen::Vector3d& axis,
                   double length, T* out) {
  using std::pow;
  const Eigen::Vector3d offset = Eigen::Vector3d(x[0], x[1], x[2]) - joint_t;
  const double a = offset.dot(axis);
  const Eigen::Vector3d radial = offset - a * axis;
  const double s = a / length;
  T rho, moved;
  if (s <= 1.0) {
    const T sp = s > 1e-9 ? pow(T(s), theta[1]) : T(0.0);
    rho = T(1.0) - (T(1.0) - theta[0]) * sp;
    const double u = std::clamp((s - 0.5) / 0.5, 0.0, 1.0);
    moved = T(a) + theta[2] * (u * u * (3.0 - 2.0 * u));
  } else {
    rho = theta[0];
    moved = T(length) + theta[2] + theta[3] * (a - length);
  }
  for (int k = 0; k < 3; ++k) out[k] = T(joint_t[k]) + moved * axis[k] + rho * radial[k];
}

// Reshapes the flagged vertices (`limb`, one flag per row) of a residual
// limb in place.
inline void ApplyStumpProfile(const StumpProfile& profile, const Eigen::Vector3d& joint_t, const Eigen::Vector3d& axis,
                              double length, const std::vector<uint8_t>& limb,
                              Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>* vertices) {
  const double theta[StumpProfile::kSize] = {profile.end_ratio, profile.taper, profile.tissue_m, profile.roundness};
  for (Eigen::Index v = 0; v < vertices->rows(); ++v) {
    if (!limb[static_cast<size_t>(v)]) continue;
    const double x[3] = {(*vertices)(v, 0), (*vertices)(v, 1), (*vertices)(v, 2)};
    ProfiledPoint(theta, x, joint_t, axis, length, &(*vertices)(v, 0));
  }
}

}  // namespace resihmr::geometry
