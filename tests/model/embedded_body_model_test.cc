#include "model/embedded_body_model.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <Eigen/Geometry>
#include <map>
#include <set>

#include "geometry/mesh_checks.h"
#include "model/forward_pass.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

using Eigen::Vector3d;

TEST(EmbeddedModel, IsOneClosedOrientedTwoManifoldOfGenusZero) {
  const BodyModel& m = testing::EmbeddedModel();
  const geometry::MeshTopology t = geometry::CheckTopology(m.num_vertices(), m.faces);
  EXPECT_TRUE(t.closed_manifold()) << "boundary " << t.boundary_edges << " nonmanifold " << t.nonmanifold_edges
                                   << " misoriented " << t.misoriented_edges << " vertices " << t.nonmanifold_vertices;
  EXPECT_EQ(t.components, 1);
  EXPECT_EQ(t.euler_characteristic, 2);
  EXPECT_GT(geometry::SignedVolume(m.v_template, m.faces), 0.05);  // outward, about 66 L
  EXPECT_GT(m.num_vertices(), 6000);
  EXPECT_LT(m.num_vertices(), 14000);
}

TEST(EmbeddedModel, HasSmplLayoutAndAdultProportionsYUpFacingZ) {
  const BodyModel& m = testing::EmbeddedModel();
  EXPECT_EQ(m.num_joints(), 24);
  EXPECT_EQ(m.parents, SmplParents());
  EXPECT_EQ(m.joint_names, OfficialJointNames(24));
  EXPECT_EQ(m.posedirs.size(), 0);  // no pose correctives
  EXPECT_TRUE(m.posedirs_zero);
  const double height = m.v_template.col(1).maxCoeff() - m.v_template.col(1).minCoeff();
  EXPECT_NEAR(height, 1.70, 0.03);
  const auto joint = [&](const char* name) { return Vector3d(m.joints_template.row(m.JointIndex(name))); };
  EXPECT_GT(joint("head").y(), joint("pelvis").y() + 0.5);
  EXPECT_GT(joint("pelvis").y(), joint("left_ankle").y() + 0.7);
  EXPECT_GT(joint("left_shoulder").x(), 0.1);  // the person's left at +x, as in SMPL
  EXPECT_LT(joint("right_shoulder").x(), -0.1);
  const Vector3d nose = m.v_template.row(m.vertex_keypoints[static_cast<size_t>(m.VertexKeypointIndex("nose"))].vertex);
  EXPECT_GT(nose.z(), joint("head").z() + 0.08);  // facing +Z
  for (const VertexKeypoint& k : m.vertex_keypoints) {
    const Vector3d p = m.v_template.row(k.vertex);
    if (k.name.rfind("left_", 0) == 0) {
      EXPECT_GT(p.x(), 0.01) << k.name;
    }
    if (k.name.rfind("right_", 0) == 0) {
      EXPECT_LT(p.x(), -0.01) << k.name;
    }
  }
  // Segment lengths of an adult (metres).
  EXPECT_NEAR((joint("left_hip") - joint("left_knee")).norm(), 0.38, 0.04);
  EXPECT_NEAR((joint("left_knee") - joint("left_ankle")).norm(), 0.40, 0.04);
  EXPECT_NEAR((joint("left_shoulder") - joint("left_elbow")).norm(), 0.27, 0.04);
  EXPECT_NEAR((joint("left_elbow") - joint("left_wrist")).norm(), 0.25, 0.04);
}

// Edges of the mesh crossed by a plane, near a point: a clean cut across a
// limb crosses a single ring, where every crossed face has two crossed edges.
struct Ring {
  int edges = 0;
  int loops = 0;
  bool clean = true;
};

Ring CutRing(const BodyModel& m, const Vector3d& point, const Vector3d& normal, double radius) {
  std::vector<double> phi(static_cast<size_t>(m.num_vertices()));
  for (int v = 0; v < m.num_vertices(); ++v) {
    double d = (Vector3d(m.v_template.row(v)) - point).dot(normal);
    phi[static_cast<size_t>(v)] = d == 0 ? 1e-12 : d;
  }
  std::map<std::pair<int, int>, std::vector<int>> crossed;  // edge -> faces
  for (Eigen::Index f = 0; f < m.faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const int a = m.faces(f, k), b = m.faces(f, (k + 1) % 3);
      if ((phi[static_cast<size_t>(a)] > 0) == (phi[static_cast<size_t>(b)] > 0)) continue;
      const Vector3d mid = 0.5 * (m.v_template.row(a) + m.v_template.row(b));
      if ((mid - point).norm() > radius) continue;
      crossed[{std::min(a, b), std::max(a, b)}].push_back(static_cast<int>(f));
    }
  }
  Ring ring;
  ring.edges = static_cast<int>(crossed.size());
  std::map<int, std::vector<std::pair<int, int>>> face_edges;
  for (const auto& [edge, faces] : crossed) {
    if (faces.size() != 2) ring.clean = false;
    for (int f : faces) face_edges[f].push_back(edge);
  }
  for (const auto& [f, edges] : face_edges) {
    if (edges.size() != 2) ring.clean = false;
  }
  // Count loops by walking edge -> face -> other edge.
  std::set<std::pair<int, int>> seen;
  for (const auto& [start, faces] : crossed) {
    if (seen.count(start)) continue;
    ++ring.loops;
    std::vector<std::pair<int, int>> stack = {start};
    while (!stack.empty()) {
      const auto e = stack.back();
      stack.pop_back();
      if (!seen.insert(e).second) continue;
      for (int f : crossed[e]) {
        for (const auto& other : face_edges[f]) stack.push_back(other);
      }
    }
  }
  return ring;
}

