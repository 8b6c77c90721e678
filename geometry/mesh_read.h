// Reading triangle meshes (STL binary or ASCII, OBJ, PLY) through OpenMesh
// into Eigen arrays; STL's repeated corners are merged into shared vertices.
// Throws resihmr::Error naming the file when it is missing, unreadable, empty
// or holds faces that are not triangles.
#pragma once

#include <Eigen/Core>
#include <string>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

void ReadMesh(const std::string& path, RowMatrixX3d* vertices, RowMatrixX3i* faces);

}  // namespace resihmr::geometry
