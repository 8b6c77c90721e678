// Training the pose tokenizer (learned/pose_tokenizer.h) on body poses: Adam
// on the VQ-VAE loss over shuffled mini-batches, a held-out split measured
// after every epoch (mean geodesic error per joint, codes in use), a
// callback per epoch for progress, checkpoints and logs. The poses come from
// the synthetic pose library (data/synthetic_people.h) or from a user's
// .npz; on CUDA when asked and available, on the CPU otherwise.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>

#include "learned/pose_tokenizer.h"
#include "learned/training_support.h"
#include "model/body_model.h"

namespace resihmr::learned {

// n poses of the synthetic pose library as 6D rotations [n, 21, 6] (float).
torch::Tensor LibraryPoses(const model::BodyModel& model, int n, unsigned seed);

// Poses from an .npz: `body_pose` (or `poses`) of shape [N, 63], [N, 69],
// [N, 21, 3], [N, 23, 3] (axis-angle) or [N, 21, 3, 3] / [N, 23, 3, 3]
// (rotation matrices); SMPL joints 1..21 kept. [N, 21, 6]. Throws
// resihmr::Error naming the file and key.
torch::Tensor PosesFromNpz(const std::string& path);

struct TokenizerEpoch {
  int epoch = 0;            // 1-based
  int steps = 0;            // optimiser steps so far
  double loss = 0;          // mean training loss of the epoch
  double reconstruction = 0, codebook = 0, commitment = 0;
  double held_out_deg = 0;  // mean geodesic error per joint on the held-out poses
  int codes_used = 0;       // distinct codes over the held-out poses
  double seconds = 0;       // since the start
};

// Trains `tokenizer` in place on `poses` [N, 21, 6]; calls `on_epoch` after
// each epoch. Throws resihmr::Error for too few poses or an unavailable device.
void TrainTokenizer(PoseTokenizer& tokenizer, const torch::Tensor& poses, const TrainingOptions& options,
                    const std::function<void(const TokenizerEpoch&)>& on_epoch);

// Mean geodesic error per joint (degrees) and codes used on `poses`, in eval mode.
TokenizerEpoch EvaluateTokenizer(PoseTokenizer& tokenizer, const torch::Tensor& poses);

}  // namespace resihmr::learned
