// Reading triangle meshes from untrusted files: STL (binary or ASCII), OBJ
// and PLY (ASCII, binary little- or big-endian), with the project's own
// strict readers (docs/fuzzing.md says why no mesh library reads them).
// Every reader bounds its header, checks each declared count against the
// bytes the file has before allocating anything, range-checks every face
// index, and refuses non-finite coordinates and coordinates larger than
// `max_abs_coordinate` (in the file's units). Errors are resihmr::Error
// naming the file, the element (vertex, face, facet, line) and its index, and
// what was expected; nothing is dropped silently. Polygons with more than
// three corners are split into a fan of triangles; STL's repeated corners are
// merged into shared vertices (exactly equal coordinates); triangles with two
// corners on one vertex (no area) are left out and counted in `notes`.
//
// Accepted (everything else is an error):
//   STL  binary: 80-byte header, uint32 count, 50 bytes per facet, the file
//        exactly 84 + 50 n bytes; ASCII: "solid", then "facet normal x y z /
//        outer loop / 3 x vertex x y z / endloop / endfacet", "endsolid".
//   OBJ  "v x y z [w | r g b]", "f a b c ..." with a, a/t, a//n or a/t/n,
//        1-based or negative (relative) indices; vt, vn, vp, o, g, s, l, p,
//        usemtl, mtllib and comments are read past.
//   PLY  "ply", "format ascii|binary_little_endian|binary_big_endian 1.0",
//        elements with scalar and list properties of PLY's eight types (and
//        their int8/uint8/... aliases); "vertex" with float-typed x, y, z,
//        "face" with the list vertex_indices (or vertex_index); other
//        elements and properties are read past. The header ends with
//        "end_header" within 64 KiB.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct MeshReadLimits {
  double max_abs_coordinate = 1e6;  // file units; larger |x|, |y|, |z| is refused
  int64_t max_vertices = 20'000'000;
  int64_t max_faces = 40'000'000;
  int max_polygon_corners = 1000;
};

// Reads `path`; the format comes from the extension (.stl, .obj, .ply, any case).
void ReadMesh(const std::string& path, RowMatrixX3d* vertices, RowMatrixX3i* faces,
              const MeshReadLimits& limits = MeshReadLimits(), std::vector<std::string>* notes = nullptr);

// The same on bytes in memory; `format` is "stl", "obj" or "ply"; `what`
// names the source in messages.
void ParseMesh(const std::string& bytes, const std::string& format, const std::string& what, RowMatrixX3d* vertices,
               RowMatrixX3i* faces, const MeshReadLimits& limits = MeshReadLimits(),
               std::vector<std::string>* notes = nullptr);

}  // namespace resihmr::geometry
