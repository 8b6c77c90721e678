// Axis-angle to rotation matrix (Rodrigues), templated on the scalar so that
// it runs with double and ceres::Jet. At and near zero angle it switches to
// the first-order form R = I + [w]x, which keeps the derivative exact at
// zero (a plain Rodrigues formula divides by |w| there). CanonicalAxisAngle
// gives the same rotation with its angle in [0, pi].
#pragma once

#include <cmath>

namespace resihmr::model {

// aa: 3 values (axis * angle, radians). R: 9 values, row-major 3x3.
template <typename T>
void AxisAngleToRotation(const T* aa, T* R) {
  using std::cos;
  using std::sin;
  using std::sqrt;
  const T theta2 = aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2];
  if (theta2 > T(1e-24)) {
    const T theta = sqrt(theta2);
    const T x = aa[0] / theta, y = aa[1] / theta, z = aa[2] / theta;
    const T c = cos(theta), s = sin(theta), k = T(1.0) - c;
    R[0] = c + x * x * k;     R[1] = x * y * k - z * s; R[2] = x * z * k + y * s;
    R[3] = y * x * k + z * s; R[4] = c + y * y * k;     R[5] = y * z * k - x * s;
    R[6] = z * x * k - y * s; R[7] = z * y * k + x * s; R[8] = c + z * z * k;
  } else {
    R[0] = T(1.0);  R[1] = -aa[2]; R[2] = aa[1];
    R[3] = aa[2];   R[4] = T(1.0); R[5] = -aa[0];
    R[6] = -aa[1];  R[7] = aa[0];  R[8] = T(1.0);
  }
}

// The same rotation as aa (3 values) with its angle in [0, pi]: an optimiser
// may wind an axis-angle up past a full turn; its rotation stays the same.
inline void CanonicalAxisAngle(double* aa) {
  const double theta = std::sqrt(aa[0] * aa[0] + aa[1] * aa[1] + aa[2] * aa[2]);
  if (!(theta > M_PI)) return;
  double wrapped = std::remainder(theta, 2 * M_PI);  // in [-pi, pi]
  const double scale = wrapped / theta;               // a negative angle turns the axis round
  for (int i = 0; i < 3; ++i) aa[i] *= scale;
}

}  // namespace resihmr::model
