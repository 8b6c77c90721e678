// Writing triangle meshes to PLY (ASCII or binary little-endian), OBJ and
// glTF 2.0 binary (geometry/mesh_glb.h),
// with vertices in the caller's order and units, optionally with per-vertex
// colours and the residual-limb label. The writers need no half-edge
// structure, so any triangle list is written, manifold or not. Coordinates
// are stored as float32 (relative precision ~6e-8, about 1e-7 m on a body).
// Output goes to a temporary file renamed into place on success, so a failed
// write leaves no partial file.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct MeshWriteOptions {
  bool binary_ply = false;  // PLY as binary_little_endian instead of ASCII
};

// `path` ends in .ply, .obj or .glb. `colors` is V x 3 in [0, 1] or empty.
// `residual` (V values, or empty) is written to PLY as the integer vertex
// property `residual` (m_k: 1 on a residual limb), to GLB as the attribute
// _RESIDUAL; OBJ has no place for it.
// Throws resihmr::Error naming the file when it cannot be written, or when a
// face index lies outside [0, V) or a vertex is not finite.
void WriteMesh(const std::string& path, const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
               const RowMatrixX3d& colors = RowMatrixX3d(), const std::vector<uint8_t>& residual = {},
               const MeshWriteOptions& options = MeshWriteOptions());

}  // namespace resihmr::geometry
