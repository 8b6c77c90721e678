// What the fitter sees of one person: 2D keypoints in a known layout (pixels,
// image y down), their confidences and COCO visibility flags, the person's
// box, the image size and, when known, the person's mask. One Observation per
// annotated person, whatever file it came from; problems found while reading
// that left the person usable are kept as warnings.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "data/keypoint_layout.h"

namespace resihmr::data {

struct Observation {
  std::string source;          // the annotation file
  std::string image;           // image file name, relative to an image folder
  int64_t image_id = -1;
  int64_t annotation_id = -1;  // COCO annotation id; for OpenPose the person's index
  int64_t frame_id = -1;       // a video's frame number (COCO images[].frame_id), -1: none
  int64_t track_id = -1;       // the person's track in a video (COCO annotations[].track_id, >= 0), -1: none
  int image_width = 0;         // pixels; 0 when unknown
  int image_height = 0;
  const KeypointLayout* layout = nullptr;

  Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor> points;  // K x 2, pixels
  Eigen::VectorXd confidence;  // K, in [0, 1]; 0 = absent
  Eigen::VectorXi visibility;  // K, COCO flags 0 absent, 1 labelled occluded, 2 visible (OpenPose: 2 if c > 0)

  bool has_bbox = false;
  Eigen::Vector4d bbox = Eigen::Vector4d::Zero();  // x, y, width, height in pixels
  double area = 0;             // the file's `area` (pixels), 0 when absent
  cv::Mat mask;                // CV_8UC1 image-sized, 255 inside the person; empty when none
  std::string mask_file;       // the annotation's "mask_file" as given (data/mask_files.h); "" when none
  int mask_value = 0;          // its "mask_value" in an instance-id image; 0: a binary mask

  // OpenPose extras when present: 21 points per hand, 70 face points (x, y, c).
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> hand_left, hand_right, face;

  std::vector<std::string> warnings;

  bool present(int k) const { return confidence[k] > 0; }
  int num_present() const;
};

}  // namespace resihmr::data
