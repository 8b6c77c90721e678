#include "model/body_model.h"

#include <cmath>
#include <sstream>

#include "model/error.h"

namespace resihmr::model {

std::string ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kSmpl: return "smpl";
    case ModelKind::kSmplh: return "smplh";
    case ModelKind::kSmplx: return "smplx";
  }
  return "unknown";
}

int BodyModel::VertexKeypointIndex(const std::string& name) const {
  for (size_t i = 0; i < vertex_keypoints.size(); ++i) {
    if (vertex_keypoints[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

template <typename Matrix>
void RequireInRange(const Matrix& m, double lo, double hi, const std::string& source, const std::string& key) {
  if (m.size() == 0) return;
  if (!m.allFinite()) throw Error(source + ": " + key + ": contains non-finite values (NaN or infinity)");
  if (m.minCoeff() >= lo && m.maxCoeff() <= hi) return;  // vectorised; the search below only names the entry
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      const double x = m(r, c);
      if (x < lo || x > hi) {
        std::ostringstream s;
        s << source << ": " << key << ": entry (" << r << ", " << c << ") is " << x << ", outside the accepted range ["
          << lo << ", " << hi << "]";
        throw Error(s.str());
      }
    }
  }
}

// Skinning weights are a partition of unity: each row sums to 1.
void RequireRowsSumToOne(const RowMatrixXd& m, const std::string& source, const std::string& key) {
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    const double sum = m.row(r).sum();
    if (std::abs(sum - 1) > kRowSumTolerance) {
      std::ostringstream s;
      s << source << ": " << key << ": row " << r << " sums to " << sum << ", expected 1 (within " << kRowSumTolerance << ")";
      throw Error(s.str());
    }
  }
}

void RequireShape(const std::string& source, const std::string& key, Eigen::Index rows, Eigen::Index cols,
                  Eigen::Index want_rows, Eigen::Index want_cols, const std::string& expected) {
  if (rows != want_rows || cols != want_cols) {
    throw Error(source + ": " + key + ": has " + std::to_string(rows) + "x" + std::to_string(cols) +
                " values, expected " + expected);
  }
}

}  // namespace

