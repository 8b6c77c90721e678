#include "geometry/mesh_io.h"

#include <OpenMesh/Core/IO/MeshIO.hh>
#include <algorithm>
#include <OpenMesh/Core/Mesh/TriMesh_ArrayKernelT.hh>
#include <OpenMesh/Core/System/omstream.hh>
#include <filesystem>
#include <sstream>

#include "model/atomic_file.h"
#include "model/error.h"

namespace resihmr::geometry {
namespace {

struct DoubleTraits : public OpenMesh::DefaultTraits {
  using Point = OpenMesh::Vec3d;
  using Normal = OpenMesh::Vec3d;
  using Color = OpenMesh::Vec3uc;
};
using Mesh = OpenMesh::TriMesh_ArrayKernelT<DoubleTraits>;

std::string Extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

void WriteMesh(const std::string& path, const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
               const RowMatrixX3d& colors, const std::vector<uint8_t>& residual) {
  const std::string ext = Extension(path);
  if (ext != ".ply" && ext != ".obj") throw Error(path + ": unknown mesh format '" + ext + "', expected .ply or .obj");
  Mesh mesh;
  const bool with_colors = colors.rows() == vertices.rows() && colors.rows() > 0;
  if (with_colors) mesh.request_vertex_colors();
  std::vector<Mesh::VertexHandle> handles;
  handles.reserve(static_cast<size_t>(vertices.rows()));
  for (Eigen::Index v = 0; v < vertices.rows(); ++v) {
    handles.push_back(mesh.add_vertex(Mesh::Point(vertices(v, 0), vertices(v, 1), vertices(v, 2))));
    if (with_colors) {
      const auto to_byte = [](double x) { return static_cast<unsigned char>(std::clamp(x, 0.0, 1.0) * 255.0 + 0.5); };
      mesh.set_color(handles.back(), Mesh::Color(to_byte(colors(v, 0)), to_byte(colors(v, 1)), to_byte(colors(v, 2))));
    }
  }
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const Mesh::FaceHandle fh = mesh.add_face(handles[static_cast<size_t>(faces(f, 0))], handles[static_cast<size_t>(faces(f, 1))],
                                              handles[static_cast<size_t>(faces(f, 2))]);
    if (!fh.is_valid()) {
      throw Error(path + ": face " + std::to_string(f) + " is not manifold and cannot be written by OpenMesh");
    }
  }
  OpenMesh::IO::Options options;
  if (with_colors) options += OpenMesh::IO::Options::VertexColor;
  if (!residual.empty() && ext == ".ply") {
    if (residual.size() != handles.size()) throw Error(path + ": residual labels do not match the vertex count");
    OpenMesh::VPropHandleT<int> label;
    mesh.add_property(label, "residual");
    mesh.property(label).set_persistent(true);
    for (size_t v = 0; v < handles.size(); ++v) mesh.property(label, handles[v]) = residual[v];
    options += OpenMesh::IO::Options::Custom;
  }
  omlog().disable();  // OpenMesh's writers announce every file on its log stream
  std::ostringstream bytes;
  if (!OpenMesh::IO::write_mesh(mesh, bytes, ext, options, 10)) throw Error(path + ": cannot write mesh");
  WriteFileAtomically(path, bytes.str());
}

}  // namespace resihmr::geometry
