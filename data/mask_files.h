// Person masks from image files, and the checks every mask passes before a
// fit may use it.
//
// Where a person's mask comes from, first match wins:
//   1. the annotation's "mask_file": a PNG path relative to the annotation
//      file, with an optional "mask_value" (1..65535) for an instance-id image;
//   2. with ReadOptions::masks_dir (`--masks DIR`): DIR/<image stem>_<annotation
//      id>.png, a binary mask of that person; else DIR/<image stem>.png, an
//      instance-id image of the whole image in which the person's pixels have
//      the value of its "mask_value", or else its 1-based place among that
//      image's persons in the file's order (OpenPose: the person's index + 1);
//      for the only person of an image, without mask_value, a binary mask;
//   3. the annotation's COCO "segmentation" (polygons or RLE).
// A binary mask holds 0 and one other value (255 or 1; a colour PNG counts
// when its channels agree); an instance-id image is 8- or 16-bit grey. A mask
// must have the image's size (an image of unknown size takes the mask's), be
// neither empty nor all of the image, and overlap the box of the person's
// labelled keypoints (grown by a fifth of its size each way; only with two
// or more labelled). A mask that fails is not used: a warning naming the
// file, the annotation and why, "...; no mask" (ReadOptions::strict: an error).
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "data/observation.h"

namespace resihmr::data {

// The person's mask from encoded PNG bytes: CV_8UC1, 255 inside. `value` 0:
// a binary mask; else the instance id. `name` names the file in messages.
// Throws resihmr::Error when the bytes are not an image, or the image is
// neither binary nor single-channel with `value` in it.
cv::Mat DecodeMaskImage(const std::string& bytes, int value, const std::string& name);

// The same from a file (at most 256 MiB).
cv::Mat ReadMaskImage(const std::string& path, int value);

// Why `mask` cannot be this person's (empty, all ones, wrong size, far from
// its keypoints), or "" when it can.
std::string MaskProblem(const Observation& person, const cv::Mat& mask);

}  // namespace resihmr::data
