// Boundary loops of a triangle mesh (libigl's boundary_loop, on Eigen
// arrays): each loop is the list of vertex indices met walking the boundary
// half-edges, in the direction the faces traverse them. Throws
// resihmr::Error when the boundary is not a set of simple loops (a vertex
// where two boundary paths meet).
#pragma once

#include <Eigen/Core>
#include <unordered_map>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

std::vector<std::vector<int>> BoundaryLoops(const RowMatrixX3i& faces);

// Chains directed boundary edges a -> next[a] into loops; `simple` is set to
// false when a chain does not close on itself.
std::vector<std::vector<int>> ChainLoops(const std::unordered_map<int, int>& next, bool* simple);

// The same, tolerant of a boundary that touches itself at vertices (as scans'
// rims do): the boundary edges are split into closed cycles, each edge used
// once. `pinched` counts the vertices where two boundary paths meet.
std::vector<std::vector<int>> BoundaryCycles(const RowMatrixX3i& faces, int* pinched = nullptr);

}  // namespace resihmr::geometry
