// The synthetic stump shapes (data/stump_shapes.h) on a closed cylinder
// along z from the joint plane: the volumes of the reshaped solid against
// the profiles' integrals, and nothing moved at the joint plane.
#include "data/stump_shapes.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <cmath>

namespace resihmr::data {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using Faces = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

// A closed tube of radius r from z = 0 to z = length: rings of n vertices
// every length / rings, closed by a centre vertex at each end.
void Cylinder(double r, double length, int n, int rings, Matrix* v, Faces* f) {
  v->resize(n * (rings + 1) + 2, 3);
  for (int i = 0; i <= rings; ++i) {
    for (int j = 0; j < n; ++j) {
      const double a = 2 * M_PI * j / n;
      v->row(i * n + j) << r * std::cos(a), r * std::sin(a), length * i / rings;
    }
  }
  const int bottom = n * (rings + 1), top = bottom + 1;
  v->row(bottom) << 0, 0, 0;
  v->row(top) << 0, 0, length;
  std::vector<Eigen::Vector3i> faces;
  for (int i = 0; i < rings; ++i) {
    for (int j = 0; j < n; ++j) {
      const int a = i * n + j, b = i * n + (j + 1) % n, c = a + n, d = b + n;
      faces.emplace_back(a, b, d);
      faces.emplace_back(a, d, c);
    }
  }
  for (int j = 0; j < n; ++j) {
    faces.emplace_back(bottom, (j + 1) % n, j);
    faces.emplace_back(top, rings * n + j, rings * n + (j + 1) % n);
  }
  f->resize(static_cast<Eigen::Index>(faces.size()), 3);
  for (size_t i = 0; i < faces.size(); ++i) f->row(static_cast<Eigen::Index>(i)) = faces[i].transpose();
}

double Volume(const Matrix& v, const Faces& f) {
  double sum = 0;
  for (Eigen::Index i = 0; i < f.rows(); ++i) {
    sum += v.row(f(i, 0)).dot(v.row(f(i, 1)).cross(v.row(f(i, 2)))) / 6;
  }
  return sum;
}

TEST(StumpShapes, VolumesFollowTheProfiles) {
  const double r = 0.05, length = 0.2;
  Matrix v;
  Faces f;
  Cylinder(r, length, 128, 200, &v, &f);
  const double cylinder = Volume(v, f);
  EXPECT_NEAR(cylinder, M_PI * r * r * length, 1e-3 * cylinder);
  const std::vector<uint8_t> all(static_cast<size_t>(v.rows()), 1);
  const Eigen::Vector3d joint(0, 0, 0), axis(0, 0, 1);
  std::string why;
  // Conical, end ratio e: V = pi r^2 L (1 + e + e^2) / 3.
  StumpShape conical;
  conical.family = StumpFamily::kConical;
  conical.end_ratio = 0.5;
  Matrix a = v;
  ASSERT_TRUE(ReshapeStump(conical, joint, axis, length, all, &a, &why)) << why;
  EXPECT_NEAR(Volume(a, f), cylinder * (1 + 0.5 + 0.25) / 3, 2e-3 * cylinder);
  for (int j = 0; j < 128; ++j) EXPECT_EQ(a.row(j), v.row(j));  // the joint plane's ring stays
  // Soft tissue t stretches the distal 40%: V = pi r^2 (L + t (1 - 0.6))... for the cylindrical family with e = 1,
  // the side stretches by t over the last 40% and the end moves by t: V = pi r^2 (L + t).
  StumpShape tissue;
  tissue.family = StumpFamily::kCylindrical;
  tissue.end_ratio = 1.0;
  tissue.tissue_m = 0.04;
  Matrix b = v;
  ASSERT_TRUE(ReshapeStump(tissue, joint, axis, length, all, &b, &why)) << why;
  EXPECT_NEAR(Volume(b, f), M_PI * r * r * (length + 0.04), 2e-3 * cylinder);
  EXPECT_NEAR(b.row(v.rows() - 1).z(), length + 0.04, 1e-12);
  // Bulbous: rho = (1 + b sin(pi s)) (1 - (1 - e) s^3); its volume by quadrature.
  StumpShape bulbous;
  bulbous.family = StumpFamily::kBulbous;
  bulbous.end_ratio = 0.7;
  bulbous.bulge = 0.1;
  Matrix c = v;
  ASSERT_TRUE(ReshapeStump(bulbous, joint, axis, length, all, &c, &why)) << why;
  double integral = 0;
  for (int i = 0; i < 10000; ++i) {
    const double s = (i + 0.5) / 10000, rho = (1 + 0.1 * std::sin(M_PI * s)) * (1 - 0.3 * s * s * s);
    integral += rho * rho / 10000;
  }
  EXPECT_NEAR(Volume(c, f), cylinder * integral, 3e-3 * cylinder);
  // Transtibial on a cylinder: the mean radius falls to 0.625 of the proximal over the first 90%.
  StumpShape tt;
  tt.family = StumpFamily::kTranstibial;
  Matrix d = v;
  ASSERT_TRUE(ReshapeStump(tt, joint, axis, length, all, &d, &why)) << why;
  const int ring = static_cast<int>(0.95 * 200);
  EXPECT_NEAR(Eigen::Vector2d(d(ring * 128, 0), d(ring * 128, 1)).norm(), 0.625 * r, 0.01 * r);
  // Too few vertices: refused with a reason.
  std::vector<uint8_t> few(static_cast<size_t>(v.rows()), 0);
  few[0] = 1;
  Matrix e = v;
  EXPECT_FALSE(ReshapeStump(conical, joint, axis, length, few, &e, &why));
  EXPECT_FALSE(why.empty());
}

TEST(StumpShapes, DrawnShapesStayInTheirRanges) {
  std::mt19937 rng(3);
  int transtibial = 0;
  for (int i = 0; i < 300; ++i) {
    model::ResidualLimb limb;
    limb.limb = model::Limb::kLeftLeg;
    limb.level = i % 2 ? model::LossLevel::kBelowKnee : model::LossLevel::kAboveKnee;
    const StumpShape s = DrawStumpShape(limb, &rng);
    EXPECT_GE(s.end_ratio, 0.4);
    EXPECT_LE(s.end_ratio, 1.0);
    EXPECT_GE(s.tissue_m, 0.0);
    EXPECT_LE(s.tissue_m, 0.06);
    EXPECT_GE(s.roundness, 0.5);
    EXPECT_LE(s.roundness, 1.6);
    if (s.family == StumpFamily::kTranstibial) {
      EXPECT_EQ(limb.level, model::LossLevel::kBelowKnee);
      ++transtibial;
    }
    EXPECT_EQ(s.bulge > 0, s.family == StumpFamily::kBulbous);
  }
  EXPECT_GT(transtibial, 25);
}

}  // namespace
}  // namespace resihmr::data
