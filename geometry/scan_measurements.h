// Measurements of an external residual-limb scan (`resihmr measure`): the
// same quantities as a fitted stump's, on a mesh that is open at its
// proximal end (or closed). The opening is the longest boundary loop; the
// axis runs from the opening's area centroid to the farthest vertex (or is
// given as x, y or z, pointing to the far end); the 0% plane lies at the
// rim's deepest point along the axis, where the surface first closes around
// it (closed meshes: the near end of their extent); length runs from there
// to the far end. Volume and surface area are those of the surface beyond the
// 0% plane, closed by that plane (geometry/cross_section.h): exact for any
// rim. Other boundary loops (holes) are reported.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "geometry/stump_mesh.h"

namespace resihmr::geometry {

struct ScanMeasurements {
  LimbMeasurements measurements;  // in mm, mm^2, mL
  Eigen::Vector3d axis = Eigen::Vector3d::Zero();
  Eigen::Vector3d plane_point = Eigen::Vector3d::Zero();  // on the 0% plane (scan units)
  bool open = false;              // the scan had an opening (closed for the volume)
  int holes = 0;                  // boundary loops besides the opening
  MeshTopology topology;          // of the input
  std::vector<std::string> warnings;
};

// axis: "auto", "x", "y" or "z"; to_mm: the scan's units in mm (1 for mm, 1000 for m).
ScanMeasurements MeasureScan(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::string& axis, double to_mm);

}  // namespace resihmr::geometry
