// Whether two groups of faces of one triangle mesh cross each other: exact
// predicates (CGAL's filtered kernel) on the pairs whose bounding boxes
// overlap (CGAL's box intersection). Faces that share an edge count only
// when they fold onto each other (coplanar, on the same side of the edge);
// faces that share one vertex count when the edge opposite that vertex in
// one meets the other face. Pairs within one group are not tested: the
// stump cap (geometry/stump_cap.h) is free of self-crossings by
// construction, so only the cap against the surface around it is checked.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

// group_a, group_b: face indices into `faces` (rows of vertex indices into
// `vertices`, any unit). True when some face of a meets some face of b
// anywhere other than at their shared vertices and edges.
bool FaceGroupsIntersect(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<int>& group_a,
                         const std::vector<int>& group_b);

}  // namespace resihmr::geometry
