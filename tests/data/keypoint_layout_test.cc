#include "data/keypoint_layout.h"

#include <gtest/gtest.h>

#include <set>

#include "model/skeleton_tables.h"

namespace resihmr::data {
namespace {

std::string Mirror(std::string name) {
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{{"left", "right"}, {"right", "left"}}) {
    const size_t at = name.find(a);
    if (at != std::string::npos) return name.replace(at, a.size(), b);
  }
  if (!name.empty() && (name[0] == 'L' || name[0] == 'R') && name.size() > 1 && std::isupper(name[1])) {
    name[0] = name[0] == 'L' ? 'R' : 'L';
  }
  return name;
}

TEST(KeypointLayout, TablesAreConsistent) {
  for (const KeypointLayout* l : {&Coco17Layout(), &LdPose25Layout(), &Body25Layout()}) {
    SCOPED_TRACE(l->name);
    const int n = l->size();
    EXPECT_EQ(static_cast<int>(l->oks_sigmas.size()), n);
    EXPECT_EQ(static_cast<int>(l->targets.size()), n);
    EXPECT_EQ(std::set<std::string>(l->names.begin(), l->names.end()).size(), l->names.size());
    for (const auto& link : l->skeleton) {
      EXPECT_TRUE(link[0] >= 0 && link[0] < n && link[1] >= 0 && link[1] < n && link[0] != link[1]);
    }
    std::set<int> flipped;
    for (const auto& pair : l->flip_pairs) {
      EXPECT_EQ(Mirror(l->names[static_cast<size_t>(pair[0])]), l->names[static_cast<size_t>(pair[1])]);
      EXPECT_DOUBLE_EQ(l->oks_sigmas[static_cast<size_t>(pair[0])], l->oks_sigmas[static_cast<size_t>(pair[1])]);
      EXPECT_TRUE(flipped.insert(pair[0]).second && flipped.insert(pair[1]).second);
    }
    // Every keypoint whose name has a side is in a flip pair; the others are not.
    for (int k = 0; k < n; ++k) {
      EXPECT_EQ(Mirror(l->names[static_cast<size_t>(k)]) != l->names[static_cast<size_t>(k)], flipped.count(k) == 1)
          << l->names[static_cast<size_t>(k)];
    }
    for (double s : l->oks_sigmas) EXPECT_TRUE(s > 0 && s < 0.2);
    EXPECT_EQ(LayoutByName(l->name), l);
    EXPECT_EQ(LayoutByKeypointNames(l->names), l);
  }
}

TEST(KeypointLayout, LdPoseExtendsCocoAsMethodSays) {
  const KeypointLayout& ld = LdPose25Layout();
  ASSERT_EQ(ld.size(), 25);
  for (int k = 0; k < 17; ++k) EXPECT_EQ(ld.names[static_cast<size_t>(k)], Coco17Layout().names[static_cast<size_t>(k)]);
  EXPECT_EQ(ld.names[17], "above_left_elbow_end");
  EXPECT_EQ(ld.names[24], "below_right_knee_end");
  const std::vector<std::array<int, 2>> exclusive = {{7, 17}, {8, 18}, {9, 19}, {10, 20}, {13, 21}, {14, 22}, {15, 23}, {16, 24}};
  EXPECT_EQ(ld.exclusive_pairs, exclusive);
  const std::vector<double> sigmas = {0.072, 0.072, 0.062, 0.062, 0.087, 0.087, 0.089, 0.089};
  EXPECT_EQ(std::vector<double>(ld.oks_sigmas.begin() + 17, ld.oks_sigmas.end()), sigmas);
  for (const auto& link : std::vector<std::array<int, 2>>{{5, 17}, {7, 19}, {11, 21}, {13, 23}}) {
    EXPECT_NE(std::find(ld.skeleton.begin(), ld.skeleton.end(), link), ld.skeleton.end());
  }
  for (int k = 17; k < 25; ++k) EXPECT_EQ(ld.targets[static_cast<size_t>(k)].kind, TargetKind::kResidualEndpoint);
}

TEST(KeypointLayout, Body25TargetsAreMethodsSmplxJoints) {
  // METHOD.md: SMPL-X joint for each BODY_25 keypoint; 55.. are vertex keypoints in the official order.
  const std::vector<int> smplx = {55, 12, 17, 19, 21, 16, 18, 20, 0, 2, 5, 8, 1, 4, 7, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65};
  const std::vector<std::string> joints = model::OfficialJointNames(55);
  const std::vector<model::VertexKeypoint> vertex = model::OfficialVertexKeypoints(10475);
  const KeypointLayout& b = Body25Layout();
  for (int k = 0; k < 25; ++k) {
    const int index = smplx[static_cast<size_t>(k)];
    const std::string expected = index < 55 ? joints[static_cast<size_t>(index)] : vertex[static_cast<size_t>(index - 55)].name;
    EXPECT_EQ(b.targets[static_cast<size_t>(k)].name, expected) << b.names[static_cast<size_t>(k)];
    EXPECT_EQ(b.targets[static_cast<size_t>(k)].kind == TargetKind::kVertexKeypoint, index >= 55);
  }
}

TEST(KeypointLayout, CocoHipsAreDownWeighted) {
  EXPECT_LT(Coco17Layout().targets[11].weight, 1.0);
  EXPECT_LT(Coco17Layout().targets[12].weight, 1.0);
  EXPECT_DOUBLE_EQ(Coco17Layout().targets[13].weight, 1.0);
}

}  // namespace
}  // namespace resihmr::data
