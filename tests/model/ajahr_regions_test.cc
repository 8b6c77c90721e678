#include "model/ajahr_regions.h"

#include <gtest/gtest.h>

#include "model/error.h"
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

}  // namespace
}  // namespace resihmr::model
