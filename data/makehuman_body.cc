#include "data/makehuman_body.h"

#include <Eigen/Dense>
#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "geometry/mesh_checks.h"
#include "model/procedural_body.h"
#include "model/error.h"
#include "model/skeleton_tables.h"

namespace resihmr::data {
namespace {

using Eigen::Vector3d;
constexpr double kMetresPerUnit = 0.1;  // base.obj is in decimetres

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open (a MakeHuman folder holds base.obj, rig.openpose.json, weights.openpose.json)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The rig's bone ends in metres.
struct Ends {
  std::map<std::string, Vector3d> head, tail;
  const std::string* what;
  Vector3d Head(const std::string& bone) const { return Get(head, bone, "head"); }
  Vector3d Tail(const std::string& bone) const { return Get(tail, bone, "tail"); }
  Vector3d Get(const std::map<std::string, Vector3d>& m, const std::string& bone, const char* end) const {
    const auto it = m.find(bone);
    if (it == m.end()) throw Error(*what + ": the rig has no bone '" + bone + "' (its " + end + " is a joint)");
    return it->second;
  }
};

Ends BoneEnds(const MakeHumanMesh& mesh, const std::vector<MakeHumanBone>& rig, const std::string& what) {
  Ends e;
  e.what = &what;
  const auto mean = [&](const MakeHumanBoneEnd& end) {
    Vector3d m = Vector3d::Zero();
    for (int v : end.vertices) m += mesh.vertices.row(v).transpose();
    return Vector3d(kMetresPerUnit * m / static_cast<double>(end.vertices.size()));
  };
  for (const MakeHumanBone& b : rig) {
    e.head[b.name] = mean(b.head);
    e.tail[b.name] = mean(b.tail);
  }
  return e;
}

// The knee between the rig's hip and ankle so that thigh and shin are of
// one length (hip joint centre to knee joint centre, knee to ankle), as the
// anthropometric tables have it: Drillis and Contini's segment lengths in
// Winter, Biomechanics and Motor Control of Human Movement, fig. 4.1, hip
// 0.530 H, knee 0.285 H, ankle 0.039 H above the floor (thigh 0.245 H, leg
// 0.246 H). The rig's own knee lies at 0.268 H, 2.8 cm lower (thigh:shin
// 1.12); placed at 1.0 the COCO sample's hand-annotated knees are met far
// better (mean 2D error 1.85 -> 1.44 px, mIoU 0.616 -> 0.636; docs/model.md).
constexpr double kThighToShin = 1.0;

// Moves `knee` along the polyline hip -> knee -> ankle to thigh:shin = kThighToShin.
Vector3d AnthropometricKnee(const Vector3d& hip, const Vector3d& knee, const Vector3d& ankle) {
  const double thigh = (knee - hip).norm(), shin = (ankle - knee).norm();
  const double along = kThighToShin / (1 + kThighToShin) * (thigh + shin);  // hip to the new knee along the polyline
  return along <= thigh ? Vector3d(hip + along / thigh * (knee - hip))
                        : Vector3d(knee + (along - thigh) / shin * (ankle - knee));
}

// SMPL's 24 joints from the bone ends (the knees moved to the anthropometric
// thigh:shin), the rest placed as the embedded (procedural) model's rest
// skeleton places them.
model::RowMatrixX3d Joints(const Ends& e) {
  static const model::ProceduralBody E = model::MakeDefaultProceduralBody();
  const auto ej = [&](const char* name) { return E.joints[static_cast<size_t>(model::IndexOf(E.joint_names, name))]; };
  const std::vector<std::string> names = model::OfficialJointNames(24);
  std::map<std::string, Vector3d> j;
  j["pelvis"] = e.Head("MidHip");
  j["neck"] = e.Tail("MidHip");
  for (const char* side : {"left", "right"}) {
    const std::string s(side), b = s == "left" ? "L" : "R";
    j[s + "_hip"] = e.Tail(b + "Hip");
    j[s + "_knee"] = e.Tail(b + "Knee");
    j[s + "_ankle"] = e.Tail(b + "Ankle");
    j[s + "_shoulder"] = e.Tail(b + "Shoulder");
    j[s + "_elbow"] = e.Tail(b + "Elbow");
    j[s + "_wrist"] = e.Tail(b + "Wrist");
    j[s + "_knee"] = AnthropometricKnee(j[s + "_hip"], j[s + "_knee"], j[s + "_ankle"]);
  }
  // `name` at anchor `a` plus the embedded model's offset from it, scaled by
  // the ratio of the lengths from `p` to `q`.
  const auto place = [&](const std::string& name, const std::string& a, const std::string& p, const std::string& q) {
    const double scale = (j[q] - j[p]).norm() / (ej(q.c_str()) - ej(p.c_str())).norm();
    j[name] = j[a] + scale * (ej(name.c_str()) - ej(a.c_str()));
  };
  for (const char* spine : {"spine1", "spine2", "spine3"}) place(spine, "pelvis", "pelvis", "neck");
  place("head", "neck", "pelvis", "neck");
  for (const char* side : {"left", "right"}) {
    const std::string s(side);
    place(s + "_collar", "neck", "neck", s + "_shoulder");
    place(s + "_foot", s + "_ankle", s + "_knee", s + "_ankle");
    const double g = (ej((s + "_hand").c_str()) - ej((s + "_wrist").c_str())).norm() /
                     (ej((s + "_wrist").c_str()) - ej((s + "_elbow").c_str())).norm();
    j[s + "_hand"] = j[s + "_wrist"] + g * (j[s + "_wrist"] - j[s + "_elbow"]);
  }
  model::RowMatrixX3d out(24, 3);
  for (int i = 0; i < 24; ++i) out.row(i) = j.at(names[static_cast<size_t>(i)]).transpose();
  return out;
}

// One regressor row: weights over the skin vertices nearest `p`, nearest
// uniform, reproducing p (optim in closed form: the KKT system of
// min |w - u|^2 s.t. [V^T; 1^T] w = [p; 1]).
Eigen::VectorXd RegressorRow(const model::RowMatrixX3d& skin, const Vector3d& p) {
  std::vector<std::pair<double, int>> d;
  for (Eigen::Index v = 0; v < skin.rows(); ++v) d.emplace_back((skin.row(v).transpose() - p).norm(), static_cast<int>(v));
  std::sort(d.begin(), d.end());
  size_t n = 0;
  while (n < d.size() && (n < 8 || d[n].first <= 1.5 * d.front().first)) ++n;
  Eigen::MatrixXd C(4, static_cast<Eigen::Index>(n));
  for (size_t i = 0; i < n; ++i) C.col(static_cast<Eigen::Index>(i)) << skin.row(d[i].second).transpose(), 1.0;
  const Eigen::VectorXd u = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), 1.0 / n);
  Eigen::Vector4d target;
  target << p, 1.0;
  // w = u + C^T (C C^T)^-1 (target - C u)
  const Eigen::Vector4d lambda = (C * C.transpose()).ldlt().solve(target - C * u);
  const Eigen::VectorXd w = u + C.transpose() * lambda;
  Eigen::VectorXd row = Eigen::VectorXd::Zero(skin.rows());
  for (size_t i = 0; i < n; ++i) row[d[i].second] = w[static_cast<Eigen::Index>(i)];
  return row;
}

