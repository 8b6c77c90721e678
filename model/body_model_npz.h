// Loading and saving a BodyModel as .npz with the official key names and
// shapes (METHOD.md section 1): v_template (V,3), shapedirs (V,3,B),
// posedirs (V,3,9(J-1)) [or (9(J-1), 3V) as some converters write it;
// absent: no pose correctives],
// J_regressor (J,V), weights (V,J), kintree_table (2,J), f (F,3); SMPL-X
// extras hands_components{l,r}, hands_mean{l,r}, lmk_faces_idx,
// lmk_bary_coords; and the project's vertex_keypoint_names / _ids. Float32
// or float64; object arrays skipped; the root's junk parent set to -1.
#pragma once

#include <string>

#include "model/body_model.h"
#include "model/npz.h"

namespace resihmr::model {

// Reads a model file. Throws resihmr::Error naming the file and key.
BodyModel LoadBodyModel(const std::string& path);

// Builds a model from already-read npz contents; `source` names them.
BodyModel BodyModelFromNpz(const NpzContents& npz, const std::string& source);

// Writes the model in the official layout (float64), with the vertex
// keypoint keys when the model is not an official SMPL / SMPL-X mesh.
// Zero pose correctives are written as zeros (the official layout has the
// key), or, with omit_zero_posedirs, left out (the build's embedded model
// file: 44 MB of zeros that every command would otherwise inflate, check
// and copy); a file without posedirs loads as a model without correctives.
void SaveBodyModel(const BodyModel& model, const std::string& path, bool omit_zero_posedirs = false);

}  // namespace resihmr::model
