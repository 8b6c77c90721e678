#include "geometry/orient_faces.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace resihmr::geometry {

int OrientConsistently(RowMatrixX3i* faces) {
  const Eigen::Index F = faces->rows();
  // Undirected edge -> the faces that contain it.
  std::unordered_map<uint64_t, std::vector<int>> edge_faces;
  const auto key = [](int a, int b) {
    return (static_cast<uint64_t>(std::min(a, b)) << 32) | static_cast<uint32_t>(std::max(a, b));
  };
  for (Eigen::Index f = 0; f < F; ++f) {
    for (int k = 0; k < 3; ++k) {
      std::vector<int>& list = edge_faces[key((*faces)(f, k), (*faces)(f, (k + 1) % 3))];
      list.push_back(static_cast<int>(f));
      if (list.size() > 2) return -1;
    }
  }
  // Whether face f traverses a -> b.
  const auto forward = [&](Eigen::Index f, int a, int b) {
    for (int k = 0; k < 3; ++k) {
      if ((*faces)(f, k) == a && (*faces)(f, (k + 1) % 3) == b) return true;
    }
    return false;
  };
  std::vector<int8_t> flip(static_cast<size_t>(F), -1);  // -1 unvisited, 0 keep, 1 turn round
  int turned = 0;
  std::vector<int> stack, component;
  for (Eigen::Index seed = 0; seed < F; ++seed) {
    if (flip[static_cast<size_t>(seed)] >= 0) continue;
    flip[static_cast<size_t>(seed)] = 0;
    stack.assign(1, static_cast<int>(seed));
    component.clear();
    while (!stack.empty()) {
      const int f = stack.back();
      stack.pop_back();
      component.push_back(f);
      for (int k = 0; k < 3; ++k) {
        int a = (*faces)(f, k), b = (*faces)(f, (k + 1) % 3);
        if (flip[static_cast<size_t>(f)]) std::swap(a, b);  // f as it will be
        for (int g : edge_faces[key(a, b)]) {
          if (g == f) continue;
          // g agrees with f when, as it will be, it traverses b -> a.
          const int8_t want = forward(g, b, a) ? 0 : 1;
          if (flip[static_cast<size_t>(g)] < 0) {
            flip[static_cast<size_t>(g)] = want;
            stack.push_back(g);
          } else if (flip[static_cast<size_t>(g)] != want) {
            return -1;  // not orientable
          }
        }
      }
    }
    // Turn round the minority of the component.
    size_t flipped = 0;
    for (int f : component) flipped += flip[static_cast<size_t>(f)];
    if (2 * flipped > component.size()) {
      for (int f : component) flip[static_cast<size_t>(f)] ^= 1;
    }
  }
  for (Eigen::Index f = 0; f < F; ++f) {
    if (flip[static_cast<size_t>(f)]) {
      std::swap((*faces)(f, 1), (*faces)(f, 2));
      ++turned;
    }
  }
  return turned;
}

}  // namespace resihmr::geometry
