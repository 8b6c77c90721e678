#include "geometry/cross_section.h"

#include <Eigen/Geometry>
#include <cmath>
#include <map>
#include <unordered_map>

#include "geometry/boundary_loops.h"

namespace resihmr::geometry {
namespace {

// An orthonormal basis (u, w) of the plane with normal n.
void PlaneBasis(const Eigen::Vector3d& n, Eigen::Vector3d* u, Eigen::Vector3d* w) {
  const Eigen::Vector3d a = std::abs(n.x()) < 0.9 ? Eigen::Vector3d::UnitX() : Eigen::Vector3d::UnitY();
  *u = n.cross(a).normalized();
  *w = n.cross(*u);
}

}  // namespace

std::vector<SectionLoop> PlaneSection(const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
                                      const Eigen::Vector3d& point, const Eigen::Vector3d& normal) {
  const Eigen::Vector3d n = normal.normalized();
  std::vector<double> phi(static_cast<size_t>(vertices.rows()));
  for (Eigen::Index v = 0; v < vertices.rows(); ++v) {
    const double d = (vertices.row(v).transpose() - point).dot(n);
    phi[static_cast<size_t>(v)] = d == 0 ? 1e-15 : d;  // no vertex exactly on the plane
  }
  // Each crossed face gives one segment between two crossed edges; chain by edge.
  std::map<std::pair<int, int>, Eigen::Vector3d> crossing;
  std::map<std::pair<int, int>, std::vector<std::pair<int, int>>> links;  // edge -> neighbouring crossed edges
  const auto edge = [](int a, int b) { return std::make_pair(std::min(a, b), std::max(a, b)); };
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    std::vector<std::pair<int, int>> crossed;
    for (int k = 0; k < 3; ++k) {
      const int a = faces(f, k), b = faces(f, (k + 1) % 3);
      const double pa = phi[static_cast<size_t>(a)], pb = phi[static_cast<size_t>(b)];
      if ((pa > 0) == (pb > 0)) continue;
      const auto e = edge(a, b);
      if (!crossing.count(e)) {
        const double t = pa / (pa - pb);
        crossing[e] = (1 - t) * vertices.row(a).transpose() + t * vertices.row(b).transpose();
      }
      crossed.push_back(e);
    }
    if (crossed.size() == 2) {
      links[crossed[0]].push_back(crossed[1]);
      links[crossed[1]].push_back(crossed[0]);
    }
  }
  Eigen::Vector3d u, w;
  PlaneBasis(n, &u, &w);
  std::vector<SectionLoop> loops;
  std::map<std::pair<int, int>, bool> used;
  for (const auto& [start, unused] : links) {
    if (used[start]) continue;
    // Walk from an end if the chain is open, else from anywhere.
    std::pair<int, int> first = start;
    {
      std::pair<int, int> prev = start, cur = start;
      std::map<std::pair<int, int>, bool> seen;
      while (!seen[cur]) {
        seen[cur] = true;
        const auto& next = links[cur];
        if (next.size() < 2) {
          first = cur;
          break;
        }
        const auto candidate = next[0] == prev ? next[1] : next[0];
        prev = cur;
        cur = candidate;
      }
    }
    SectionLoop loop;
    std::pair<int, int> prev = first, cur = first;
    while (true) {
      used[cur] = true;
      loop.points.push_back(crossing[cur]);
      const auto& next = links[cur];
      std::pair<int, int> candidate = cur;
      for (const auto& c : next) {
        if (c != prev && !used[c]) candidate = c;
      }
      if (candidate == cur) {
        loop.closed = next.size() == 2 && (next[0] == first || next[1] == first) && loop.points.size() > 2;
        break;
      }
      prev = cur;
      cur = candidate;
    }
    const size_t m = loop.points.size();
    double area2 = 0;
    for (size_t i = 0; i < m; ++i) {
      const Eigen::Vector3d& a = loop.points[i];
      const Eigen::Vector3d& b = loop.points[(i + 1) % m];
      if (i + 1 < m || loop.closed) loop.length += (b - a).norm();
      const double ax = (a - point).dot(u), ay = (a - point).dot(w), bx = (b - point).dot(u), by = (b - point).dot(w);
      area2 += ax * by - bx * ay;
    }
    loop.area = loop.closed ? std::abs(area2) / 2 : 0;
    loops.push_back(loop);
  }
  return loops;
}

