// Training BPAC-Net (learned/bpac_net.h) on person crops (learned/crop_set.h):
// Adam (learning rate decaying along a cosine to zero over the run) on the
// summed cross-entropy of the four limb heads over shuffled mini-batches, the 12 heatmap channels drawn from each crop's keypoints, a
// held-out split measured after every epoch (accuracy per limb head and
// over all heads), a callback per epoch for progress, checkpoints and logs.
// bf16 autocast on CUDA; float32 on the CPU.
#pragma once

#include <torch/torch.h>

#include <array>
#include <functional>
#include <string>

#include "learned/bpac_net.h"
#include "learned/crop_set.h"
#include "learned/training_support.h"

namespace resihmr::learned {

struct BpacEpoch {
  int epoch = 0;  // 1-based
  int steps = 0;
  double loss = 0;  // mean training loss of the epoch (sum over the 4 heads)
  std::array<double, 4> held_out_accuracy{};  // per head: right arm, left arm, left leg, right leg
  double held_out_mean_accuracy = 0;
  double seconds = 0;
};

struct BpacEvaluation {
  std::array<double, 4> accuracy{};     // per head
  double mean_accuracy = 0;             // over all heads and crops
  std::array<std::array<int64_t, 4>, 4> confusion{};  // [true class][predicted class], all heads pooled
};

// Trains `net` in place; the set's crop size must equal the net's image size.
// Returns the held-out split's indices into `set` (for a final evaluation).
// Throws resihmr::Error for a set too small for one batch, a size mismatch or
// an unavailable device.
torch::Tensor TrainBpacNet(BpacNet& net, const CropSet& set, const TrainingOptions& options,
                           const std::function<void(const BpacEpoch&)>& on_epoch);

// Accuracy and confusion of `net` (eval mode) on `set`.
BpacEvaluation EvaluateBpacNet(BpacNet& net, const CropSet& set);

}  // namespace resihmr::learned
