// libFuzzer target: the OpenPose JSON reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/annotation_file.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  resihmr::data::ReadOptions options;
  options.image_width = 640;
  options.image_height = 480;
  try {
    resihmr::data::ParseOpenPose(text, "fuzz_keypoints.json", options);
  } catch (const resihmr::Error&) {
  }
  return 0;
}