TEST(EmbeddedModel, PlaneCutsAcrossThighAndUpperArmMeetOneCleanRingOfAtLeast24Edges) {
  const BodyModel& m = testing::EmbeddedModel();
  // The ring is searched within a ball about the axis point that holds the
  // limb but not its neighbour (the other thigh is ~0.13 m away).
  struct Segment {
    const char* from;
    const char* to;
    double ball;
  };
  const std::vector<Segment> segments = {{"left_hip", "left_knee", 0.11},         {"right_hip", "right_knee", 0.11},
                                         {"left_shoulder", "left_elbow", 0.10},   {"right_shoulder", "right_elbow", 0.10},
                                         {"left_knee", "left_ankle", 0.10},       {"left_elbow", "left_wrist", 0.08}};
  for (const auto& [from, to, ball] : segments) {
    const Vector3d a = m.joints_template.row(m.JointIndex(from)), b = m.joints_template.row(m.JointIndex(to));
    for (double t : {0.3, 0.5, 0.7}) {
      const Ring ring = CutRing(m, a + t * (b - a), (b - a).normalized(), ball);
      EXPECT_TRUE(ring.clean) << from << "-" << to << " at " << t;
      EXPECT_EQ(ring.loops, 1) << from << "-" << to << " at " << t;
      EXPECT_GE(ring.edges, 24) << from << "-" << to << " at " << t;
    }
  }
}

TEST(EmbeddedModel, SkinningWeightsAreSmoothAndSparse) {
  const BodyModel& m = testing::EmbeddedModel();
  for (int v = 0; v < m.num_vertices(); ++v) {
    int nonzero = 0;
    for (int j = 0; j < m.num_joints(); ++j) {
      EXPECT_GE(m.weights(v, j), 0.0);
      nonzero += m.weights(v, j) > 0;
    }
    ASSERT_LE(nonzero, 4) << "vertex " << v;
    ASSERT_NEAR(m.weights.row(v).sum(), 1.0, 1e-12);
  }
  // Smooth: across every edge the weights change by little.
  double worst = 0;
  for (Eigen::Index f = 0; f < m.faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) {
      worst = std::max(worst, (m.weights.row(m.faces(f, k)) - m.weights.row(m.faces(f, (k + 1) % 3))).cwiseAbs().maxCoeff());
    }
  }
  EXPECT_LT(worst, 0.35);
}

