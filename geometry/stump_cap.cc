#include "geometry/stump_cap.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <optional>

#include "model/error.h"

namespace resihmr::geometry {
namespace {

// The centroid of the kernel of a planar loop (the points from which the
// whole loop is seen, the intersection of the inner half-planes of its
// edges, here shrunk by 0.1% of the loop's size so that the point is
// strictly inside), projected along n; nullopt when the kernel is empty.
std::optional<Eigen::Vector3d> KernelCentroid(const RowMatrixX3d& vertices, const std::vector<int>& loop,
                                              const Eigen::Vector3d& n) {
  const size_t m = loop.size();
  Eigen::Vector3d e1 = n.unitOrthogonal(), e2 = n.cross(e1);
  const Eigen::Vector3d origin = vertices.row(loop[0]).transpose();
  std::vector<Eigen::Vector2d> q(m);
  double area = 0, size = 0;
  for (size_t j = 0; j < m; ++j) {
    const Eigen::Vector3d d = vertices.row(loop[j]).transpose() - origin;
    q[j] = {d.dot(e1), d.dot(e2)};
    size = std::max(size, q[j].norm());
  }
  for (size_t j = 0; j < m; ++j) area += q[j].x() * q[(j + 1) % m].y() - q[(j + 1) % m].x() * q[j].y();
  if (area < 0) std::reverse(q.begin(), q.end());  // counter-clockwise: the inside is to the left
  // Clip a square around the loop by each edge's inner half-plane.
  std::vector<Eigen::Vector2d> kernel = {{-2 * size, -2 * size}, {2 * size, -2 * size}, {2 * size, 2 * size},
                                         {-2 * size, 2 * size}};
  const double margin = 1e-3 * size;
  for (size_t j = 0; j < m && !kernel.empty(); ++j) {
    const Eigen::Vector2d a = q[j], edge = q[(j + 1) % m] - q[j];
    if (edge.norm() == 0) continue;
    const Eigen::Vector2d inward = Eigen::Vector2d(-edge.y(), edge.x()).normalized();
    const auto depth = [&](const Eigen::Vector2d& x) { return (x - a).dot(inward) - margin; };
    std::vector<Eigen::Vector2d> clipped;
    for (size_t i = 0; i < kernel.size(); ++i) {
      const Eigen::Vector2d& x = kernel[i];
      const Eigen::Vector2d& y = kernel[(i + 1) % kernel.size()];
      const double dx = depth(x), dy = depth(y);
      if (dx >= 0) clipped.push_back(x);
      if ((dx >= 0) != (dy >= 0)) clipped.push_back(x + dx / (dx - dy) * (y - x));
    }
    kernel = std::move(clipped);
  }
  if (kernel.size() < 3) return std::nullopt;
  Eigen::Vector2d centroid = Eigen::Vector2d::Zero();
  double kernel_area = 0;
  for (size_t i = 0; i < kernel.size(); ++i) {
    const Eigen::Vector2d& x = kernel[i];
    const Eigen::Vector2d& y = kernel[(i + 1) % kernel.size()];
    const double t = x.x() * y.y() - y.x() * x.y();
    kernel_area += t;
    centroid += t * (x + y) / 3.0;
  }
  if (!(kernel_area > 0)) return std::nullopt;
  centroid /= kernel_area;
  return Eigen::Vector3d(origin + centroid.x() * e1 + centroid.y() * e2);
}

}  // namespace

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
  // Strictly star-shaped about c: the loop's angle about c turns one way, once round.
  const auto star_about = [&](const Eigen::Vector3d& centre) {
    double turn = 0, sign = 0;
    for (size_t j = 0; j < m; ++j) {
      Eigen::Vector3d a = vertices->row(loop[j]).transpose() - centre;
      Eigen::Vector3d b = vertices->row(loop[(j + 1) % m]).transpose() - centre;
      a -= a.dot(n) * n;
      b -= b.dot(n) * n;
      const double step = std::atan2(a.cross(b).dot(n), a.dot(b));
      if (step == 0 || (sign != 0 && (step > 0) != (sign > 0))) return false;
      sign = step;
      turn += step;
    }
    return std::abs(std::abs(turn) - 2 * M_PI) < 1e-6;
  };
  if (!star_about(c)) {
    // A loop that bends inwards (next to a crotch or an armpit) may still be
    // star-shaped about another point: the centroid of its kernel.
    const std::optional<Eigen::Vector3d> k = KernelCentroid(*vertices, loop, n);
    if (!k || !star_about(*k)) {
      throw Error("the cut loop is not star-shaped about any point: a convex cap would cross itself");
    }
    c = *k;
  }
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
