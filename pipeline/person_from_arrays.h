// One person's observation from arrays, as the Python module's
// Person.from_arrays builds it, checked as strictly as the file readers
// (data/annotation_file.h): keypoints K x 3 in the layout's order (x, y in
// pixels, image y down, within +-1e7; the third column is COCO's visibility
// 0 absent, 1 labelled occluded, 2 visible for coco17 and ldpose25, and a
// confidence in [0, 1] for body25, 0 absent); the image size (each side
// 1..100000 px); an optional mask of the image's size (nonzero inside the
// person). LDPose-25 limb states are read off the visibility as for files.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "data/observation.h"

namespace resihmr::pipeline {

struct PersonArrays {
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> keypoints;  // K x 3
  std::string layout = "ldpose25";  // coco17, ldpose25 or body25
  int image_width = 0, image_height = 0;
  cv::Mat mask;                     // empty, or image_height x image_width CV_8UC1
  std::string image = "image.png";  // names the result files (PersonFileStem)
  int64_t annotation_id = 0;
};

// Throws resihmr::Error naming the keypoint and field that is out of range.
data::Observation PersonFromArrays(const PersonArrays& arrays);

}  // namespace resihmr::pipeline
