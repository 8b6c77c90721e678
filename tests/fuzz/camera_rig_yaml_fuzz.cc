// libFuzzer target: EasyMocap's intri.yml / extri.yml (data/camera_rig.h),
// read by data/opencv_yaml.h (not cv::FileStorage), on arbitrary bytes: the input up to
// its first NUL is intri.yml, the rest extri.yml (a single text is both).
// Checked cameras, or a resihmr::Error; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "data/camera_rig.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t split = text.find('\0');
  const std::string intri = text.substr(0, split);
  const std::string extri = split == std::string::npos ? text : text.substr(split + 1);
  try {
    const resihmr::data::CameraRig rig = resihmr::data::ParseEasyMocapCameras(intri, extri, "intri.yml", "extri.yml");
    for (const resihmr::data::RigCamera& c : rig.cameras) {
      if (!(c.intrinsics.fx > 0) || !c.R.allFinite() || !c.t.allFinite()) std::abort();
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