// Faces whose posed normal points against their rest normal carried by the
// face's blended rotation (the nearest rotation to sum_j w_j R_j).
int InvertedFaces(const BodyModel& m, const BodyParams& p, double* min_area_ratio) {
  const PosedBody posed = PoseBody(m, p, true);
  std::vector<Eigen::Matrix3d> R(static_cast<size_t>(m.num_joints()));
  // World rotations from the joints-only skeleton.
  Skeleton<double> s;
  const Eigen::VectorXd shape = ShapeVector(p, m);
  ComputeSkeleton(m, shape.data(), p.pose.data(), static_cast<const uint8_t*>(nullptr), &s);
  for (int j = 0; j < m.num_joints(); ++j) R[static_cast<size_t>(j)] = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(&s.world_R[9 * j]);
  int inverted = 0;
  *min_area_ratio = 1e9;
  for (Eigen::Index f = 0; f < m.faces.rows(); ++f) {
    const auto normal = [&](const RowMatrixX3d& v) {
      return Vector3d((Vector3d(v.row(m.faces(f, 1)) - v.row(m.faces(f, 0)))).cross(Vector3d(v.row(m.faces(f, 2)) - v.row(m.faces(f, 0)))));
    };
    Eigen::Matrix3d M = Eigen::Matrix3d::Zero();
    for (int k = 0; k < 3; ++k)
      for (int j = 0; j < m.num_joints(); ++j) M += m.weights(m.faces(f, k), j) * R[static_cast<size_t>(j)];
    Eigen::JacobiSVD<Eigen::Matrix3d> svd(M, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::Matrix3d rotation = svd.matrixU() * svd.matrixV().transpose();
    const Vector3d rest = normal(m.v_template), now = normal(posed.vertices);
    if (now.dot(rotation * rest) <= 0) ++inverted;
    *min_area_ratio = std::min(*min_area_ratio, now.norm() / rest.norm());
  }
  return inverted;
}

TEST(EmbeddedModel, NinetyDegreeKneeAndElbowBendsDoNotInvertFaces) {
  const BodyModel& m = testing::EmbeddedModel();
  struct Bend {
    const char* joint;
    Vector3d axis_angle;
  };
  const double q = M_PI / 2;
  for (const Bend& bend : {Bend{"left_knee", {q, 0, 0}}, Bend{"right_knee", {q, 0, 0}}, Bend{"left_elbow", {0, -q, 0}},
                           Bend{"right_elbow", {0, q, 0}}, Bend{"left_knee", {q, 0, 0.3}}, Bend{"left_elbow", {0.4, -q, 0}}}) {
    BodyParams p = BodyParams::Zero(m);
    p.pose.row(m.JointIndex(bend.joint)) = bend.axis_angle.transpose();
    double min_area_ratio = 0;
    EXPECT_EQ(InvertedFaces(m, p, &min_area_ratio), 0) << bend.joint;
    EXPECT_GT(min_area_ratio, 0.05) << bend.joint;
  }
}

TEST(EmbeddedModel, ShapeDirectionsChangeHeightLimbLengthsAndGirth) {
  const BodyModel& m = testing::EmbeddedModel();
  ASSERT_GE(m.num_betas, 10);
  ASSERT_EQ(EmbeddedShapeNames().size(), static_cast<size_t>(m.num_betas));
  const auto pose_with = [&](int k, double value) {
    BodyParams p = BodyParams::Zero(m);
    p.betas[k] = value;
    return PoseBody(m, p, true);
  };
  const auto height = [](const PosedBody& b) { return b.vertices.col(1).maxCoeff() - b.vertices.col(1).minCoeff(); };
  const auto length = [&](const PosedBody& b, const char* x, const char* y) {
    return (b.joints.row(m.JointIndex(x)) - b.joints.row(m.JointIndex(y))).norm();
  };
  const auto volume = [&](const PosedBody& b) { return geometry::SignedVolume(b.vertices, m.faces); };
  const PosedBody base = pose_with(0, 0.0);
  EXPECT_NEAR(height(pose_with(0, 1.0)) / height(base), 1.04, 0.005);  // stature
  EXPECT_GT(volume(pose_with(1, 1.0)) / volume(base), 1.10);              // girth
  EXPECT_NEAR(length(pose_with(2, 1.0), "left_knee", "left_ankle") / length(base, "left_knee", "left_ankle"), 1.05, 0.01);
  EXPECT_GT(length(pose_with(3, 1.0), "pelvis", "neck"), length(base, "pelvis", "neck") + 0.015);
  EXPECT_NEAR(length(pose_with(4, 1.0), "left_elbow", "left_wrist") / length(base, "left_elbow", "left_wrist"), 1.06, 0.01);
  EXPECT_GT(length(pose_with(5, 1.0), "left_shoulder", "right_shoulder"), length(base, "left_shoulder", "right_shoulder") + 0.015);
  EXPECT_GT(length(pose_with(6, 1.0), "left_hip", "right_hip"), length(base, "left_hip", "right_hip") + 0.012);
  for (int k = 7; k < 10; ++k) EXPECT_GT(volume(pose_with(k, 1.0)), volume(base) * 1.005) << EmbeddedShapeNames()[static_cast<size_t>(k)];
  // Two standard deviations either way still give an unfolded surface.
  for (int k = 0; k < m.num_betas; ++k) {
    for (double value : {-2.0, 2.0}) {
      BodyParams p = BodyParams::Zero(m);
      p.betas[k] = value;
      double min_area_ratio = 0;
      EXPECT_EQ(InvertedFaces(m, p, &min_area_ratio), 0) << EmbeddedShapeNames()[static_cast<size_t>(k)] << " " << value;
    }
  }
}

// testing::EmbeddedModel() is the build's file (model/embedded_model_file.h):
// made again here, the model must be the same, bit for bit.
TEST(EmbeddedModel, IsDeterministicForASeedAndTheBuildsFileIsIt) {
  const BodyModel again = MakeEmbeddedBodyModel(0);
  const BodyModel& first = testing::EmbeddedModel();
  EXPECT_EQ(first.source, "embedded");
  EXPECT_EQ(again.v_template, first.v_template);
  EXPECT_EQ(again.faces, first.faces);
  EXPECT_EQ(again.weights, first.weights);
  EXPECT_EQ(again.shapedirs, first.shapedirs);
  EXPECT_EQ(again.posedirs, first.posedirs);
  EXPECT_EQ(again.j_regressor, first.j_regressor);
  EXPECT_EQ(again.joints_template, first.joints_template);
  EXPECT_EQ(again.parents, first.parents);
  EXPECT_EQ(again.joint_names, first.joint_names);
  EXPECT_EQ(again.vertex_keypoints, first.vertex_keypoints);
  EXPECT_EQ(again.num_betas, first.num_betas);
}

}  // namespace
}  // namespace resihmr::model
