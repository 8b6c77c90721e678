#include "geometry/mesh_read.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "geometry/mesh_io.h"
#include "geometry/orient_faces.h"
#include "model/error.h"

namespace resihmr::geometry {
namespace {

std::string Temp(const std::string& name) { return (std::filesystem::temp_directory_path() / name).string(); }

// A tetrahedron, outward-oriented.
void Tetrahedron(RowMatrixX3d* v, RowMatrixX3i* f) {
  v->resize(4, 3);
  *v << 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1.25;
  f->resize(4, 3);
  *f << 0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3;
}

TEST(MeshRead, WrittenPlyAndObjReadBackTheSameMesh) {
  RowMatrixX3d v;
  RowMatrixX3i f;
  Tetrahedron(&v, &f);
  const RowMatrixX3d colours = RowMatrixX3d::Constant(4, 3, 0.5);
  const std::vector<uint8_t> residual = {1, 0, 1, 0};
  for (const auto& [name, binary] : {std::pair<std::string, bool>{"t_ascii.ply", false}, {"t_binary.ply", true},
                                     {"t.obj", false}}) {
    const std::string path = Temp("resihmr_mesh_read_" + name);
    MeshWriteOptions options;
    options.binary_ply = binary;
    WriteMesh(path, v, f, colours, residual, options);
    RowMatrixX3d rv;
    RowMatrixX3i rf;
    ReadMesh(path, &rv, &rf);
    EXPECT_EQ(rf, f) << name;
    EXPECT_TRUE(rv.isApprox(v, 1e-7)) << name;
    std::filesystem::remove(path);
  }
}

TEST(MeshRead, StlCornersAreMergedAndPolygonsBecomeFans) {
  const std::string stl =
      "solid s\n"
      "facet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\n"
      "facet normal 0 0 1\nouter loop\nvertex 1 0 0\nvertex 1 1 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid s\n";
  RowMatrixX3d v;
  RowMatrixX3i f;
  ParseMesh(stl, "stl", "two.stl", &v, &f);
  EXPECT_EQ(v.rows(), 4);
  EXPECT_EQ(f.rows(), 2);
  ParseMesh("v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1/1 2/2 3/3 4/4\nf -4 -3 -1\n", "obj", "q.obj", &v, &f);
  EXPECT_EQ(f.rows(), 3);
  EXPECT_EQ(f.row(2), Eigen::RowVector3i(0, 1, 3));
}

TEST(MeshRead, ErrorsNameTheFileTheElementAndWhatWasExpected) {
  RowMatrixX3d v;
  RowMatrixX3i f;
  const std::string head =
      "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
      "element face 1\nproperty list uchar int vertex_indices\nend_header\n";
  const std::pair<std::string, std::string> cases[] = {
      {head + "0 0 0\n1 0 0\n0 1 0\n3 0 1 5\n", "face 0: vertex index 5 outside [0, 3)"},
      {head + "0 0 0\ninf 0 0\n0 1 0\n3 0 1 2\n", "vertex 1: non-finite coordinate"},
      {head + "0 0 0\n1 0 0\n", "the file ends early"},
      {"ply\nformat ascii 1.0\nelement vertex 99999999\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n",
       "declares 99999999 records"},
  };
  for (const auto& [text, fragment] : cases) {
    try {
      ParseMesh(text, "ply", "bad.ply", &v, &f);
      ADD_FAILURE() << "accepted: " << fragment;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("bad.ply: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
  MeshReadLimits tight;
  tight.max_abs_coordinate = 10;
  EXPECT_THROW(ParseMesh("v 0 0 0\nv 11 0 0\nv 0 1 0\nf 1 2 3\n", "obj", "far.obj", &v, &f, tight), Error);
}

TEST(OrientFaces, FlippedTrianglesAgreeWithTheirComponentAgain) {
  RowMatrixX3d v;
  RowMatrixX3i f;
  Tetrahedron(&v, &f);
  RowMatrixX3i flipped = f;
  std::swap(flipped(3, 1), flipped(3, 2));
  EXPECT_EQ(OrientConsistently(&flipped), 1);
  EXPECT_EQ(flipped, f);
  RowMatrixX3i same = f;
  EXPECT_EQ(OrientConsistently(&same), 0);
}

}  // namespace
}  // namespace resihmr::geometry
