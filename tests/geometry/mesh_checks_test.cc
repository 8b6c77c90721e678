#include "geometry/mesh_checks.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "tests/support/test_models.h"

namespace resihmr::geometry {
namespace {

RowMatrixX3d Tetrahedron() {
  RowMatrixX3d v(4, 3);
  v << 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1;
  return v;
}

RowMatrixX3i TetrahedronFaces() {
  RowMatrixX3i f(4, 3);
  f << 0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3;
  return f;
}

TEST(MeshChecks, ClosedTetrahedron) {
  const MeshTopology t = CheckTopology(4, TetrahedronFaces());
  EXPECT_TRUE(t.closed_manifold());
  EXPECT_EQ(t.components, 1);
  EXPECT_EQ(t.euler_characteristic, 2);
  EXPECT_NEAR(SignedVolume(Tetrahedron(), TetrahedronFaces()), 1.0 / 6.0, 1e-15);
}

TEST(MeshChecks, OpenFlippedAndNonManifoldMeshesAreCaught) {
  RowMatrixX3i open = TetrahedronFaces().topRows(3);
  EXPECT_EQ(CheckTopology(4, open).boundary_edges, 3);
  EXPECT_FALSE(CheckTopology(4, open).closed_manifold());
  RowMatrixX3i flipped = TetrahedronFaces();
  flipped.row(3) << 1, 3, 2;
  EXPECT_EQ(CheckTopology(4, flipped).misoriented_edges, 3);
  EXPECT_FALSE(CheckTopology(4, flipped).closed_manifold());
  RowMatrixX3i fin(5, 3);
  fin << TetrahedronFaces(), RowMatrixX3i(RowMatrixX3i::Map(std::vector<int>{0, 1, 4}.data(), 1, 3));
  EXPECT_EQ(CheckTopology(5, fin).nonmanifold_edges, 1);
  // Two tetrahedra sharing only vertex 0: a non-manifold vertex.
  RowMatrixX3i bowtie(8, 3);
  bowtie << TetrahedronFaces(), 0, 5, 4, 0, 4, 6, 0, 6, 5, 4, 5, 6;
  const MeshTopology t = CheckTopology(7, bowtie);
  EXPECT_EQ(t.boundary_edges, 0);
  EXPECT_EQ(t.nonmanifold_vertices, 1);
  EXPECT_FALSE(t.closed_manifold());
  RowMatrixX3i degenerate(1, 3);
  degenerate << 0, 0, 1;
  EXPECT_EQ(CheckTopology(2, degenerate).degenerate_faces, 1);
}

// An independent count from an ordered map of directed edges and a
// union-find over the faces around each vertex, on many meshes made bad by
// random edits of the embedded body (flips, duplicated, dropped and
// rewired faces).
MeshTopology ReferenceTopology(int num_vertices, const RowMatrixX3i& faces) {
  MeshTopology t;
  std::map<std::pair<int, int>, int> directed;
  std::vector<std::vector<int>> around(static_cast<size_t>(num_vertices));
  std::vector<int> proper;
  for (int f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) {
      ++t.degenerate_faces;
      continue;
    }
    proper.push_back(f);
    for (int k = 0; k < 3; ++k) {
      ++directed[{faces(f, k), faces(f, (k + 1) % 3)}];
      around[static_cast<size_t>(faces(f, k))].push_back(f);
    }
  }
  std::set<std::pair<int, int>> undirected;
  for (const auto& [e, count] : directed) undirected.insert({std::min(e.first, e.second), std::max(e.first, e.second)});
  for (const auto& [a, b] : undirected) {
    const int ab = directed.count({a, b}) ? directed[{a, b}] : 0, ba = directed.count({b, a}) ? directed[{b, a}] : 0;
    if (ab + ba == 1) ++t.boundary_edges;
    else if (ab + ba > 2) ++t.nonmanifold_edges;
    else if (ab != 1) ++t.misoriented_edges;
  }
  const std::function<int(std::vector<int>&, int)> find = [&](std::vector<int>& p, int x) {
    return p[static_cast<size_t>(x)] == x ? x : p[static_cast<size_t>(x)] = find(p, p[static_cast<size_t>(x)]);
  };
  int used = 0;
  for (int v = 0; v < num_vertices; ++v) {
    const std::vector<int>& fs = around[static_cast<size_t>(v)];
    if (fs.empty()) continue;
    ++used;
    std::vector<int> p(fs.size());
    std::iota(p.begin(), p.end(), 0);
    for (size_t i = 0; i < fs.size(); ++i) {
      for (size_t j = i + 1; j < fs.size(); ++j) {
        int shared = 0;  // corners in common besides v
        for (int k = 0; k < 3; ++k) {
          for (int l = 0; l < 3; ++l) shared += faces(fs[i], k) == faces(fs[j], l) && faces(fs[i], k) != v;
        }
        if (shared > 0) p[static_cast<size_t>(find(p, static_cast<int>(i)))] = find(p, static_cast<int>(j));
      }
    }
    int groups = 0;
    for (size_t i = 0; i < fs.size(); ++i) groups += find(p, static_cast<int>(i)) == static_cast<int>(i);
    t.nonmanifold_vertices += groups > 1;
  }
  std::vector<int> p(static_cast<size_t>(num_vertices));
  std::iota(p.begin(), p.end(), 0);
  for (int f = 0; f < faces.rows(); ++f) {
    p[static_cast<size_t>(find(p, faces(f, 1)))] = find(p, faces(f, 0));
    p[static_cast<size_t>(find(p, faces(f, 2)))] = find(p, faces(f, 0));
  }
  std::set<int> roots;
  for (int v = 0; v < num_vertices; ++v) {
    if (!around[static_cast<size_t>(v)].empty()) roots.insert(find(p, v));
  }
  t.components = static_cast<int>(roots.size());
  t.euler_characteristic = used - static_cast<int>(undirected.size()) + static_cast<int>(proper.size());
  return t;
}

TEST(MeshChecks, MatchesAnIndependentCountOnDamagedBodies) {
  const model::BodyModel& m = testing::EmbeddedModel();
  EXPECT_TRUE(CheckTopology(m.num_vertices(), m.faces).closed_manifold());
  std::mt19937 rng(5);
  int bad_meshes = 0;
  for (int trial = 0; trial < 300; ++trial) {
    // Small pieces (every kind of defect near each other) and the whole body.
    RowMatrixX3i g = m.faces.topRows(trial % 2 ? m.faces.rows() : 40);
    for (int e = 0; e <= trial % 6; ++e) {
      const int f = static_cast<int>(rng() % static_cast<unsigned>(g.rows()));
      switch (rng() % 4) {
        case 0: std::swap(g(f, 0), g(f, 1)); break;
        case 1: g(f, static_cast<int>(rng() % 3)) = g(static_cast<int>(rng() % g.rows()), static_cast<int>(rng() % 3)); break;
        case 2: g.conservativeResize(g.rows() + 1, 3); g.row(g.rows() - 1) = g.row(f); break;
        default: g.row(f) = g.row(g.rows() - 1); g.conservativeResize(g.rows() - 1, 3); break;
      }
    }
    const MeshTopology a = CheckTopology(m.num_vertices(), g), b = ReferenceTopology(m.num_vertices(), g);
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_EQ(a.boundary_edges, b.boundary_edges);
    EXPECT_EQ(a.nonmanifold_edges, b.nonmanifold_edges);
    EXPECT_EQ(a.misoriented_edges, b.misoriented_edges);
    EXPECT_EQ(a.nonmanifold_vertices, b.nonmanifold_vertices);
    EXPECT_EQ(a.degenerate_faces, b.degenerate_faces);
    EXPECT_EQ(a.components, b.components);
    EXPECT_EQ(a.euler_characteristic, b.euler_characteristic);
    bad_meshes += !a.closed_manifold();
  }
  EXPECT_GT(bad_meshes, 250);  // the edits did damage the meshes
}

}  // namespace
}  // namespace resihmr::geometry
