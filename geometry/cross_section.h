// Measuring a surface across a plane and inside its boundary: the loops where
// a plane meets a triangle mesh (circumference, enclosed area), and the
// volume of a mesh whose open boundary loops are closed by fans (divergence
// theorem). Eigen arrays in, metres (or the mesh's units) out.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct SectionLoop {
  std::vector<Eigen::Vector3d> points;  // in order around the loop
  double length = 0;                    // perimeter
  double area = 0;                      // enclosed area in the plane
  bool closed = true;
};

// The loops where the plane (point, normal) meets the mesh.
std::vector<SectionLoop> PlaneSection(const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
                                      const Eigen::Vector3d& point, const Eigen::Vector3d& normal);

// The closed section loop that encloses `axis_point` in the plane; null when
// none does (the plane misses the limb, or meets it only with the torso).
const SectionLoop* LoopAround(const std::vector<SectionLoop>& loops, const Eigen::Vector3d& axis_point,
                              const Eigen::Vector3d& normal);

// Volume enclosed by the mesh with every boundary loop closed by a fan from
// its centroid (positive for an outward-oriented surface), and the surface
// area of the mesh itself (closures not counted).
// `loops`: the boundary loops to close (boundary order); empty: find them.
double ClosedVolume(const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
                    const std::vector<std::vector<int>>& loops = {});
double SurfaceArea(const RowMatrixX3d& vertices, const RowMatrixX3i& faces);

// Volume and surface area of the part of the surface beyond the plane
// (point, normal): triangles are clipped at the plane, and the volume is the
// divergence sum with the origin on the plane, where a planar closure of the
// opening contributes nothing, whatever the shape of the rim.
double VolumeBeyondPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                         const Eigen::Vector3d& normal);
double AreaBeyondPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                       const Eigen::Vector3d& normal);

}  // namespace resihmr::geometry
