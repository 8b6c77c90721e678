#include "model/body_model_npz.h"

#include <cstring>

#include "model/error.h"

namespace resihmr::model {
namespace {

const NpyArray& Require(const NpzContents& npz, const std::string& source, const std::string& key) {
  auto it = npz.arrays.find(key);
  if (it == npz.arrays.end()) {
    for (const std::string& skipped : npz.skipped) {
      if (skipped == key) throw Error(source + ": " + key + ": is a Python object array; expected a numeric array");
    }
    throw Error(source + ": missing key '" + key + "'");
  }
  if (!it->second.is_numeric()) {
    throw Error(source + ": " + key + ": has dtype " + it->second.dtype() + ", expected a numeric array");
  }
  return it->second;
}

const NpyArray* Optional(const NpzContents& npz, const std::string& key) {
  auto it = npz.arrays.find(key);
  return it == npz.arrays.end() ? nullptr : &it->second;
}

void RequireNdim(const NpyArray& a, const std::string& source, const std::string& key, size_t ndim,
                 const std::string& expected) {
  if (a.shape.size() != ndim) {
    throw Error(source + ": " + key + ": has shape " + a.shape_string() + ", expected " + expected);
  }
}

RowMatrixXd ToMatrix(const NpyArray& a, Eigen::Index rows, Eigen::Index cols, const std::string& source,
                     const std::string& key) {
  if (a.kind == 'f' && a.itemsize == 8 && a.size() == rows * cols) {  // float64: straight into the matrix
    RowMatrixXd m(rows, cols);
    std::memcpy(m.data(), a.data.data(), a.data.size());
    return m;
  }
  std::vector<double> values;
  try {
    values = a.ToDoubles();
  } catch (const Error& e) {
    throw Error(source + ": " + key + ": " + e.what());
  }
  if (static_cast<Eigen::Index>(values.size()) != rows * cols) {
    throw Error(source + ": " + key + ": has " + std::to_string(values.size()) + " values, expected " +
                std::to_string(rows * cols));
  }
  return Eigen::Map<const RowMatrixXd>(values.data(), rows, cols);
}

std::vector<int64_t> ToIntegers(const NpyArray& a, const std::string& source, const std::string& key) {
  try {
    return a.ToInt64s();
  } catch (const Error& e) {
    throw Error(source + ": " + key + ": " + e.what());
  }
}

}  // namespace

BodyModel BodyModelFromNpz(const NpzContents& npz, const std::string& source) {
  BodyModel m;
  m.source = source;

  const NpyArray& vt = Require(npz, source, "v_template");
  RequireNdim(vt, source, "v_template", 2, "(V, 3)");
  if (vt.shape[1] != 3) throw Error(source + ": v_template: has shape " + vt.shape_string() + ", expected (V, 3)");
  const Eigen::Index V = vt.shape[0];
  m.v_template = ToMatrix(vt, V, 3, source, "v_template");

  const NpyArray& kt = Require(npz, source, "kintree_table");
  RequireNdim(kt, source, "kintree_table", 2, "(2, J)");
  if (kt.shape[0] != 2) throw Error(source + ": kintree_table: has shape " + kt.shape_string() + ", expected (2, J)");
  const Eigen::Index J = kt.shape[1];
  const std::vector<int64_t> tree = ToIntegers(kt, source, "kintree_table");
  m.parents.assign(static_cast<size_t>(J), -1);
  for (Eigen::Index j = 1; j < J; ++j) {
    const int64_t p = tree[static_cast<size_t>(j)];
    if (p < 0 || p >= j) {
      throw Error(source + ": kintree_table: parent of joint " + std::to_string(j) + " is " + std::to_string(p) +
                  ", expected an earlier joint index");
    }
    m.parents[static_cast<size_t>(j)] = static_cast<int>(p);
  }
  if (J == 24) m.kind = ModelKind::kSmpl;
  else if (J == 52) m.kind = ModelKind::kSmplh;
  else if (J == 55) m.kind = ModelKind::kSmplx;
  else throw Error(source + ": kintree_table: " + std::to_string(J) + " joints, expected 24 (SMPL), 52 (SMPL+H) or 55 (SMPL-X)");
  m.joint_names = OfficialJointNames(static_cast<int>(J));
  for (size_t j = 1; j < 22 && j < m.parents.size(); ++j) {
    if (m.parents[j] != SmplParents()[j]) {
      throw Error(source + ": kintree_table: parent of joint " + std::to_string(j) + " (" + m.joint_names[j] + ") is " +
                  std::to_string(m.parents[j]) + ", expected " + std::to_string(SmplParents()[j]) +
                  " as in SMPL's skeleton");
    }
  }

  // Shape space: SMPL-X keeps betas then expression in one array.
  const NpyArray& sd = Require(npz, source, "shapedirs");
  RequireNdim(sd, source, "shapedirs", 3, "(V, 3, B)");
  if (sd.shape[0] != V || sd.shape[1] != 3) {
    throw Error(source + ": shapedirs: has shape " + sd.shape_string() + ", expected (" + std::to_string(V) + ", 3, B)");
  }
  const Eigen::Index S = sd.shape[2];
  RowMatrixXd shapedirs = ToMatrix(sd, 3 * V, S, source, "shapedirs");
  m.num_betas = static_cast<int>(S);
  m.num_expression = 0;
  if (m.kind == ModelKind::kSmplx) {
    if (const NpyArray* ed = Optional(npz, "exprdirs")) {
      if (ed->shape.size() != 3 || ed->shape[0] != V || ed->shape[1] != 3) {
        throw Error(source + ": exprdirs: has shape " + ed->shape_string() + ", expected (" + std::to_string(V) + ", 3, E)");
      }
      RowMatrixXd expr = ToMatrix(*ed, 3 * V, ed->shape[2], source, "exprdirs");
      RowMatrixXd both(3 * V, S + ed->shape[2]);
      both << shapedirs, expr;
      shapedirs = both;
      m.num_expression = static_cast<int>(ed->shape[2]);
    } else if (S == 400) {
      m.num_betas = 300;
      m.num_expression = 100;
    } else if (S == 20) {
      m.num_betas = 10;
      m.num_expression = 10;
    } else {
      throw Error(source + ": shapedirs: SMPL-X file with " + std::to_string(S) +
                  " columns and no exprdirs, expected 400 (300 betas + 100 expression) or 20 (10 + 10)");
    }
  }
  m.shapedirs = std::move(shapedirs);

  const Eigen::Index P = 9 * (J - 1);
  // Without posedirs: no pose correctives (the build's embedded model file).
  if (const auto it = npz.arrays.find("posedirs"); it != npz.arrays.end()) {
    const NpyArray& pd = it->second;
    if (pd.shape.size() == 3 && pd.shape[0] == V && pd.shape[1] == 3 && pd.shape[2] == P) {
      m.posedirs = ToMatrix(pd, 3 * V, P, source, "posedirs");
    } else if (pd.shape.size() == 2 && pd.shape[0] == P && pd.shape[1] == 3 * V) {
      m.posedirs = ToMatrix(pd, P, 3 * V, source, "posedirs").transpose();  // smplx's internal (P, 3V) layout
    } else {
      throw Error(source + ": posedirs: has shape " + pd.shape_string() + ", expected (" + std::to_string(V) + ", 3, " +
                  std::to_string(P) + ")");
    }
  }

  const NpyArray& jr = Require(npz, source, "J_regressor");
  if (jr.shape.size() != 2 || jr.shape[0] != J || jr.shape[1] != V) {
    throw Error(source + ": J_regressor: has shape " + jr.shape_string() + ", expected (" + std::to_string(J) + ", " +
                std::to_string(V) + ")");
  }
  m.j_regressor = ToMatrix(jr, J, V, source, "J_regressor");

  const NpyArray& w = Require(npz, source, "weights");
  if (w.shape.size() != 2 || w.shape[0] != V || w.shape[1] != J) {
    throw Error(source + ": weights: has shape " + w.shape_string() + ", expected (" + std::to_string(V) + ", " +
                std::to_string(J) + ")");
  }
  m.weights = ToMatrix(w, V, J, source, "weights");

  const NpyArray& f = Require(npz, source, "f");
  if (f.shape.size() != 2 || f.shape[1] != 3) throw Error(source + ": f: has shape " + f.shape_string() + ", expected (F, 3)");
  const std::vector<int64_t> faces = ToIntegers(f, source, "f");
  m.faces.resize(f.shape[0], 3);
  for (size_t i = 0; i < faces.size(); ++i) {
    if (faces[i] < 0 || faces[i] >= V) {
      throw Error(source + ": f: face " + std::to_string(i / 3) + " refers to vertex " + std::to_string(faces[i]) +
                  ", expected an index in [0, " + std::to_string(V) + ")");
    }
    m.faces(static_cast<Eigen::Index>(i / 3), static_cast<Eigen::Index>(i % 3)) = static_cast<int>(faces[i]);
  }

  // Vertex keypoints: the file's own table, else the official one.
  const NpyArray* kn = Optional(npz, "vertex_keypoint_names");
  const NpyArray* ki = Optional(npz, "vertex_keypoint_ids");
  if ((kn == nullptr) != (ki == nullptr)) {
    throw Error(source + ": vertex_keypoint_names and vertex_keypoint_ids must be given together");
  }
  if (kn) {
    if (kn->kind != 'U' && kn->kind != 'S') {
      throw Error(source + ": vertex_keypoint_names: has dtype " + kn->dtype() + ", expected a string array");
    }
    const std::vector<std::string> names = kn->ToStrings();
    if (!ki->is_numeric()) throw Error(source + ": vertex_keypoint_ids: has dtype " + ki->dtype() + ", expected integers");
    const std::vector<int64_t> ids = ToIntegers(*ki, source, "vertex_keypoint_ids");
    if (names.size() != ids.size()) {
      throw Error(source + ": vertex_keypoint_ids: " + std::to_string(ids.size()) + " ids for " +
                  std::to_string(names.size()) + " names");
    }
    for (size_t i = 0; i < names.size(); ++i) {
      if (ids[i] < 0 || ids[i] >= V) {
        throw Error(source + ": vertex_keypoint_ids: keypoint '" + names[i] + "' has vertex " + std::to_string(ids[i]) +
                    ", expected an index in [0, " + std::to_string(V) + ")");
      }
      m.vertex_keypoints.push_back({names[i], static_cast<int>(ids[i])});
    }
  } else {
    m.vertex_keypoints = OfficialVertexKeypoints(static_cast<int>(V));
  }

  // Hands (SMPL+H, SMPL-X).
  const std::pair<const char*, RowMatrixXd*> components[] = {{"hands_componentsl", &m.hands_components_left},
                                                             {"hands_componentsr", &m.hands_components_right}};
  for (const auto& [key, target] : components) {
    if (const NpyArray* a = Optional(npz, key)) {
      if (a->shape.size() != 2 || a->shape[1] != 45 || a->shape[0] < 1 || a->shape[0] > 45) {
        throw Error(source + ": " + key + ": has shape " + a->shape_string() + ", expected (C, 45) with C <= 45");
      }
      *target = ToMatrix(*a, a->shape[0], 45, source, key);
    }
  }
  const std::pair<const char*, Eigen::VectorXd*> means[] = {{"hands_meanl", &m.hands_mean_left},
                                                            {"hands_meanr", &m.hands_mean_right}};
  for (const auto& [key, target] : means) {
    if (const NpyArray* a = Optional(npz, key)) {
      if (a->size() != 45) throw Error(source + ": " + key + ": has shape " + a->shape_string() + ", expected (45,)");
      *target = ToMatrix(*a, 45, 1, source, key);
    }
  }
  // Face landmarks (SMPL-X).
  const NpyArray* lf = Optional(npz, "lmk_faces_idx");
  const NpyArray* lb = Optional(npz, "lmk_bary_coords");
  if (lf && lb) {
    const std::vector<int64_t> idx = ToIntegers(*lf, source, "lmk_faces_idx");
    if (lb->shape.size() != 2 || lb->shape[1] != 3 || lb->shape[0] != static_cast<int64_t>(idx.size())) {
      throw Error(source + ": lmk_bary_coords: has shape " + lb->shape_string() + ", expected (" +
                  std::to_string(idx.size()) + ", 3)");
    }
    m.lmk_faces_idx.resize(static_cast<Eigen::Index>(idx.size()));
    for (size_t i = 0; i < idx.size(); ++i) {
      if (idx[i] < 0 || idx[i] >= m.faces.rows()) {
        throw Error(source + ": lmk_faces_idx: entry " + std::to_string(i) + " is " + std::to_string(idx[i]) +
                    ", expected a face index in [0, " + std::to_string(m.faces.rows()) + ")");
      }
      m.lmk_faces_idx[static_cast<Eigen::Index>(i)] = static_cast<int>(idx[i]);
    }
    m.lmk_bary_coords = ToMatrix(*lb, lb->shape[0], 3, source, "lmk_bary_coords");
  }

  m.Finalize();
  return m;
}

BodyModel LoadBodyModel(const std::string& path) { return BodyModelFromNpz(ReadNpz(path), path); }

void SaveBodyModel(const BodyModel& m, const std::string& path, bool omit_zero_posedirs) {
  const int64_t V = m.num_vertices(), J = m.num_joints(), S = m.num_shape();
  auto doubles = [](std::vector<int64_t> shape, const double* data, size_t n) {
    return NpyArray::FromDoubles(std::move(shape), std::vector<double>(data, data + n));
  };
  std::map<std::string, NpyArray> arrays;
  arrays["v_template"] = doubles({V, 3}, m.v_template.data(), m.v_template.size());
  arrays["shapedirs"] = doubles({V, 3, S}, m.shapedirs.data(), m.shapedirs.size());
  if (m.posedirs.size() > 0 && !(omit_zero_posedirs && m.posedirs_zero)) {
    arrays["posedirs"] = doubles({V, 3, 9 * (J - 1)}, m.posedirs.data(), m.posedirs.size());
  } else if (!omit_zero_posedirs) {  // the official layout has the key: zeros
    arrays["posedirs"] = NpyArray::FromDoubles({V, 3, 9 * (J - 1)}, std::vector<double>(static_cast<size_t>(V * 3 * 9 * (J - 1)), 0.0));
  }
  arrays["J_regressor"] = doubles({J, V}, m.j_regressor.data(), m.j_regressor.size());
  arrays["weights"] = doubles({V, J}, m.weights.data(), m.weights.size());
  std::vector<int64_t> tree(static_cast<size_t>(2 * J));
  for (int64_t j = 0; j < J; ++j) {
    tree[static_cast<size_t>(j)] = m.parents[static_cast<size_t>(j)];
    tree[static_cast<size_t>(J + j)] = j;
  }
  arrays["kintree_table"] = NpyArray::FromInt64s({2, J}, tree);
  std::vector<int64_t> faces(m.faces.data(), m.faces.data() + m.faces.size());
  arrays["f"] = NpyArray::FromInt64s({static_cast<int64_t>(m.faces.rows()), 3}, faces);
  if (m.kind == ModelKind::kSmplx && m.num_expression > 0 && !((S == 400 && m.num_expression == 100) ||
                                                               (S == 20 && m.num_expression == 10))) {
    throw Error(path + ": cannot save an SMPL-X model with " + std::to_string(m.num_betas) + " betas and " +
                std::to_string(m.num_expression) + " expression columns in the official layout");
  }
  if (m.hands_components_left.size() > 0) {
    arrays["hands_componentsl"] = doubles({m.hands_components_left.rows(), 45}, m.hands_components_left.data(),
                                          m.hands_components_left.size());
  }
  if (m.hands_components_right.size() > 0) {
    arrays["hands_componentsr"] = doubles({m.hands_components_right.rows(), 45}, m.hands_components_right.data(),
                                          m.hands_components_right.size());
  }
  if (m.hands_mean_left.size() > 0) arrays["hands_meanl"] = doubles({45}, m.hands_mean_left.data(), 45);
  if (m.hands_mean_right.size() > 0) arrays["hands_meanr"] = doubles({45}, m.hands_mean_right.data(), 45);
  if (m.lmk_faces_idx.size() > 0) {
    std::vector<int64_t> idx(m.lmk_faces_idx.data(), m.lmk_faces_idx.data() + m.lmk_faces_idx.size());
    arrays["lmk_faces_idx"] = NpyArray::FromInt64s({static_cast<int64_t>(idx.size())}, idx);
    arrays["lmk_bary_coords"] = doubles({m.lmk_bary_coords.rows(), 3}, m.lmk_bary_coords.data(), m.lmk_bary_coords.size());
  }
  if (m.vertex_keypoints != OfficialVertexKeypoints(m.num_vertices()) || m.vertex_keypoints.empty()) {
    std::vector<std::string> names;
    std::vector<int64_t> ids;
    for (const VertexKeypoint& k : m.vertex_keypoints) {
      names.push_back(k.name);
      ids.push_back(k.vertex);
    }
    if (!names.empty()) {
      arrays["vertex_keypoint_names"] = NpyArray::FromStrings(names);
      arrays["vertex_keypoint_ids"] = NpyArray::FromInt64s({static_cast<int64_t>(ids.size())}, ids);
    }
  }
  WriteNpz(path, arrays);
}

}  // namespace resihmr::model
