#include "learned/bpac_net.h"

#include <string>

#include "model/error.h"

namespace resihmr::learned {

namespace nn = torch::nn;

CbamImpl::CbamImpl(int channels, int reduction) {
  const int hidden = std::max(1, channels / reduction);
  fc1_ = register_module("fc1", nn::Linear(channels, hidden));
  fc2_ = register_module("fc2", nn::Linear(hidden, channels));
  spatial_ = register_module("spatial", nn::Conv2d(nn::Conv2dOptions(2, 1, 7).padding(3).bias(false)));
}

torch::Tensor CbamImpl::forward(const torch::Tensor& x) {
  const auto mlp = [&](const torch::Tensor& v) { return fc2_(torch::relu(fc1_(v))); };
  const torch::Tensor channel = torch::sigmoid(mlp(x.mean({2, 3})) + mlp(x.amax({2, 3})));
  const torch::Tensor y = x * channel.unsqueeze(-1).unsqueeze(-1);
  const torch::Tensor pooled = torch::cat({y.mean(1, true), y.amax(1, true)}, 1);
  return y * torch::sigmoid(spatial_(pooled));
}

CbamBasicBlockImpl::CbamBasicBlockImpl(int in_channels, int out_channels, int stride, int reduction) {
  conv1_ = register_module(
      "conv1", nn::Conv2d(nn::Conv2dOptions(in_channels, out_channels, 3).stride(stride).padding(1).bias(false)));
  bn1_ = register_module("bn1", nn::BatchNorm2d(out_channels));
  conv2_ = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out_channels, out_channels, 3).padding(1).bias(false)));
  bn2_ = register_module("bn2", nn::BatchNorm2d(out_channels));
  cbam_ = register_module("cbam", Cbam(out_channels, reduction));
  shortcut_ = nn::Sequential();
  if (stride != 1 || in_channels != out_channels) {
    shortcut_->push_back(nn::Conv2d(nn::Conv2dOptions(in_channels, out_channels, 1).stride(stride).bias(false)));
    shortcut_->push_back(nn::BatchNorm2d(out_channels));
  }
  register_module("shortcut", shortcut_);
}

torch::Tensor CbamBasicBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::relu(bn1_(conv1_(x)));
  y = cbam_(bn2_(conv2_(y)));
  return torch::relu(y + (shortcut_->is_empty() ? x : shortcut_->forward(x)));
}

BpacNetImpl::BpacNetImpl(const BpacNetConfig& config) : config_(config) {
  if (config.in_channels < 1 || config.image_size < 32 || config.base_width < 1 || config.num_limbs < 1 ||
      config.num_classes < 2) {
    throw Error("BPAC-Net config: in_channels >= 1, image_size >= 32, base_width >= 1, 4 limbs of >= 2 classes expected");
  }
  const int w = config.base_width;
  stem_ = register_module("stem", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(config.in_channels, w, 7).stride(2).padding(3).bias(false)),
                                                 nn::BatchNorm2d(w), nn::ReLU(),
                                                 nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1))));
  layers_ = nn::Sequential();
  int channels = w;
  for (int stage = 0; stage < 4; ++stage) {
    const int out = w << stage;
    for (int b = 0; b < config.blocks[static_cast<size_t>(stage)]; ++b) {
      layers_->push_back(CbamBasicBlock(channels, out, (b == 0 && stage > 0) ? 2 : 1, config.cbam_reduction));
      channels = out;
    }
  }
  register_module("layers", layers_);
  heads_ = register_module("heads", nn::Linear(channels, config.num_limbs * config.num_classes));
  context_ = register_module("context", nn::Linear(channels, config.context_dim));
}

BpacNetOutput BpacNetImpl::forward(const torch::Tensor& x) {
  if (x.dim() != 4 || x.size(1) != config_.in_channels || x.size(2) != config_.image_size ||
      x.size(3) != config_.image_size) {
    throw Error("BPAC-Net input: [B, " + std::to_string(config_.in_channels) + ", " + std::to_string(config_.image_size) +
                ", " + std::to_string(config_.image_size) + "] expected, got " + c10::str(x.sizes()));
  }
  const torch::Tensor features = layers_->forward(stem_->forward(x)).mean({2, 3});
  BpacNetOutput out;
  out.logits = heads_(features).view({x.size(0), config_.num_limbs, config_.num_classes});
  out.context = context_(features);
  return out;
}

torch::Tensor KeypointHeatmaps(const torch::Tensor& keypoints, const torch::Tensor& visible, int size, double sigma) {
  if (keypoints.dim() < 2 || keypoints.size(-1) != 2 || visible.sizes() != keypoints.sizes().slice(0, keypoints.dim() - 1)) {
    throw Error("KeypointHeatmaps: keypoints [..., K, 2] and visibility [..., K] expected, got " +
                c10::str(keypoints.sizes()) + " and " + c10::str(visible.sizes()));
  }
  const torch::Tensor k = keypoints.to(torch::kFloat);
  const torch::Tensor grid = torch::arange(size, k.options());
  const torch::Tensor dx = grid.view({1, size}) - k.select(-1, 0).unsqueeze(-1).unsqueeze(-1);  // [..., K, 1, S]
  const torch::Tensor dy = grid.view({size, 1}) - k.select(-1, 1).unsqueeze(-1).unsqueeze(-1);  // [..., K, S, 1]
  const torch::Tensor maps = torch::exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
  return maps * (visible > 0).to(torch::kFloat).unsqueeze(-1).unsqueeze(-1);
}

}  // namespace resihmr::learned
