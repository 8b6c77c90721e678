#include "geometry/mesh_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cmath>
#include <sstream>

#include "model/error.h"

namespace resihmr::geometry {
namespace {

TEST(MeshIo, ObjKeepsOrderAndFloat32Precision) {
  RowMatrixX3d v(3, 3);
  v << 0.123456789012, 1.0, -2.5, 3.0, 4.0, 5.0, -1e-7, 0.0, 1.0;
  RowMatrixX3i f(1, 3);
  f << 0, 1, 2;
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_mesh_io_test.obj").string();
  WriteMesh(path, v, f);
  std::ifstream in(path);
  std::string line;
  std::vector<std::vector<double>> read;
  while (std::getline(in, line)) {
    if (line.rfind("v ", 0) != 0) continue;
    std::istringstream s(line.substr(2));
    std::vector<double> xyz(3);
    s >> xyz[0] >> xyz[1] >> xyz[2];
    read.push_back(xyz);
  }
  ASSERT_EQ(read.size(), 3u);
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(read[static_cast<size_t>(i)][static_cast<size_t>(c)], v(i, c), 1.2e-7 * std::abs(v(i, c)) + 1e-12);
  std::filesystem::remove(path);
}

TEST(MeshIo, UnknownExtensionAndUnwritablePathAreErrors) {
  RowMatrixX3d v = RowMatrixX3d::Zero(3, 3);
  RowMatrixX3i f(1, 3);
  f << 0, 1, 2;
  EXPECT_THROW(WriteMesh("/tmp/mesh.stlx", v, f), Error);
  EXPECT_THROW(WriteMesh("/nonexistent/dir/mesh.ply", v, f), Error);
  EXPECT_FALSE(std::filesystem::exists("/nonexistent/dir/mesh.ply"));
}

}  // namespace
}  // namespace resihmr::geometry
