#include "optim/fit_quality.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "model/pose_body.h"

namespace resihmr::optim {

std::vector<std::string> SuspectReasons(const model::BodyModel& model, const data::Observation& person,
                                        const FitResult& result, const FitConfig& config) {
  std::vector<std::string> reasons;
  if (!result.ok) return reasons;
  std::ostringstream s;
  s.precision(3);
  const double depth = model::PoseBody(model, result.params, false).joints(0, 2);
  if (!(depth >= config.suspect_min_depth_m && depth <= config.suspect_max_depth_m)) {
    s << "the pelvis lies " << depth << " m from the camera (plausible: " << config.suspect_min_depth_m << " to "
      << config.suspect_max_depth_m << " m)";
    reasons.push_back(s.str());
    s.str("");
  }
  // The person's size in the image: its box and its keypoints together.
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (Eigen::Index k = 0; k < person.points.rows(); ++k) {
    if (!person.present(static_cast<int>(k))) continue;
    x0 = std::min(x0, person.points(k, 0));
    x1 = std::max(x1, person.points(k, 0));
    y0 = std::min(y0, person.points(k, 1));
    y1 = std::max(y1, person.points(k, 1));
  }
  if (person.has_bbox) {
    x0 = std::min(x0, person.bbox[0]);
    y0 = std::min(y0, person.bbox[1]);
    x1 = std::max(x1, person.bbox[0] + person.bbox[2]);
    y1 = std::max(y1, person.bbox[1] + person.bbox[3]);
  }
  const double size = x1 >= x0 ? std::hypot(x1 - x0, y1 - y0) : 0;
  std::vector<double> errors;
  for (Eigen::Index k = 0; k < result.error_px.size(); ++k) {
    if (std::isfinite(result.error_px[k])) errors.push_back(result.error_px[k]);
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors.empty() ? 0 : errors[errors.size() / 2];
  if (size < config.suspect_min_person_px) {
    s << "the person's keypoints and box span " << size << " px (at least " << config.suspect_min_person_px << " px needed)";
    reasons.push_back(s.str());
    s.str("");
  } else if (median > config.suspect_median_error_fraction * size) {
    s << "median 2D error " << median << " px is more than " << config.suspect_median_error_fraction
      << " of the person's size in the image (" << size << " px)";
    reasons.push_back(s.str());
    s.str("");
  }
  if (result.mean_error_px > config.suspect_mean_error_px) {
    int far = 0;
    for (double e : errors) far += e > 4 * config.suspect_mean_error_px;
    s << "mean 2D error " << result.mean_error_px << " px is more than " << config.suspect_mean_error_px << " px ("
      << far << " of " << errors.size() << " fitted keypoints lie more than " << 4 * config.suspect_mean_error_px
      << " px off: outliers in the keypoints, or a wrong fit)";
    reasons.push_back(s.str());
    s.str("");
  }
  const Eigen::Index b = result.params.betas.size();
  Eigen::Index widest = 0;
  if (b > 0 && result.params.betas.cwiseAbs().maxCoeff(&widest) > config.suspect_max_abs_beta) {
    s << "shape coefficient " << widest << " is " << result.params.betas[widest] << ", beyond "
      << config.suspect_max_abs_beta << " standard deviations of the shape space (a body no person has: "
      << "the fit traded shape for depth)";
    reasons.push_back(s.str());
    s.str("");
  }
  if (!result.stages.empty() && result.stages.front().termination == "FAILURE") {
    reasons.push_back("the camera stage failed (" + result.stages.front().message + ")");
  }
  return reasons;
}

}  // namespace resihmr::optim
