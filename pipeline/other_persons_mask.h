// The pixels of the other persons of an image, which a person's silhouette
// stage ignores (optim/silhouette_stage.h): persons belong to one image when
// they share the annotation file, image name and image id. Masks are
// image-sized CV_8UC1 (data/observation.h).
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "data/observation.h"

namespace resihmr::pipeline {

// For each person, the indices of the other persons of its image whose mask
// has the person's image size (empty for a person without a mask).
std::vector<std::vector<size_t>> OtherMaskedPersons(const std::vector<data::Observation>& persons);

// The union of the masks of `others` (indices into `persons`), 255 inside;
// empty when `others` is.
cv::Mat UnionOfMasks(const std::vector<data::Observation>& persons, const std::vector<size_t>& others);

}  // namespace resihmr::pipeline
