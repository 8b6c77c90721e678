// Topological and volumetric checks of a triangle mesh, verified by code:
// is every edge shared by exactly two faces with opposite directions (closed,
// consistently oriented), is every vertex a single fan (vertex-manifold),
// how many connected components, and the enclosed signed volume (divergence
// theorem; positive when faces are oriented outward).
#pragma once

#include <Eigen/Core>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct MeshTopology {
  int num_vertices = 0;
  int num_faces = 0;
  int boundary_edges = 0;       // undirected edges in exactly one face
  int nonmanifold_edges = 0;    // undirected edges in three or more faces
  int misoriented_edges = 0;    // edges whose two faces traverse them the same way
  int nonmanifold_vertices = 0; // vertices whose faces form more than one fan
  int degenerate_faces = 0;     // faces with a repeated vertex
  int components = 0;           // connected components over faces
  int euler_characteristic = 0; // V - E + F over used vertices

  // Every edge in exactly two faces, consistently oriented, every vertex one fan.
  bool closed_manifold() const {
    return boundary_edges == 0 && nonmanifold_edges == 0 && misoriented_edges == 0 && nonmanifold_vertices == 0 &&
           degenerate_faces == 0;
  }
};

MeshTopology CheckTopology(int num_vertices, const RowMatrixX3i& faces);

// Sum over faces of det[a b c] / 6 (m^3 when vertices are in metres).
double SignedVolume(const RowMatrixX3d& vertices, const RowMatrixX3i& faces);

}  // namespace resihmr::geometry
