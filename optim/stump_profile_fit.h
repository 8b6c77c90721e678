// Each stump's own shape from the person's mask (issue 17): after the cut
// and the convex cap (geometry/stump_mesh.h), the four parameters of the
// fitter's profile family (geometry/stump_profile.h: end radius, taper, soft
// tissue beyond the cut, end roundness) are fitted so that the stump's
// projected outline matches the mask around it. Only the stump's vertices
// move; the body, the camera and the cut stay. Outer rounds, each:
//   1. reshape the limb by the current profile, project the whole mesh and
//      draw it over a window around the stump (optim/outline_raster.h), the
//      stump's faces labelled apart from the rest of the body;
//   2. the stump's rim: its vertices on the drawn outline (the outline
//      against the background, so a stump seen against the trunk has none);
//   3. the stump's contour: mask edge points whose nearest model pixel along
//      their normal is the stump's, each matched to its nearest rim vertex;
//   4. Levenberg-Marquardt over the four parameters (bounded, see below),
//      with the residuals of optim/silhouette_cost.h in pixels (model to
//      mask through the mask's distance field eroded by the person's margin,
//      mask to model point to line, both Geman-McClure, rho 10 px) and a
//      weak prior towards the convex default.
// The parameters' covariance is Ceres's Gauss-Newton covariance at the
// solution, scaled by the outline residuals' variance; it treats residuals
// as independent, which a mask's ragged edges are not, so it is a lower
// bound on the uncertainty. Where the mask does not show the stump (too few
// contour points: it lies outside the image, behind another part of the
// body or on another person's mask), the convex default is kept and the
// result says why.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "geometry/stump_profile.h"
#include "model/camera.h"
#include "optim/fit_config.h"

namespace resihmr::optim {

// The person as seen: camera, masks, and the mask's margin (its dilation
// beyond the body, pixels, as the silhouette stage measured it).
struct StumpView {
  const model::PinholeCamera* camera = nullptr;
  const cv::Mat* mask = nullptr;    // CV_8UC1, image-sized, nonzero on the person
  const cv::Mat* others = nullptr;  // CV_8UC1, image-sized union of the other persons' masks, or null
  double margin_px = 0;
};

// The capped limb: the whole mesh (camera frame, metres), the stump's
// vertices flagged (beyond the joint plane, the cap included), its joint,
// unit axis and residual length to the cut (metres).
struct StumpToFit {
  const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>* vertices = nullptr;  // V x 3
  const Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>* faces = nullptr;        // F x 3
  const std::vector<uint8_t>* limb = nullptr;                                           // V flags
  Eigen::Vector3d joint_t = Eigen::Vector3d::Zero(), axis = Eigen::Vector3d::UnitZ();
  double length = 0;
};

struct StumpProfileFit {
  bool fitted = false;
  std::string note;                // why the convex default was kept; empty when fitted
  geometry::StumpProfile profile;  // the convex default when not fitted
  geometry::StumpProfile sigma{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  // The parameters at a bound ("end_ratio", "taper", "tissue_mm", "roundness"):
  // the covariance ignores bounds, so their sigma says little there.
  std::vector<std::string> at_bound;
  int rim_points = 0, contour_points = 0;  // of the last round
  double margin_px = 0;  // the mask's margin next to the stump (pixels), as allowed for
  double radius_px = 0;  // the stump's mean radius at the cut, projected (pixels)
  double rms_px = std::numeric_limits<double>::quiet_NaN();  // the outline residuals' RMS at the solution
  double time_ms = 0;
};

// Bounds of the parameters: e in [0.3, 1.3], p in [0.3, 8], t in [0, 80 mm],
// q in [0.3, 2.5]. The prior (its weight stump_profile_prior_weight): e ~
// N(1, 0.25), log p ~ N(0, 1), t ~ N(0, 30 mm), q ~ N(1, 0.5).
StumpProfileFit FitStumpProfile(const StumpView& view, const StumpToFit& stump, const FitConfig& config);

}  // namespace resihmr::optim
