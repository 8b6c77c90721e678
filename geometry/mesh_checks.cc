#include "geometry/mesh_checks.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cstdint>
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
  // Per vertex v, each of its faces (v, n, p) in cyclic order, stored as the
  // pair next = n, prev = p: the face has the edges v -> n and p -> v. Every
  // fact about an edge v -- u is then local to v's list: the faces that
  // traverse v -> u have next == u, those that traverse u -> v have prev == u.
  // Components: union of each vertex with its face neighbours.
  std::vector<int> parent(static_cast<size_t>(num_vertices));
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<int> offsets(static_cast<size_t>(num_vertices) + 1, 0);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) {
      ++t.degenerate_faces;
      parent[static_cast<size_t>(Find(parent, b))] = Find(parent, a);
      parent[static_cast<size_t>(Find(parent, c))] = Find(parent, a);
      continue;
    }
    for (int k = 0; k < 3; ++k) ++offsets[static_cast<size_t>(faces(f, k)) + 1];
  }
  for (int v = 0; v < num_vertices; ++v) offsets[static_cast<size_t>(v) + 1] += offsets[static_cast<size_t>(v)];
  std::vector<int> next(static_cast<size_t>(offsets.back())), prev(next.size());
  std::vector<int> fill(offsets.begin(), offsets.end() - 1);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    if (a == b || b == c || a == c) continue;
    for (int k = 0; k < 3; ++k) {
      const size_t slot = static_cast<size_t>(fill[static_cast<size_t>(faces(f, k))]++);
      next[slot] = faces(f, (k + 1) % 3);
      prev[slot] = faces(f, (k + 2) % 3);
    }
  }
  int edges = 0, used_vertices = 0;
  std::vector<int> group;
  for (int v = 0; v < num_vertices; ++v) {
    const int begin = offsets[static_cast<size_t>(v)], end = offsets[static_cast<size_t>(v) + 1];
    if (begin == end) continue;
    ++used_vertices;
    const int* n = next.data() + begin;
    const int* p = prev.data() + begin;
    const int degree = end - begin;
    // Edges v -- u with u > v, each counted once at its first appearance in
    // v's list; a good edge has one face each way. `regular`: every
    // neighbour appears exactly once as next and once as prev.
    bool regular = true;
    for (int i = 0; i < degree; ++i) {
      int out = 0, in = 0, earlier = 0;
      for (int j = 0; j < degree; ++j) {
        out += n[j] == n[i];
        in += p[j] == n[i];
        earlier += j < i && n[j] == n[i];
      }
      regular = regular && out == 1 && in == 1;
      if (earlier == 0 && n[i] > v) {
        ++edges;
        if (out + in == 1) {
          ++t.boundary_edges;
        } else if (out + in > 2) {
          ++t.nonmanifold_edges;
        } else if (out != 1) {
          ++t.misoriented_edges;
        }
      }
    }
    for (int i = 0; i < degree && !regular; ++i) {
      // Neighbours met only as prev (u -> v with no v -> u): none when regular.
      int out = 0, in = 0, earlier = 0;
      for (int j = 0; j < degree; ++j) {
        out += n[j] == p[i];
        in += p[j] == p[i];
        earlier += j < i && p[j] == p[i];
      }
      if (out > 0 || earlier > 0 || p[i] < v) continue;
      ++edges;
      if (in == 1) {
        ++t.boundary_edges;
      } else if (in > 2) {
        ++t.nonmanifold_edges;
      } else {
        ++t.misoriented_edges;
      }
    }
    const int root = Find(parent, v);
    for (int i = 0; i < degree; ++i) parent[static_cast<size_t>(Find(parent, n[i]))] = root;
    if (degree < 2) continue;
    if (regular) {
      // One fan: the face after (v, n, p) around v is the one with next == p;
      // with every neighbour once each way this is a permutation, one cycle.
      int length = 0, i = 0;
      do {
        int j = 0;
        while (n[j] != p[i]) ++j;
        i = j;
        ++length;
      } while (i != 0);
      if (length != degree) ++t.nonmanifold_vertices;
      continue;
    }
    // Otherwise: faces joined through a shared neighbour form one group.
    group.resize(static_cast<size_t>(degree));
    std::iota(group.begin(), group.end(), 0);
    for (int i = 0; i < degree; ++i) {
      for (int j = i + 1; j < degree; ++j) {
        if (n[i] == n[j] || n[i] == p[j] || p[i] == n[j] || p[i] == p[j]) {
          group[static_cast<size_t>(Find(group, i))] = Find(group, j);
        }
      }
    }
    int groups = 0;
    for (int i = 0; i < degree; ++i) groups += Find(group, i) == i;
    if (groups > 1) ++t.nonmanifold_vertices;
  }
  // Distinct roots over the vertices of proper faces (a root may be a vertex
  // that only a degenerate face uses).
  std::vector<uint8_t> is_root(static_cast<size_t>(num_vertices), 0);
  for (int v = 0; v < num_vertices; ++v) {
    if (offsets[static_cast<size_t>(v)] == offsets[static_cast<size_t>(v) + 1]) continue;
    uint8_t& seen = is_root[static_cast<size_t>(Find(parent, v))];
    t.components += !seen;
    seen = 1;
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
