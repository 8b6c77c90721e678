#include "model/embedded_body_model.h"

#include <Eigen/Dense>
#include <algorithm>
#include <functional>
#include <cmath>
#include <limits>

#include "model/error.h"
#include "model/implicit_surface_mesher.h"
#include "model/procedural_body.h"

namespace resihmr::model {
namespace {

using Eigen::Vector3d;

double SmoothStep(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3.0 - 2.0 * x);
}

struct Bone {
  Vector3d start, end, dir;
  double length;
};

std::vector<Bone> MakeBones(const ProceduralBody& body) {
  std::vector<Bone> bones;
  for (size_t j = 0; j < body.joints.size(); ++j) {
    Bone b;
    b.start = body.joints[j];
    b.end = body.bone_ends[j];
    b.length = (b.end - b.start).norm();
    b.dir = (b.end - b.start) / b.length;
    bones.push_back(b);
  }
  return bones;
}

double DistanceToSegment(const Bone& b, const Vector3d& p) {
  const double t = std::clamp((p - b.start).dot(b.dir), 0.0, b.length);
  return (p - (b.start + t * b.dir)).norm();
}

std::vector<std::vector<int>> VertexNeighbours(int num_vertices, const RowMatrixX3i& faces) {
  std::vector<std::vector<int>> nb(static_cast<size_t>(num_vertices));
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const int a = faces(f, k), b = faces(f, (k + 1) % 3);
      nb[static_cast<size_t>(a)].push_back(b);
      nb[static_cast<size_t>(b)].push_back(a);
    }
  }
  for (auto& list : nb) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return nb;
}

// Skinning weights (V x 24): dominant bone blended with parent and nearest
// child by smoothsteps along the bone axes, diffused, truncated to 4.
RowMatrixXd SkinningWeights(const ProceduralBody& body, const std::vector<Bone>& bones, const RowMatrixX3d& verts,
                            const std::vector<std::vector<int>>& neighbours) {
  const int V = static_cast<int>(verts.rows());
  const int J = static_cast<int>(body.joints.size());
  std::vector<std::vector<int>> children(static_cast<size_t>(J));
  for (int j = 1; j < J; ++j) children[static_cast<size_t>(body.parents[static_cast<size_t>(j)])].push_back(j);

  RowMatrixXd w = RowMatrixXd::Zero(V, J);
  for (int v = 0; v < V; ++v) {
    const Vector3d p = verts.row(v).transpose();
    const int d = body.primitives[static_cast<size_t>(body.DominantPrimitive(p))].joint;
    const int parent = body.parents[static_cast<size_t>(d)];
    double w_parent = 0.0;
    const double bd = body.blend_half_width[static_cast<size_t>(d)];
    if (parent >= 0 && bd > 0) {
      const double s = (p - bones[static_cast<size_t>(d)].start).dot(bones[static_cast<size_t>(d)].dir);
      w_parent = 1.0 - SmoothStep((s + bd) / (2 * bd));
    }
    int child = -1;
    double best = std::numeric_limits<double>::infinity();
    for (int c : children[static_cast<size_t>(d)]) {
      const double dist = DistanceToSegment(bones[static_cast<size_t>(c)], p);
      if (dist < best) {
        best = dist;
        child = c;
      }
    }
    double w_child = 0.0;
    if (child >= 0) {
      const double bc = body.blend_half_width[static_cast<size_t>(child)];
      const double s = (p - bones[static_cast<size_t>(child)].start).dot(bones[static_cast<size_t>(child)].dir);
      w_child = SmoothStep((s + bc) / (2 * bc));
    }
    const double w_self = (1.0 - w_parent) * (1.0 - w_child);
    const double total = w_self + w_parent + w_child;
    w(v, d) += w_self / total;
    if (parent >= 0) w(v, parent) += w_parent / total;
    if (child >= 0) w(v, child) += w_child / total;
  }
  // Diffuse over the surface so that the switch between dominant parts is smooth.
  for (int iteration = 0; iteration < 30; ++iteration) {
    RowMatrixXd next = w;
    for (int v = 0; v < V; ++v) {
      const auto& nb = neighbours[static_cast<size_t>(v)];
      if (nb.empty()) continue;
      Eigen::RowVectorXd mean = Eigen::RowVectorXd::Zero(J);
      for (int u : nb) mean += w.row(u);
      next.row(v) = 0.5 * w.row(v) + 0.5 * mean / static_cast<double>(nb.size());
    }
    w.swap(next);
  }
  // At most 4 influences, dropping negligible ones, rows summing to 1.
  for (int v = 0; v < V; ++v) {
    std::vector<std::pair<double, int>> entries;
    for (int j = 0; j < J; ++j) entries.push_back({w(v, j), j});
    std::sort(entries.begin(), entries.end(), std::greater<>());
    w.row(v).setZero();
    double sum = 0;
    for (int k = 0; k < 4; ++k) {
      if (entries[static_cast<size_t>(k)].first < 1e-3) break;
      w(v, entries[static_cast<size_t>(k)].second) = entries[static_cast<size_t>(k)].first;
      sum += entries[static_cast<size_t>(k)].first;
    }
    w.row(v) /= sum;
  }
  return w;
}

