#include "learned/training_support.h"

#include <ATen/autocast_mode.h>

#include <algorithm>
#include <cmath>

#include "model/error.h"

namespace resihmr::learned {

torch::Device TrainingDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name != "cuda") throw Error("--device '" + name + "': cpu or cuda expected");
  if (!torch::cuda::is_available()) {
    throw Error("--device cuda: no CUDA device is available to this LibTorch (Debian's libtorch-dev is CPU-only; "
                "building against a CUDA LibTorch: docs/learned.md)");
  }
  return torch::Device(torch::kCUDA);
}

torch::Device StartTraining(const TrainingOptions& options, const std::string& what) {
  if (options.epochs < 1 || options.batch < 1 || !(options.learning_rate > 0)) {
    throw Error(what + ": epochs >= 1, batch >= 1 and a positive learning rate expected");
  }
  const torch::Device device = TrainingDevice(options.device);
  torch::manual_seed(options.seed);
  return device;
}

HeldOutSplit SplitHeldOut(int64_t n, double fraction, int batch, const std::string& what) {
  const int64_t held = std::max<int64_t>(1, static_cast<int64_t>(fraction * static_cast<double>(n)));
  if (n - held < batch) {
    throw Error(std::to_string(n) + " " + what + " leave fewer than one batch of " + std::to_string(batch) +
                " after the held-out " + std::to_string(held));
  }
  const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kLong));
  return {order.narrow(0, 0, held), order.narrow(0, held, n - held)};
}

void CosineAdamStep(torch::optim::Adam& adam, const torch::Tensor& loss, double base, int64_t step, int64_t total) {
  const double rate = base * 0.5 * (1 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(std::max<int64_t>(total, 1))));
  for (auto& group : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(rate);
  adam.zero_grad();
  loss.backward();
  adam.step();
}

Bf16Autocast::Bf16Autocast(const torch::Device& device) : enabled_(device.is_cuda()) {
  if (!enabled_) return;
  was_enabled_ = at::autocast::is_enabled();
  previous_dtype_ = at::autocast::get_autocast_gpu_dtype();
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
}

Bf16Autocast::~Bf16Autocast() {
  if (!enabled_) return;
  at::autocast::set_enabled(was_enabled_);
  at::autocast::set_autocast_gpu_dtype(previous_dtype_);
  if (!was_enabled_) at::autocast::clear_cache();
}

}  // namespace resihmr::learned
