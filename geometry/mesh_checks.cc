#include "geometry/mesh_checks.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace resihmr::geometry {
namespace {

uint64_t EdgeKey(int a, int b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

int Find(std::vector<int>& parent, int x) {
  while (parent[static_cast<size_t>(x)] != x) {
    parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
    x = parent[static_cast<size_t>(x)];
  }
  return x;
}

}  // namespace

MeshTopology CheckTopology(int num_vertices, const RowMatrixX3i& faces) {
  MeshTopology t;
  t.num_vertices = num_vertices;
  t.num_faces = static_cast<int>(faces.rows());
  // Directed edge counts, keyed by (min, max) with the direction recorded.
  struct Uses {
    int forward = 0;   // traversed min -> max
    int backward = 0;  // traversed max -> min
  };
  std::unordered_map<uint64_t, Uses> edges;
  edges.reserve(static_cast<size_t>(faces.rows()) * 2);
  std::vector<char> used(static_cast<size_t>(num_vertices), 0);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) {
      ++t.degenerate_faces;
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      const int u = faces(f, k), v = faces(f, (k + 1) % 3);
      used[static_cast<size_t>(u)] = 1;
      Uses& e = edges[EdgeKey(std::min(u, v), std::max(u, v))];
      (u < v ? e.forward : e.backward)++;
    }
  }
  for (const auto& [key, e] : edges) {
    const int n = e.forward + e.backward;
    if (n == 1) ++t.boundary_edges;
    else if (n > 2) ++t.nonmanifold_edges;
    else if (e.forward != 1) ++t.misoriented_edges;
  }
  // Vertex fans: the faces around a vertex, joined through shared edges, must be one group.
  std::vector<std::vector<int>> vertex_faces(static_cast<size_t>(num_vertices));
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) vertex_faces[static_cast<size_t>(faces(f, k))].push_back(static_cast<int>(f));
  }
  for (int v = 0; v < num_vertices; ++v) {
    const auto& fs = vertex_faces[static_cast<size_t>(v)];
    if (fs.size() < 2) continue;
    std::vector<int> parent(fs.size());
    std::iota(parent.begin(), parent.end(), 0);
    std::unordered_map<int, int> first_face_of_neighbour;  // other vertex -> local face index
    for (size_t i = 0; i < fs.size(); ++i) {
      for (int k = 0; k < 3; ++k) {
        const int u = faces(fs[i], k);
        if (u == v) continue;
        auto [it, inserted] = first_face_of_neighbour.emplace(u, static_cast<int>(i));
        if (!inserted) parent[static_cast<size_t>(Find(parent, static_cast<int>(i)))] = Find(parent, it->second);
      }
    }
    int groups = 0;
    for (size_t i = 0; i < fs.size(); ++i) groups += Find(parent, static_cast<int>(i)) == static_cast<int>(i);
    if (groups > 1) ++t.nonmanifold_vertices;
  }
  // Components over vertices joined by faces.
  std::vector<int> parent(static_cast<size_t>(num_vertices));
  std::iota(parent.begin(), parent.end(), 0);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int r = Find(parent, faces(f, 0));
    parent[static_cast<size_t>(Find(parent, faces(f, 1)))] = r;
    parent[static_cast<size_t>(Find(parent, faces(f, 2)))] = Find(parent, r);
  }
  int used_vertices = 0;
  for (int v = 0; v < num_vertices; ++v) {
    if (!used[static_cast<size_t>(v)]) continue;
    ++used_vertices;
    t.components += Find(parent, v) == v;
  }
  t.euler_characteristic = used_vertices - static_cast<int>(edges.size()) + (t.num_faces - t.degenerate_faces);
  return t;
}

double SignedVolume(const RowMatrixX3d& vertices, const RowMatrixX3i& faces) {
  double volume = 0;
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const Eigen::Vector3d a = vertices.row(faces(f, 0)), b = vertices.row(faces(f, 1)), c = vertices.row(faces(f, 2));
    volume += a.dot(b.cross(c));
  }
  return volume / 6.0;
}

}  // namespace resihmr::geometry
