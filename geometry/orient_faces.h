// Making a triangle mesh's orientation consistent: within each connected
// component (faces joined by shared edges), every pair of faces traverses
// their shared edge in opposite directions. Scans often carry a few flipped
// triangles; the faces that disagree with the majority of their component
// are the ones turned round, so the surface keeps the orientation most of it
// had. Needs every edge in at most two faces (no non-manifold edges).
#pragma once

#include <Eigen/Core>

namespace resihmr::geometry {

using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

// faces: F x 3 vertex indices, changed in place. Returns how many faces were
// turned round, or -1 (faces unchanged) when a component cannot be oriented
// (a Moebius strip) or an edge lies in more than two faces.
int OrientConsistently(RowMatrixX3i* faces);

}  // namespace resihmr::geometry
