// `resihmr eval --views 1,2,...` on a `resihmr synth --views N` folder
// (views.json and ground_truth.json beside keypoints.json, docs/multiview.md):
// every person fitted over its first c views for each count c asked (the
// same people in every row; pipeline/multi_view.h, optim::FitMultiView),
// with the cameras' poses given or estimated, and scored against the ground
// truth, whose camera frame is camera 00's and so the views' world.
//
// Per row (view count): persons, failed, over the accepted residual limbs the
// residual length error (median, mm), lambda error (median) and endpoint 3D
// error (median, mm), accepted / true residual limbs, and the MPJPE (median
// over persons of the mean error over the joints the residual limbs keep,
// mm, world frame, not aligned) and the stump volume error (median %, over
// the accepted limbs whose convex-capped stump could be built, cut on the
// posed mesh as one view's resihmr does, against the truth's stump). With estimated poses the fitted world is
// carried into camera 00's frame through the pose the fit estimated for
// camera 00 (else for the first view it used), and the row adds the camera
// rotation error: the angle between each view's estimated and true rotation
// relative to that view, median and 90th percentile (degrees) over the other
// views of every person. The CSV has one row per count and person.
#pragma once

#include <string>
#include <vector>

#include "model/body_model.h"
#include "optim/fit_config.h"
#include "pipeline/evaluate_dataset.h"

namespace resihmr::pipeline {

struct ViewsEvalOptions {
  std::vector<int> view_counts;  // each 1..the views per person; empty: 1, 2, ..., N
  bool estimate_extrinsics = false;
  int threads = 1;
  optim::FitConfig config = optim::FitConfig::Default();
};

// True when `dataset` is a folder holding views.json.
bool IsViewsDataset(const std::string& dataset);

// Throws resihmr::Error naming the file and the entry for a views.json,
// ground truth or camera folder that cannot be read, or a count out of range.
EvalReport EvaluateViews(const model::BodyModel& model, const std::string& dataset, const ViewsEvalOptions& options);

}  // namespace resihmr::pipeline
