// Meshes the zero level set of an implicit function (negative inside) as a
// closed, consistently outward-oriented triangle 2-manifold, with CGAL's
// Mesh_3 (Delaunay refinement with its manifold criterion). Triangle size
// follows a size field; the result is deterministic for a given seed.
#pragma once

#include <Eigen/Core>
#include <functional>

namespace resihmr::model {

struct ImplicitSurface {
  std::function<double(const Eigen::Vector3d&)> function;    // < 0 inside
  std::function<double(const Eigen::Vector3d&)> facet_size;  // target edge length at a point
  Eigen::Vector3d bound_centre = Eigen::Vector3d::Zero();    // a sphere that contains the surface
  double bound_radius = 1;
  double facet_distance = 0.002;  // max distance between facet and surface
};

struct TriangleMesh {
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> vertices;  // V x 3
  Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor> faces;        // F x 3, outward
};

// Throws resihmr::Error when the surface cannot be meshed as a closed
// manifold (e.g. the bounding sphere does not contain it).
TriangleMesh MeshImplicitSurface(const ImplicitSurface& surface, unsigned seed);

}  // namespace resihmr::model
