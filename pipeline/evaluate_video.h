// `resihmr eval --frames 1,10,30,...` on a `resihmr synth --frames T` folder
// (video/<image stem>/ beside keypoints.json and ground_truth.json,
// docs/video.md): every person fitted over the first c frames of its walk
// for each count c asked (the same people in every row; pipeline/video.h,
// optim::FitVideo) with the synthetic camera, and scored against the ground
// truth (camera frame).
//
// Per row (frame count): persons, failed, over the accepted residual limbs
// the residual length error (median, mm), lambda error (median) and
// endpoint 3D error (per limb the median over its fitted frames, then the
// median, mm), accepted / true residual limbs, the MPJPE (per person the
// median over fitted frames of the mean error over the joints the residual
// limbs keep, not aligned; then the median, mm), the stump volume error
// (median %, over the accepted limbs whose convex-capped stump could be
// built on the middle fitted frame's mesh, against the truth's stump), and
// the fit's time per frame (median over persons, ms, one thread each).
// The CSV has one row per count and person.
#pragma once

#include <string>
#include <vector>

#include "model/body_model.h"
#include "optim/fit_config.h"
#include "pipeline/evaluate_dataset.h"

namespace resihmr::pipeline {

struct VideoEvalOptions {
  std::vector<int> frame_counts;  // each 1..the frames per person; empty: 1, 10, 30, 60 where there are so many
  int threads = 1;
  optim::FitConfig config = optim::FitConfig::Default();
};

// True when `dataset` is a folder holding video/.
bool IsVideoDataset(const std::string& dataset);

// Throws resihmr::Error naming the file for a video, truth or ground truth
// that cannot be read, or a count out of range.
EvalReport EvaluateVideo(const model::BodyModel& model, const std::string& dataset, const VideoEvalOptions& options);

}  // namespace resihmr::pipeline
