// Tiny configurations of the learned modules for CPU tests: the same
// architectures at a few thousand parameters, so that a test runs in
// milliseconds.
#pragma once

#include "learned/bpac_net.h"
#include "learned/pose_tokenizer.h"
#include "learned/regressor.h"

namespace resihmr::learned {

inline BpacNetConfig TinyBpacNet() {
  BpacNetConfig c;
  c.image_size = 64;
  c.base_width = 4;
  c.blocks = {1, 1, 1, 1};
  c.cbam_reduction = 2;
  c.context_dim = 32;
  return c;
}

inline PoseTokenizerConfig TinyPoseTokenizer() {
  PoseTokenizerConfig c;
  c.tokens = 16;
  c.codebook_size = 128;
  c.code_dim = 32;
  c.hidden = 96;
  return c;
}

inline RegressorConfig TinyRegressor() {
  RegressorConfig c;
  c.image_size = 32;
  c.patch = 8;
  c.vit_dim = 16;
  c.vit_depth = 1;
  c.vit_heads = 2;
  c.decoder_dim = 16;
  c.decoder_layers = 1;
  c.decoder_heads = 2;
  c.context_dim = 8;
  c.tokens = 4;
  c.codebook_size = 16;
  return c;
}

}  // namespace resihmr::learned
