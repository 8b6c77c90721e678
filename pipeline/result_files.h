// The files of one fitted person as `resihmr fit` writes them into a folder,
// named by PersonFileStem (pipeline/result_json.h): <stem>.json always (the
// result, status "failed" with the reason when the fit failed); for a
// finished fit also <stem>.npz (pipeline/fit_result_npz.h), <stem>.ply (the
// mesh in camera coordinates, metres, binary little-endian unless ascii_ply,
// vertex colours and the property `residual`) and, with glb, <stem>.glb (the
// same mesh in glTF's axes: turned 180 degrees about x, so y up and the
// camera at +z; the residual limb red). docs/output.md describes each.
#pragma once

#include <string>

#include "data/observation.h"
#include "model/body_model.h"
#include "pipeline/reconstruct_person.h"

namespace resihmr::pipeline {

struct ResultFileOptions {
  bool ascii_ply = false;
  bool glb = false;
  std::string method = "resihmr";     // recorded in the JSON
  std::string model_name = "embedded";
};

// Throws resihmr::Error naming the file that cannot be written.
void WritePersonResultFiles(const model::BodyModel& model, const data::Observation& person, const PersonResult& result,
                            const std::string& folder, const ResultFileOptions& options);

// The mesh of a result in glTF's axes (y up, z towards the camera): the camera frame turned 180 degrees about x.
geometry::RowMatrixX3d GltfAxes(const geometry::RowMatrixX3d& camera_frame_vertices);

}  // namespace resihmr::pipeline
