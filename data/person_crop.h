// Square person crops, the input of the learned modules (learned/): the box
// the crop is cut from, the crop itself, the mapping of keypoints into it,
// and the weak-perspective camera of a crop (HMR2.0 / AJAHR) with its exact
// conversion to and from a full-image camera translation.
//
// The box: the person's box when the observation has one (COCO's `bbox`, the
// synthetic mask's), else the extent of the present keypoints; made square
// about its centre with side 1.2 x the longer side (HMR2.0's rescale). Crop
// pixel = (image pixel - (x0, y0)) * size / side; outside the image is black.
//
// The camera: a crop of side b pixels (in the image) resampled to S pixels
// is seen by a virtual pinhole camera with focal length f S / b at the crop
// centre. A body at camera-frame translation T (metres, OpenCV axes) appears
// in the crop's normalised coordinates ([-1, 1]) under weak perspective with
// s = 2 f / (b T_z), t_x = T_x - (c_x^box - c_x) T_z / f,
// t_y = T_y - (c_y^box - c_y) T_z / f (HMR2.0's cam_crop_to_full, inverted).
#pragma once

#include <Eigen/Core>
#include <opencv2/core.hpp>

#include "data/observation.h"
#include "model/camera.h"

namespace resihmr::data {

struct CropBox {
  double x0 = 0, y0 = 0;  // top-left corner in image pixels
  double side = 0;        // side in image pixels
  Eigen::Vector2d center() const { return {x0 + side / 2, y0 + side / 2}; }
};

// Throws resihmr::Error naming the person when it has neither a box nor two
// present keypoints.
CropBox PersonCropBox(const Observation& person);

// The crop: size x size, the image's type, bilinear, black outside the image.
cv::Mat CutCrop(const cv::Mat& image, const CropBox& box, int size);

// Image pixels -> crop pixels.
Eigen::Vector2d ToCropPixels(const CropBox& box, int size, const Eigen::Vector2d& image_px);

// The person's COCO-17 keypoints in crop pixels, rows (x, y, visible 1/0),
// what BPAC-Net's heatmaps are drawn from. Keypoints of another layout are
// matched by the body point they mark (KeypointLayout::targets: BODY_25's
// LShoulder is COCO's left_shoulder); one the layout lacks, or that is absent,
// is not visible (and its x, y are 0).
Eigen::Matrix<double, 17, 3, Eigen::RowMajor> Coco17InCrop(const Observation& person, const CropBox& box, int size);

// Weak-perspective camera (s, t_x, t_y) of a body at translation `transl`
// (metres) seen by `camera`, for the crop `box`; and back (exact inverses).
Eigen::Vector3d WeakPerspectiveOfTranslation(const Eigen::Vector3d& transl, const model::PinholeCamera& camera,
                                             const CropBox& box);
Eigen::Vector3d TranslationOfWeakPerspective(const Eigen::Vector3d& weak, const model::PinholeCamera& camera,
                                             const CropBox& box);

}  // namespace resihmr::data
