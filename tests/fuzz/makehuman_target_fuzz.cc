// libFuzzer target: MakeHuman's shape-target reader (data/makehuman_files.h)
// on arbitrary (unpacked) bytes against 100 vertices. Each vertex at most
// once, in range, with finite offsets, or a resihmr::Error; never a crash.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/makehuman_files.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const resihmr::data::MakeHumanTarget t = resihmr::data::ParseMakeHumanTarget(text, "t.target", 100);
    std::vector<int> seen(100, 0);
    if (t.vertices.size() != t.offsets.size()) std::abort();
    for (size_t i = 0; i < t.vertices.size(); ++i) {
      if (t.vertices[i] < 0 || t.vertices[i] >= 100 || seen[static_cast<size_t>(t.vertices[i])]++ || !t.offsets[i].allFinite()) {
        std::abort();
      }
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
