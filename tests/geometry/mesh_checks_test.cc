#include "geometry/mesh_checks.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace resihmr::geometry
