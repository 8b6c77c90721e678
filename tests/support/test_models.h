// Small body models for tests and benchmarks, built in memory with random
// but valid arrays: any vertex count, the SMPL (24), SMPL+H (52) or SMPL-X
// (55) skeleton, random shape / pose blend shapes and skinning weights, and
// a cached embedded model (generated once per test process).
#pragma once

#include "model/body_model.h"

namespace resihmr::testing {

struct RandomModelOptions {
  int num_vertices = 200;
  int num_joints = 24;     // 24, 52 or 55
  int num_betas = 10;
  int num_expression = 0;  // SMPL-X only
  bool random_posedirs = true;
  int influences = 4;      // nonzero skinning weights per vertex
  unsigned seed = 1;
};

// A valid model whose rest joints come from a random but sensible regressor.
model::BodyModel RandomBodyModel(const RandomModelOptions& options);

// The embedded model (seed 0), made on first use.
const model::BodyModel& EmbeddedModel();

}  // namespace resihmr::testing
