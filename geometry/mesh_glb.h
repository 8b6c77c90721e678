// A triangle mesh as glTF 2.0 binary (.glb, one scene, one node, one mesh
// with one triangle primitive), through tinygltf (Debian libtinygltf-dev):
// POSITION (float32 VEC3, with its min and max), COLOR_0 (float32 VEC3 in
// [0, 1]) when colours are given, the application attribute _RESIDUAL
// (float32 SCALAR, 1 on a residual limb, 0 elsewhere) when labels are given,
// and uint32 indices. Vertices are written in the caller's order and units;
// glTF expects metres with +y up and +z towards the viewer, so a caller in
// camera coordinates (y down, z forward) turns the mesh 180 degrees about x
// first. Any glTF viewer shows the colours, so the stump is visible.
#pragma once

#include <string>
#include <vector>

#include "geometry/mesh_io.h"

namespace resihmr::geometry {

// The bytes of the .glb file. Sizes and indices are checked by the caller
// (WriteMesh); `colors` is V x 3 or empty, `residual` V values or empty.
std::string GlbBytes(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const RowMatrixX3d& colors,
                     const std::vector<uint8_t>& residual);

}  // namespace resihmr::geometry
