#include "model/forward_pass.h"

#include <ceres/ceres.h>
#include <ceres/gradient_checker.h>
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <random>

#include "model/ajahr_regions.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

using Eigen::Matrix3d;
using Eigen::Matrix4d;
using Eigen::Vector3d;

// The published order written out plainly with 4x4 matrices and Eigen's
// own axis-angle, independent of the library's code paths.
RowMatrixX3d ReferenceMesh(const BodyModel& m, const BodyParams& p, RowMatrixX3d* joints_out) {
  const int V = m.num_vertices(), J = m.num_joints();
  const Eigen::VectorXd shape = ShapeVector(p, m);
  const RowMatrixX3d pose = FullPose(p, m);
  const std::vector<uint8_t> zeroed = ZeroedMask(p, m);
  Eigen::VectorXd v_shaped = Eigen::Map<const Eigen::VectorXd>(m.v_template.data(), 3 * V) + m.shapedirs * shape;
  const RowMatrixX3d vs = Eigen::Map<RowMatrixX3d>(v_shaped.data(), V, 3);
  const RowMatrixX3d Jr = m.j_regressor * vs;
  std::vector<Matrix3d> R(static_cast<size_t>(J));
  for (int j = 0; j < J; ++j) {
    const Vector3d aa = pose.row(j);
    R[static_cast<size_t>(j)] = zeroed[static_cast<size_t>(j)] ? Matrix3d::Zero()
                                : aa.norm() < 1e-12 ? Matrix3d::Identity()
                                                   : Eigen::AngleAxisd(aa.norm(), aa.normalized()).toRotationMatrix();
  }
  Eigen::VectorXd feature(9 * (J - 1));
  for (int j = 1; j < J; ++j) {
    const Matrix3d d = R[static_cast<size_t>(j)] - Matrix3d::Identity();
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) feature[9 * (j - 1) + 3 * r + c] = d(r, c);
  }
  const Eigen::VectorXd v_posed = v_shaped + m.posedirs * feature;
  std::vector<Matrix4d> G(static_cast<size_t>(J));
  for (int j = 0; j < J; ++j) {
    Matrix4d local = Matrix4d::Identity();
    local.block<3, 3>(0, 0) = R[static_cast<size_t>(j)];
    const int parent = m.parents[static_cast<size_t>(j)];
    local.block<3, 1>(0, 3) = parent < 0 ? Vector3d(Jr.row(j)) : Vector3d(Jr.row(j) - Jr.row(parent));
    G[static_cast<size_t>(j)] = parent < 0 ? local : Matrix4d(G[static_cast<size_t>(parent)] * local);
  }
  RowMatrixX3d out(V, 3);
  for (int v = 0; v < V; ++v) {
    Matrix4d T = Matrix4d::Zero();
    for (int j = 0; j < J; ++j) {
      Matrix4d A = G[static_cast<size_t>(j)];
      A.block<3, 1>(0, 3) -= G[static_cast<size_t>(j)].block<3, 3>(0, 0) * Jr.row(j).transpose();
      T += m.weights(v, j) * A;
    }
    const Eigen::Vector4d h(v_posed[3 * v], v_posed[3 * v + 1], v_posed[3 * v + 2], 1.0);
    out.row(v) = (T * h).head<3>().transpose() + p.transl.transpose();
  }
  if (joints_out) {
    joints_out->resize(J, 3);
    for (int j = 0; j < J; ++j) joints_out->row(j) = G[static_cast<size_t>(j)].block<3, 1>(0, 3).transpose() + p.transl.transpose();
  }
  return out;
}

BodyParams RandomParams(const BodyModel& m, unsigned seed, double pose_scale = 0.5) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, 1);
  BodyParams p = BodyParams::Zero(m);
  for (Eigen::Index i = 0; i < p.betas.size(); ++i) p.betas[i] = n(rng);
  for (Eigen::Index i = 0; i < p.expression.size(); ++i) p.expression[i] = n(rng);
  for (Eigen::Index i = 0; i < p.pose.size(); ++i) p.pose.data()[i] = pose_scale * n(rng);
  p.transl << n(rng), n(rng), 3 + n(rng);
  return p;
}

