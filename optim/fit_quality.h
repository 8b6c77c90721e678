// Whether a finished fit is plausible. A fit that ran to the end is `ok`
// only when it passes every check below; otherwise it is kept, with its
// parameters and mesh, but marked suspect with the reasons, so that no
// result of a broken fit, or of keypoints that disagree with it, passes for
// a good one. Thresholds are FitConfig's suspect_* keys (--config):
//   - depth: the pelvis lies 0.3 to 100 m in front of the camera;
//   - size: the person (the union of its box and its keypoints' extent)
//     spans at least 8 px (the diagonal);
//   - median 2D error over the fitted keypoints at most 0.1 of that size;
//   - mean 2D error over the fitted keypoints at most 50 px: a larger one
//     means a wrong fit, or keypoints of which several are far off (outliers
//     of a detector), and either way the result needs a look;
//   - every shape coefficient (beta) within 5 standard deviations of the
//     shape space: beyond that the fit has traded shape for depth (measured:
//     such fits lie a median 1.6 m off in depth, the others 0.14 m);
//   - the camera stage did not end in FAILURE.
// What these flag on hard synthetic data is measured in docs/output.md.
#pragma once

#include <string>
#include <vector>

#include "data/observation.h"
#include "model/body_model.h"
#include "optim/fit_config.h"
#include "optim/fit_result.h"

namespace resihmr::optim {

// The reasons a successful fit (result.ok) is suspect; empty when plausible.
std::vector<std::string> SuspectReasons(const model::BodyModel& model, const data::Observation& person,
                                        const FitResult& result, const FitConfig& config);

}  // namespace resihmr::optim
