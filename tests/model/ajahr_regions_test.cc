#include "model/ajahr_regions.h"

#include <gtest/gtest.h>

#include "model/error.h"
#include "model/limb_topology.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

TEST(AjahrRegions, JointSetsAreAjahrs) {
  const BodyModel& m = testing::EmbeddedModel();
  const std::vector<std::vector<int>> expected = {{21, 23}, {19, 21, 23}, {17, 19, 21, 23}, {20, 22},
                                                  {18, 20, 22}, {16, 18, 20, 22}, {7, 10}, {4, 7, 10},
                                                  {1, 4, 7, 10}, {8, 11}, {5, 8, 11}, {2, 5, 8, 11}, {}};
  for (int r = 0; r <= kAjahrNone; ++r) {
    EXPECT_EQ(AjahrZeroedJoints(m, r), expected[static_cast<size_t>(r)]) << AjahrRegionName(r);
    EXPECT_EQ(AjahrRegionFromName(AjahrRegionName(r)), r);
  }
  EXPECT_EQ(AjahrRegionName(7), "left_knee");
  EXPECT_EQ(AjahrRegionFromName("left_ear"), -1);
  EXPECT_THROW(AjahrZeroedJoints(m, 13), Error);
  EXPECT_THROW(AjahrZeroedJoints(m, -1), Error);
}

TEST(AjahrRegions, SmplxHandsZeroTheFingerJoints) {
  testing::RandomModelOptions o;
  o.num_joints = 55;
  o.num_expression = 10;
  const BodyModel m = testing::RandomBodyModel(o);
  const std::vector<int> hand = AjahrZeroedJoints(m, AjahrRegionFromName("left_hand"));
  ASSERT_EQ(hand.size(), 16u);  // wrist + 15 finger joints
  EXPECT_EQ(hand[0], 20);
  EXPECT_EQ(hand[1], 25);
  EXPECT_EQ(hand.back(), 39);
}

// A residual limb's BPAC class names the AJAHR region of that limb, and the
// class reads back as the same limb and level.
TEST(AjahrRegions, BpacClassesOfResidualLimbsRoundTrip) {
  for (const Limb limb : {Limb::kLeftArm, Limb::kRightArm, Limb::kLeftLeg, Limb::kRightLeg}) {
    for (const LossLevel level : {LossLevel::kAboveElbow, LossLevel::kBelowElbow, LossLevel::kAboveKnee,
                                  LossLevel::kBelowKnee}) {
      if (!LevelFitsLimb(limb, level)) continue;
      const ResidualLimb r{limb, level};
      const int head = BpacHeadOf(limb), cls = BpacClassOf(level);
      EXPECT_EQ(AjahrRegionOfBpacClass(head, cls), AjahrRegionOf(r)) << LimbName(limb) << " " << LossLevelName(level);
      const ResidualLimb back = ResidualLimbOfBpacClass(head, cls);
      EXPECT_EQ(back.limb, limb);
      EXPECT_EQ(back.level, level);
    }
    EXPECT_EQ(ResidualLimbOfBpacClass(BpacHeadOf(limb), kBpacIntact).level, LossLevel::kNone);
    // Class 0 (hand or foot lost) reads as the level below the elbow or knee.
    EXPECT_EQ(ResidualLimbOfBpacClass(BpacHeadOf(limb), 0).level,
              IsArm(limb) ? LossLevel::kBelowElbow : LossLevel::kBelowKnee);
  }
  EXPECT_THROW(ResidualLimbOfBpacClass(4, 0), Error);
  EXPECT_THROW(ResidualLimbOfBpacClass(0, 4), Error);
}

}  // namespace
}  // namespace resihmr::model
