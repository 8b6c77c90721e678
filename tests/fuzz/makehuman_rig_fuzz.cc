// libFuzzer target: MakeHuman's rig and weights readers (data/makehuman_files.h)
// on arbitrary bytes, against a small mesh with one helper group: the first
// byte picks the reader (even: rig.openpose.json, odd: weights.openpose.json,
// read against a rig of one bone). Indices in range, or a resihmr::Error;
// never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "data/makehuman_files.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const resihmr::data::MakeHumanMesh mesh = resihmr::data::ParseMakeHumanObj(
      "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\ng body\nf 1 2 3\nf 1 2 4\ng joint-a\nf 2 3 4\n", "mesh");
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      for (const resihmr::data::MakeHumanBone& b : resihmr::data::ParseMakeHumanRig(text, "rig.json", mesh)) {
        for (const resihmr::data::MakeHumanBoneEnd* e : {&b.head, &b.tail}) {
          if (e->vertices.empty()) std::abort();
          for (int v : e->vertices) {
            if (v < 0 || v >= 4) std::abort();
          }
        }
      }
    } else {
      static const std::vector<resihmr::data::MakeHumanBone> bones = resihmr::data::ParseMakeHumanRig(
          R"({"bones": {"A": {"head": {"strategy": "MEAN", "vertex_indices": [0]}, "tail": {"strategy": "CUBE", "cube_name": "joint-a"}}}})",
          "rig", mesh);
      for (const auto& [bone, pairs] : resihmr::data::ParseMakeHumanWeights(text, "weights.json", bones, 4)) {
        for (const auto& [v, w] : pairs) {
          if (bone != "A" || v < 0 || v >= 4 || !(w >= 0 && w <= 1)) std::abort();
        }
      }
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
