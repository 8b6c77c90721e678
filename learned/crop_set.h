// The training and evaluation set of the image modules: the person crops
// and crops.json that `resihmr synth --crops S` writes (data/person_crop.h),
// read into tensors, and the 15-channel BPAC-Net input made from a batch of
// them (RGB normalised with ImageNet's mean and deviation, and the Gaussian
// heatmaps of COCO keypoints 5..16 drawn from the keypoints on the fly).
#pragma once

#include <torch/torch.h>

#include <string>

namespace resihmr::learned {

struct CropSet {
  int crop_size = 0;            // S, pixels
  torch::Tensor images;         // [N, 3, S, S] uint8, RGB
  torch::Tensor keypoints;      // [N, 17, 2] float, COCO-17 in crop pixels
  torch::Tensor visible;        // [N, 17] bool
  torch::Tensor bpac_classes;   // [N, 4] int64: heads right arm, left arm, left leg, right leg; 3 intact
  torch::Tensor global_orient;  // [N, 3] float axis-angle, camera frame
  torch::Tensor body_pose;      // [N, 21, 3] float axis-angle, joints 1..21
  torch::Tensor betas;          // [N, B] float
  torch::Tensor camera;         // [N, 3] float weak perspective (s, t_x, t_y)
  int64_t size() const { return images.defined() ? images.size(0) : 0; }
  CropSet Select(const torch::Tensor& indices) const;  // the rows `indices` (int64) of every tensor
};

// Reads DIR/crops.json and DIR/crops/*.png. Throws resihmr::Error naming the
// file, the record and the field when something is missing or malformed.
CropSet ReadCropSet(const std::string& dir);

// images [B, 3, S, S] uint8, keypoints [B, 17, 2], visible [B, 17] ->
// [B, 15, S, S] float: normalised RGB, then 12 heatmaps (sigma 2 px).
torch::Tensor BpacInput(const torch::Tensor& images, const torch::Tensor& keypoints, const torch::Tensor& visible);

// images [B, 3, S, S] uint8 -> [B, 3, S, S] float, normalised as above.
torch::Tensor NormalizedRgb(const torch::Tensor& images);

}  // namespace resihmr::learned
