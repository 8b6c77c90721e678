#include "learned/pose_tokenizer.h"

#include <string>

#include "learned/rotation_6d.h"
#include "model/error.h"

namespace resihmr::learned {

namespace nn = torch::nn;

ResidualBlock1dImpl::ResidualBlock1dImpl(int channels) {
  conv1_ = register_module("conv1", nn::Conv1d(nn::Conv1dOptions(channels, channels, 3).padding(1)));
  conv2_ = register_module("conv2", nn::Conv1d(nn::Conv1dOptions(channels, channels, 1)));
}

torch::Tensor ResidualBlock1dImpl::forward(const torch::Tensor& x) { return x + conv2_(torch::relu(conv1_(torch::relu(x)))); }

PoseTokenizerImpl::PoseTokenizerImpl(const PoseTokenizerConfig& config) : config_(config) {
  if (config.joints < 1 || config.tokens < 1 || config.codebook_size < 2 || config.code_dim < 1 || config.hidden < 1) {
    throw Error("pose tokenizer config: joints, tokens, code_dim, hidden >= 1 and codebook_size >= 2 expected");
  }
  encoder_in_ = register_module("encoder_in", nn::Conv1d(nn::Conv1dOptions(6, config.hidden, 3).padding(1)));
  encoder_block_ = register_module("encoder_block", ResidualBlock1d(config.hidden));
  to_tokens_ = register_module("to_tokens", nn::Linear(config.joints, config.tokens));
  encoder_out_ = register_module("encoder_out", nn::Conv1d(nn::Conv1dOptions(config.hidden, config.code_dim, 1)));
  decoder_in_ = register_module("decoder_in", nn::Conv1d(nn::Conv1dOptions(config.code_dim, config.hidden, 1)));
  decoder_block_ = register_module("decoder_block", ResidualBlock1d(config.hidden));
  to_joints_ = register_module("to_joints", nn::Linear(config.tokens, config.joints));
  decoder_out_ = register_module("decoder_out", nn::Conv1d(nn::Conv1dOptions(config.hidden, 6, 3).padding(1)));
  codebook_ = register_parameter("codebook", torch::empty({config.codebook_size, config.code_dim})
                                                 .uniform_(-1.0 / config.codebook_size, 1.0 / config.codebook_size));
  usage_ = register_buffer("usage", torch::full({config.codebook_size}, 1.0 / config.codebook_size));
  started_ = register_buffer("started", torch::zeros({}));
}

void PoseTokenizerImpl::RestartCodes(const torch::Tensor& z_e) {
  torch::NoGradGuard no_grad;
  const torch::Tensor flat = z_e.detach().transpose(1, 2).reshape({-1, config_.code_dim});
  const auto random_rows = [&](int64_t n) {
    return flat.index_select(0, torch::randint(flat.size(0), {n}, torch::TensorOptions().dtype(torch::kLong)));
  };
  if (started_.item<float>() == 0) {
    codebook_.copy_(random_rows(config_.codebook_size) + 1e-3 * torch::randn_like(codebook_));
    started_.fill_(1);
    return;
  }
  const torch::Tensor dead = (usage_ < 0.2 / config_.codebook_size).nonzero().flatten();
  if (dead.numel() == 0) return;
  codebook_.index_copy_(0, dead, random_rows(dead.numel()));
  usage_.index_fill_(0, dead, 1.0 / config_.codebook_size);
}

void PoseTokenizerImpl::CheckPose(const torch::Tensor& pose6d) const {
  if (pose6d.dim() != 3 || pose6d.size(1) != config_.joints || pose6d.size(2) != 6) {
    throw Error("pose tokenizer input: [B, " + std::to_string(config_.joints) + ", 6] (6D rotations) expected, got " +
                c10::str(pose6d.sizes()));
  }
}

torch::Tensor PoseTokenizerImpl::EncodeContinuous(const torch::Tensor& pose6d) {
  torch::Tensor h = encoder_block_(encoder_in_(pose6d.transpose(1, 2)));  // [B, hidden, joints]
  h = to_tokens_(h);                                                      // [B, hidden, tokens]
  return encoder_out_(torch::relu(h));                                    // [B, code_dim, tokens]
}

torch::Tensor PoseTokenizerImpl::DecodeContinuous(const torch::Tensor& z) {
  torch::Tensor h = decoder_block_(decoder_in_(z));  // [B, hidden, tokens]
  h = to_joints_(h);                                  // [B, hidden, joints]
  return decoder_out_(torch::relu(h)).transpose(1, 2);  // [B, joints, 6]
}

torch::Tensor PoseTokenizerImpl::Nearest(const torch::Tensor& z_e) {
  const torch::Tensor flat = z_e.transpose(1, 2).reshape({-1, config_.code_dim});  // [B*T, D]
  const torch::Tensor distances = flat.pow(2).sum(1, true) - 2 * flat.matmul(codebook_.t()) +
                                  codebook_.pow(2).sum(1).unsqueeze(0);
  return distances.argmin(1).view({z_e.size(0), config_.tokens});
}

PoseTokenizerOutput PoseTokenizerImpl::forward(const torch::Tensor& pose6d) {
  CheckPose(pose6d);
  const torch::Tensor z_e = EncodeContinuous(pose6d);
  if (is_training()) RestartCodes(z_e);
  PoseTokenizerOutput out;
  out.indices = Nearest(z_e);
  if (is_training()) {
    torch::NoGradGuard no_grad;
    const torch::Tensor share =
        torch::bincount(out.indices.reshape(-1), {}, config_.codebook_size).to(usage_.dtype()) / out.indices.numel();
    usage_.mul_(0.99).add_(0.01 * share);
  }
  const torch::Tensor z_q = codebook_.index_select(0, out.indices.reshape(-1))
                                .view({z_e.size(0), config_.tokens, config_.code_dim})
                                .transpose(1, 2);
  const torch::Tensor straight_through = z_e + (z_q - z_e).detach();
  out.pose6d = DecodeContinuous(straight_through);
  out.reconstruction_loss = torch::mse_loss(Rotation6dToMatrix(out.pose6d), Rotation6dToMatrix(pose6d));
  out.codebook_loss = torch::mse_loss(z_q, z_e.detach());
  out.commitment_loss = torch::mse_loss(z_e, z_q.detach());
  out.loss = config_.reconstruction_weight * out.reconstruction_loss + out.codebook_loss +
             config_.commitment * out.commitment_loss;
  return out;
}

torch::Tensor PoseTokenizerImpl::Encode(const torch::Tensor& pose6d) {
  CheckPose(pose6d);
  return Nearest(EncodeContinuous(pose6d));
}

torch::Tensor PoseTokenizerImpl::Decode(const torch::Tensor& indices) {
  if (indices.dim() != 2 || indices.size(1) != config_.tokens) {
    throw Error("pose tokenizer tokens: [B, " + std::to_string(config_.tokens) + "] expected, got " +
                c10::str(indices.sizes()));
  }
  if (indices.numel() > 0 && (indices.min().item<int64_t>() < 0 || indices.max().item<int64_t>() >= config_.codebook_size)) {
    throw Error("pose tokenizer tokens: indices in [0, " + std::to_string(config_.codebook_size) + ") expected");
  }
  const torch::Tensor z = codebook_.index_select(0, indices.reshape(-1).to(torch::kLong))
                              .view({indices.size(0), config_.tokens, config_.code_dim})
                              .transpose(1, 2);
  return DecodeContinuous(z);
}

}  // namespace resihmr::learned