const SectionLoop* LoopAround(const std::vector<SectionLoop>& loops, const Eigen::Vector3d& axis_point,
                              const Eigen::Vector3d& normal) {
  Eigen::Vector3d u, w;
  PlaneBasis(normal.normalized(), &u, &w);
  const SectionLoop* best = nullptr;
  for (const SectionLoop& loop : loops) {
    if (!loop.closed) continue;
    // Even-odd test of the axis point in the plane.
    bool inside = false;
    const size_t m = loop.points.size();
    for (size_t i = 0, j = m - 1; i < m; j = i++) {
      const double xi = (loop.points[i] - axis_point).dot(u), yi = (loop.points[i] - axis_point).dot(w);
      const double xj = (loop.points[j] - axis_point).dot(u), yj = (loop.points[j] - axis_point).dot(w);
      if ((yi > 0) != (yj > 0) && 0 < (xj - xi) * (0 - yi) / (yj - yi) + xi) inside = !inside;
    }
    if (inside) return &loop;
  }
  return best;
}

double ClosedVolume(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<std::vector<int>>& loops) {
  double six = 0;
  const auto add = [&](const Eigen::Vector3d& a, const Eigen::Vector3d& b, const Eigen::Vector3d& c) { six += a.dot(b.cross(c)); };
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    add(vertices.row(faces(f, 0)), vertices.row(faces(f, 1)), vertices.row(faces(f, 2)));
  }
  for (const std::vector<int>& loop : loops.empty() ? BoundaryLoops(faces) : loops) {
    Eigen::Vector3d c = Eigen::Vector3d::Zero();
    for (int v : loop) c += vertices.row(v).transpose();
    c /= static_cast<double>(loop.size());
    // The closure traverses each boundary edge backwards.
    for (size_t i = 0; i < loop.size(); ++i) {
      add(vertices.row(loop[(i + 1) % loop.size()]), vertices.row(loop[i]), c);
    }
  }
  return six / 6.0;
}

double SurfaceArea(const RowMatrixX3d& vertices, const RowMatrixX3i& faces) {
  double area = 0;
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const Eigen::Vector3d a = vertices.row(faces(f, 0)), b = vertices.row(faces(f, 1)), c = vertices.row(faces(f, 2));
    area += 0.5 * (b - a).cross(c - a).norm();
  }
  return area;
}

namespace {

// Calls add(a, b, c) for the parts of every triangle beyond the plane.
template <typename Add>
void ClipBeyond(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                const Eigen::Vector3d& normal, Add add) {
  const Eigen::Vector3d n = normal.normalized();
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    Eigen::Vector3d p[3];
    double d[3];
    int beyond = 0;
    for (int k = 0; k < 3; ++k) {
      p[k] = vertices.row(faces(f, k)).transpose();
      d[k] = (p[k] - point).dot(n);
      beyond += d[k] > 0;
    }
    if (beyond == 0) continue;
    if (beyond == 3) {
      add(p[0], p[1], p[2]);
      continue;
    }
    // Rotate so the odd vertex comes first, keeping the orientation.
    int o = 0;
    for (int k = 0; k < 3; ++k) {
      if ((d[k] > 0) == (beyond == 1)) o = k;
    }
    const Eigen::Vector3d& a = p[o];
    const Eigen::Vector3d& b = p[(o + 1) % 3];
    const Eigen::Vector3d& c = p[(o + 2) % 3];
    const double da = d[o], db = d[(o + 1) % 3], dc = d[(o + 2) % 3];
    const Eigen::Vector3d ab = a + da / (da - db) * (b - a), ac = a + da / (da - dc) * (c - a);
    if (beyond == 1) {
      add(a, ab, ac);  // only a beyond
    } else {
      add(ab, b, c);   // a behind: the quad ab, b, c, ac
      add(ab, c, ac);
    }
  }
}

}  // namespace

double VolumeBeyondPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                         const Eigen::Vector3d& normal) {
  double six = 0;
  ClipBeyond(vertices, faces, point, normal, [&](const Eigen::Vector3d& a, const Eigen::Vector3d& b, const Eigen::Vector3d& c) {
    six += (a - point).dot((b - point).cross(c - point));
  });
  return six / 6.0;
}

double AreaBeyondPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                       const Eigen::Vector3d& normal) {
  double area = 0;
  ClipBeyond(vertices, faces, point, normal, [&](const Eigen::Vector3d& a, const Eigen::Vector3d& b, const Eigen::Vector3d& c) {
    area += 0.5 * (b - a).cross(c - a).norm();
  });
  return area;
}

}  // namespace resihmr::geometry