// Joint regressor (J x V): each joint is a combination of the vertices in a
// ball about it, uniform weights corrected (least norm) to give the joint.
RowMatrixXd JointRegressor(const ProceduralBody& body, const RowMatrixX3d& verts) {
  const int V = static_cast<int>(verts.rows());
  const int J = static_cast<int>(body.joints.size());
  RowMatrixXd reg = RowMatrixXd::Zero(J, V);
  for (int j = 0; j < J; ++j) {
    const Vector3d c = body.joints[static_cast<size_t>(j)];
    const double dmin = (verts.rowwise() - c.transpose()).rowwise().norm().minCoeff();
    const double radius = 1.3 * dmin + 0.005;
    std::vector<int> ball;
    for (int v = 0; v < V; ++v) {
      if ((verts.row(v).transpose() - c).norm() <= radius) ball.push_back(v);
    }
    const int n = static_cast<int>(ball.size());
    if (n < 8) throw Error("embedded model: too few vertices about joint " + body.joint_names[static_cast<size_t>(j)]);
    Eigen::MatrixXd C(4, n);
    for (int k = 0; k < n; ++k) C.col(k) << verts.row(ball[static_cast<size_t>(k)]).transpose(), 1.0;
    const Eigen::VectorXd u = Eigen::VectorXd::Constant(n, 1.0 / n);
    Eigen::Vector4d target;
    target << c, 1.0;
    const Eigen::Matrix4d CCt = C * C.transpose();
    const Eigen::VectorXd alpha = u + C.transpose() * CCt.ldlt().solve(target - C * u);
    for (int k = 0; k < n; ++k) reg(j, ball[static_cast<size_t>(k)]) = alpha[k];
  }
  return reg;
}

// One shape direction: displacements of every joint and bone end, and a
// relative girth change per bone.
struct ShapeDirection {
  std::vector<Vector3d> joint_delta;  // 24
  std::vector<Vector3d> end_delta;    // 24
  std::vector<double> girth;          // 24
};