TEST(ForwardPass, MatchesThePublishedOrderOnRandomModels) {
  for (int joints : {24, 52, 55}) {
    testing::RandomModelOptions o;
    o.num_joints = joints;
    o.num_expression = joints == 55 ? 10 : 0;
    const BodyModel m = testing::RandomBodyModel(o);
    for (unsigned seed = 0; seed < 5; ++seed) {
      BodyParams p = RandomParams(m, seed);
      if (joints != 24) {
        p.left_hand_pose = Eigen::VectorXd::Random(6);
        p.right_hand_pose = Eigen::VectorXd::Random(12);
      }
      if (seed == 3) p.zeroed_joints = AjahrZeroedJoints(m, 4);
      RowMatrixX3d ref_joints;
      const RowMatrixX3d ref = ReferenceMesh(m, p, &ref_joints);
      const PosedBody posed = PoseBody(m, p, true);
      EXPECT_LT((posed.vertices - ref).cwiseAbs().maxCoeff(), 1e-10) << joints << " joints, seed " << seed;
      EXPECT_LT((posed.joints - ref_joints).cwiseAbs().maxCoeff(), 1e-10);
      for (size_t k = 0; k < m.vertex_keypoints.size(); ++k) {
        EXPECT_LT((posed.keypoints.row(static_cast<Eigen::Index>(k)) - ref.row(m.vertex_keypoints[k].vertex)).norm(), 1e-10);
      }
    }
  }
}

