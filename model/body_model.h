// A skinned body model with a linear shape space: SMPL (24 joints), SMPL+H
// (52), SMPL-X (55) or the project's embedded model (SMPL layout, 24 joints,
// its own vertices). Holds the arrays of the official files in dense,
// row-major Eigen form, plus what the forward pass derives from them once
// (rest joints and their shape basis, sparse skinning weights). Units are
// the file's (metres for all official models and the embedded one).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "model/skeleton_tables.h"

namespace resihmr::model {

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

enum class ModelKind { kSmpl, kSmplh, kSmplx };

// Accepted ranges of a model's arrays (Finalize refuses anything else):
// v_template, shapedirs, posedirs, J_regressor and the hand PCA arrays within
// +-10 (model units: metres, a body of a few metres); skinning weights and
// landmark barycentric coordinates in [0, 1] (to 1e-6); each row of weights
// sums to 1 (to 0.01). (J_regressor's rows are not required to sum to 1:
// regressors of other joint sets need not.)
inline constexpr double kMaxAbsModelValue = 10;
inline constexpr double kWeightTolerance = 1e-6;
inline constexpr double kRowSumTolerance = 0.01;

std::string ModelKindName(ModelKind kind);  // "smpl", "smplh", "smplx"

struct BodyModel {
  ModelKind kind = ModelKind::kSmpl;
  std::string source;  // file path, or "embedded"

  RowMatrixX3d v_template;  // V x 3
  RowMatrixXd shapedirs;    // 3V x (num_betas + num_expression); row 3v+c, betas first
  int num_betas = 0;
  int num_expression = 0;
  RowMatrixXd posedirs;     // 3V x 9(J-1); row 3v+c, column 9(j-1)+3r+c' for joint j >= 1; empty: none (all zero)
  RowMatrixXd j_regressor;  // J x V
  RowMatrixXd weights;      // V x J, rows sum to 1
  std::vector<int> parents; // J, root -1, parent index < child index
  RowMatrixX3i faces;       // F x 3, counter-clockwise seen from outside
  std::vector<std::string> joint_names;           // J
  std::vector<VertexKeypoint> vertex_keypoints;   // named vertex-picked keypoints

  // SMPL+H / SMPL-X hands: PCA rows are components of the 45-vector of one
  // hand's 15 joint rotations (axis-angle); empty when the file has none.
  RowMatrixXd hands_components_left, hands_components_right;  // C x 45
  Eigen::VectorXd hands_mean_left, hands_mean_right;          // 45

  // SMPL-X face landmarks: faces and barycentric coordinates; empty otherwise.
  Eigen::VectorXi lmk_faces_idx;  // L
  RowMatrixX3d lmk_bary_coords;   // L x 3

  // Derived by Finalize(): rest joints of the template, their shape basis
  // (J_regressor applied to v_template and to each shapedirs column), the
  // skinning weights in compressed rows, and whether posedirs is all zero.
  RowMatrixX3d joints_template;   // J x 3
  RowMatrixXd joint_shapedirs;    // 3J x (num_betas + num_expression)
  std::vector<int> skin_offsets;  // V+1
  std::vector<int> skin_joints;   // nonzero weights: joint index
  std::vector<double> skin_weights;
  bool posedirs_zero = true;

  int num_vertices() const { return static_cast<int>(v_template.rows()); }
  int num_joints() const { return static_cast<int>(parents.size()); }
  int num_shape() const { return num_betas + num_expression; }
  int num_pose_features() const { return 9 * (num_joints() - 1); }

  // Index of a named joint or vertex keypoint, or -1.
  int JointIndex(const std::string& name) const { return IndexOf(joint_names, name); }
  int VertexKeypointIndex(const std::string& name) const;

  // Checks shapes, index ranges, value ranges (above) and the parent order,
  // then computes the derived members. Throws resihmr::Error naming `source`
  // and the key.
  void Finalize();
};

}  // namespace resihmr::model
