// Drawing an annotated person onto an image (OpenCV, BGR): the mask as a
// translucent tint, the skeleton links (left side blue, right side orange,
// centre grey), keypoints (filled when visible, hollow when labelled
// occluded), residual-limb endpoints in red with their names, the box, and
// a caption (e.g. the limb states) above the box.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "data/observation.h"

namespace resihmr::data {

// Draws onto `image` in place; `scale` sizes lines and text (1 for ~640 px images).
void DrawObservation(cv::Mat& image, const Observation& person, const std::string& caption, double scale = 1.0);

}  // namespace resihmr::data
