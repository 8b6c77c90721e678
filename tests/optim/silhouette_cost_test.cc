// The silhouette term's analytic Jacobian against central differences, its
// residuals against their definition, and zeroed joints' columns.
#include "optim/silhouette_cost.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "data/keypoint_layout.h"
#include "model/forward_pass.h"
#include "tests/support/synthetic_person.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

constexpr int kWidth = 1280, kHeight = 960;

// A distance field over the whole image at a quarter of its resolution: the
// distance from a disc of radius 60 px round (640, 480), 0 inside.
DistanceField DiscField() {
  const double scale = 0.25;
  const int rows = static_cast<int>(kHeight * scale), cols = static_cast<int>(kWidth * scale);
  std::vector<double> values(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const double x = (c + 0.5) / scale, y = (r + 0.5) / scale;
      values[static_cast<size_t>(r) * cols + c] = std::max(0.0, std::hypot(x - 640, y - 480) - 60);
    }
  }
  return DistanceField(std::move(values), rows, cols, 0, 0, scale, kWidth, kHeight);
}

struct Probe {
  std::vector<double> orient, body, betas, transl;
  std::vector<int> rim;
  std::vector<ContourMatch> matches;
};

Probe MakeProbe(const model::BodyModel& m, const model::PinholeCamera& camera, std::mt19937* rng) {
  const testing::SyntheticPerson p = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 0.0, rng);
  Probe s;
  s.orient.assign(p.params.pose.data(), p.params.pose.data() + 3);
  for (int j = 1; j < m.num_joints(); ++j) {
    for (int a = 0; a < 3; ++a) s.body.push_back(p.params.pose(j, a) + 0.03);
  }
  s.betas.assign(p.params.betas.data(), p.params.betas.data() + m.num_betas);
  s.transl.assign(p.params.transl.data(), p.params.transl.data() + 3);
  s.transl[2] += 3.0;  // the whole body inside the image
  std::uniform_int_distribution<int> vertex(0, m.num_vertices() - 1);
  std::uniform_real_distribution<double> where(200, 900), angle(0, 2 * M_PI);
  for (int i = 0; i < 25; ++i) s.rim.push_back(vertex(*rng));
  for (int i = 0; i < 20; ++i) {
    const double a = angle(*rng);
    s.matches.push_back({i % 25, where(*rng), where(*rng) * 0.8, std::cos(a), std::sin(a)});
  }
  return s;
}

TEST(SilhouetteCost, JacobianMatchesCentralDifferences) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(kWidth, kHeight);
  const DistanceField field = DiscField();
  std::mt19937 rng(11);
  for (int trial = 0; trial < 2; ++trial) {
    Probe s = MakeProbe(m, camera, &rng);
    const SilhouetteCost cost(m, camera, &field, s.rim, s.matches, 10.0, 0.7, 1.3);
    ASSERT_EQ(cost.num_residuals(), 45);
    std::vector<std::vector<double>*> blocks = {&s.orient, &s.body, &s.betas, &s.transl};
    const int n = cost.num_residuals();
    std::vector<double> r(n), rp(n), rm(n);
    std::vector<std::vector<double>> jac(4);
    double* jacobians[4];
    for (int b = 0; b < 4; ++b) {
      jac[b].resize(static_cast<size_t>(n) * blocks[b]->size());
      jacobians[b] = jac[b].data();
    }
    const double* params[] = {s.orient.data(), s.body.data(), s.betas.data(), s.transl.data()};
    ASSERT_TRUE(cost.Evaluate(params, r.data(), jacobians));
    double largest = 0;
    for (int b = 0; b < 4; ++b) {
      const int size = static_cast<int>(blocks[b]->size());
      for (int c = 0; c < size; ++c) {
        double& x = (*blocks[b])[static_cast<size_t>(c)];
        const double keep = x, h = 1e-6;
        x = keep + h;
        ASSERT_TRUE(cost.Evaluate(params, rp.data(), nullptr));
        x = keep - h;
        ASSERT_TRUE(cost.Evaluate(params, rm.data(), nullptr));
        x = keep;
        for (int i = 0; i < n; ++i) {
          const double numeric = (rp[i] - rm[i]) / (2 * h);
          largest = std::max(largest, std::abs(numeric));
          EXPECT_NEAR(jac[b][static_cast<size_t>(i * size + c)], numeric, 2e-4 * (1 + std::abs(numeric)))
              << "block " << b << ", residual " << i << ", parameter " << c;
        }
      }
    }
    EXPECT_GT(largest, 1.0);  // the test moved something
  }
}

