#include "geometry/self_intersection.h"

#include <gtest/gtest.h>

#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/intersections.h>
#include <algorithm>

#include <array>
#include <random>

namespace resihmr::geometry {
namespace {

// Vertices as rows; faces as rows of indices.
RowMatrixX3d Points(std::initializer_list<std::array<double, 3>> points) {
  RowMatrixX3d v(static_cast<Eigen::Index>(points.size()), 3);
  Eigen::Index i = 0;
  for (const auto& p : points) v.row(i++) << p[0], p[1], p[2];
  return v;
}

TEST(FaceGroupsIntersect, SeparateAndCrossingTriangles) {
  RowMatrixX3i f(2, 3);
  f << 0, 1, 2, 3, 4, 5;
  // A triangle in z = 0 and one through it along x = 0.2.
  const RowMatrixX3d crossing = Points({{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0.2, 0.2, -1}, {0.2, 0.2, 1}, {0.2, 2, 0}});
  EXPECT_TRUE(FaceGroupsIntersect(crossing, f, {0}, {1}));
  const RowMatrixX3d apart = Points({{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 1, 1}});
  EXPECT_FALSE(FaceGroupsIntersect(apart, f, {0}, {1}));
  // Pairs within a group are not tested.
  EXPECT_FALSE(FaceGroupsIntersect(crossing, f, {0, 1}, {}));
}

TEST(FaceGroupsIntersect, SharedEdgeCountsOnlyWhenFolded) {
  RowMatrixX3i f(2, 3);
  f << 0, 1, 2, 1, 0, 3;
  // Hinged about edge 0-1: open (not touching), flat and opposite (a plane), folded onto each other.
  EXPECT_FALSE(FaceGroupsIntersect(Points({{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, -1, 0.5}}), f, {0}, {1}));
  EXPECT_FALSE(FaceGroupsIntersect(Points({{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, -1, 0}}), f, {0}, {1}));
  EXPECT_TRUE(FaceGroupsIntersect(Points({{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, 0.5, 0}}), f, {0}, {1}));
}

TEST(FaceGroupsIntersect, SharedVertexCountsWhenAnOppositeEdgeMeetsTheOtherFace) {
  RowMatrixX3i f(2, 3);
  f << 0, 1, 2, 0, 3, 4;
  // A fan around vertex 0 (apart), then the second face pushed through the first.
  EXPECT_FALSE(FaceGroupsIntersect(Points({{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {-1, 0, 0}, {-1, 1, 0}}), f, {0}, {1}));
  EXPECT_TRUE(FaceGroupsIntersect(Points({{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {1, 0.5, -1}, {1, 0.5, 1}}), f, {0}, {1}));
  // Coplanar, the second wedge inside the first.
  EXPECT_TRUE(FaceGroupsIntersect(Points({{0, 0, 0}, {2, 0, 0}, {2, 2, 0}, {1, 0.2, 0}, {1, 0.5, 0}}), f, {0}, {1}));
}

// Against an independent reference: CGAL's triangle-triangle test on copies
// shrunk by 1e-7 towards their centroids, so that faces touching only at
// shared corners stop touching while (in general position) a real crossing
// stays. Faces pick corners from a pool of 7 random points, so many pairs
// share a corner or an edge.
TEST(FaceGroupsIntersect, MatchesShrunkenTrianglesOnRandomMeshes) {
  using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0, 1);
  int hits = 0, shared_hits = 0;
  for (int trial = 0; trial < 400; ++trial) {
    RowMatrixX3d v(7, 3);
    for (Eigen::Index i = 0; i < v.size(); ++i) v.data()[i] = u(rng);
    RowMatrixX3i f(8, 3);
    for (int i = 0; i < 8; ++i) {
      std::vector<int> pool = {0, 1, 2, 3, 4, 5, 6};
      std::shuffle(pool.begin(), pool.end(), rng);
      f.row(i) << pool[0], pool[1], pool[2];
    }
    const auto shrunk = [&](int face) {
      Eigen::Vector3d c = Eigen::Vector3d::Zero();
      for (int k = 0; k < 3; ++k) c += v.row(f(face, k)).transpose() / 3.0;
      std::array<Kernel::Point_3, 3> p;
      for (int k = 0; k < 3; ++k) {
        const Eigen::Vector3d q = c + (1 - 1e-7) * (v.row(f(face, k)).transpose() - c);
        p[static_cast<size_t>(k)] = Kernel::Point_3(q.x(), q.y(), q.z());
      }
      return Kernel::Triangle_3(p[0], p[1], p[2]);
    };
    bool reference = false, shared = false;
    for (int a = 0; a < 3; ++a) {
      for (int b = 3; b < 8; ++b) {
        const bool meet = CGAL::do_intersect(shrunk(a), shrunk(b));
        reference = reference || meet;
        for (int k = 0; k < 3; ++k) {
          for (int l = 0; l < 3; ++l) shared = shared || (meet && f(a, k) == f(b, l));
        }
      }
    }
    EXPECT_EQ(FaceGroupsIntersect(v, f, {0, 1, 2}, {3, 4, 5, 6, 7}), reference) << "trial " << trial;
    hits += reference;
    shared_hits += shared;
  }
  EXPECT_GT(hits, 40);
  EXPECT_LT(hits, 400);
  EXPECT_GT(shared_hits, 20);  // crossings between faces with a common corner were exercised
}

}  // namespace
}  // namespace resihmr::geometry
