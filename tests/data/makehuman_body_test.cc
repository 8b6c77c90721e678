#include "data/makehuman_body.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "geometry/mesh_checks.h"
#include "geometry/self_intersection.h"
#include "model/skeleton_tables.h"
#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

const MakeHumanBody& Body() {
  static const MakeHumanBody body = ReadMakeHumanBody(testing::SharedDataPath("makehuman"));
  return body;
}

double Bone(const MakeHumanBody& b, const char* from, const char* to) {
  const std::vector<std::string> names = model::OfficialJointNames(24);
  return (b.joints.row(model::IndexOf(names, from)) - b.joints.row(model::IndexOf(names, to))).norm();
}

// The skin: the body group's counts, triangulated into one closed genus-0
// 2-manifold, outward, in metres; re-posed to the T-pose without the arms
// crossing the trunk or the legs crossing each other.
TEST(MakeHumanBody, TheSkinIsOneClosedSurfaceInMetres) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const MakeHumanBody& b = Body();
  EXPECT_EQ(b.vertices.rows(), 13380);
  EXPECT_EQ(b.faces.rows(), 2 * 13378);
  const geometry::MeshTopology t = geometry::CheckTopology(static_cast<int>(b.vertices.rows()), b.faces);
  EXPECT_TRUE(t.closed_manifold());
  EXPECT_EQ(t.components, 1);
  EXPECT_EQ(t.euler_characteristic, 2);
  const double volume = geometry::SignedVolume(b.vertices, b.faces);
  EXPECT_GT(volume, 0.04);  // an adult: about 0.06-0.08 m^3
  EXPECT_LT(volume, 0.12);
  const double height = b.vertices.col(1).maxCoeff() - b.vertices.col(1).minCoeff();
  EXPECT_GT(height, 1.5);
  EXPECT_LT(height, 1.95);
  // The faces mostly moved by the arms (shoulder and below) against the rest.
  std::vector<int> arms, rest;
  for (Eigen::Index f = 0; f < b.faces.rows(); ++f) {
    double arm = 0;
    for (int c = 0; c < 3; ++c) {
      for (int j : {16, 17, 18, 19, 20, 21, 22, 23}) arm += b.weights(b.faces(f, c), j) / 3;
    }
    (arm > 0.5 ? arms : rest).push_back(static_cast<int>(f));
  }
  EXPECT_GT(arms.size(), 1000u);
  EXPECT_FALSE(geometry::FaceGroupsIntersect(b.vertices, b.faces, arms, rest));
  // Each leg's faces (hip and below) against the other's.
  std::vector<int> left_leg, right_leg;
  for (Eigen::Index f = 0; f < b.faces.rows(); ++f) {
    double left = 0, right = 0;
    for (int c = 0; c < 3; ++c) {
      for (int j : {1, 4, 7, 10}) left += b.weights(b.faces(f, c), j) / 3;
      for (int j : {2, 5, 8, 11}) right += b.weights(b.faces(f, c), j) / 3;
    }
    if (left > 0.5) left_leg.push_back(static_cast<int>(f));
    if (right > 0.5) right_leg.push_back(static_cast<int>(f));
  }
  EXPECT_GT(left_leg.size(), 1000u);
  EXPECT_GT(right_leg.size(), 1000u);
  EXPECT_FALSE(geometry::FaceGroupsIntersect(b.vertices, b.faces, left_leg, right_leg));
  // The feet about 0.2 m apart, as SMPL's rest and the embedded body's.
  EXPECT_NEAR(b.joints(7, 0) - b.joints(8, 0), 0.23, 0.05);
}

