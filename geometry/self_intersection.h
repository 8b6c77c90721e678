// Whether any two of the given faces of a triangle mesh intersect (faces
// that share a vertex or an edge only there do not count). Exact predicates
// from CGAL's Polygon Mesh Processing, run on the listed faces only so that a
// check around a new cap stays cheap.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

// Only pairs with at least one face in `must_involve` (empty: any pair) count.
bool FacesSelfIntersect(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<int>& face_subset,
                        const std::vector<uint8_t>& must_involve = {});

}  // namespace resihmr::geometry
