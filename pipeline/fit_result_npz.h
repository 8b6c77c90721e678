// A fit's parameters as the SMPL ecosystem loads them: `<name>.npz` beside
// each result JSON, in smplx's naming and shapes (global_orient (3,),
// body_pose (69,) for SMPL and the embedded model, (63,) for SMPL+H and
// SMPL-X; left_hand_pose, right_hand_pose (45,) full axis-angle of the 15
// finger joints; jaw_pose, leye_pose, reye_pose (3,) and expression for
// SMPL-X; betas (B,); transl (3,), metres), the camera in OpenCV's
// convention (x right, y down, z forward; camera_K (3, 3) in pixels,
// camera_R (3, 3) and camera_t (3,) world to camera, identity and zero: the
// body is in camera coordinates), and the residual limbs (L of them:
// residual_limb, residual_level (L,) strings; lambda, lambda_sigma,
// length_mm, length_sigma_mm, length_fraction (L,); joint_t, joint_a,
// endpoint_3d (L, 3) metres; endpoint_2d (L, 2) pixels; accepted (L,)).
// docs/output.md lists every key.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/body_model.h"
#include "model/npy.h"
#include "optim/person_fit.h"

namespace resihmr::pipeline {

// The arrays of the npz by key (the Python module's Result.params and .camera are these).
std::map<std::string, model::NpyArray> FitResultArrays(const model::BodyModel& model, const optim::FitResult& fit,
                                                       const std::vector<optim::ResidualLimbResult>& residual_limbs);

// Writes the npz of a finished fit (status ok or suspect) to `path`.
void WriteFitResultNpz(const std::string& path, const model::BodyModel& model, const optim::FitResult& fit,
                       const std::vector<optim::ResidualLimbResult>& residual_limbs);

}  // namespace resihmr::pipeline
