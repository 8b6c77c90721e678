#include "geometry/self_intersection.h"

#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/box_intersection_d.h>
#include <CGAL/intersections.h>

#include <algorithm>
#include <array>

namespace resihmr::geometry {
namespace {

using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
using Point = Kernel::Point_3;
using Box = CGAL::Box_intersection_d::Box_with_info_d<double, 3, int>;

std::vector<Box> Boxes(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<int>& group) {
  std::vector<Box> boxes;
  boxes.reserve(group.size());
  for (const int f : group) {
    CGAL::Bbox_3 box;
    for (int k = 0; k < 3; ++k) {
      const int v = faces(f, k);
      box += CGAL::Bbox_3(vertices(v, 0), vertices(v, 1), vertices(v, 2), vertices(v, 0), vertices(v, 1),
                          vertices(v, 2));
    }
    boxes.emplace_back(box, f);
  }
  return boxes;
}

// Faces f and g, given as corner indices and points.
bool TrianglesCross(const std::array<int, 3>& f, const std::array<Point, 3>& p, const std::array<int, 3>& g,
                    const std::array<Point, 3>& q) {
  int shared = 0, fi = -1, gi = -1;  // fi, gi: the last shared corner in each face
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      if (f[static_cast<size_t>(i)] == g[static_cast<size_t>(j)]) {
        ++shared;
        fi = i;
        gi = j;
      }
    }
  }
  if (shared == 0) return CGAL::do_intersect(Kernel::Triangle_3(p[0], p[1], p[2]), Kernel::Triangle_3(q[0], q[1], q[2]));
  if (shared >= 3) return true;  // the same triangle twice
  if (shared == 2) {
    // Shared edge (a, b), third corners r of f and s of g: they fold onto
    // each other when coplanar with r and s on the same side of the edge.
    int r = 0, s = 0;
    for (int i = 0; i < 3; ++i) {
      bool in_g = false, in_f = false;
      for (int j = 0; j < 3; ++j) {
        in_g = in_g || f[static_cast<size_t>(i)] == g[static_cast<size_t>(j)];
        in_f = in_f || g[static_cast<size_t>(i)] == f[static_cast<size_t>(j)];
      }
      if (!in_g) r = i;
      if (!in_f) s = i;
    }
    const Point& a = p[static_cast<size_t>((r + 1) % 3)];
    const Point& b = p[static_cast<size_t>((r + 2) % 3)];
    return CGAL::orientation(a, b, p[static_cast<size_t>(r)], q[static_cast<size_t>(s)]) == CGAL::COPLANAR &&
           CGAL::coplanar_orientation(a, b, p[static_cast<size_t>(r)], q[static_cast<size_t>(s)]) == CGAL::POSITIVE;
  }
  // One shared corner: the faces meet elsewhere exactly when the edge
  // opposite it in one face meets the other face.
  const Kernel::Segment_3 f_opposite(p[static_cast<size_t>((fi + 1) % 3)], p[static_cast<size_t>((fi + 2) % 3)]);
  const Kernel::Segment_3 g_opposite(q[static_cast<size_t>((gi + 1) % 3)], q[static_cast<size_t>((gi + 2) % 3)]);
  return CGAL::do_intersect(f_opposite, Kernel::Triangle_3(q[0], q[1], q[2])) ||
         CGAL::do_intersect(g_opposite, Kernel::Triangle_3(p[0], p[1], p[2]));
}

}  // namespace

bool FaceGroupsIntersect(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<int>& group_a,
                         const std::vector<int>& group_b) {
  std::vector<Box> a = Boxes(vertices, faces, group_a), b = Boxes(vertices, faces, group_b);
  // Only boxes that meet the other group's bounding box can overlap one of its boxes.
  const auto keep_near = [](std::vector<Box>* boxes, const std::vector<Box>& other) {
    CGAL::Bbox_3 around;
    for (const Box& o : other) around += o.bbox();
    boxes->erase(std::remove_if(boxes->begin(), boxes->end(),
                                [&](const Box& x) { return !CGAL::do_overlap(x.bbox(), around); }),
                 boxes->end());
  };
  keep_near(&b, a);
  keep_near(&a, b);
  const auto corners = [&](int f) {
    return std::array<int, 3>{faces(f, 0), faces(f, 1), faces(f, 2)};
  };
  const auto points = [&](int f) {
    std::array<Point, 3> p;
    for (int k = 0; k < 3; ++k) p[static_cast<size_t>(k)] = Point(vertices(faces(f, k), 0), vertices(faces(f, k), 1), vertices(faces(f, k), 2));
    return p;
  };
  bool crossed = false;
  CGAL::box_intersection_d(a.begin(), a.end(), b.begin(), b.end(), [&](const Box& x, const Box& y) {
    if (!crossed && x.info() != y.info()) {
      crossed = TrianglesCross(corners(x.info()), points(x.info()), corners(y.info()), points(y.info()));
    }
  });
  return crossed;
}

}  // namespace resihmr::geometry
