// Training the regressor (learned/regressor.h) on person crops
// (learned/crop_set.h) with a fixed pose tokenizer and, optionally, a fixed
// BPAC-Net whose context it reads. Loss per crop:
//   CE(token logits, tokenizer codes of the true body pose)       (AJAHR)
//   + |6D(orient) - 6D(true orient)|^2 + |camera - true camera|^2
//   + 0.1 |betas - true betas|^2
// Adam over shuffled mini-batches, its learning rate decaying along a cosine
// to zero over the run; after every epoch a held-out tenth is
// measured: token accuracy, the body pose decoded from the predicted codes
// (mean geodesic error per joint, degrees), the global orientation (degrees)
// and the weak-perspective camera. bf16 autocast on CUDA.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>

#include "learned/bpac_net.h"
#include "learned/crop_set.h"
#include "learned/pose_tokenizer.h"
#include "learned/regressor.h"
#include "learned/training_support.h"

namespace resihmr::learned {

// What `resihmr predict` and `fit --init regressor:` run: the regressor, the
// tokenizer that decodes its codes, and BPAC-Net (may be empty: the
// regressor then uses its learned stand-in context and no limb classes).
struct RegressorBundle {
  Regressor regressor{nullptr};
  PoseTokenizer tokenizer{nullptr};
  BpacNet bpac{nullptr};
};

struct RegressorEvaluation {
  double token_accuracy = 0;  // share of codes right
  double pose_deg = 0;        // decoded body pose, mean geodesic error per joint
  double orient_deg = 0;      // global orientation, mean geodesic error
  double camera_scale_err = 0;  // mean |s - s_true| / s_true
  double betas_rmse = 0;
};

struct RegressorEpoch {
  int epoch = 0;
  int steps = 0;
  double loss = 0;
  RegressorEvaluation held_out;
  double seconds = 0;
};

// Checks that the bundle's parts fit each other and the crops (tokens,
// codebook, context and image sizes); throws resihmr::Error naming them.
void CheckBundle(const RegressorBundle& bundle, int crop_size);

// Trains bundle.regressor in place; returns the held-out indices into `set`.
torch::Tensor TrainRegressor(RegressorBundle& bundle, const CropSet& set, const TrainingOptions& options,
                             const std::function<void(const RegressorEpoch&)>& on_epoch);

RegressorEvaluation EvaluateRegressor(RegressorBundle& bundle, const CropSet& set);

// The regressor's input on a batch: normalised RGB and BPAC-Net's context
// (undefined without BPAC-Net); and BPAC-Net's logits (undefined without it).
struct RegressorRun {
  RegressorOutput out;
  torch::Tensor bpac_logits;  // [B, 4, 4] or undefined
};
RegressorRun RunRegressor(RegressorBundle& bundle, const torch::Tensor& images, const torch::Tensor& keypoints,
                          const torch::Tensor& visible);

}  // namespace resihmr::learned
