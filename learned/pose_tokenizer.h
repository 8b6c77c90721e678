// The pose tokenizer of TokenHMR / AJAHR (METHOD.md section 6): a VQ-VAE
// that turns a body pose (21 body joints, SMPL order without the root, each a
// 6D rotation, learned/rotation_6d.h) into a sequence of discrete tokens and
// back. Encoder: 1D convolutions over the joints, a residual block, a learned
// resampling of the 21 joints to `tokens` positions, a projection to the code
// dimension; vector quantisation against a codebook (nearest code,
// straight-through gradient); the decoder mirrors the encoder. Loss:
//   L = w_rec |R(x_hat) - R(x)|^2 + |sg[z_e] - e|^2 + beta |z_e - sg[e]|^2
// (mean squares; R: 6D -> rotation matrix; w_rec = 100, beta = 0.25). In
// training, the codebook starts from encoder outputs of the first batch and
// codes left unused (their usage, an exponential average over batches with
// factor 0.99, below a fifth of the uniform 1/K) restart at random encoder
// outputs of the current batch, as TokenHMR's quantiser (from T2M-GPT)
// does; without it most codes die. AJAHR
// trains two codebooks, with and without amputees: two instances, told apart
// by `amputee_codebook` in their checkpoints.
#pragma once

#include <torch/torch.h>

namespace resihmr::learned {

struct PoseTokenizerConfig {
  int joints = 21;
  int tokens = 160;         // 160 or 320 in AJAHR
  int codebook_size = 2048;
  int code_dim = 256;
  int hidden = 256;
  double reconstruction_weight = 100;
  double commitment = 0.25;
  bool amputee_codebook = false;  // which of AJAHR's two codebooks this is
};

struct PoseTokenizerOutput {
  torch::Tensor pose6d;     // [B, joints, 6] reconstruction
  torch::Tensor indices;    // [B, tokens] code indices (int64)
  torch::Tensor reconstruction_loss, codebook_loss, commitment_loss, loss;  // scalars
};

// Conv1d(3) - ReLU - Conv1d(1), plus the input.
class ResidualBlock1dImpl : public torch::nn::Module {
 public:
  explicit ResidualBlock1dImpl(int channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv1d conv1_{nullptr}, conv2_{nullptr};
};
TORCH_MODULE(ResidualBlock1d);

class PoseTokenizerImpl : public torch::nn::Module {
 public:
  explicit PoseTokenizerImpl(const PoseTokenizerConfig& config = PoseTokenizerConfig());
  // pose6d: [B, joints, 6]; throws resihmr::Error naming the expected shape.
  PoseTokenizerOutput forward(const torch::Tensor& pose6d);
  torch::Tensor Encode(const torch::Tensor& pose6d);  // -> [B, tokens] indices
  torch::Tensor Decode(const torch::Tensor& indices);  // [B, tokens] -> [B, joints, 6]
  const PoseTokenizerConfig& config() const { return config_; }

 private:
  torch::Tensor EncodeContinuous(const torch::Tensor& pose6d);  // -> z_e [B, code_dim, tokens]
  torch::Tensor DecodeContinuous(const torch::Tensor& z);       // [B, code_dim, tokens] -> [B, joints, 6]
  torch::Tensor Nearest(const torch::Tensor& z_e);              // -> [B, tokens]
  void RestartCodes(const torch::Tensor& z_e);                  // training: data init, dead-code restarts
  void CheckPose(const torch::Tensor& pose6d) const;

  PoseTokenizerConfig config_;
  torch::nn::Conv1d encoder_in_{nullptr}, encoder_out_{nullptr}, decoder_in_{nullptr}, decoder_out_{nullptr};
  ResidualBlock1d encoder_block_{nullptr}, decoder_block_{nullptr};
  torch::nn::Linear to_tokens_{nullptr}, to_joints_{nullptr};
  torch::Tensor codebook_;  // [codebook_size, code_dim]
  torch::Tensor usage_;     // [codebook_size] buffer: average share of each code per batch
  torch::Tensor started_;   // [] buffer: 1 once the codebook has been set from data
};
TORCH_MODULE(PoseTokenizer);

}  // namespace resihmr::learned