// Shares weight `w` of vertex `x` between consecutive joints of `chain` by
// x's place along the chain: on the segment between two joints nearest x,
// linearly by where x projects onto it (clamped to the segment).
void ShareAlong(const std::vector<int>& chain, const model::RowMatrixX3d& joints, const Vector3d& x, double w,
                Eigen::Ref<Eigen::RowVectorXd> row) {
  double best = std::numeric_limits<double>::infinity(), best_t = 0;
  size_t best_k = 0;
  for (size_t k = 0; k + 1 < chain.size(); ++k) {
    const Vector3d a = joints.row(chain[k]).transpose(), b = joints.row(chain[k + 1]).transpose();
    const double t = std::clamp((x - a).dot(b - a) / (b - a).squaredNorm(), 0.0, 1.0);
    const double d = (a + t * (b - a) - x).norm();
    if (d < best) best = d, best_t = t, best_k = k;
  }
  row[chain[best_k]] += w * (1 - best_t);
  row[chain[best_k + 1]] += w * best_t;
}

// Linear blend skinning folds the skin where weights change abruptly (the
// files' weights step from one bone to the next within a ring or two of
// vertices). `iterations` steps of umbrella smoothing over the skin's edges,
// w_v <- (w_v + sum of neighbours' w) / (1 + degree), spread each change of
// bone over a band of the skin; each row still sums to 1.
// 50 steps: faces flipped by posing across the synthetic pose library (300
// poses, tests/data/makehuman_posing_test.cc) fall from 20,100 with the
// files' weights to 3,230 (20 steps: 4,750; 30: 3,890; 70: 2,760, with
// softer knees and elbows; 3,366 with the legs re-posed and the knees
// moved); docs/model.md.
constexpr int kWeightSmoothingSteps = 50;

