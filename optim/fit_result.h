// What a fit of one person returns: parameters in the `resihmr pose` format
// (camera frame, metres), the camera, the fitted model's keypoints projected
// into the image in the layout's order, per-keypoint 2D errors, and a report
// of every stage (cost before and after, iterations, Ceres's termination,
// time). A failed fit says why and never carries non-finite parameters; a
// finished but implausible one is "suspect" and says why.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <string>
#include <vector>

#include "model/body_params.h"
#include "model/camera.h"
#include "model/posture.h"

namespace resihmr::optim {

struct StageReport {
  std::string name;
  double cost_initial = 0, cost_final = 0;
  int iterations = 0;
  std::string termination;  // Ceres's termination type (CONVERGENCE, NO_CONVERGENCE, FAILURE, ...)
  std::string message;      // Ceres's message
  double time_ms = 0;
};

struct FitResult {
  bool ok = false;                    // the fit ran to the end (its status is "ok" or "suspect")
  std::string error;                  // why the fit failed (empty when ok)
  std::vector<std::string> suspect;   // why a finished fit is implausible (optim/fit_quality.h); empty: plausible
  model::BodyParams params;
  model::PinholeCamera camera;
  Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor> keypoints_2d;  // K x 2 (layout order), NaN without a model target
  Eigen::VectorXd error_px;           // K, NaN where the input point was absent or not fitted
  double mean_error_px = 0;           // over fitted, present keypoints
  std::vector<StageReport> stages;
  double time_ms = 0;
  model::TrunkLean trunk_lean;  // of the final body against the camera's vertical (model/posture.h)
  double silhouette_margin_px = std::numeric_limits<double>::quiet_NaN();  // the mask's margin the silhouette stage used; NaN: no stage
  std::vector<std::string> warnings;

  // "ok", "suspect" or "failed".
  std::string status() const { return !ok ? "failed" : suspect.empty() ? "ok" : "suspect"; }
};

}  // namespace resihmr::optim