std::vector<ShapeDirection> ShapeDirections(const ProceduralBody& body) {
  const int J = static_cast<int>(body.joints.size());
  const auto idx = [&](const std::string& n) { return IndexOf(body.joint_names, n); };
  const auto side_of = [&](int j) -> std::string {
    const std::string& n = body.joint_names[static_cast<size_t>(j)];
    if (n.rfind("left_", 0) == 0) return "left";
    if (n.rfind("right_", 0) == 0) return "right";
    return "";
  };
  const auto in_chain = [&](int j, const std::vector<std::string>& names) {
    const std::string side = side_of(j);
    for (const std::string& n : names) {
      if (!side.empty() && body.joint_names[static_cast<size_t>(j)] == side + "_" + n) return true;
    }
    return false;
  };
  // A point owned by joint o (the joint itself, or the tip of a leaf bone).
  struct Owned {
    int owner;
    Vector3d point;
  };
  std::vector<ShapeDirection> dirs;
  using DeltaFn = std::function<Vector3d(const Owned&)>;
  const auto make = [&](const DeltaFn& delta, const std::vector<std::pair<std::string, double>>& girths) {
    ShapeDirection d;
    d.joint_delta.resize(static_cast<size_t>(J));
    d.end_delta.resize(static_cast<size_t>(J));
    d.girth.assign(static_cast<size_t>(J), 0.0);
    for (int j = 0; j < J; ++j) d.joint_delta[static_cast<size_t>(j)] = delta({j, body.joints[static_cast<size_t>(j)]});
    for (int j = 0; j < J; ++j) {
      int owner = j;  // a tip belongs to its bone; a child joint to itself
      for (int c = 1; c < J; ++c) {
        if (body.parents[static_cast<size_t>(c)] == j &&
            (body.joints[static_cast<size_t>(c)] - body.bone_ends[static_cast<size_t>(j)]).norm() < 1e-9) {
          owner = c;
        }
      }
      d.end_delta[static_cast<size_t>(j)] = owner != j ? d.joint_delta[static_cast<size_t>(owner)]
                                                       : delta({j, body.bone_ends[static_cast<size_t>(j)]});
    }
    for (const auto& [name, g] : girths) {
      if (name == "*") {
        std::fill(d.girth.begin(), d.girth.end(), g);
        continue;
      }
      for (const std::string prefix : {"", "left_", "right_"}) {
        const int j = idx(prefix + name);
        if (j >= 0) d.girth[static_cast<size_t>(j)] = g;
      }
    }
    dirs.push_back(d);
  };
  const Vector3d zero = Vector3d::Zero();
  const std::vector<std::string> leg = {"knee", "ankle", "foot"};
  const std::vector<std::string> leg_all = {"hip", "knee", "ankle", "foot"};
  const std::vector<std::string> arm = {"elbow", "wrist", "hand"};
  const std::vector<std::string> arm_all = {"shoulder", "elbow", "wrist", "hand"};
  const auto chain_root = [&](int j, const std::string& root) {
    return body.joints[static_cast<size_t>(idx(side_of(j) + "_" + root))];
  };
  const auto side_sign = [&](int j) { return side_of(j) == "left" ? 1.0 : -1.0; };
  const Vector3d spine1 = body.joints[static_cast<size_t>(idx("spine1"))];
  const Vector3d neck = body.joints[static_cast<size_t>(idx("neck"))];
  const std::vector<std::string> upper = {"spine2", "spine3", "neck", "head", "left_collar", "right_collar"};

  // 0 stature: handled exactly as 4% uniform scaling (see EmbeddedShapeDisplacement).
  make([&](const Owned& o) { return Vector3d(0.04 * o.point); }, {{"*", 0.04}});
  // 1 girth: 10% thicker torso and limbs, slightly wider hips.
  make([&](const Owned& o) {
         return in_chain(o.owner, leg_all) ? Vector3d(0.006 * side_sign(o.owner), 0, 0) : zero;
       },
       {{"pelvis", 0.10}, {"spine1", 0.10}, {"spine2", 0.10}, {"spine3", 0.10}, {"hip", 0.10}, {"knee", 0.10},
        {"shoulder", 0.10}, {"elbow", 0.10}, {"neck", 0.06}, {"collar", 0.06}, {"head", 0.03}, {"wrist", 0.03},
        {"hand", 0.03}, {"ankle", 0.03}, {"foot", 0.03}});
  // 2 leg length: legs 5% longer about the hip.
  make([&](const Owned& o) {
         return in_chain(o.owner, leg) ? Vector3d(0.05 * (o.point - chain_root(o.owner, "hip"))) : zero;
       },
       {});
  // 3 torso length: 6% longer between spine1 and neck; above the neck rigid.
  make([&](const Owned& o) {
         const std::string& n = body.joint_names[static_cast<size_t>(o.owner)];
         const bool above = std::find(upper.begin(), upper.end(), n) != upper.end() || in_chain(o.owner, arm_all);
         if (!above) return zero;
         return Vector3d(0, 0.06 * (std::min(o.point.y(), neck.y()) - spine1.y()), 0);
       },
       {});
  // 4 arm length: arms 6% longer about the shoulder.
  make([&](const Owned& o) {
         return in_chain(o.owner, arm) ? Vector3d(0.06 * (o.point - chain_root(o.owner, "shoulder"))) : zero;
       },
       {});
  // 5 shoulder width: arms 12 mm further out, broader chest.
  make([&](const Owned& o) {
         return in_chain(o.owner, arm_all) ? Vector3d(0.012 * side_sign(o.owner), 0, 0) : zero;
       },
       {{"spine3", 0.04}, {"collar", 0.04}});
  // 6 hip width: legs 10 mm further out, wider pelvis.
  make([&](const Owned& o) {
         return in_chain(o.owner, leg_all) ? Vector3d(0.010 * side_sign(o.owner), 0, 0) : zero;
       },
       {{"pelvis", 0.06}});
  // 7 belly: waist and abdomen girth.
  make([&](const Owned&) { return zero; }, {{"pelvis", 0.05}, {"spine1", 0.12}, {"spine2", 0.08}});
  // 8 limb girth: muscular thighs, calves and arms.
  make([&](const Owned&) { return zero; }, {{"hip", 0.10}, {"knee", 0.08}, {"shoulder", 0.10}, {"elbow", 0.06}});
  // 9 head size: larger head about the neck.
  make([&](const Owned& o) {
         return body.joint_names[static_cast<size_t>(o.owner)] == "head" ? Vector3d(0.06 * (o.point - neck)) : zero;
       },
       {{"head", 0.06}});
  return dirs;
}