void SmoothWeights(const model::RowMatrixX3i& faces, int iterations, model::RowMatrixXd* w) {
  std::vector<std::vector<int>> neighbours(static_cast<size_t>(w->rows()));
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) neighbours[static_cast<size_t>(faces(f, k))].push_back(faces(f, (k + 1) % 3));
  }
  for (std::vector<int>& n : neighbours) {
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
  }
  model::RowMatrixXd next(w->rows(), w->cols());
  for (int it = 0; it < iterations; ++it) {
    for (Eigen::Index v = 0; v < w->rows(); ++v) {
      next.row(v) = w->row(v);
      for (int u : neighbours[static_cast<size_t>(v)]) next.row(v) += w->row(u);
      next.row(v) /= static_cast<double>(1 + neighbours[static_cast<size_t>(v)].size());
    }
    w->swap(next);
  }
}

// The minimal rotation taking direction `from` onto `to`.
Eigen::Matrix3d Aligning(const Vector3d& from, const Vector3d& to) {
  return Eigen::Quaterniond::FromTwoVectors(from, to).toRotationMatrix();
}

// Turns a chain of joints (chain[0] fixed) by a global rotation per joint:
// joint chain[i+1] moves to posed[chain[i]] + R[i] (joint[i+1] - joint[i]);
// rotation[chain[i]] = R[i].
void TurnChain(const model::RowMatrixX3d& joints, const std::vector<int>& chain, const std::vector<Eigen::Matrix3d>& R,
               model::RowMatrixX3d* posed, std::vector<Eigen::Matrix3d>* rotation) {
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    (*rotation)[static_cast<size_t>(chain[i])] = R[i];
    posed->row(chain[i + 1]) =
        posed->row(chain[i]) + (R[i] * (joints.row(chain[i + 1]) - joints.row(chain[i])).transpose()).transpose();
  }
}

// The files' A-pose made SMPL's T-pose by linear blend skinning with the
// body's own weights: each upper arm turned about its shoulder onto +-x,
// then each forearm (and the hand with it) about its elbow onto the same
// line; each thigh turned about its hip, then each shin about its knee, onto
// the directions the embedded (procedural) model's rest skeleton has (the
// files stand with the feet 0.44 m apart, the embedded body and SMPL with
// them about 0.2 m apart), the foot kept as the files have it, flat. Moves
// the vertices and the joints.
void ToTPose(MakeHumanBody* b) {
  static const model::ProceduralBody E = model::MakeDefaultProceduralBody();
  const auto ej = [&](const std::string& name) {
    return E.joints[static_cast<size_t>(model::IndexOf(E.joint_names, name))];
  };
  const std::vector<std::string> names = model::OfficialJointNames(24);
  const auto J = [&](const std::string& n) { return model::IndexOf(names, n); };
  const auto joint = [&](int j) { return Vector3d(b->joints.row(j).transpose()); };
  std::vector<Eigen::Matrix3d> rotation(24, Eigen::Matrix3d::Identity());  // global, per joint
  model::RowMatrixX3d posed = b->joints;
  for (const char* side : {"left", "right"}) {
    const std::string s(side);
    const Vector3d axis(s == "left" ? 1.0 : -1.0, 0.0, 0.0);
    const int S = J(s + "_shoulder"), L = J(s + "_elbow"), W = J(s + "_wrist"), H = J(s + "_hand");
    const Eigen::Matrix3d R1 = Aligning(joint(L) - joint(S), axis);
    const Eigen::Matrix3d R2 = Aligning(R1 * (joint(W) - joint(L)), axis) * R1;
    TurnChain(b->joints, {S, L, W, H}, {R1, R2, R2}, &posed, &rotation);
    const int P = J(s + "_hip"), K = J(s + "_knee"), A = J(s + "_ankle"), F = J(s + "_foot");
    const Eigen::Matrix3d T1 = Aligning(joint(K) - joint(P), ej(s + "_knee") - ej(s + "_hip"));
    const Eigen::Matrix3d T2 = Aligning(T1 * (joint(A) - joint(K)), ej(s + "_ankle") - ej(s + "_knee")) * T1;
    TurnChain(b->joints, {P, K, A, F}, {T1, T2, Eigen::Matrix3d::Identity()}, &posed, &rotation);
  }
  b->tpose_rotation.assign(static_cast<size_t>(b->vertices.rows()), Eigen::Matrix3d::Zero());
  for (Eigen::Index v = 0; v < b->vertices.rows(); ++v) {
    const Vector3d x = b->vertices.row(v).transpose();
    Vector3d y = Vector3d::Zero();
    for (int j = 0; j < 24; ++j) {
      const double w = b->weights(v, j);
      if (w <= 0) continue;
      y += w * (rotation[static_cast<size_t>(j)] * (x - b->joints.row(j).transpose()) + posed.row(j).transpose());
      b->tpose_rotation[static_cast<size_t>(v)] += w * rotation[static_cast<size_t>(j)];
    }
    b->vertices.row(v) = y.transpose();
  }
  b->joints = posed;
}

}  // namespace

