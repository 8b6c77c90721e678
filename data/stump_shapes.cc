#include "data/stump_shapes.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace resihmr::data {
namespace {

double SmoothStep(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

constexpr int kBins = 10;

}  // namespace

std::string StumpFamilyName(StumpFamily family) {
  switch (family) {
    case StumpFamily::kConical: return "conical";
    case StumpFamily::kCylindrical: return "cylindrical";
    case StumpFamily::kBulbous: return "bulbous";
    case StumpFamily::kTranstibial: return "transtibial";
  }
  return "conical";
}

StumpShape DrawStumpShape(const model::ResidualLimb& limb, std::mt19937* rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  StumpShape s;
  const bool below_knee = limb.level == model::LossLevel::kBelowKnee;
  if (below_knee && u(*rng) < 1.0 / 3.0) {
    s.family = StumpFamily::kTranstibial;
  } else {
    s.family = static_cast<StumpFamily>(std::min(2, static_cast<int>(3 * u(*rng))));
  }
  s.end_ratio = 0.4 + 0.6 * u(*rng);
  s.bulge = s.family == StumpFamily::kBulbous ? 0.05 + 0.10 * u(*rng) : 0.0;
  s.tissue_m = 0.060 * u(*rng);
  s.roundness = 0.5 + 1.1 * u(*rng);
  return s;
}

bool ReshapeStump(const StumpShape& shape, const Eigen::Vector3d& joint_t, const Eigen::Vector3d& axis, double length,
                  const std::vector<uint8_t>& limb, Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>* vertices,
                  std::string* why) {
  const Eigen::Index V = vertices->rows();
  std::vector<Eigen::Index> moved;
  for (Eigen::Index v = 0; v < V; ++v) {
    if (limb[static_cast<size_t>(v)]) moved.push_back(v);
  }
  if (moved.size() < 20 || !(length > 0)) {
    *why = "the limb has too few vertices to shape";
    return false;
  }
  // The model's mean radius per tenth of the length (transtibial's reference).
  std::array<double, kBins> radius_sum{}, count{};
  double proximal = 0, proximal_n = 0;
  for (Eigen::Index v : moved) {
    const Eigen::Vector3d x = vertices->row(v).transpose() - joint_t;
    const double a = x.dot(axis), r = (x - a * axis).norm(), s = a / length;
    if (s < 0 || s > 1) continue;
    const int bin = std::min(kBins - 1, static_cast<int>(s * kBins));
    radius_sum[static_cast<size_t>(bin)] += r;
    count[static_cast<size_t>(bin)] += 1;
    if (s < 0.1) {
      proximal += r;
      proximal_n += 1;
    }
  }
  const auto model_radius = [&](double s) {  // the nearest non-empty bin's mean
    double best = -1, near = 1e9;
    for (int b = 0; b < kBins; ++b) {
      if (count[static_cast<size_t>(b)] == 0) continue;
      const double centre = (b + 0.5) / kBins, d = std::abs(centre - s);
      if (d < near) {
        near = d;
        best = radius_sum[static_cast<size_t>(b)] / count[static_cast<size_t>(b)];
      }
    }
    return best;
  };
  const double e = shape.end_ratio;
  const auto rho = [&](double s) {
    s = std::clamp(s, 0.0, 1.0);
    switch (shape.family) {
      case StumpFamily::kConical: return 1 - (1 - e) * s;
      case StumpFamily::kCylindrical: return 1 - (1 - e) * SmoothStep((s - 0.75) / 0.25);
      case StumpFamily::kBulbous: return (1 + shape.bulge * std::sin(M_PI * s)) * (1 - (1 - e) * s * s * s);
      case StumpFamily::kTranstibial: {
        const double reference = model_radius(s);
        if (!(proximal_n > 0) || !(reference > 0)) return 1.0;
        // Blend in from the joint plane so that nothing moves there.
        const double target = (proximal / proximal_n) * (1 - 0.375 * std::min(s / 0.9, 1.0));
        return 1 + SmoothStep(s / 0.1) * (target / reference - 1);
      }
    }
    return 1.0;
  };
  const double t = shape.tissue_m;
  for (Eigen::Index v : moved) {
    const Eigen::Vector3d x = vertices->row(v).transpose() - joint_t;
    const double a = x.dot(axis), s = a / length;
    const Eigen::Vector3d r = x - a * axis;
    double a2 = a;
    if (s > 1) {
      a2 = length + t + shape.roundness * (a - length);
    } else if (s > 0.6) {
      a2 = a + t * std::pow((s - 0.6) / 0.4, 2);
    }
    vertices->row(v) = (joint_t + a2 * axis + rho(s) * r).transpose();
  }
  return true;
}

}  // namespace resihmr::data