TEST(ForwardPass, ZeroPoseAndShapeGiveTheTemplate) {
  for (const BodyModel* m : {&testing::EmbeddedModel()}) {
    const PosedBody posed = PoseBody(*m, BodyParams::Zero(*m), true);
    EXPECT_LT((posed.vertices - m->v_template).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_LT((posed.joints - m->joints_template).cwiseAbs().maxCoeff(), 1e-12);
  }
  const BodyModel r = testing::RandomBodyModel({});
  EXPECT_LT((PoseBody(r, BodyParams::Zero(r), true).vertices - r.v_template).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(ForwardPass, OneHotWeightsMoveAChildSegmentRigidly) {
  testing::RandomModelOptions o;
  o.influences = 1;
  o.random_posedirs = false;
  const BodyModel m = testing::RandomBodyModel(o);
  const int knee = m.JointIndex("left_knee");
  BodyParams p = BodyParams::Zero(m);
  const Vector3d aa(0.7, -0.2, 0.3);
  p.pose.row(knee) = aa.transpose();
  const Matrix3d R = Eigen::AngleAxisd(aa.norm(), aa.normalized()).toRotationMatrix();
  const PosedBody posed = PoseBody(m, p, true);
  const Vector3d centre = m.joints_template.row(knee);
  int checked = 0;
  for (int v = 0; v < m.num_vertices(); ++v) {
    Eigen::Index j;
    m.weights.row(v).maxCoeff(&j);
    const bool below_knee = j == knee || j == m.JointIndex("left_ankle") || j == m.JointIndex("left_foot");
    const Vector3d rest = m.v_template.row(v);
    const Vector3d expected = below_knee ? Vector3d(R * (rest - centre) + centre) : rest;
    EXPECT_LT((posed.vertices.row(v).transpose() - expected).norm(), 1e-12);
    checked += below_knee;
  }
  EXPECT_GT(checked, 0);
}

TEST(ForwardPass, GlobalRotationPivotsAboutTheRootAndTranslationIsAdded) {
  const BodyModel& m = testing::EmbeddedModel();
  BodyParams p = BodyParams::Zero(m);
  const Vector3d aa(0.1, 1.2, -0.4);
  p.pose.row(0) = aa.transpose();
  p.transl << 0.3, -0.2, 4.0;
  const Matrix3d R = Eigen::AngleAxisd(aa.norm(), aa.normalized()).toRotationMatrix();
  const PosedBody posed = PoseBody(m, p, true);
  const Vector3d root = m.joints_template.row(0);
  for (int j = 0; j < m.num_joints(); ++j) {
    const Vector3d expected = R * (Vector3d(m.joints_template.row(j)) - root) + root + p.transl;
    EXPECT_LT((posed.joints.row(j).transpose() - expected).norm(), 1e-12);
  }
}

TEST(ForwardPass, ZeroedJointCollapsesItsSubtreeOntoTheJoint) {
  const BodyModel& m = testing::EmbeddedModel();
  BodyParams p = RandomParams(m, 7, 0.3);
  const int region = AjahrRegionFromName("left_elbow");
  p.zeroed_joints = AjahrZeroedJoints(m, region);
  const PosedBody posed = PoseBody(m, p, true);
  const int elbow = m.JointIndex("left_elbow");
  std::vector<char> zeroed(static_cast<size_t>(m.num_joints()), 0);
  for (int j : p.zeroed_joints) zeroed[static_cast<size_t>(j)] = 1;
  int collapsed = 0;
  for (int v = 0; v < m.num_vertices(); ++v) {
    double zero_weight = 0;
    for (int j = 0; j < m.num_joints(); ++j) zero_weight += zeroed[static_cast<size_t>(j)] ? m.weights(v, j) : 0.0;
    if (zero_weight > 1 - 1e-12) {
      EXPECT_LT((posed.vertices.row(v) - posed.joints.row(elbow)).norm(), 1e-12);
      ++collapsed;
    }
  }
  EXPECT_GT(collapsed, 300);  // the whole forearm and hand
  for (int j : p.zeroed_joints) EXPECT_LT((posed.joints.row(j) - posed.joints.row(elbow)).norm(), 1e-12);
}

// Joints-only forward pass as a Ceres cost: residuals are the posed joints
// and vertex keypoints; parameters pose (72), betas (10), transl (3).
struct JointsFunctor {
  const BodyModel* m;
  template <typename T>
  bool operator()(const T* pose, const T* betas, const T* transl, T* out) const {
    PoseJoints(*m, betas, pose, transl, static_cast<const uint8_t*>(nullptr), out, out + 3 * m->num_joints());
    return true;
  }
};

TEST(ForwardPass, JetAndDoubleAgreeAndTheJacobianPassesTheGradientChecker) {
  const BodyModel& m = testing::EmbeddedModel();
  ASSERT_EQ(m.num_betas, 10);
  constexpr int kResiduals = 3 * (24 + 13);
  ASSERT_EQ(static_cast<int>(m.vertex_keypoints.size()), 13);
  auto* cost = new ceres::AutoDiffCostFunction<JointsFunctor, kResiduals, 72, 10, 3>(new JointsFunctor{&m});
  std::unique_ptr<ceres::CostFunction> owned(cost);
  for (unsigned seed : {1u, 2u, 3u}) {
    BodyParams p = RandomParams(m, seed);
    if (seed == 3) p.pose.setZero();  // the small-angle branch at exactly zero
    // Jet path (value part) against the double path.
    std::vector<double> residuals(kResiduals);
    const double* params[] = {p.pose.data(), p.betas.data(), p.transl.data()};
    ASSERT_TRUE(cost->Evaluate(params, residuals.data(), nullptr));
    const PosedBody posed = PoseBody(m, p, false);
    for (int j = 0; j < 24; ++j)
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(residuals[static_cast<size_t>(3 * j + c)], posed.joints(j, c), 1e-14);
    for (int k = 0; k < 13; ++k)
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(residuals[static_cast<size_t>(72 + 3 * k + c)], posed.keypoints(k, c), 1e-14);
    // Jacobian against central finite differences.
    ceres::NumericDiffOptions numeric;
    const std::vector<const ceres::Manifold*>* no_manifolds = nullptr;
    ceres::GradientChecker checker(cost, no_manifolds, numeric);
    ceres::GradientChecker::ProbeResults results;
    checker.Probe(params, 1e-6, &results);
    // Entries that are zero both ways make Ceres's relative error meaningless
    // (1e-16 / 1e-16): compare against the scale of each Jacobian block.
    ASSERT_EQ(results.jacobians.size(), 3u);
    for (size_t b = 0; b < 3; ++b) {
      const double scale = std::max(1.0, results.jacobians[b].cwiseAbs().maxCoeff());
      const double error = (results.jacobians[b] - results.numeric_jacobians[b]).cwiseAbs().maxCoeff();
      EXPECT_LT(error / scale, 1e-6) << "parameter block " << b << ", seed " << seed;
    }
  }
}

}  // namespace
}  // namespace resihmr::model