RowMatrixXd ShapeDirs(const ProceduralBody& body, const std::vector<Bone>& bones, const RowMatrixX3d& verts,
                      const RowMatrixXd& weights) {
  const int V = static_cast<int>(verts.rows());
  const int J = static_cast<int>(bones.size());
  const std::vector<ShapeDirection> dirs = ShapeDirections(body);
  RowMatrixXd shapedirs = RowMatrixXd::Zero(3 * V, static_cast<Eigen::Index>(dirs.size()));
  for (int v = 0; v < V; ++v) {
    const Vector3d p = verts.row(v).transpose();
    shapedirs.block<3, 1>(3 * v, 0) = 0.04 * p;  // stature: exact uniform scaling about the floor origin
    for (size_t k = 1; k < dirs.size(); ++k) {
      Vector3d d = Vector3d::Zero();
      for (int j = 0; j < J; ++j) {
        const double w = weights(v, j);
        if (w == 0.0) continue;
        const Bone& b = bones[static_cast<size_t>(j)];
        const Vector3d rel = p - b.start;
        const double t = std::clamp(rel.dot(b.dir) / b.length, 0.0, 1.0);
        const Vector3d radial = rel - rel.dot(b.dir) * b.dir;
        d += w * ((1 - t) * dirs[k].joint_delta[static_cast<size_t>(j)] + t * dirs[k].end_delta[static_cast<size_t>(j)] +
                  dirs[k].girth[static_cast<size_t>(j)] * radial);
      }
      shapedirs.block<3, 1>(3 * v, static_cast<Eigen::Index>(k)) = d;
    }
  }
  return shapedirs;
}

}  // namespace

const std::vector<std::string>& EmbeddedShapeNames() {
  static const std::vector<std::string> names = {"stature",     "girth",          "leg_length", "torso_length",
                                                 "arm_length",  "shoulder_width", "hip_width",  "belly",
                                                 "limb_girth",  "head_size"};
  return names;
}

BodyModel MakeEmbeddedBodyModel(unsigned seed) {
  const ProceduralBody body = MakeDefaultProceduralBody();
  ImplicitSurface surface;
  surface.function = [&body](const Vector3d& p) { return body.Sdf(p); };
  surface.facet_size = [&body](const Vector3d& p) { return std::clamp(0.23 * body.LocalRadius(p), 0.007, 0.016); };
  surface.bound_centre = Vector3d(0, 0.88, 0);
  surface.bound_radius = 1.1;
  surface.facet_distance = 0.0015;
  const TriangleMesh mesh = MeshImplicitSurface(surface, seed);

  BodyModel m;
  m.kind = ModelKind::kSmpl;
  m.source = "embedded";
  m.v_template = mesh.vertices;
  m.faces = mesh.faces;
  m.parents = body.parents;
  m.joint_names = body.joint_names;
  const int V = m.num_vertices();
  const std::vector<Bone> bones = MakeBones(body);
  m.weights = SkinningWeights(body, bones, m.v_template, VertexNeighbours(V, m.faces));
  m.j_regressor = JointRegressor(body, m.v_template);
  m.shapedirs = ShapeDirs(body, bones, m.v_template, m.weights);
  m.num_betas = static_cast<int>(m.shapedirs.cols());
  m.num_expression = 0;
  m.posedirs = RowMatrixXd();  // no pose correctives (model/body_model.h)
  for (const auto& [name, target] : body.landmarks) {
    Eigen::Index best;
    (m.v_template.rowwise() - target.transpose()).rowwise().squaredNorm().minCoeff(&best);
    m.vertex_keypoints.push_back({name, static_cast<int>(best)});
  }
  m.Finalize();
  return m;
}

}  // namespace resihmr::model
