// What the three training loops (tokenizer, BPAC-Net, regressor) share:
// the device a `--device` name asks for (refused with a clear message when
// CUDA is asked of a CPU-only LibTorch), the held-out split, bf16 autocast on
// CUDA for the span of a forward pass (on the CPU a no-op: training there
// stays in float32), and the cosine decay of the learning rate over a run.
#pragma once

#include <torch/torch.h>

#include <string>

namespace resihmr::learned {

// What every training run is told. The usual batch and rate differ per
// module (tokenizer 256 and 2e-4, BPAC-Net 64 and 1e-3, regressor 64 and
// 1e-4: what `resihmr train` passes when not told otherwise).
struct TrainingOptions {
  int epochs = 10;
  int batch = 64;
  double learning_rate = 1e-3;
  double held_out_fraction = 0.1;
  unsigned seed = 0;
  std::string device = "cpu";  // "cpu" or "cuda"
};

// "cpu" or "cuda"; throws resihmr::Error otherwise or when CUDA is absent.
torch::Device TrainingDevice(const std::string& name);

// The start of every run: checks the options (epochs >= 1, batch >= 1, a
// positive rate; `what` names the trainer in the message), seeds torch's
// generator and returns the device.
torch::Device StartTraining(const TrainingOptions& options, const std::string& what);

// The rows of n items held out (the first max(1, fraction n) of a random
// permutation from torch's generator) and trained on (the rest), int64.
// Throws resihmr::Error when fewer than one batch remain; `what` names the
// items in the message ("poses", "crops").
struct HeldOutSplit {
  torch::Tensor held, train;
};
HeldOutSplit SplitHeldOut(int64_t n, double fraction, int batch, const std::string& what);

// One Adam step on `loss` (a scalar) at step `step` (0-based) of `total`,
// the learning rate decayed along a cosine: base (1 + cos(pi step / total)) / 2,
// from base down to 0.
void CosineAdamStep(torch::optim::Adam& adam, const torch::Tensor& loss, double base, int64_t step, int64_t total);

// While alive on a CUDA device: autocast to bfloat16 (no gradient scaling is
// needed for bf16). On the CPU it does nothing.
class Bf16Autocast {
 public:
  explicit Bf16Autocast(const torch::Device& device);
  ~Bf16Autocast();
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  bool enabled_ = false;
  bool was_enabled_ = false;
  at::ScalarType previous_dtype_ = at::kHalf;
};

}  // namespace resihmr::learned
