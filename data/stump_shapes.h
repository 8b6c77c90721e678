// Residual-limb shapes for synthetic ground truth that the fitter's own
// stump (a quarter-ellipse cap on the body model's cut: geometry/stump_cap.h)
// does not produce, so that a benchmark of stump volume meets shapes it was
// not built from (`resihmr synth --stump-shapes varied`). Each shape moves the
// limb's surface beyond its joint plane: with the segment's axis n from the
// joint J_t, a point's axial coordinate a = (x - J_t) . n, s = a / d its
// fraction of the residual length d (to the cut), and r its radial offset,
//   x' = J_t + a'(a) n + rho(s) r,
// rho(0) = 1 (nothing moves at the joint plane) and rho(1) = the end ratio:
//   conical      rho = 1 - (1 - e) s
//   cylindrical  rho = 1 - (1 - e) smoothstep((s - 0.75) / 0.25)
//   bulbous      rho = (1 + b sin(pi s)) (1 - (1 - e) s^3),  b in [0.05, 0.15]
//   transtibial  (below-knee only) the mean of OpenLimbTT's 400 transtibial
//                limbs, whose circumference falls from about 397 to 248 mm
//                over the first 90% of a 253 mm limb: the limb's own mean
//                radius at the joint plane times 1 - 0.375 min(s / 0.9, 1),
//                over the model's mean radius at s (that of the nearest of 10 bins);
// e in [0.4, 1.0] the end radius over the cut's. Soft tissue t in [0, 60] mm
// beyond the bone's end stretches the distal 40% of the side axially,
//   a' = a + t ((s - 0.6) / 0.4)^2 for s > 0.6,
// and moves the end by t, its height scaled by the roundness q in [0.5, 1.6]
// (a' = d + t + q (a - d) beyond the cut). The bone's end, the residual
// length (to the cut) and the endpoint keypoint stay where they are.
#pragma once

#include <Eigen/Core>
#include <random>
#include <string>
#include <vector>

#include "model/limb_topology.h"

namespace resihmr::data {

enum class StumpFamily { kConical, kCylindrical, kBulbous, kTranstibial };
std::string StumpFamilyName(StumpFamily family);  // "conical", "cylindrical", "bulbous", "transtibial"

struct StumpShape {
  StumpFamily family = StumpFamily::kConical;
  double end_ratio = 1.0;   // e: end radius over the cut's
  double bulge = 0.0;       // b (bulbous)
  double tissue_m = 0.0;    // t: soft tissue beyond the bone's end, metres
  double roundness = 1.0;   // q: the end's height over the cap's
};

// A shape drawn for `limb`: transtibial for a third of below-knee limbs,
// else conical, cylindrical or bulbous alike; the parameters uniform in the
// ranges above.
StumpShape DrawStumpShape(const model::ResidualLimb& limb, std::mt19937* rng);

// Moves the flagged vertices (`limb`, V flags) of a residual limb with joint
// `joint_t` (same units as the vertices), unit axis `axis` and residual length
// `length` (to the cut) into `shape`. Returns false with the reason when the
// limb has too few vertices to shape.
bool ReshapeStump(const StumpShape& shape, const Eigen::Vector3d& joint_t, const Eigen::Vector3d& axis, double length,
                  const std::vector<uint8_t>& limb, Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>* vertices,
                  std::string* why);

}  // namespace resihmr::data
