#include "geometry/self_intersection.h"

#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Polygon_mesh_processing/self_intersections.h>
#include <CGAL/Surface_mesh.h>

#include <array>
#include <unordered_map>

namespace resihmr::geometry {

bool FacesSelfIntersect(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const std::vector<int>& face_subset,
                        const std::vector<uint8_t>& must_involve) {
  using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
  using Mesh = CGAL::Surface_mesh<Kernel::Point_3>;
  const auto point = [&](int v) { return Kernel::Point_3(vertices(v, 0), vertices(v, 1), vertices(v, 2)); };
  const auto involved = [&](size_t i, size_t j) {
    return must_involve.empty() || must_involve[i] || must_involve[j];
  };
  // Indexed: neighbours share vertices, which CGAL's test handles exactly and
  // cheaply. A subset that does not load as a surface (two fans meeting at a
  // vertex) falls back to a soup below.
  {
    Mesh mesh;
    std::unordered_map<int, Mesh::Vertex_index> index;
    bool loaded = true;
    for (int f : face_subset) {
      std::array<Mesh::Vertex_index, 3> h;
      for (int k = 0; k < 3; ++k) {
        auto it = index.find(faces(f, k));
        h[static_cast<size_t>(k)] = it != index.end() ? it->second : index.emplace(faces(f, k), mesh.add_vertex(point(faces(f, k)))).first->second;
      }
      if (mesh.add_face(h[0], h[1], h[2]) == Mesh::null_face()) {
        loaded = false;
        break;
      }
    }
    if (loaded) {
      std::vector<std::pair<Mesh::Face_index, Mesh::Face_index>> pairs;
      CGAL::Polygon_mesh_processing::self_intersections(mesh, std::back_inserter(pairs));
      for (const auto& [fa, fb] : pairs) {
        if (involved(fa.idx(), fb.idx())) return true;
      }
      return false;
    }
  }
  Mesh soup;
  for (int f : face_subset) {
    soup.add_face(soup.add_vertex(point(faces(f, 0))), soup.add_vertex(point(faces(f, 1))), soup.add_vertex(point(faces(f, 2))));
  }
  std::vector<std::pair<Mesh::Face_index, Mesh::Face_index>> pairs;
  CGAL::Polygon_mesh_processing::self_intersections(soup, std::back_inserter(pairs));
  for (const auto& [fa, fb] : pairs) {
    if (!involved(fa.idx(), fb.idx())) continue;
    const int a = face_subset[fa.idx()], b = face_subset[fb.idx()];
    bool share = false;  // in the soup, faces touching at a shared corner are reported too
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) share = share || faces(a, i) == faces(b, j);
    }
    if (!share) return true;
  }
  return false;
}

}  // namespace resihmr::geometry
