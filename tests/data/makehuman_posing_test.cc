// The imported MakeHuman body posed: few triangles turn inside out across
// the synthetic pose library (linear blend skinning without corrective
// blend shapes folds some skin in the armpits and groin in every pose with
// the arms down or the hips bent; docs/model.md has the numbers), and every residual-limb cut and cap on it, at 11
// levels on each of the 8 limb kinds, is watertight (as
// StumpMesh.EveryCapOnTheEmbeddedModelIsWatertight for the procedural body).
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include "data/makehuman_model.h"
#include "data/synthetic_people.h"
#include "geometry/stump_mesh.h"
#include "model/forward_pass.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

model::BodyModel Imported() {
  const std::string dir = testing::SharedDataPath("makehuman");
  EXPECT_TRUE(std::filesystem::exists(dir + "/base.obj"))
      << "missing test data " << dir << ": this test needs ../shared/data beside the repository (see README)";
  return ImportMakeHuman(dir).model;
}

// A face is flipped when its posed normal points against its rest normal
// carried by the face's own skinning transform: with M_f the mean over its
// three vertices of sum_j W[v,j] R(G_j), the expected normal is cof(M_f) n_rest
// (normals transform by the cofactor matrix). Counts faces with
// n_posed . cof(M_f) n_rest <= 0, n being area-weighted normals.
int FlippedFaces(const model::BodyModel& m, const model::BodyParams& p, const model::RowMatrixX3d& posed) {
  model::Skeleton<double> s;
  model::ComputeSkeleton(m, p.betas.data(), p.pose.data(), nullptr, &s);
  const int V = static_cast<int>(m.v_template.rows());
  std::vector<Eigen::Matrix3d> M(static_cast<size_t>(V), Eigen::Matrix3d::Zero());
  for (int v = 0; v < V; ++v) {
    for (int j = 0; j < m.num_joints(); ++j) {
      const double w = m.weights(v, j);
      if (w != 0) M[static_cast<size_t>(v)] += w * Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(
                                                       &s.world_R[static_cast<size_t>(9 * j)]);
    }
  }
  model::RowMatrixX3d rest = m.v_template;
  for (int v = 0; v < V; ++v) {
    for (int c = 0; c < 3; ++c) rest(v, c) += m.shapedirs.row(3 * v + c).head(m.num_betas).dot(p.betas);
  }
  int flipped = 0;
  for (Eigen::Index f = 0; f < m.faces.rows(); ++f) {
    const int a = m.faces(f, 0), b = m.faces(f, 1), c = m.faces(f, 2);
    const Eigen::Vector3d n_rest = (rest.row(b) - rest.row(a)).cross(rest.row(c) - rest.row(a)).transpose();
    const Eigen::Vector3d n_posed = (posed.row(b) - posed.row(a)).cross(posed.row(c) - posed.row(a)).transpose();
    const Eigen::Matrix3d Mf = (M[static_cast<size_t>(a)] + M[static_cast<size_t>(b)] + M[static_cast<size_t>(c)]) / 3;
    const Eigen::Matrix3d cof = Mf.determinant() * Mf.inverse().transpose();
    flipped += n_posed.dot(cof * n_rest) <= 0;
  }
  return flipped;
}

// At most 0.3% of the faces flip in any pose of the library (the procedural
// body measures 0.45% at worst on the same poses), 0.05% over all.
TEST(MakeHumanPosing, FewTrianglesFlipAcrossTheSyntheticPoseLibrary) {
  const model::BodyModel m = Imported();
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> u(-2, 2);
  std::map<std::string, int> poses_of_family;
  int worst = 0, total = 0, poses_with_flips = 0;
  for (int i = 0; i < 300; ++i) {
    std::string family;
    model::BodyParams p = SampleLibraryPose(m, &rng, &family);
    for (int b = 0; b < m.num_betas; ++b) p.betas[b] = u(rng);
    const model::PosedBody posed = model::PoseBody(m, p, true);
    const int flipped = FlippedFaces(m, p, posed.vertices);
    EXPECT_LE(flipped, 0.003 * static_cast<double>(m.faces.rows())) << "pose " << i << " (" << family << ")";
    worst = std::max(worst, flipped);
    total += flipped;
    poses_with_flips += flipped > 0;
    ++poses_of_family[family];
  }
  EXPECT_EQ(poses_of_family.size(), 7u);  // every family of the library drawn
  EXPECT_LE(total, 0.0005 * 300 * static_cast<double>(m.faces.rows()));
  std::printf("flipped faces: %d in all, at most %d of %d in one pose, in %d of 300 poses\n", total, worst,
              static_cast<int>(m.faces.rows()), poses_with_flips);
}