TEST(SilhouetteCost, ResidualsFollowTheirDefinition) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(kWidth, kHeight);
  const DistanceField field = DiscField();
  std::mt19937 rng(12);
  Probe s = MakeProbe(m, camera, &rng);
  const double rho = 10, so = 0.7, sc = 1.3;
  const SilhouetteCost cost(m, camera, &field, s.rim, s.matches, rho, so, sc);
  std::vector<double> r(static_cast<size_t>(cost.num_residuals()));
  const double* params[] = {s.orient.data(), s.body.data(), s.betas.data(), s.transl.data()};
  ASSERT_TRUE(cost.Evaluate(params, r.data(), nullptr));
  // The mesh by the full forward pass.
  std::vector<double> pose(s.orient);
  pose.insert(pose.end(), s.body.begin(), s.body.end());
  std::vector<double> shape(static_cast<size_t>(m.num_shape()), 0.0);
  std::copy(s.betas.begin(), s.betas.end(), shape.begin());
  model::RowMatrixX3d vertices(m.num_vertices(), 3);
  model::PoseMesh(m, shape.data(), pose.data(), s.transl.data(), static_cast<const uint8_t*>(nullptr), vertices.data(),
                  static_cast<double*>(nullptr));
  const auto gmof = [&](double e) { return rho * e / std::sqrt(e * e + rho * rho); };
  const auto project = [&](int v) {
    Eigen::Vector2d uv;
    camera.Project(&vertices(v, 0), uv.data());
    return uv;
  };
  int inside_image = 0;
  for (size_t i = 0; i < s.rim.size(); ++i) {
    const Eigen::Vector2d uv = project(s.rim[i]);
    double d, dx, dy;
    field.Evaluate(uv.x(), uv.y(), &d, &dx, &dy);
    const bool in_image = uv.x() >= 0 && uv.y() >= 0 && uv.x() < kWidth && uv.y() < kHeight;
    const double exact = in_image ? std::max(0.0, std::hypot(uv.x() - 640, uv.y() - 480) - 60) : 0.0;
    EXPECT_NEAR(d, exact, 0.05 * exact + 0.5) << uv.transpose();  // bicubic interpolation; 0 outside the image
    inside_image += in_image && exact > 0;
    EXPECT_NEAR(r[i], so * gmof(d), 1e-9);
  }
  EXPECT_GT(inside_image, 20);
  for (size_t k = 0; k < s.matches.size(); ++k) {
    const ContourMatch& c = s.matches[k];
    const Eigen::Vector2d uv = project(s.rim[static_cast<size_t>(c.rim_index)]);
    EXPECT_NEAR(r[s.rim.size() + k], sc * gmof(c.nx * (uv.x() - c.x) + c.ny * (uv.y() - c.y)), 1e-9);
  }
}

TEST(SilhouetteCost, ZeroedJointsHaveZeroColumns) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(kWidth, kHeight);
  const DistanceField field = DiscField();
  std::mt19937 rng(13);
  Probe s = MakeProbe(m, camera, &rng);
  std::vector<uint8_t> zeroed(static_cast<size_t>(m.num_joints()), 0);
  const int ankle = m.JointIndex("left_ankle"), foot = m.JointIndex("left_foot");
  zeroed[static_cast<size_t>(ankle)] = zeroed[static_cast<size_t>(foot)] = 1;
  const SilhouetteCost cost(m, camera, &field, s.rim, s.matches, 10.0, 1.0, 1.0, zeroed.data());
  const int n = cost.num_residuals(), P = 3 * (m.num_joints() - 1);
  std::vector<double> r(n), j0(3 * n), j1(static_cast<size_t>(n) * P), j2(static_cast<size_t>(n) * m.num_betas), j3(3 * n);
  double* jacobians[] = {j0.data(), j1.data(), j2.data(), j3.data()};
  const double* params[] = {s.orient.data(), s.body.data(), s.betas.data(), s.transl.data()};
  ASSERT_TRUE(cost.Evaluate(params, r.data(), jacobians));
  double other = 0;
  for (int i = 0; i < n; ++i) {
    for (int c = 0; c < P; ++c) {
      const int joint = c / 3 + 1;
      const double v = j1[static_cast<size_t>(i * P + c)];
      if (joint == ankle || joint == foot) {
        EXPECT_EQ(v, 0.0) << "residual " << i << ", joint " << joint;
      } else {
        other = std::max(other, std::abs(v));
      }
    }
  }
  EXPECT_GT(other, 0.0);
}

TEST(DistanceField, ZeroOutsideTheImageAndNeverNegative) {
  const DistanceField field = DiscField();
  double d, dx, dy;
  EXPECT_FALSE(field.Evaluate(-1, 100, &d, &dx, &dy));
  EXPECT_EQ(d, 0.0);
  EXPECT_FALSE(field.Evaluate(100, kHeight + 0.5, &d, &dx, &dy));
  EXPECT_TRUE(field.Evaluate(640, 480, &d, &dx, &dy));
  EXPECT_EQ(d, 0.0);  // inside the disc
  EXPECT_TRUE(field.Evaluate(100, 100, &d, &dx, &dy));
  EXPECT_NEAR(d, std::hypot(540, 380) - 60, 1.0);
  EXPECT_LT(dx, 0);  // growing away from the disc
  EXPECT_LT(dy, 0);
}

}  // namespace
}  // namespace resihmr::optim
