#include "learned/rotation_6d.h"

#include <gtest/gtest.h>

#include "model/rotation.h"

namespace resihmr::learned {
namespace {

torch::Tensor RandomAxisAngle(int n, double max_angle, uint64_t seed) {
  torch::manual_seed(seed);
  const torch::Tensor axis =
      torch::nn::functional::normalize(torch::randn({n, 3}, torch::kDouble), torch::nn::functional::NormalizeFuncOptions().dim(-1));
  return axis * (torch::rand({n, 1}, torch::kDouble) * max_angle);
}

TEST(Rotation6d, AxisAngleMatchesTheModelsRodrigues) {
  const torch::Tensor aa = RandomAxisAngle(200, M_PI, 1);
  const torch::Tensor R = AxisAngleToMatrix(aa);
  for (int i = 0; i < 200; ++i) {
    double expected[9];
    const double v[3] = {aa[i][0].item<double>(), aa[i][1].item<double>(), aa[i][2].item<double>()};
    model::AxisAngleToRotation(v, expected);
    for (int k = 0; k < 9; ++k) EXPECT_NEAR(R[i][k / 3][k % 3].item<double>(), expected[k], 1e-12);
  }
}

TEST(Rotation6d, RoundTrips) {
  // Angles up to pi, including the axis-angle map's hard end.
  torch::Tensor aa = RandomAxisAngle(500, M_PI, 2);
  aa[0] = torch::tensor({M_PI, 0.0, 0.0}, torch::kDouble);
  aa[1] = torch::tensor({0.0, 0.0, 1e-9}, torch::kDouble);
  const torch::Tensor R = AxisAngleToMatrix(aa);
  EXPECT_LT((AxisAngleToMatrix(MatrixToAxisAngle(R)) - R).abs().max().item<double>(), 1e-9);
  EXPECT_LT((Rotation6dToMatrix(MatrixToRotation6d(R)) - R).abs().max().item<double>(), 1e-12);
  EXPECT_LT((MatrixToAxisAngle(R) - aa).narrow(0, 1, 499).abs().max().item<double>(), 1e-9);
  // The 6D layout: the first two columns.
  EXPECT_TRUE(torch::equal(MatrixToRotation6d(R).narrow(-1, 0, 3), R.select(-1, 0)));
  EXPECT_TRUE(torch::equal(MatrixToRotation6d(R).narrow(-1, 3, 3), R.select(-1, 1)));
}

TEST(Rotation6d, AnySixVectorGivesARotation) {
  torch::manual_seed(3);
  const torch::Tensor R = Rotation6dToMatrix(torch::randn({100, 4, 6}, torch::kDouble));
  ASSERT_EQ(R.sizes(), (std::vector<int64_t>{100, 4, 3, 3}));
  const torch::Tensor RtR = torch::matmul(R.transpose(-1, -2), R);
  EXPECT_LT((RtR - torch::eye(3, torch::kDouble)).abs().max().item<double>(), 1e-12);
  EXPECT_LT((torch::det(R) - 1).abs().max().item<double>(), 1e-12);
}

TEST(Rotation6d, GeodesicAngle) {
  const torch::Tensor a = AxisAngleToMatrix(torch::tensor({{0.0, 0.3, 0.0}}, torch::kDouble));
  const torch::Tensor b = AxisAngleToMatrix(torch::tensor({{0.0, -0.2, 0.0}}, torch::kDouble));
  EXPECT_NEAR(GeodesicAngle(a, b)[0].item<double>(), 0.5, 1e-6);
}

}  // namespace
}  // namespace resihmr::learned