// The check itself catches an inverted face: the rest pose flips none, and
// one vertex reflected across its face's opposite edge flips that face.
TEST(MakeHumanPosing, TheFlipCheckCatchesAFoldedFace) {
  const model::BodyModel m = Imported();
  const model::BodyParams p = model::BodyParams::Zero(m);
  model::RowMatrixX3d posed = model::PoseBody(m, p, true).vertices;
  EXPECT_EQ(FlippedFaces(m, p, posed), 0);
  const int a = m.faces(100, 0), b = m.faces(100, 1), c = m.faces(100, 2);
  const Eigen::Vector3d B = posed.row(b).transpose(), C = posed.row(c).transpose(), A = posed.row(a).transpose();
  const Eigen::Vector3d foot = B + (A - B).dot(C - B) / (C - B).squaredNorm() * (C - B);
  posed.row(a) = (2 * foot - A).transpose();
  EXPECT_GE(FlippedFaces(m, p, posed), 1);
}

TEST(MakeHumanPosing, EveryCapAtElevenLevelsOnEachLimbIsWatertight) {
  const model::BodyModel m = Imported();
  model::BodyParams p = model::BodyParams::Zero(m);
  // An A-pose, arms 45 degrees down, elbows and knees a little bent.
  p.pose(m.JointIndex("left_shoulder"), 2) = -0.75;
  p.pose(m.JointIndex("right_shoulder"), 2) = 0.75;
  p.pose(m.JointIndex("left_elbow"), 1) = -0.3;
  p.pose(m.JointIndex("right_elbow"), 1) = 0.3;
  p.pose(m.JointIndex("left_knee"), 0) = 0.2;
  p.pose(m.JointIndex("right_knee"), 0) = 0.2;
  const model::PosedBody posed = model::PoseBody(m, p, true);
  const model::LossLevel levels[] = {model::LossLevel::kAboveElbow, model::LossLevel::kBelowElbow,
                                     model::LossLevel::kAboveKnee, model::LossLevel::kBelowKnee};
  int built = 0, shifted = 0;
  for (int kind = 0; kind < 8; ++kind) {
    const model::LossLevel level = levels[kind / 2];
    const bool arm = kind / 2 < 2;
    const model::Limb limb = arm ? (kind % 2 ? model::Limb::kRightArm : model::Limb::kLeftArm)
                                 : (kind % 2 ? model::Limb::kRightLeg : model::Limb::kLeftLeg);
    const model::ResidualLimb rl{limb, level};
    const model::ResidualSegment seg = model::SegmentOf(m, rl);
    for (int k = 0; k <= 10; ++k) {
      const double lambda = 0.05 + 0.09 * k;
      const geometry::StumpMesh s = geometry::BuildStumpMesh(
          m, posed.vertices,
          {{rl, posed.joints.row(seg.joint_t).transpose(), posed.joints.row(seg.joint_a).transpose(), lambda}});
      SCOPED_TRACE(model::LimbName(limb) + " " + model::LossLevelName(level) + " lambda " + std::to_string(lambda));
      ASSERT_TRUE(s.limbs[0].ok) << s.limbs[0].error;
      EXPECT_TRUE(s.watertight()) << "boundary " << s.topology.boundary_edges << " nonmanifold "
                                  << s.topology.nonmanifold_edges << " vertices " << s.topology.nonmanifold_vertices;
      EXPECT_TRUE(s.limbs[0].measurements.watertight);
      EXPECT_GE(s.limbs[0].lambda_used, lambda - 0.30 - 1e-9) << s.limbs[0].note;
      EXPECT_GT(s.limbs[0].measurements.volume_ml, 20);
      EXPECT_GT(s.limbs[0].measurements.length_mm, 5);
      EXPECT_LT(s.limbs[0].measurements.length_mm, 600);
      ++built;
      shifted += s.limbs[0].lambda_used < lambda;
    }
  }
  EXPECT_EQ(built, 88);
  std::printf("MakeHuman stumps: %d built, %d cut distally of the requested level\n", built, shifted);
}

}  // namespace
}  // namespace resihmr::data
