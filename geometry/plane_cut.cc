#include "geometry/plane_cut.h"

#include "geometry/boundary_loops.h"

#include <map>
#include <unordered_map>

namespace resihmr::geometry {

PlaneCut CutByPlane(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& point,
                    const Eigen::Vector3d& normal, const std::vector<int>& seeds, const std::vector<uint8_t>& allowed,
                    bool keep_flooded) {
  const int V = static_cast<int>(vertices.rows());
  const Eigen::Vector3d n = normal.normalized();
  std::vector<double> phi(static_cast<size_t>(V));
  for (int v = 0; v < V; ++v) phi[static_cast<size_t>(v)] = (vertices.row(v).transpose() - point).dot(n);
  // Vertex adjacency in compressed rows (each face edge in both directions).
  std::vector<int> offsets(static_cast<size_t>(V) + 1, 0), adjacent(static_cast<size_t>(faces.size()) * 2);
  for (Eigen::Index i = 0; i < faces.size(); ++i) offsets[static_cast<size_t>(faces.data()[i]) + 1] += 2;
  for (int v = 0; v < V; ++v) offsets[static_cast<size_t>(v) + 1] += offsets[static_cast<size_t>(v)];
  {
    std::vector<int> fill(offsets.begin(), offsets.end() - 1);
    for (Eigen::Index f = 0; f < faces.rows(); ++f) {
      for (int k = 0; k < 3; ++k) {
        const int a = faces(f, k), b = faces(f, (k + 1) % 3), c = faces(f, (k + 2) % 3);
        adjacent[static_cast<size_t>(fill[static_cast<size_t>(a)]++)] = b;
        adjacent[static_cast<size_t>(fill[static_cast<size_t>(a)]++)] = c;
      }
    }
  }
  // Flood from the seeds through vertices beyond the plane.
  std::vector<uint8_t> removed(static_cast<size_t>(V), 0);
  std::vector<int> stack;
  const auto may_go = [&](int v) {
    return phi[static_cast<size_t>(v)] > 0 && (allowed.empty() || allowed[static_cast<size_t>(v)]);
  };
  for (int s : seeds) {
    if (s >= 0 && s < V && may_go(s) && !removed[static_cast<size_t>(s)]) {
      removed[static_cast<size_t>(s)] = 1;
      stack.push_back(s);
    }
  }
  while (!stack.empty()) {
    const int v = stack.back();
    stack.pop_back();
    for (int i = offsets[static_cast<size_t>(v)]; i < offsets[static_cast<size_t>(v) + 1]; ++i) {
      const int u = adjacent[static_cast<size_t>(i)];
      if (!removed[static_cast<size_t>(u)] && may_go(u)) {
        removed[static_cast<size_t>(u)] = 1;
        stack.push_back(u);
      }
    }
  }
  PlaneCut out;
  out.flooded = removed;
  std::vector<Eigen::Vector3d> extra;
  std::map<std::pair<int, int>, int> split;  // (kept, removed) -> new vertex
  const auto crossing = [&](int kept, int gone) {
    auto it = split.find({kept, gone});
    if (it != split.end()) return it->second;
    const double a = phi[static_cast<size_t>(kept)], b = phi[static_cast<size_t>(gone)];
    // Opposite signs: the plane crossing; a flood boundary off the plane (both
    // sides beyond it, `allowed` stopped the flood): the edge's midpoint.
    const double t = (a <= 0 && b > 0) ? a / (a - b) : 0.5;
    extra.push_back((1 - t) * vertices.row(kept).transpose() + t * vertices.row(gone).transpose());
    const int index = V + static_cast<int>(extra.size()) - 1;
    split[{kept, gone}] = index;
    return index;
  };
  if (keep_flooded) {
    // Keep the flooded side: swap the roles; the split points stay the same
    // because phi's sign flips with them.
    for (int v = 0; v < V; ++v) {
      removed[static_cast<size_t>(v)] = !removed[static_cast<size_t>(v)];
      phi[static_cast<size_t>(v)] = -phi[static_cast<size_t>(v)];
    }
  }
  std::vector<Eigen::Vector3i> kept_faces;
  std::vector<std::pair<int, int>> open_edges;
  kept_faces.reserve(static_cast<size_t>(faces.rows()));
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int a = faces(f, 0), b = faces(f, 1), c = faces(f, 2);
    const int gone = removed[static_cast<size_t>(a)] + removed[static_cast<size_t>(b)] + removed[static_cast<size_t>(c)];
    if (gone == 0) {
      kept_faces.push_back({a, b, c});
      continue;
    }
    ++out.removed_faces;
    if (gone == 3) continue;
    // Rotate so that the odd vertex comes first, keeping the orientation.
    int i0 = a, i1 = b, i2 = c;
    const bool odd_removed = gone == 1;
    for (int r = 0; r < 3; ++r) {
      if (static_cast<bool>(removed[static_cast<size_t>(i0)]) == odd_removed) break;
      const int t = i0;
      i0 = i1;
      i1 = i2;
      i2 = t;
    }
    if (odd_removed) {
      // i0 removed, i1 and i2 kept: the quad (x01, i1, i2, x20) remains; x20 -> x01 is open.
      const int x01 = crossing(i1, i0), x20 = crossing(i2, i0);
      kept_faces.push_back({x01, i1, i2});
      kept_faces.push_back({x01, i2, x20});
      open_edges.push_back({x20, x01});
    } else {
      // i0 kept, i1 and i2 removed: the triangle (i0, x01, x20) remains; x01 -> x20 is open.
      const int x01 = crossing(i0, i1), x20 = crossing(i0, i2);
      kept_faces.push_back({i0, x01, x20});
      open_edges.push_back({x01, x20});
    }
  }
  out.first_new_vertex = V;
  out.vertices.resize(V + static_cast<int>(extra.size()), 3);
  out.vertices.topRows(V) = vertices;
  for (size_t i = 0; i < extra.size(); ++i) out.vertices.row(V + static_cast<int>(i)) = extra[i].transpose();
  out.faces.resize(static_cast<Eigen::Index>(kept_faces.size()), 3);
  for (size_t i = 0; i < kept_faces.size(); ++i) out.faces.row(static_cast<Eigen::Index>(i)) = kept_faces[i].transpose();
  // Chain the open edges into loops.
  std::unordered_map<int, int> next;
  for (const auto& [a, b] : open_edges) {
    if (a == b || !next.emplace(a, b).second) out.loops_simple = false;
  }
  out.loops = ChainLoops(next, &out.loops_simple);
  out.used.assign(out.vertices.rows(), 0);
  for (Eigen::Index i = 0; i < out.faces.size(); ++i) out.used[static_cast<size_t>(out.faces.data()[i])] = 1;
  return out;
}

}  // namespace resihmr::geometry
