// libFuzzer target: the COCO / LDPose keypoint reader on arbitrary bytes.
// Any input must give a parsed file or a resihmr::Error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/annotation_file.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (bool strict : {false, true}) {
    resihmr::data::ReadOptions options;
    options.strict = strict;
    try {
      resihmr::data::ParseCocoKeypoints(text, "fuzz.json", options);
    } catch (const resihmr::Error&) {
    }
  }
  return 0;
}
