#include "geometry/boundary_loops.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "model/error.h"

namespace resihmr::geometry {

namespace {

uint64_t EdgeKey(int a, int b) { return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b); }

// Every face's directed edges, sorted: a boundary half-edge a->b is one whose twin b->a is absent.
std::vector<uint64_t> SortedDirectedEdges(const RowMatrixX3i& faces) {
  std::vector<uint64_t> directed;
  directed.reserve(static_cast<size_t>(faces.rows()) * 3);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int k = 0; k < 3; ++k) directed.push_back(EdgeKey(faces(f, k), faces(f, (k + 1) % 3)));
  }
  std::sort(directed.begin(), directed.end());
  return directed;
}

bool HasTwin(const std::vector<uint64_t>& directed, uint64_t edge) {
  return std::binary_search(directed.begin(), directed.end(), EdgeKey(static_cast<int>(edge & 0xffffffffu), static_cast<int>(edge >> 32)));
}

}  // namespace

std::vector<std::vector<int>> BoundaryLoops(const RowMatrixX3i& faces) {
  const std::vector<uint64_t> directed = SortedDirectedEdges(faces);
  std::unordered_map<int, int> next;  // a -> b along the boundary
  for (uint64_t e : directed) {
    if (HasTwin(directed, e)) continue;
    const int a = static_cast<int>(e >> 32), b = static_cast<int>(e & 0xffffffffu);
    if (!next.emplace(a, b).second) {
      throw Error("the boundary is not simple: two boundary edges leave vertex " + std::to_string(a));
    }
  }
  bool simple = true;
  std::vector<std::vector<int>> loops = ChainLoops(next, &simple);
  if (!simple) throw Error("the boundary is not a set of simple closed loops");
  return loops;
}

std::vector<std::vector<int>> ChainLoops(const std::unordered_map<int, int>& next, bool* simple) {
  std::vector<std::vector<int>> loops;
  std::unordered_map<int, bool> seen;
  for (const auto& [start, unused] : next) {
    if (seen[start]) continue;
    std::vector<int> loop;
    int v = start;
    while (!seen[v]) {
      seen[v] = true;
      loop.push_back(v);
      auto it = next.find(v);
      if (it == next.end()) {
        *simple = false;
        break;
      }
      v = it->second;
    }
    if (v != start) *simple = false;
    loops.push_back(loop);
  }
  return loops;
}

std::vector<std::vector<int>> BoundaryCycles(const RowMatrixX3i& faces, int* pinched) {
  const std::vector<uint64_t> directed = SortedDirectedEdges(faces);
  std::unordered_map<int, std::vector<int>> next;  // a -> every b of a boundary edge a->b
  for (uint64_t e : directed) {
    if (!HasTwin(directed, e)) next[static_cast<int>(e >> 32)].push_back(static_cast<int>(e & 0xffffffffu));
  }
  if (pinched) {
    *pinched = 0;
    for (const auto& [v, out] : next) *pinched += out.size() > 1;
  }
  std::vector<std::vector<int>> cycles;
  for (auto& [start, unused] : next) {
    while (!next[start].empty()) {
      std::vector<int> cycle;
      int v = start;
      do {
        cycle.push_back(v);
        std::vector<int>& out = next[v];
        if (out.empty()) break;  // an open path (only in meshes with inconsistent orientation)
        const int w = out.back();
        out.pop_back();
        v = w;
      } while (v != start);
      cycles.push_back(cycle);
    }
  }
  return cycles;
}

}  // namespace resihmr::geometry
