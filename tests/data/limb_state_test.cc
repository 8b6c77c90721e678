#include "data/limb_state.h"

#include <gtest/gtest.h>

namespace resihmr::data {
namespace {

// An LDPose person with the given keypoints labelled (all others absent).
Observation Person(const std::vector<std::string>& labelled, const KeypointLayout& layout = LdPose25Layout()) {
  Observation o;
  o.layout = &layout;
  o.points = Eigen::MatrixX2d::Zero(layout.size(), 2);
  o.confidence = Eigen::VectorXd::Zero(layout.size());
  o.visibility = Eigen::VectorXi::Zero(layout.size());
  for (const std::string& name : labelled) {
    const int k = layout.Index(name);
    EXPECT_GE(k, 0) << name;
    o.points.row(k) << 100 + k, 200 + k;
    o.confidence[k] = 1;
    o.visibility[k] = 2;
  }
  return o;
}

LimbStatus Left(const std::vector<std::string>& labelled, bool arm = true) {
  return LimbStates(Person(labelled))[arm ? 0 : 2];
}

TEST(LimbState, TheThreeStatesOfTheRules) {
  EXPECT_EQ(Left({"left_elbow", "left_wrist"}).state, LimbState::kIntact);
  EXPECT_EQ(Left({"above_left_elbow_end"}).state, LimbState::kAboveJointLoss);
  EXPECT_EQ(Left({"left_elbow", "below_left_elbow_end"}).state, LimbState::kBelowJointLoss);
  EXPECT_EQ(Left({"left_knee", "left_ankle"}, false).state, LimbState::kIntact);
  EXPECT_EQ(Left({"above_left_knee_end"}, false).state, LimbState::kAboveJointLoss);
  EXPECT_EQ(Left({"left_knee", "below_left_knee_end"}, false).state, LimbState::kBelowJointLoss);
  const auto all = LimbStates(Person({"left_elbow", "left_wrist", "above_right_elbow_end", "left_knee",
                                      "below_left_knee_end", "right_knee", "right_ankle"}));
  EXPECT_EQ(all[0].state, LimbState::kIntact);
  EXPECT_EQ(all[1].state, LimbState::kAboveJointLoss);
  EXPECT_EQ(all[2].state, LimbState::kBelowJointLoss);
  EXPECT_EQ(all[3].state, LimbState::kIntact);
  EXPECT_EQ(LossLevelName(Limb::kRightArm, all[1].state), "above_elbow");
  EXPECT_EQ(LossLevelName(Limb::kLeftLeg, all[2].state), "below_knee");
}

TEST(LimbState, EveryConflictIsReportedNotGuessed) {
  const std::vector<std::vector<std::string>> conflicts = {
      {"left_elbow", "above_left_elbow_end"},                       // exclusive pair (7, 17)
      {"left_wrist", "below_left_elbow_end"},                       // exclusive pair (9, 19)
      {"left_elbow", "left_wrist", "below_left_elbow_end"},
      {"above_left_elbow_end", "below_left_elbow_end"},             // two endpoints
      {"left_wrist", "above_left_elbow_end"},                       // a wrist without an upper arm's end
  };
  for (const auto& labelled : conflicts) {
    const LimbStatus s = Left(labelled);
    EXPECT_EQ(s.state, LimbState::kUnknown) << labelled.front() << " + " << labelled.back();
    EXPECT_TRUE(s.conflict);
    EXPECT_NE(s.note.find("conflict"), std::string::npos);
  }
  // The leg's exclusive pairs (13, 21) and (15, 23).
  EXPECT_TRUE(Left({"left_knee", "above_left_knee_end"}, false).conflict);
  EXPECT_TRUE(Left({"left_ankle", "below_left_knee_end"}, false).conflict);
}

TEST(LimbState, OpenPatternsAreResolvedOnlyWithANote) {
  const LimbStatus occluded_elbow = Left({"left_wrist"});
  EXPECT_EQ(occluded_elbow.state, LimbState::kIntact);
  EXPECT_FALSE(occluded_elbow.note.empty());
  const LimbStatus endpoint_only = Left({"below_left_elbow_end"});
  EXPECT_EQ(endpoint_only.state, LimbState::kBelowJointLoss);
  EXPECT_FALSE(endpoint_only.note.empty());
  const LimbStatus nothing = Left({"left_elbow"});
  EXPECT_EQ(nothing.state, LimbState::kUnknown);
  EXPECT_FALSE(nothing.conflict);
  EXPECT_EQ(Left({}).state, LimbState::kUnknown);
}

TEST(LimbState, LayoutsWithoutEndpoints) {
  const auto coco = LimbStates(Person({"left_elbow", "left_wrist", "right_elbow"}, Coco17Layout()));
  EXPECT_EQ(coco[0].state, LimbState::kIntact);
  EXPECT_EQ(coco[1].state, LimbState::kUnknown);
  const auto body25 = LimbStates(Person({"LElbow", "LWrist", "RKnee", "RAnkle"}, Body25Layout()));
  EXPECT_EQ(body25[0].state, LimbState::kIntact);
  EXPECT_EQ(body25[3].state, LimbState::kIntact);
  EXPECT_EQ(body25[2].state, LimbState::kUnknown);
}

}  // namespace
}  // namespace resihmr::data
