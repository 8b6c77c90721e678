// The MakeHuman body in the SMPL layout, before its shape space (issue 19,
// docs/model.md, "The MakeHuman body"): the skin, SMPL's 24 joints with a
// joint regressor over the skin, the skinning weights remapped to those
// joints, and the vertex-picked keypoints. In SMPL's rest pose (a T-pose;
// the files' A-pose is re-posed, below); metres; Y up, facing +Z, the
// person's left at +x (as SMPL).
//
//   - Skin: base.obj's `body` group (13,380 vertices, 13,378 quads), each
//     quad split along its shorter diagonal; checked to be a closed
//     2-manifold of genus 0 (geometry::CheckTopology), an Error otherwise.
//   - Joints, from the rig's bone ends (each bone is named after its tail):
//     pelvis = MidHip's head, neck = MidHip's tail, hips / knees / ankles =
//     LHip / LKnee / LAnkle's tails (R alike), shoulders / elbows / wrists =
//     LShoulder / LElbow / LWrist's tails, each knee then moved along hip ->
//     knee -> ankle to make thigh and shin equal (anthropometric tables;
//     the rig's knee is 2.8 cm lower, makehuman_body.cc). Joints without a bone end are
//     placed as the embedded model's rest skeleton (model/procedural_body.h)
//     places them, scaled: spine1-3 by their
//     offset from the pelvis (scale: pelvis-to-neck length), collars from
//     the neck (neck-to-shoulder), head from the neck (pelvis-to-neck), feet
//     from the ankles (knee-to-ankle), hands along the forearm beyond the
//     wrist (the embedded hand's distance per forearm length).
//   - Joint regressor: each joint as an affine combination of the skin
//     vertices nearest it (those within 1.5 times the nearest's distance, at
//     least 8), the weights nearest uniform that reproduce the joint:
//     min |w - 1/n|^2 subject to sum w = 1 and sum w_i v_i = J; so the joints
//     follow the skin when its shape changes.
//   - Weights: each bone's weights go to the joint that turns its segment
//     (the joint at the bone's head): LHip -> pelvis, LKnee -> left_hip,
//     LAnkle -> left_knee, LBigToe (the whole foot) -> left_ankle, or
//     left_foot beyond the foot joint, LHeel -> left_ankle, LSmallToe ->
//     left_foot, LShoulder -> left_collar, LElbow -> left_shoulder, LWrist ->
//     left_elbow, or left_wrist beyond the wrist; MidHip's (the trunk) are
//     shared between pelvis, spine1, spine2, spine3 and neck by the vertex's
//     place along the spine (linear between neighbouring joints), Neck's
//     between neck and head the same way, the eyes' and ears' to head. Per
//     vertex at most 4 joints (the largest), normalised.
//   - T-pose: by linear blend skinning with these weights, each upper arm
//     turned about its shoulder onto +-x (the minimal rotation), then each
//     forearm, with its hand, about its elbow onto the same line; the joints
//     with them, and the regressor made on the T-posed skin.
//   - Vertex keypoints: per keypoint the skin vertex nearest the rig's point
//     (nose = Neck's tail, eyes and ears = their bones' tails, big toes,
//     small toes, heels = their bones' tails), under the official names.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "data/makehuman_files.h"
#include "model/body_model.h"

namespace resihmr::data {

struct MakeHumanBody {
  model::RowMatrixX3d vertices;                 // V x 3 skin, metres
  model::RowMatrixX3i faces;                    // F x 3, outward
  std::vector<int> file_vertex;                 // V: each skin vertex's index in base.obj
  int file_vertex_count = 0;                    // base.obj's vertices, helpers included
  model::RowMatrixX3d joints;                   // 24 x 3, SMPL's order, metres
  model::RowMatrixXd j_regressor;               // 24 x V
  model::RowMatrixXd weights;                   // V x 24, at most 4 nonzero per row, rows sum to 1
  std::vector<model::VertexKeypoint> vertex_keypoints;
  // Per skin vertex the blended rotation that took it from the files' A-pose
  // to the T-pose (sum_j w_j R_j): a shape target's offset there, made in
  // the A-pose, is carried to the T-pose by it.
  std::vector<Eigen::Matrix3d> tpose_rotation;
};

// From files already read (base.obj, the rig and the weights). Throws
// resihmr::Error naming the file and the entry when a bone the mapping
// needs is missing or the skin is not a closed genus-0 2-manifold.
MakeHumanBody BuildMakeHumanBody(const MakeHumanMesh& mesh, const std::vector<MakeHumanBone>& rig,
                                 const std::map<std::string, std::vector<std::pair<int, double>>>& weights,
                                 const std::string& what);

// Reads `dir`/base.obj, rig.openpose.json and weights.openpose.json and builds the body.
MakeHumanBody ReadMakeHumanBody(const std::string& dir);

}  // namespace resihmr::data
