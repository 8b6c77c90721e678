#include "geometry/mesh_read.h"

#include <OpenMesh/Core/IO/MeshIO.hh>
#include <OpenMesh/Core/Mesh/PolyMesh_ArrayKernelT.hh>
#include <OpenMesh/Core/System/omstream.hh>
#include <filesystem>

#include "model/error.h"

namespace resihmr::geometry {

void ReadMesh(const std::string& path, RowMatrixX3d* vertices, RowMatrixX3i* faces) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such file");
  struct Traits : OpenMesh::DefaultTraits {
    using Point = OpenMesh::Vec3d;
  };
  OpenMesh::PolyMesh_ArrayKernelT<Traits> mesh;
  OpenMesh::IO::Options options;
  omlog().disable();
  omerr().disable();
  const bool ok = OpenMesh::IO::read_mesh(mesh, path, options);
  omerr().enable();
  if (!ok) throw Error(path + ": not a readable mesh (expected STL, OBJ or PLY)");
  if (mesh.n_faces() == 0 || mesh.n_vertices() < 3) throw Error(path + ": the mesh is empty");
  vertices->resize(static_cast<Eigen::Index>(mesh.n_vertices()), 3);
  for (auto v : mesh.vertices()) {
    const auto p = mesh.point(v);
    vertices->row(v.idx()) << p[0], p[1], p[2];
  }
  if (!vertices->allFinite()) throw Error(path + ": the mesh has non-finite coordinates");
  faces->resize(static_cast<Eigen::Index>(mesh.n_faces()), 3);
  for (auto f : mesh.faces()) {
    int k = 0;
    for (auto v : mesh.fv_range(f)) {
      if (k == 3) throw Error(path + ": face " + std::to_string(f.idx()) + " is not a triangle");
      (*faces)(f.idx(), k++) = v.idx();
    }
    if (k != 3) throw Error(path + ": face " + std::to_string(f.idx()) + " is not a triangle");
  }
}

}  // namespace resihmr::geometry
