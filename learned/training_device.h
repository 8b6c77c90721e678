// Where training runs and in what precision: the device a `--device` name
// asks for (refused with a clear message when CUDA is asked of a CPU-only
// LibTorch), and bf16 autocast on CUDA for the span of a forward pass (on the
// CPU a no-op: training there stays in float32).
#pragma once

#include <torch/torch.h>

#include <string>

namespace resihmr::learned {

// "cpu" or "cuda"; throws resihmr::Error otherwise or when CUDA is absent.
torch::Device TrainingDevice(const std::string& name);

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
