#include "learned/regressor.h"

#include <gtest/gtest.h>

#include "model/error.h"
#include "tests/learned/tiny_configs.h"

namespace resihmr::learned {
namespace {

TEST(Regressor, OutputShapesWithAndWithoutContext) {
  torch::manual_seed(0);
  Regressor r(TinyRegressor());
  const torch::Tensor image = torch::randn({2, 3, 32, 32});
  for (const torch::Tensor& context : {torch::randn({2, 8}), torch::Tensor()}) {
    const RegressorOutput out = r->forward(image, context);
    EXPECT_EQ(out.token_logits.sizes(), (std::vector<int64_t>{2, 4, 16}));
    EXPECT_EQ(out.betas.sizes(), (std::vector<int64_t>{2, 10}));
    EXPECT_EQ(out.global_orient.sizes(), (std::vector<int64_t>{2, 6}));
    EXPECT_EQ(out.camera.sizes(), (std::vector<int64_t>{2, 3}));
    EXPECT_GT(out.camera.select(1, 0).min().item<float>(), 0.0f);  // scale s > 0
  }
  EXPECT_THROW(r->forward(torch::randn({2, 3, 64, 64})), Error);
  EXPECT_THROW(r->forward(image, torch::randn({2, 9})), Error);
  RegressorConfig odd;
  odd.image_size = 250;  // not a multiple of the patch
  EXPECT_THROW(Regressor{odd}, Error);
}

TEST(Regressor, OneOptimiserStepLowersTheLossOnAFixedBatch) {
  torch::manual_seed(1);
  Regressor r(TinyRegressor());
  const torch::Tensor image = torch::randn({4, 3, 32, 32}), context = torch::randn({4, 8});
  const torch::Tensor tokens = torch::randint(0, 16, {4, 4}), betas = torch::randn({4, 10});
  torch::optim::Adam adam(r->parameters(), torch::optim::AdamOptions(1e-3));
  const auto loss = [&] {
    const RegressorOutput out = r->forward(image, context);
    return torch::nn::functional::cross_entropy(out.token_logits.reshape({-1, 16}), tokens.reshape(-1)) +
           torch::mse_loss(out.betas, betas);
  };
  const torch::Tensor before = loss();
  adam.zero_grad();
  before.backward();
  adam.step();
  EXPECT_LT(loss().item<double>(), before.item<double>());
}

TEST(Regressor, CameraTranslationIsHmr2s) {
  // s = 0.8 on a 256-pixel crop with f = 5000: t_z = 2 * 5000 / (256 * 0.8).
  const torch::Tensor t = CameraTranslation(torch::tensor({{0.8, 0.1, -0.2}}, torch::kDouble), 5000.0);
  EXPECT_NEAR(t[0][0].item<double>(), 0.1, 1e-12);
  EXPECT_NEAR(t[0][1].item<double>(), -0.2, 1e-12);
  EXPECT_NEAR(t[0][2].item<double>(), 2 * 5000.0 / (256 * 0.8), 1e-9);
  EXPECT_THROW(CameraTranslation(torch::zeros({2, 2}), 5000.0), Error);
}

}  // namespace
}  // namespace resihmr::learned
