#include "geometry/stump_cap.h"

#include <Eigen/Geometry>
#include <cmath>

#include "model/error.h"

namespace resihmr::geometry {

CapResult CapLoop(RowMatrixX3d* vertices, RowMatrixX3i* faces, const std::vector<int>& loop,
                  const Eigen::Vector3d& outward, const CapOptions& options) {
  const size_t m = loop.size();
  if (m < 3) throw Error("the cut loop has fewer than 3 vertices");
  if (options.rings < 1 || !(options.height_ratio > 0)) throw Error("cap options: rings >= 1 and height_ratio > 0 expected");
  const Eigen::Vector3d n = outward.normalized();
  // Area centroid of the loop, in its plane.
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (int v : loop) mean += vertices->row(v).transpose();
  mean /= static_cast<double>(m);
  Eigen::Vector3d c = Eigen::Vector3d::Zero();
  double area = 0;
  for (size_t j = 0; j < m; ++j) {
    const Eigen::Vector3d a = vertices->row(loop[j]).transpose() - mean;
    const Eigen::Vector3d b = vertices->row(loop[(j + 1) % m]).transpose() - mean;
    const double t = a.cross(b).dot(n);
    area += t;
    c += t * (a + b) / 3.0;
  }
  c = std::abs(area) > 1e-18 ? Eigen::Vector3d(mean + c / area) : mean;
  // Star-shaped about c: the loop turns monotonically around it.
  double turn = 0;
  double sign = 0;
  for (size_t j = 0; j < m; ++j) {
    Eigen::Vector3d a = vertices->row(loop[j]).transpose() - c, b = vertices->row(loop[(j + 1) % m]).transpose() - c;
    a -= a.dot(n) * n;
    b -= b.dot(n) * n;
    const double step = std::atan2(a.cross(b).dot(n), a.dot(b));
    if (step != 0 && sign != 0 && (step > 0) != (sign > 0)) {
      throw Error("the cut loop is not star-shaped about its centre: a convex cap would cross itself");
    }
    if (step != 0) sign = step;
    turn += step;
  }
  if (std::abs(std::abs(turn) - 2 * M_PI) > 1e-6) throw Error("the cut loop does not wind once around its centre");
  double radius = 0;
  for (int v : loop) radius += (vertices->row(v).transpose() - c).norm();
  radius /= static_cast<double>(m);
  const double h = options.height_ratio * radius;

  CapResult out;
  out.centre = c;
  out.loop_radius = radius;
  const int R = options.rings;
  const Eigen::Index base = vertices->rows();
  out.first_vertex = static_cast<int>(base);
  vertices->conservativeResize(base + static_cast<Eigen::Index>((R - 1) * m + 1), 3);
  for (int i = 1; i < R; ++i) {
    const double t = M_PI / 2 * i / R;
    for (size_t j = 0; j < m; ++j) {
      const Eigen::Vector3d l = vertices->row(loop[j]).transpose();
      vertices->row(base + static_cast<Eigen::Index>((i - 1) * m + j)) =
          (c + std::cos(t) * (l - c) + h * std::sin(t) * n).transpose();
    }
  }
  out.apex = static_cast<int>(vertices->rows() - 1);
  vertices->row(out.apex) = (c + h * n).transpose();
  const auto ring = [&](int i, size_t j) {
    return i == 0 ? loop[j % m] : static_cast<int>(base + static_cast<Eigen::Index>((i - 1) * m + j % m));
  };
  const Eigen::Index f0 = faces->rows();
  out.first_face = static_cast<int>(f0);
  faces->conservativeResize(f0 + static_cast<Eigen::Index>((2 * (R - 1) + 1) * m), 3);
  Eigen::Index f = f0;
  for (int i = 0; i + 1 < R; ++i) {
    for (size_t j = 0; j < m; ++j) {
      // The mesh traverses ring(0, j) -> ring(0, j + 1); the cap goes the other way.
      faces->row(f++) << ring(i, j + 1), ring(i, j), ring(i + 1, j);
      faces->row(f++) << ring(i, j + 1), ring(i + 1, j), ring(i + 1, j + 1);
    }
  }
  for (size_t j = 0; j < m; ++j) faces->row(f++) << ring(R - 1, j + 1), ring(R - 1, j), out.apex;
  return out;
}

}  // namespace resihmr::geometry
