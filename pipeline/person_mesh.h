// The mesh of a fitted person as `fit` writes it and `eval` scores it: for
// resihmr, every accepted residual limb cut and capped on the posed mesh
// (geometry/stump_mesh.h); for the other methods, the posed body (ajahr-zero's
// joint-zeroed). One view cannot tell a segment from its mirror image in
// depth, and where the fit has put a residual segment inside another part of
// the body, the cap that closes it crosses that part ("the cap intersects the
// surface around it"): no possible body. Such a limb is turned to its
// segment's other depth (optim::TurnToOtherDepth: the same pixels, the same
// length, the hinge bent within its range) and the stumps are built again;
// the turn is kept only when that limb then gets its stump and no other limb
// loses its own. The fit's parameters and that limb's result (joint_a,
// endpoint_3d, other_depth) change with it. Last, where the person's mask
// is given and the fit ran its silhouette stage, each stump's own profile is
// fitted to the mask (optim/stump_profile_fit.h) and the stump takes it
// (geometry::BuildReshapedStumpMesh, which keeps the convex cap where the
// profile would cross the body); a stump the mask does not show keeps the
// convex cap, and its outcome's note says why.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "geometry/stump_mesh.h"
#include "model/body_model.h"
#include "optim/fit_config.h"
#include "optim/person_fit.h"
#include "optim/stump_profile_fit.h"

namespace resihmr::pipeline {

struct PersonMesh {
  geometry::StumpMesh mesh;     // vertices in the camera frame, metres
  std::vector<int> cut_of_limb; // per entry of fit.residual_limbs: its outcome's index in mesh.limbs, or -1
  std::vector<optim::StumpProfileFit> profiles;  // per entry of mesh.limbs; empty when no profile was fitted
};

// The person's masks for the stumps' profiles (image-sized CV_8UC1; null: none).
struct StumpMasks {
  const cv::Mat* mask = nullptr;
  const cv::Mat* others = nullptr;  // the union of the other persons' masks
  optim::FitConfig config = optim::FitConfig::Default();
};

// fit: a successful fit of `method`; updated where a limb is turned.
PersonMesh BuildPersonMesh(const model::BodyModel& m, optim::Method method, optim::PersonFit* fit,
                           const StumpMasks& masks = StumpMasks());

}  // namespace resihmr::pipeline
