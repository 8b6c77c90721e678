// Every weight and setting of the intact fit in one place, with the
// SMPLify-X schedule as default (METHOD.md section 3), overridable from a
// JSON file (`resihmr fit --config C.json`; keys as in FitConfigToJson).
//
// Stage weights (body pose, shape, hand pose) per SMPLify-X:
//   (404, 100, 404), (404, 50, 404), (57.4, 10, 57.4), (4.78, 5, 4.78), (4.78, 5, 4.78);
// bending prior = 0.317 x the body-pose weight, as SMPLify's angle prior.
// Data weight = data_weight_scale / image height (1000 / H).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace resihmr::optim {

struct StageWeights {
  std::string name;
  double body_pose = 0;   // pose prior weight
  double shape = 0;       // shape prior weight
  double hand_pose = 0;   // SMPL-X / SMPL+H hand pose prior weight
  double bending = 0;     // elbow / knee bending prior weight
  int max_iterations = 20;
};

struct FitConfig {
  double robust_rho_px = 100;       // Geman-McClure scale (pixels)
  double data_weight_scale = 1000;  // data weight = scale / image height
  std::vector<StageWeights> stages;
  double camera_depth_weight = 100; // camera stage: weight of (t_z - t_z_init) per metre
  double stage_depth_weight = 5;    // later stages: weak pull of t_z to the camera stage's (per metre), so
                                    // that a poor start cannot run off where the robust loss is flat
  double diverged_px = 50;          // a fit whose median 2D error exceeds max(this, 10% of the image height) failed
  int camera_max_iterations = 30;
  double side_view_px = 25;         // 2D shoulder width under which both facings are tried
  double side_view_ratio = 0.25;    // ... or under this fraction of the torso's 2D height
  double yaw_hypotheses_deg = 45;   // also start turned by +- this about the camera's vertical (0: not)
  // The upright prior (optim/prior_costs.h: UprightPrior): the pelvis's up
  // axis near the camera's vertical, for photos taken roughly level of
  // people upright; its weight in pixels per sigma (0: off) and its sigma.
  double upright_weight_px = 20;
  double upright_sigma_deg = 10;
  // Every shape coefficient within +-this many standard deviations (Ceres
  // bounds; 0: unbounded). Unbounded by default: bounds change Ceres's steps
  // even for fits that never reach them, and on synth's 500 convex people MPJPE rose from 73.7
  // to 81.9 mm with a bound of 6 (docs/fitting.md).
  double beta_bound = 0;
  // A fit that still diverges after the retry without the upright prior runs
  // once more with this bound (above suspect_max_abs_beta, so that a fit
  // which needs a body no person has ends on it, flagged suspect; 0: not).
  double diverged_beta_bound = 6;
  std::string gmm_prior;            // optional npz GMM pose prior (means, covars, weights)
  double gmm_weight_factor = 1.0;   // GMM prior weight relative to the stage's body-pose weight
  // When a finished fit is "suspect" instead of "ok" (optim/fit_quality.h).
  double suspect_min_depth_m = 0.3;          // pelvis nearer than this
  double suspect_max_depth_m = 100;          // or farther than this
  double suspect_median_error_fraction = 0.1;  // median 2D error above this fraction of the person's size
  double suspect_mean_error_px = 50;         // mean 2D error above this many pixels
  double suspect_min_person_px = 8;          // a person smaller than this in the image
  double suspect_max_abs_beta = 5;           // a shape coefficient beyond this many standard deviations
  // The silhouette stage (optim/silhouette_stage.h), run when the person has a mask.
  double silhouette_weight = 1.0;      // the silhouette term's weight; 1: as much as all keypoints together
  double silhouette_rho_px = 10;       // Geman-McClure scale of its residuals (pixels)
  int silhouette_rounds = 2;           // outer rounds (rim and matches found again in each)
  int silhouette_max_iterations = 5;   // Levenberg-Marquardt iterations per round
  double silhouette_margin_px = -1;    // the mask's dilation (pixels); negative: measured per person
  double silhouette_max_margin_px = 20;  // the most a measured margin may be
  int silhouette_points = 100;         // at most this many rim vertices and as many contour points
  double silhouette_working_px = 256;  // the crop's longer side at the working scale (never enlarged)
  // The stump profile fit (optim/stump_profile_fit.h), run with the silhouette stage.
  int stump_profile_points = 80;       // at most this many rim vertices and as many contour points per stump
  int stump_profile_min_points = 12;   // fewer contour points of a stump's outline: the convex default is kept
  int stump_profile_rounds = 3;        // outer rounds (rim and matches found again in each); 0: no profile fit
  int stump_profile_max_iterations = 10;  // Levenberg-Marquardt iterations per round
  double stump_profile_max_margin_ratio = 0.3;  // a larger mask margin over the stump's radius: the convex default is kept
  double stump_profile_prior_weight = 1;  // the pull towards the convex default (1: a prior sigma costs a 1 px error)

  static FitConfig Default();
};

// Accepted ranges of --config values: weights and scales 0..1e6 (robust_rho_px,
// data_weight_scale and diverged_px above 0), pixel values up to 1e5,
// iteration counts integers in 0..1000 (camera_max_iterations 1..1000), at
// most 20 stages.
inline constexpr double kMaxWeight = 1e6;
inline constexpr double kMaxPixels = 1e5;
inline constexpr int kMaxIterations = 1000;

// Overrides `config` with the keys present in `json`; unknown keys and
// values outside the ranges above are errors naming `what` and the key.
void ApplyFitConfigJson(const nlohmann::json& json, const std::string& what, FitConfig* config);
FitConfig ReadFitConfig(const std::string& path);
nlohmann::json FitConfigToJson(const FitConfig& config);

}  // namespace resihmr::optim