void BodyModel::Finalize() {
  const Eigen::Index V = v_template.rows();
  const Eigen::Index J = static_cast<Eigen::Index>(parents.size());
  const Eigen::Index S = num_betas + num_expression;
  const std::string Vs = std::to_string(V), Js = std::to_string(J);
  if (V < 1) throw Error(source + ": v_template: has no vertices");
  if (J < 1) throw Error(source + ": kintree_table: has no joints");
  RequireShape(source, "shapedirs", shapedirs.rows(), shapedirs.cols(), 3 * V, S, "(" + Vs + ", 3, num_betas)");
  if (posedirs.size() > 0) {  // empty: no pose correctives (posedirs_zero)
    RequireShape(source, "posedirs", posedirs.rows(), posedirs.cols(), 3 * V, 9 * (J - 1),
                 "(" + Vs + ", 3, " + std::to_string(9 * (J - 1)) + ")");
  }
  RequireShape(source, "J_regressor", j_regressor.rows(), j_regressor.cols(), J, V, "(" + Js + ", " + Vs + ")");
  RequireShape(source, "weights", weights.rows(), weights.cols(), V, J, "(" + Vs + ", " + Js + ")");
  RequireInRange(v_template, -kMaxAbsModelValue, kMaxAbsModelValue, source, "v_template");
  RequireInRange(shapedirs, -kMaxAbsModelValue, kMaxAbsModelValue, source, "shapedirs");
  RequireInRange(posedirs, -kMaxAbsModelValue, kMaxAbsModelValue, source, "posedirs");
  RequireInRange(j_regressor, -kMaxAbsModelValue, kMaxAbsModelValue, source, "J_regressor");
  RequireInRange(weights, -kWeightTolerance, 1 + kWeightTolerance, source, "weights");
  RequireRowsSumToOne(weights, source, "weights");
  RequireInRange(hands_components_left, -kMaxAbsModelValue, kMaxAbsModelValue, source, "hands_componentsl");
  RequireInRange(hands_components_right, -kMaxAbsModelValue, kMaxAbsModelValue, source, "hands_componentsr");
  RequireInRange(hands_mean_left, -kMaxAbsModelValue, kMaxAbsModelValue, source, "hands_meanl");
  RequireInRange(hands_mean_right, -kMaxAbsModelValue, kMaxAbsModelValue, source, "hands_meanr");
  RequireInRange(lmk_bary_coords, -kWeightTolerance, 1 + kWeightTolerance, source, "lmk_bary_coords");
  if (parents[0] != -1) throw Error(source + ": kintree_table: the root's parent must be -1");
  for (Eigen::Index j = 1; j < J; ++j) {
    if (parents[j] < 0 || parents[j] >= j) {
      throw Error(source + ": kintree_table: parent of joint " + std::to_string(j) + " is " +
                  std::to_string(parents[j]) + ", expected an earlier joint index (0.." + std::to_string(j - 1) + ")");
    }
  }
  if (faces.size() > 0 && (faces.minCoeff() < 0 || faces.maxCoeff() >= V)) {
    throw Error(source + ": f: face vertex indices must lie in [0, " + Vs + ")");
  }
  if (static_cast<Eigen::Index>(joint_names.size()) != J) {
    throw Error(source + ": joint names: " + std::to_string(joint_names.size()) + " names for " + Js + " joints");
  }
  for (const VertexKeypoint& k : vertex_keypoints) {
    if (k.vertex < 0 || k.vertex >= V) {
      throw Error(source + ": vertex_keypoint_ids: keypoint '" + k.name + "' has vertex " + std::to_string(k.vertex) +
                  ", expected an index in [0, " + Vs + ")");
    }
  }
  for (const RowMatrixXd* comps : {&hands_components_left, &hands_components_right}) {
    if (comps->size() > 0 && comps->cols() != 45) throw Error(source + ": hands_components: expected 45 columns");
  }
  for (const Eigen::VectorXd* mean : {&hands_mean_left, &hands_mean_right}) {
    if (mean->size() != 0 && mean->size() != 45) throw Error(source + ": hands_mean: expected 45 values");
  }
  if (lmk_faces_idx.size() > 0 &&
      (lmk_faces_idx.minCoeff() < 0 || lmk_faces_idx.maxCoeff() >= faces.rows() ||
       lmk_bary_coords.rows() != lmk_faces_idx.size())) {
    throw Error(source + ": lmk_faces_idx / lmk_bary_coords: inconsistent face landmarks");
  }

  // Derived data. J(beta) = J_regressor (v_template + shapedirs beta)
  //                      = joints_template + joint_shapedirs beta.
  joints_template = j_regressor * v_template;
  joint_shapedirs.resize(3 * J, S);
  for (Eigen::Index s = 0; s < S; ++s) {
    RowMatrixX3d dirs(V, 3);
    for (Eigen::Index v = 0; v < V; ++v) {
      for (int c = 0; c < 3; ++c) dirs(v, c) = shapedirs(3 * v + c, s);
    }
    RowMatrixX3d jd = j_regressor * dirs;
    for (Eigen::Index j = 0; j < J; ++j) {
      for (int c = 0; c < 3; ++c) joint_shapedirs(3 * j + c, s) = jd(j, c);
    }
  }
  skin_offsets.assign(1, 0);
  skin_joints.clear();
  skin_weights.clear();
  for (Eigen::Index v = 0; v < V; ++v) {
    for (Eigen::Index j = 0; j < J; ++j) {
      if (weights(v, j) != 0.0) {
        skin_joints.push_back(static_cast<int>(j));
        skin_weights.push_back(weights(v, j));
      }
    }
    skin_offsets.push_back(static_cast<int>(skin_joints.size()));
  }
  posedirs_zero = posedirs.size() == 0 || posedirs.cwiseAbs().maxCoeff() == 0.0;
}

}  // namespace resihmr::model
