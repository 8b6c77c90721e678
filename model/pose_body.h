// Posing a body in double precision from a BodyParams: the convenience entry
// point for commands and geometry (the optimiser calls the templated
// functions of model/forward_pass.h directly).
#pragma once

#include "model/body_model.h"
#include "model/body_params.h"

namespace resihmr::model {

struct PosedBody {
  RowMatrixX3d vertices;   // V x 3 (empty when not asked for), model units
  RowMatrixX3d joints;     // J x 3 posed skeleton joints
  RowMatrixX3d keypoints;  // K x 3 vertex-picked keypoints, model.vertex_keypoints order
};

// Validates `params` against `model` (throws resihmr::Error naming `what`)
// and runs the forward pass; the full mesh only when `with_mesh`.
PosedBody PoseBody(const BodyModel& model, const BodyParams& params, bool with_mesh,
                   const std::string& what = "parameters");

}  // namespace resihmr::model
