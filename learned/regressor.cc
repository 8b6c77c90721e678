#include "learned/regressor.h"

#include <string>

#include "model/error.h"

namespace resihmr::learned {

namespace nn = torch::nn;

RegressorImpl::RegressorImpl(const RegressorConfig& config) : config_(config) {
  if (config.image_size % config.patch != 0 || config.vit_dim % config.vit_heads != 0 ||
      config.decoder_dim % config.decoder_heads != 0 || config.tokens < 1 || config.codebook_size < 2) {
    throw Error("regressor config: image_size a multiple of patch, dims multiples of their head counts, tokens >= 1 expected");
  }
  const int grid = config.image_size / config.patch;
  patch_embed_ = register_module(
      "patch_embed", nn::Conv2d(nn::Conv2dOptions(3, config.vit_dim, config.patch).stride(config.patch)));
  position_ = register_parameter("position", torch::randn({grid * grid, 1, config.vit_dim}) * 0.02);
  encoder_ = register_module(
      "encoder", nn::TransformerEncoder(nn::TransformerEncoderOptions(
                                            nn::TransformerEncoderLayerOptions(config.vit_dim, config.vit_heads)
                                                .dim_feedforward(4 * config.vit_dim)
                                                .dropout(0.0)
                                                .activation(torch::kGELU),
                                            config.vit_depth)));
  encoder_norm_ = register_module("encoder_norm", nn::LayerNorm(nn::LayerNormOptions({config.vit_dim})));
  to_memory_ = register_module("to_memory", nn::Linear(config.vit_dim, config.decoder_dim));
  from_context_ = register_module("from_context", nn::Linear(config.context_dim, config.decoder_dim));
  no_context_ = register_parameter("no_context", torch::zeros({1, config.context_dim}));
  queries_ = register_parameter("queries", torch::randn({config.tokens + 1, 1, config.decoder_dim}) * 0.02);
  decoder_ = register_module(
      "decoder", nn::TransformerDecoder(nn::TransformerDecoderOptions(
                                            nn::TransformerDecoderLayerOptions(config.decoder_dim, config.decoder_heads)
                                                .dim_feedforward(2 * config.decoder_dim)
                                                .dropout(0.0),
                                            config.decoder_layers)));
  token_head_ = register_module("token_head", nn::Linear(config.decoder_dim, config.codebook_size));
  body_head_ = register_module("body_head", nn::Linear(config.decoder_dim, config.betas + 6 + 3));
}

RegressorOutput RegressorImpl::forward(const torch::Tensor& image, const torch::Tensor& context) {
  if (image.dim() != 4 || image.size(1) != 3 || image.size(2) != config_.image_size ||
      image.size(3) != config_.image_size) {
    throw Error("regressor image: [B, 3, " + std::to_string(config_.image_size) + ", " +
                std::to_string(config_.image_size) + "] expected, got " + c10::str(image.sizes()));
  }
  const int64_t B = image.size(0);
  if (context.defined() && (context.dim() != 2 || context.size(0) != B || context.size(1) != config_.context_dim)) {
    throw Error("regressor context: [" + std::to_string(B) + ", " + std::to_string(config_.context_dim) +
                "] (BPAC-Net's) expected, got " + c10::str(context.sizes()));
  }
  // Image tokens, sequence first: [N, B, vit_dim].
  torch::Tensor tokens = patch_embed_(image).flatten(2).permute({2, 0, 1}) + position_;
  tokens = encoder_norm_(encoder_(tokens));
  const torch::Tensor ctx = context.defined() ? context : no_context_.expand({B, config_.context_dim});
  const torch::Tensor memory = torch::cat({to_memory_(tokens), from_context_(ctx).unsqueeze(0)}, 0);
  const torch::Tensor decoded = decoder_(queries_.expand({-1, B, -1}), memory);  // [tokens + 1, B, D]
  RegressorOutput out;
  out.token_logits = token_head_(decoded.narrow(0, 0, config_.tokens)).transpose(0, 1);
  const torch::Tensor body = body_head_(decoded[config_.tokens]);
  out.betas = body.narrow(1, 0, config_.betas);
  // Start near the identity (6D [1 0 0 0 1 0]) and a person filling the crop.
  out.global_orient = body.narrow(1, config_.betas, 6) + torch::tensor({1.f, 0.f, 0.f, 0.f, 1.f, 0.f}, body.options());
  const torch::Tensor camera = body.narrow(1, config_.betas + 6, 3);
  out.camera = torch::cat({torch::nn::functional::softplus(camera.narrow(1, 0, 1) + 0.5413), camera.narrow(1, 1, 2)}, 1);
  return out;
}

torch::Tensor CameraTranslation(const torch::Tensor& camera, double focal_px, int crop_size) {
  if (camera.dim() != 2 || camera.size(1) != 3) {
    throw Error("camera: [B, 3] (s, t_x, t_y) expected, got " + c10::str(camera.sizes()));
  }
  const torch::Tensor s = camera.select(1, 0);
  return torch::stack({camera.select(1, 1), camera.select(1, 2), 2 * focal_px / (crop_size * s)}, 1);
}

}  // namespace resihmr::learned
