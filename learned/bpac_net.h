// BPAC-Net, AJAHR's body-part amputation classifier (METHOD.md section 6):
// a ResNet-34 whose basic blocks each end in CBAM (channel then spatial
// attention, Woo et al. 2018) after their second convolution, on a person
// crop of 15 channels (RGB and 12 Gaussian heatmaps, sigma 2 px, of COCO
// keypoints 5..16); four heads, one per limb (right arm, left arm, left leg,
// right leg), of 4 classes each (0, 1, 2: the amputation levels of
// learned/limb_classes.h; 3: intact), and a 512 -> 1280 projection of the
// pooled features that the regressor cross-attends to. Widths and depths
// are configurable so that tests run tiny versions on a CPU.
#pragma once

#include <torch/torch.h>

#include <array>

namespace resihmr::learned {

struct BpacNetConfig {
  int in_channels = 15;
  int image_size = 256;                   // square crops, pixels
  int base_width = 64;                    // ResNet-34: 64, 128, 256, 512
  std::array<int, 4> blocks = {3, 4, 6, 3};  // ResNet-34
  int cbam_reduction = 16;
  int context_dim = 1280;
  int num_limbs = 4;
  int num_classes = 4;
};

struct BpacNetOutput {
  torch::Tensor logits;   // [B, 4 limbs, 4 classes]
  torch::Tensor context;  // [B, context_dim]
};

// CBAM: x * sigmoid(MLP(avgpool x) + MLP(maxpool x)) per channel, then
// x * sigmoid(conv7x7([mean_c x, max_c x])) per pixel.
class CbamImpl : public torch::nn::Module {
 public:
  CbamImpl(int channels, int reduction);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
  torch::nn::Conv2d spatial_{nullptr};
};
TORCH_MODULE(Cbam);

// conv3x3 - BN - ReLU - conv3x3 - BN - CBAM, plus the (projected) input, ReLU.
class CbamBasicBlockImpl : public torch::nn::Module {
 public:
  CbamBasicBlockImpl(int in_channels, int out_channels, int stride, int reduction);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
  Cbam cbam_{nullptr};
  torch::nn::Sequential shortcut_{nullptr};
};
TORCH_MODULE(CbamBasicBlock);

class BpacNetImpl : public torch::nn::Module {
 public:
  explicit BpacNetImpl(const BpacNetConfig& config = BpacNetConfig());
  // x: [B, in_channels, image_size, image_size]; throws resihmr::Error
  // naming the expected shape otherwise.
  BpacNetOutput forward(const torch::Tensor& x);
  const BpacNetConfig& config() const { return config_; }

 private:
  BpacNetConfig config_;
  torch::nn::Sequential stem_{nullptr}, layers_{nullptr};
  torch::nn::Linear heads_{nullptr}, context_{nullptr};
};
TORCH_MODULE(BpacNet);

// The 12 heatmap channels: a Gaussian of sigma `sigma` px at each of COCO
// keypoints 5..16 given in crop pixels ([..., 12, 2], any leading batch
// shape); channels of keypoints with visibility 0 are all zero. Returns
// [..., 12, size, size], peak 1.
torch::Tensor KeypointHeatmaps(const torch::Tensor& keypoints, const torch::Tensor& visible, int size,
                               double sigma = 2.0);

}  // namespace resihmr::learned