MakeHumanBody BuildMakeHumanBody(const MakeHumanMesh& mesh, const std::vector<MakeHumanBone>& rig,
                                 const std::map<std::string, std::vector<std::pair<int, double>>>& weights,
                                 const std::string& what) {
  MakeHumanBody out;
  // Skin.
  out.file_vertex = mesh.group_vertices.at("body");
  out.file_vertex_count = static_cast<int>(mesh.vertices.rows());
  std::vector<int> skin_index(static_cast<size_t>(mesh.vertices.rows()), -1);
  out.vertices.resize(static_cast<Eigen::Index>(out.file_vertex.size()), 3);
  for (size_t i = 0; i < out.file_vertex.size(); ++i) {
    skin_index[static_cast<size_t>(out.file_vertex[i])] = static_cast<int>(i);
    out.vertices.row(static_cast<Eigen::Index>(i)) = kMetresPerUnit * mesh.vertices.row(out.file_vertex[i]);
  }
  std::vector<Eigen::Vector3i> triangles;
  for (const std::vector<int>& f : mesh.body_faces) {
    int q[4];
    for (size_t k = 0; k < f.size(); ++k) q[k] = skin_index[static_cast<size_t>(f[k])];
    if (f.size() == 3) {
      triangles.emplace_back(q[0], q[1], q[2]);
      continue;
    }
    const auto dist = [&](int a, int b) { return (out.vertices.row(a) - out.vertices.row(b)).norm(); };
    if (dist(q[0], q[2]) <= dist(q[1], q[3])) {
      triangles.emplace_back(q[0], q[1], q[2]);
      triangles.emplace_back(q[0], q[2], q[3]);
    } else {
      triangles.emplace_back(q[0], q[1], q[3]);
      triangles.emplace_back(q[1], q[2], q[3]);
    }
  }
  out.faces.resize(static_cast<Eigen::Index>(triangles.size()), 3);
  for (size_t i = 0; i < triangles.size(); ++i) out.faces.row(static_cast<Eigen::Index>(i)) = triangles[i].transpose();
  const geometry::MeshTopology topology = geometry::CheckTopology(static_cast<int>(out.vertices.rows()), out.faces);
  if (!topology.closed_manifold() || topology.components != 1 || topology.euler_characteristic != 2) {
    throw Error(what + ": the body group is not one closed 2-manifold of genus 0 (" +
                std::to_string(topology.boundary_edges) + " boundary edges, " +
                std::to_string(topology.nonmanifold_edges) + " non-manifold edges, " +
                std::to_string(topology.components) + " components, Euler characteristic " +
                std::to_string(topology.euler_characteristic) + ")");
  }
  if (geometry::SignedVolume(out.vertices, out.faces) < 0) out.faces.col(1).swap(out.faces.col(2));

  // Joints (the files' A-pose).
  const Ends ends = BoneEnds(mesh, rig, what);
  out.joints = Joints(ends);

  // Weights.
  const std::vector<std::string> names = model::OfficialJointNames(24);
  const auto J = [&](const std::string& n) { return model::IndexOf(names, n); };
  model::RowMatrixXd w = model::RowMatrixXd::Zero(out.vertices.rows(), 24);
  for (const auto& [bone, pairs] : weights) {
    const std::string side = bone[0] == 'L' ? "left_" : "right_";
    for (const auto& [file_v, weight] : pairs) {
      const int v = skin_index[static_cast<size_t>(file_v)];
      if (v < 0 || weight <= 0) continue;  // a helper vertex
      const Vector3d x = out.vertices.row(v).transpose();
      auto row = w.row(v);
      if (bone == "MidHip") {
        ShareAlong({J("pelvis"), J("spine1"), J("spine2"), J("spine3"), J("neck")}, out.joints, x, weight, row);
      } else if (bone == "Neck") {
        ShareAlong({J("neck"), J("head")}, out.joints, x, weight, row);
      } else if (bone == "LEye" || bone == "REye" || bone == "LEar" || bone == "REar") {
        row[J("head")] += weight;
      } else if (bone.substr(1) == "Hip") {
        row[J("pelvis")] += weight;
      } else if (bone.substr(1) == "Knee") {
        row[J(side + "hip")] += weight;
      } else if (bone.substr(1) == "Ankle") {
        row[J(side + "knee")] += weight;
      } else if (bone.substr(1) == "BigToe") {  // the foot: the toes beyond the foot joint turn with it
        const Vector3d a = out.joints.row(J(side + "ankle")).transpose(), f = out.joints.row(J(side + "foot")).transpose();
        row[J((x - f).dot(f - a) > 0 ? side + "foot" : side + "ankle")] += weight;
      } else if (bone.substr(1) == "Heel") {
        row[J(side + "ankle")] += weight;
      } else if (bone.substr(1) == "SmallToe") {
        row[J(side + "foot")] += weight;
      } else if (bone.substr(1) == "Shoulder") {
        row[J(side + "collar")] += weight;
      } else if (bone.substr(1) == "Elbow") {
        row[J(side + "shoulder")] += weight;
      } else if (bone.substr(1) == "Wrist") {
        const Vector3d e = out.joints.row(J(side + "elbow")).transpose(), r = out.joints.row(J(side + "wrist")).transpose();
        row[J((x - r).dot(r - e) > 0 ? side + "wrist" : side + "elbow")] += weight;
      } else {
        throw Error(what + ": weights." + bone + ": no SMPL joint is known for this bone");
      }
    }
  }
  for (Eigen::Index v = 0; v < w.rows(); ++v) {
    if (w.row(v).sum() <= 0) throw Error(what + ": skin vertex " + std::to_string(out.file_vertex[v]) + " has no weight");
    w.row(v) /= w.row(v).sum();
  }
  SmoothWeights(out.faces, kWeightSmoothingSteps, &w);
  for (Eigen::Index v = 0; v < w.rows(); ++v) {
    std::vector<std::pair<double, int>> order;
    for (int j = 0; j < 24; ++j) {
      if (w(v, j) > 0) order.emplace_back(-w(v, j), j);
    }
    if (order.empty()) throw Error(what + ": skin vertex " + std::to_string(out.file_vertex[v]) + " has no weight");
    std::sort(order.begin(), order.end());
    order.resize(std::min<size_t>(order.size(), 4));
    double sum = 0;
    for (const auto& [neg, j] : order) sum -= neg;
    w.row(v).setZero();
    for (const auto& [neg, j] : order) w(v, j) = -neg / sum;
  }
  out.weights = w;

  // Vertex keypoints: the skin vertex nearest each rig point.
  const auto nearest = [&](const Vector3d& p) {
    Eigen::Index best = 0;
    (out.vertices.rowwise() - p.transpose()).rowwise().squaredNorm().minCoeff(&best);
    return static_cast<int>(best);
  };
  out.vertex_keypoints = {{"nose", nearest(ends.Tail("Neck"))},
                          {"right_eye", nearest(ends.Tail("REye"))},
                          {"left_eye", nearest(ends.Tail("LEye"))},
                          {"right_ear", nearest(ends.Tail("REar"))},
                          {"left_ear", nearest(ends.Tail("LEar"))},
                          {"left_big_toe", nearest(ends.Tail("LBigToe"))},
                          {"left_small_toe", nearest(ends.Tail("LSmallToe"))},
                          {"left_heel", nearest(ends.Tail("LHeel"))},
                          {"right_big_toe", nearest(ends.Tail("RBigToe"))},
                          {"right_small_toe", nearest(ends.Tail("RSmallToe"))},
                          {"right_heel", nearest(ends.Tail("RHeel"))}};

  // SMPL's rest pose, and the regressor on it.
  ToTPose(&out);
  out.j_regressor.resize(24, out.vertices.rows());
  for (int j = 0; j < 24; ++j) out.j_regressor.row(j) = RegressorRow(out.vertices, out.joints.row(j).transpose()).transpose();
  return out;
}

MakeHumanBody ReadMakeHumanBody(const std::string& dir) {
  const MakeHumanMesh mesh = ParseMakeHumanObj(Slurp(dir + "/base.obj"), dir + "/base.obj");
  const std::vector<MakeHumanBone> rig =
      ParseMakeHumanRig(Slurp(dir + "/rig.openpose.json"), dir + "/rig.openpose.json", mesh);
  const auto weights = ParseMakeHumanWeights(Slurp(dir + "/weights.openpose.json"), dir + "/weights.openpose.json", rig,
                                             static_cast<int>(mesh.vertices.rows()));
  return BuildMakeHumanBody(mesh, rig, weights, dir);
}

}  // namespace resihmr::data
