// The AJAHR-style mesh regressor (METHOD.md section 6): a ViT backbone over
// a 256x256 RGB person crop (patches, learned position embedding, transformer
// encoder; AJAHR uses ViTPose's ViT-H, here the size is configurable), then a
// 6-layer transformer decoder (8 heads, 1280-d) whose queries - one per pose
// token and one for the body - cross-attend to the image tokens projected to
// 1280-d and to BPAC-Net's context vector. Heads: per-token logits over the
// pose tokenizer's codebook (decoded to a pose by learned/pose_tokenizer.h),
// 10 betas, the global orientation (6D), and the weak-perspective camera
// (s, t_x, t_y), turned into a translation by CameraTranslation. Dropout is
// zero: training is on synthetic data, and determinism matters more.
#pragma once

#include <torch/torch.h>

namespace resihmr::learned {

struct RegressorConfig {
  int image_size = 256;
  int patch = 16;
  int vit_dim = 768;      // ViT-B; ViT-H is 1280
  int vit_depth = 12;
  int vit_heads = 12;
  int decoder_dim = 1280;
  int decoder_layers = 6;
  int decoder_heads = 8;
  int context_dim = 1280;  // BPAC-Net's context
  int tokens = 160;        // pose tokens (the tokenizer's)
  int codebook_size = 2048;
  int betas = 10;
};

struct RegressorOutput {
  torch::Tensor token_logits;   // [B, tokens, codebook_size]
  torch::Tensor betas;          // [B, betas]
  torch::Tensor global_orient;  // [B, 6] (6D)
  torch::Tensor camera;         // [B, 3] weak perspective (s, t_x, t_y), s > 0
};

class RegressorImpl : public torch::nn::Module {
 public:
  explicit RegressorImpl(const RegressorConfig& config = RegressorConfig());
  // image: [B, 3, image_size, image_size]; context: [B, context_dim] or an
  // undefined tensor (no BPAC-Net: a learned stand-in). Throws resihmr::Error
  // naming the expected shapes.
  RegressorOutput forward(const torch::Tensor& image, const torch::Tensor& context = torch::Tensor());
  const RegressorConfig& config() const { return config_; }

 private:
  RegressorConfig config_;
  torch::nn::Conv2d patch_embed_{nullptr};
  torch::Tensor position_, queries_, no_context_;
  torch::nn::TransformerEncoder encoder_{nullptr};
  torch::nn::Linear to_memory_{nullptr}, from_context_{nullptr};
  torch::nn::TransformerDecoder decoder_{nullptr};
  torch::nn::Linear token_head_{nullptr}, body_head_{nullptr};
  torch::nn::LayerNorm encoder_norm_{nullptr};
};
TORCH_MODULE(Regressor);

// Weak-perspective camera (s, t_x, t_y) on a crop of `crop_size` pixels to a
// camera translation with focal length f (pixels): t = [t_x, t_y, 2 f / (crop_size s)]
// (HMR2.0 / AJAHR with crop_size 256). camera: [B, 3] -> [B, 3].
torch::Tensor CameraTranslation(const torch::Tensor& camera, double focal_px, int crop_size = 256);

}  // namespace resihmr::learned
