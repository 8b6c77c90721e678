// Starting parameters from other regressors, read from an .npz file, for
// `resihmr fit --init FILE.npz`: the SMPL outputs of HMR2.0 / 4D-Humans,
// TokenHMR and AJAHR (`pred_smpl_params` and the full-image camera
// translation), one set per person of the keypoint file, in its order.
// Keys (P persons; a missing leading P axis means one person):
//   global_orient  [P, 1, 3, 3] or [P, 3, 3] rotation matrices, or [P, 3] axis-angle
//   body_pose      [P, 23, 3, 3] / [P, 21, 3, 3] rotation matrices, or
//                  [P, 69] / [P, 63] / [P, 23, 3] / [P, 21, 3] axis-angle
//   betas          [P, B] (optional; SMPL's shape space, so not applied to the
//                  embedded model, whose shape directions differ)
//   transl, cam_t or pred_cam_t_full   [P, 3] (optional) camera-frame
//                  translation in metres, OpenCV axes (x right, y down, z forward)
//   model_betas    [P, B] (optional) betas in the fitted model's own shape
//                  space (what `resihmr predict` writes), applied to any model
//   bpac_classes   [P, 4] (optional) BPAC-Net's classes, heads right arm, left
//                  arm, left leg, right leg, classes 0..3 (3 intact): the
//                  person's residual limbs (model/limb_topology.h)
// global_orient and body_pose are required, unless the file gives 3D points
// instead (HSMR, or any method whose output is a skin mesh or joints):
//   joints         [P, n, 3], 4 <= n <= 24: SMPL's joints 0..n-1 (camera frame,
//                  metres; on a model other than a 24-joint one, the first 22)
//   skin_verts or vertices   [P, V, 3] on the model's own topology (HSMR's SKEL
//                  skin has SMPL's): the model's joint regressor gives the joints
// to which the fit's caller fits the model (optim/joints_fit.h); betas and
// model_betas then set the shape held meanwhile. Rotation matrices must be
// orthonormal with determinant 1 (to 1e-3).
#pragma once

#include <string>
#include <vector>

#include "model/body_model.h"
#include "model/body_params.h"
#include "model/limb_topology.h"
#include "model/npz.h"

namespace resihmr::data {

struct InitParams {
  model::BodyParams params;  // pose (root and body joints), betas, transl
  bool has_transl = false;
  bool betas_given = false;                // betas applied from the file (betas or model_betas)
  bool has_limbs = false;                  // bpac_classes given: `limbs` is the limb topology
  // 3D joints to fit the model to (HSMR style), n x 3 in the model's joint
  // order, camera frame, metres; empty when the file gives parameters.
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> joints_3d;
  std::vector<model::ResidualLimb> limbs;  // residual limbs (intact heads left out)
};

struct InitFile {
  std::vector<InitParams> persons;
  std::vector<std::string> notes;  // what was read and what was not applied
};

// Throws resihmr::Error naming the file, the key and the person when a key
// is missing, has a shape other than those above, holds non-finite values
// or a matrix that is not a rotation.
InitFile ReadInitParams(const std::string& path, const model::BodyModel& model);

// The same from npz contents already read; `path` names them in messages.
InitFile InitParamsFromNpz(const model::NpzContents& npz, const std::string& path, const model::BodyModel& model);

}  // namespace resihmr::data
