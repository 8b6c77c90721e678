// The pictures of a person fitted over several views (`resihmr fit --views
// ... --images DIR`): per view, its photo with the fitted mesh laid over it
// through that view's camera (the pose given or estimated), the view's input
// keypoints in colour, the fitted model's keypoints as white crosses, and a
// caption with the view's median 2D error or why it was not used.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "pipeline/multi_view.h"

namespace resihmr::pipeline {

// `photo`: BGR of the view's image size (empty: a white canvas).
cv::Mat DrawViewOverlay(const cv::Mat& photo, const optim::CalibratedView& view, const optim::ViewReport& report,
                        const MultiViewMesh& mesh);

// Writes `folder`/person_<id>_<view>.png for every view of a successful
// fit, each over its photo: `images`/<camera>/<image>, else `images`/<image>
// (<image> the keypoint file's file name for the person). Returns a warning
// per view whose photo cannot be read (that view gets no picture).
std::vector<std::string> WriteMultiViewOverlays(const MultiViewPerson& person, const optim::MultiViewFit& fit,
                                                const MultiViewMesh& mesh, const std::string& images,
                                                const std::string& folder);

}  // namespace resihmr::pipeline
