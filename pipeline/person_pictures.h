// The pictures of one fitted person that `resihmr fit --images` writes:
// the photo with the mesh laid over it, the input keypoints in colour and
// the fitted model's keypoints and skeleton in white; and the view sheet:
// the rest pose with each residual limb in red and what it lost pale, then
// the fitted mesh from the camera, turned 90 and 180 degrees, in the body's
// own frame (the camera's y and z flipped, so that the front faces the viewer).
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "data/observation.h"
#include "geometry/mesh_io.h"
#include "model/body_model.h"
#include "pipeline/reconstruct_person.h"

namespace resihmr::pipeline {

// Per-vertex colours (V x 3, in [0, 1]): residual limb red, the rest grey.
geometry::RowMatrixX3d ResidualColours(const std::vector<uint8_t>& residual);

// `image` (BGR, the person's photo) with the result drawn over it.
cv::Mat DrawFitOverlay(const cv::Mat& image, const data::Observation& person, const PersonResult& result);

// The view sheet (BGR), four panels of 300 x 450 pixels.
cv::Mat DrawViewSheet(const model::BodyModel& model, const PersonResult& result);

}  // namespace resihmr::pipeline
