// Cutting a triangle mesh by a plane, libigl-style on Eigen arrays: the part
// of the mesh beyond the plane (signed distance phi(v) = <v - p, n> > 0) that
// is connected to given seed vertices through vertices beyond the plane is
// removed, and every edge that crosses the plane between a removed and a kept
// vertex is split at the plane, so that the cut ring lies exactly on the
// plane. Only the flooded part goes: another limb beyond the same plane, not
// connected to the seeds through it, stays. Vertices on the plane count as
// kept (phi <= 0).
#pragma once

#include <Eigen/Core>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct PlaneCut {
  RowMatrixX3d vertices;       // kept vertices (old order, unused ones included) + new ring vertices
  RowMatrixX3i faces;          // the kept side, split faces included
  std::vector<uint8_t> used;   // per vertex: referenced by a face
  int first_new_vertex = 0;    // vertices from here on lie on the plane
  int removed_faces = 0;       // faces wholly or partly on the removed side
  std::vector<uint8_t> flooded;  // per original vertex: reached by the flood
  // The boundary this cut made, as loops of new vertices in the order the kept
  // faces traverse them (every edge the cut opens joins two new vertices).
  std::vector<std::vector<int>> loops;
  bool loops_simple = true;      // false when the new boundary is not a set of simple closed loops
};

// vertices: V x 3; faces: F x 3; point/normal: the plane (normal towards the
// removed side, any length); seeds: vertex indices whose far part goes (those
// with phi <= 0 are ignored); allowed: V flags limiting the flood (empty: all);
// keep_flooded: return the flooded part (split faces on its side) instead of
// the rest, to extract a limb beyond a plane for measuring.
PlaneCut CutByPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                    const Eigen::Vector3d& normal, const std::vector<int>& seeds,
                    const std::vector<uint8_t>& allowed = {}, bool keep_flooded = false);

}  // namespace resihmr::geometry
