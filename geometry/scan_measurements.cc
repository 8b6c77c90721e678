#include "geometry/scan_measurements.h"

#include <Eigen/Dense>
#include <limits>

#include "geometry/boundary_loops.h"
#include "geometry/cross_section.h"
#include "geometry/orient_faces.h"
#include "model/error.h"

namespace resihmr::geometry {

ScanMeasurements MeasureScan(const RowMatrixX3d& vertices, const RowMatrixX3i& input_faces, const std::string& axis_name,
                             double to_mm) {
  ScanMeasurements out;
  RowMatrixX3i faces = input_faces;
  out.topology = CheckTopology(static_cast<int>(vertices.rows()), faces);
  if (out.topology.nonmanifold_edges == 0 && out.topology.misoriented_edges > 0) {
    // A few flipped triangles: turn them round to agree with the rest.
    const int turned = OrientConsistently(&faces);
    if (turned > 0) {
      out.warnings.push_back(std::to_string(turned) + " of " + std::to_string(faces.rows()) +
                             " triangles were turned round to agree with the orientation of the rest of the surface");
      out.topology = CheckTopology(static_cast<int>(vertices.rows()), faces);
    }
  }
  if (out.topology.nonmanifold_edges > 0 || out.topology.misoriented_edges > 0) {
    throw Error("the mesh is not a consistently oriented 2-manifold (" + std::to_string(out.topology.nonmanifold_edges) +
                " non-manifold and " + std::to_string(out.topology.misoriented_edges) + " misoriented edges)");
  }
  int pinched = 0;
  const std::vector<std::vector<int>> loops = BoundaryCycles(faces, &pinched);
  if (pinched > 0) {
    out.warnings.push_back("the boundary touches itself at " + std::to_string(pinched) +
                           " vertices; split into simple cycles for the volume");
  }
  // The opening: the longest boundary loop.
  int opening = -1;
  double longest = 0;
  for (size_t i = 0; i < loops.size(); ++i) {
    double length = 0;
    for (size_t k = 0; k < loops[i].size(); ++k) {
      length += (vertices.row(loops[i][k]) - vertices.row(loops[i][(k + 1) % loops[i].size()])).norm();
    }
    if (length > longest) {
      longest = length;
      opening = static_cast<int>(i);
    }
  }
  out.open = opening >= 0;
  out.holes = out.open ? static_cast<int>(loops.size()) - 1 : 0;
  if (out.holes > 0) {
    out.warnings.push_back(std::to_string(out.holes) + " boundary loops besides the opening: holes beyond the 0% plane "
                           "would make the volume unreliable");
  }
  Eigen::Vector3d base;
  if (out.open) {
    base = Eigen::Vector3d::Zero();
    for (int v : loops[static_cast<size_t>(opening)]) base += vertices.row(v).transpose();
    base /= static_cast<double>(loops[static_cast<size_t>(opening)].size());
  } else {
    base = vertices.colwise().mean().transpose();
  }
  // Axis.
  Eigen::Vector3d axis;
  if (axis_name == "x" || axis_name == "y" || axis_name == "z") {
    axis = Eigen::Vector3d::Unit(axis_name == "x" ? 0 : axis_name == "y" ? 1 : 2);
    // Point it to the far end: the side where the vertices reach farther from the base.
    const Eigen::VectorXd along = (vertices.rowwise() - base.transpose()) * axis;
    if (-along.minCoeff() > along.maxCoeff()) axis = -axis;
  } else if (axis_name == "auto") {
    if (out.open) {
      Eigen::Index far;
      (vertices.rowwise() - base.transpose()).rowwise().squaredNorm().maxCoeff(&far);
      axis = (vertices.row(far).transpose() - base).normalized();
    } else {
      const RowMatrixX3d centred = vertices.rowwise() - base.transpose();
      Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(centred.transpose() * centred);
      axis = eig.eigenvectors().col(2);
    }
  } else {
    throw Error("--axis '" + axis_name + "' is not x, y, z or auto");
  }
  out.axis = axis;
  const Eigen::VectorXd along = (vertices.rowwise() - base.transpose()) * axis;
  // The 0% plane: where the surface first closes around the axis, i.e. the
  // rim's deepest point along the axis (an opening is rarely planar); for a
  // closed mesh, the near end of its extent.
  double start = along.minCoeff();
  if (out.open) {
    start = -std::numeric_limits<double>::infinity();
    for (int v : loops[static_cast<size_t>(opening)]) start = std::max(start, along[v]);
  }
  const Eigen::Vector3d joint = base + start * axis;
  out.plane_point = joint;
  const Eigen::Vector3d apex = base + along.maxCoeff() * axis;
  // Volume and area of what lies beyond the 0% plane, closed by that plane.
  out.measurements = MeasureLimbRegion(vertices, faces, joint, axis, apex, to_mm, {}, true);
  out.measurements.watertight = !out.open && out.topology.closed_manifold();
  return out;
}

}  // namespace resihmr::geometry
