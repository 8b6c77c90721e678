#include "learned/bpac_net.h"

#include <gtest/gtest.h>

#include "learned/crop_set.h"
#include "model/ajahr_regions.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "tests/learned/tiny_configs.h"
#include "tests/support/test_models.h"

namespace resihmr::learned {
namespace {

TEST(BpacNet, OutputShapesAndBadInput) {
  torch::manual_seed(0);
  BpacNet net(TinyBpacNet());
  const BpacNetOutput out = net->forward(torch::randn({3, 15, 64, 64}));
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{3, 4, 4}));
  EXPECT_EQ(out.context.sizes(), (std::vector<int64_t>{3, 32}));
  // The full-size network: ResNet-34 with CBAM, 1280-d context.
  BpacNet full;
  full->eval();
  const BpacNetOutput big = full->forward(torch::randn({1, 15, 256, 256}));
  EXPECT_EQ(big.context.sizes(), (std::vector<int64_t>{1, 1280}));
  int64_t parameters = 0;
  for (const torch::Tensor& p : full->parameters()) parameters += p.numel();
  EXPECT_GT(parameters, 21'000'000);  // ResNet-34 has 21.3M without its classifier
  EXPECT_LT(parameters, 23'500'000);
  try {
    net->forward(torch::randn({1, 3, 64, 64}));
    FAIL() << "an RGB-only image was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[B, 15, 64, 64] expected"), std::string::npos) << e.what();
  }
}

TEST(BpacNet, OneOptimiserStepLowersTheLossOnAFixedBatch) {
  torch::manual_seed(1);
  BpacNet net(TinyBpacNet());
  const torch::Tensor x = torch::randn({8, 15, 64, 64});
  const torch::Tensor labels = torch::randint(0, 4, {8, 4});
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  const auto loss = [&] {
    return torch::nn::functional::cross_entropy(net->forward(x).logits.reshape({-1, 4}), labels.reshape(-1));
  };
  const torch::Tensor before = loss();
  adam.zero_grad();
  before.backward();
  adam.step();
  EXPECT_LT(loss().item<double>(), before.item<double>());
}

TEST(BpacNet, HeatmapsPeakAtTheKeypoints) {
  const torch::Tensor k = torch::tensor({{10.0, 20.0}, {30.0, 5.0}});
  const torch::Tensor maps = KeypointHeatmaps(k, torch::tensor({2, 0}), 64, 2.0);
  ASSERT_EQ(maps.sizes(), (std::vector<int64_t>{2, 64, 64}));
  EXPECT_FLOAT_EQ(maps[0][20][10].item<float>(), 1.0f);
  EXPECT_EQ(maps[0].argmax().item<int64_t>(), 20 * 64 + 10);
  EXPECT_NEAR(maps[0][20][12].item<float>(), std::exp(-4.0 / 8.0), 1e-6);  // 2 px away, sigma 2
  EXPECT_EQ(maps[1].abs().sum().item<float>(), 0.0f);                       // not visible
}

// A batch of keypoint sets gives the same maps as each set alone, and the
// network's input is the normalised image followed by the maps of COCO 5..16.
TEST(BpacNet, BatchedHeatmapsAndTheInputOfACropBatch) {
  torch::manual_seed(3);
  const torch::Tensor k = torch::rand({2, 17, 2}) * 48;
  torch::Tensor visible = torch::ones({2, 17}, torch::kBool);
  visible[1][7] = false;
  const torch::Tensor batched = KeypointHeatmaps(k, visible, 48);
  ASSERT_EQ(batched.sizes(), (std::vector<int64_t>{2, 17, 48, 48}));
  for (int b = 0; b < 2; ++b) EXPECT_TRUE(torch::allclose(batched[b], KeypointHeatmaps(k[b], visible[b], 48)));
  const torch::Tensor images = torch::full({2, 3, 48, 48}, 255, torch::kUInt8);
  const torch::Tensor x = BpacInput(images, k, visible);
  ASSERT_EQ(x.sizes(), (std::vector<int64_t>{2, 15, 48, 48}));
  EXPECT_NEAR(x[0][0][0][0].item<float>(), (1 - 0.485) / 0.229, 1e-5);  // white, normalised
  EXPECT_TRUE(torch::allclose(x.narrow(1, 3, 12), batched.narrow(1, 5, 12)));
  EXPECT_EQ(x[1][3 + 2].abs().sum().item<float>(), 0.0f);  // keypoint 7 of crop 1 is not visible
  EXPECT_THROW(BpacInput(images, k.narrow(1, 0, 12), visible), Error);
}

// BPAC-Net's classes to AJAHR joint zeroing agree with model/'s residual-limb
// mapping, and the zeroed pose collapses the limb onto its joint.
TEST(BpacNet, ClassesZeroTheJointsOfTheMatchingRegion) {
  const model::BodyModel& m = testing::EmbeddedModel();
  // Head 2 (left leg) class 1 (knee) is ResiHMR's below-knee on the left leg.
  EXPECT_EQ(model::AjahrRegionOfBpacClass(2, 1), model::AjahrRegionOf({model::Limb::kLeftLeg, model::LossLevel::kBelowKnee}));
  EXPECT_EQ(model::AjahrRegionOfBpacClass(0, 2), model::AjahrRegionOf({model::Limb::kRightArm, model::LossLevel::kAboveElbow}));
  EXPECT_EQ(model::AjahrRegionOfBpacClass(3, 3), model::kAjahrNone);
  const std::vector<int> zeroed = model::ZeroedJointsOfBpacClasses(m, {3, 3, 1, 3});
  EXPECT_EQ(zeroed, model::AjahrZeroedJoints(m, model::AjahrRegionFromName("left_knee")));
  EXPECT_THROW(model::ZeroedJointsOfBpacClasses(m, {3, 3, 4, 3}), Error);
  model::BodyParams p = model::BodyParams::Zero(m);
  p.zeroed_joints = zeroed;
  const model::PosedBody posed = model::PoseBody(m, p, false);
  const int knee = m.JointIndex("left_knee"), ankle = m.JointIndex("left_ankle");
  EXPECT_LT((posed.joints.row(ankle) - posed.joints.row(knee)).norm(), 1e-9);
}

}  // namespace
}  // namespace resihmr::learned
