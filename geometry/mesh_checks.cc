#include "geometry/mesh_checks.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <numeric>
#include <vector>

namespace resihmr::geometry {
namespace {

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
  // Per vertex, the link of each of its faces: the face's other two vertices in
  // order (a -> u -> w), so that the face has the edges a -> u and w -> a.
  std::vector<int> offsets(static_cast<size_t>(num_vertices) + 1, 0);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) {
      ++t.degenerate_faces;
      continue;
    }
    for (int k = 0; k < 3; ++k) ++offsets[static_cast<size_t>(faces(f, k)) + 1];
  }
  for (int v = 0; v < num_vertices; ++v) offsets[static_cast<size_t>(v) + 1] += offsets[static_cast<size_t>(v)];
  std::vector<std::pair<int, int>> link(static_cast<size_t>(offsets.back()));
  std::vector<int> fill(offsets.begin(), offsets.end() - 1);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) continue;
    for (int k = 0; k < 3; ++k) {
      link[static_cast<size_t>(fill[static_cast<size_t>(faces(f, k))]++)] = {faces(f, (k + 1) % 3), faces(f, (k + 2) % 3)};
    }
  }
  int edges = 0, used_vertices = 0;
  std::vector<int> group, neighbours;
  for (int v = 0; v < num_vertices; ++v) {
    const int begin = offsets[static_cast<size_t>(v)], end = offsets[static_cast<size_t>(v) + 1];
    if (begin == end) continue;
    ++used_vertices;
    // Edges v -- u with v < u, counted once from their smaller end: the faces
    // of v traverse v -> u (out) or u -> v (in); a good edge has one of each.
    neighbours.clear();
    for (int i = begin; i < end; ++i) {
      for (const int u : {link[static_cast<size_t>(i)].first, link[static_cast<size_t>(i)].second}) {
        if (u > v && std::find(neighbours.begin(), neighbours.end(), u) == neighbours.end()) neighbours.push_back(u);
      }
    }
    for (const int u : neighbours) {
      int out = 0, in = 0;
      for (int j = begin; j < end; ++j) {
        out += link[static_cast<size_t>(j)].first == u;
        in += link[static_cast<size_t>(j)].second == u;
      }
      ++edges;
      const int count = out + in;
      if (count == 1) {
        ++t.boundary_edges;
      } else if (count > 2) {
        ++t.nonmanifold_edges;
      } else if (out != 1) {
        ++t.misoriented_edges;
      }
    }
    // One fan: the link edges joined through shared vertices form one group.
    const int degree = end - begin;
    if (degree < 2) continue;
    group.resize(static_cast<size_t>(degree));
    std::iota(group.begin(), group.end(), 0);
    for (int i = 0; i < degree; ++i) {
      for (int j = i + 1; j < degree; ++j) {
        const auto& a = link[static_cast<size_t>(begin + i)];
        const auto& b = link[static_cast<size_t>(begin + j)];
        if (a.first == b.first || a.first == b.second || a.second == b.first || a.second == b.second) {
          group[static_cast<size_t>(Find(group, i))] = Find(group, j);
        }
      }
    }
    int groups = 0;
    for (int i = 0; i < degree; ++i) groups += Find(group, i) == i;
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
  for (int v = 0; v < num_vertices; ++v) {
    if (offsets[static_cast<size_t>(v)] != offsets[static_cast<size_t>(v) + 1]) t.components += Find(parent, v) == v;
  }
  t.euler_characteristic = used_vertices - edges + (t.num_faces - t.degenerate_faces);
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