// SMPL's joints where a body has them: plausible bone lengths, symmetric,
// in SMPL's conventions (Y up, facing +Z, left at +x, T-pose), and
// reproduced by the regressor over the skin.
TEST(MakeHumanBody, JointsArePlausibleAndRegressedFromTheSkin) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const MakeHumanBody& b = Body();
  ASSERT_EQ(b.joints.rows(), 24);
  std::printf("thigh %.3f shin %.3f upper arm %.3f forearm %.3f trunk %.3f m\n", Bone(b, "left_hip", "left_knee"),
              Bone(b, "left_knee", "left_ankle"), Bone(b, "left_shoulder", "left_elbow"), Bone(b, "left_elbow", "left_wrist"),
              Bone(b, "pelvis", "neck"));
  EXPECT_GT(Bone(b, "left_hip", "left_knee"), 0.33);
  EXPECT_LT(Bone(b, "left_hip", "left_knee"), 0.55);
  EXPECT_GT(Bone(b, "left_knee", "left_ankle"), 0.3);
  EXPECT_LT(Bone(b, "left_knee", "left_ankle"), 0.5);
  EXPECT_GT(Bone(b, "left_shoulder", "left_elbow"), 0.22);
  EXPECT_LT(Bone(b, "left_shoulder", "left_elbow"), 0.38);
  EXPECT_GT(Bone(b, "left_elbow", "left_wrist"), 0.18);
  EXPECT_LT(Bone(b, "left_elbow", "left_wrist"), 0.32);
  EXPECT_GT(Bone(b, "pelvis", "neck"), 0.35);
  EXPECT_LT(Bone(b, "pelvis", "neck"), 0.65);
  const std::vector<std::string> names = model::OfficialJointNames(24);
  for (int j = 0; j < 24; ++j) {
    const std::string& n = names[static_cast<size_t>(j)];
    if (n.rfind("left_", 0) == 0) {
      const int r = model::IndexOf(names, "right_" + n.substr(5));
      EXPECT_GT(b.joints(j, 0), 0.02) << n;  // the person's left at +x
      EXPECT_NEAR(b.joints(j, 0), -b.joints(r, 0), 0.01) << n;
      EXPECT_NEAR(b.joints(j, 1), b.joints(r, 1), 0.01) << n;
    }
    // The regressor reproduces the joint, its row sums to 1.
    const Eigen::RowVector3d regressed = b.j_regressor.row(j) * b.vertices;
    EXPECT_LT((regressed - b.joints.row(j)).norm(), 1e-6) << n;
    EXPECT_NEAR(b.j_regressor.row(j).sum(), 1.0, 1e-9) << n;
  }
  // Up the body and in the right order along each limb.
  const auto y = [&](const char* n) { return b.joints(model::IndexOf(names, n), 1); };
  EXPECT_GT(y("head"), y("neck"));
  EXPECT_GT(y("neck"), y("spine3"));
  EXPECT_GT(y("spine3"), y("spine2"));
  EXPECT_GT(y("spine2"), y("spine1"));
  EXPECT_GT(y("spine1"), y("pelvis"));
  EXPECT_GT(y("pelvis"), y("left_knee"));
  EXPECT_GT(y("left_knee"), y("left_ankle"));
  // SMPL's T-pose: each arm straight along +-x from its shoulder.
  for (const char* side : {"left", "right"}) {
    const std::string s(side);
    const double sign = s == "left" ? 1 : -1;
    for (const auto& [a, c] : {std::pair<std::string, std::string>{"_shoulder", "_elbow"}, {"_elbow", "_wrist"}, {"_wrist", "_hand"}}) {
      const Eigen::RowVector3d d = (b.joints.row(model::IndexOf(names, s + c)) - b.joints.row(model::IndexOf(names, s + a))).normalized();
      EXPECT_GT(sign * d.x(), std::cos(2 * M_PI / 180)) << s << a << c;
    }
  }
  EXPECT_GT(b.joints(model::IndexOf(names, "left_foot"), 2), b.joints(model::IndexOf(names, "left_ankle"), 2));  // toes at +z
}

// Skinning weights: at most 4 joints per vertex, rows sum to 1, every joint
// but the hands' leaves (which no MakeHuman bone ends at) moves some skin,
// and a vertex keypoint for each face and foot point.
TEST(MakeHumanBody, WeightsAreSmplJointsAtMostFourPerVertex) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const MakeHumanBody& b = Body();
  ASSERT_EQ(b.weights.rows(), b.vertices.rows());
  for (Eigen::Index v = 0; v < b.weights.rows(); ++v) {
    EXPECT_LE((b.weights.row(v).array() > 0).count(), 4) << v;
    EXPECT_NEAR(b.weights.row(v).sum(), 1.0, 1e-9) << v;
  }
  const std::vector<std::string> names = model::OfficialJointNames(24);
  for (int j = 0; j < 22; ++j) EXPECT_GT(b.weights.col(j).sum(), 1.0) << names[static_cast<size_t>(j)];
  ASSERT_EQ(b.vertex_keypoints.size(), 11u);
  const Eigen::RowVector3d nose = b.vertices.row(b.vertex_keypoints[0].vertex);
  EXPECT_GT(nose.y(), 1.2 * b.joints(12, 1) - 0.2 * b.joints(0, 1));  // above the neck
  EXPECT_GT(nose.z(), b.joints(15, 2));                               // in front of the head joint
}

}  // namespace
}  // namespace resihmr::data
