// Running the learned modules on person crops for a fit's start: the
// regressor's codes decoded by the tokenizer into a body pose, its betas,
// orientation and weak-perspective camera, and BPAC-Net's classes and
// probabilities, as float64 CPU tensors in the layouts of data/init_params.h.
#pragma once

#include <torch/torch.h>

#include "learned/regressor_training.h"

namespace resihmr::learned {

struct Prediction {
  torch::Tensor global_orient;       // [B, 3] axis-angle, camera frame
  torch::Tensor body_pose;           // [B, 21, 3] axis-angle, joints 1..21
  torch::Tensor betas;               // [B, betas]
  torch::Tensor camera;              // [B, 3] weak perspective (s, t_x, t_y) of the crop
  torch::Tensor bpac_classes;        // [B, 4] int64 (argmax), undefined without BPAC-Net
  torch::Tensor bpac_probabilities;  // [B, 4, 4] softmax, undefined without BPAC-Net
};

// images [B, 3, S, S] uint8 RGB at the regressor's size, keypoints [B, 17, 2]
// crop pixels, visible [B, 17]. Eval mode, no gradients, on the modules' device.
Prediction Predict(RegressorBundle& bundle, const torch::Tensor& images, const torch::Tensor& keypoints,
                   const torch::Tensor& visible);

}  // namespace resihmr::learned
