// libFuzzer target: MakeHuman's base mesh reader (data/makehuman_files.h,
// `make-model --from-makehuman`) on arbitrary bytes. Faces within the
// vertices, or a resihmr::Error; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "data/makehuman_files.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const resihmr::data::MakeHumanMesh mesh = resihmr::data::ParseMakeHumanObj(text, "base.obj");
    for (const std::vector<int>& f : mesh.body_faces) {
      if (f.size() < 3 || f.size() > 4) std::abort();
      for (int v : f) {
        if (v < 0 || v >= mesh.vertices.rows()) std::abort();
      }
    }
    if (!mesh.vertices.allFinite()) std::abort();
  } catch (const resihmr::Error&) {
  }
  return 0;
}
