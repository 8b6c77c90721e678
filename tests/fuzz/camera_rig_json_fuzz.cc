// libFuzzer target: the JSON form of a camera rig (data/camera_rig.h) on
// arbitrary bytes: checked cameras (unique names, positive focal lengths,
// orthonormal R, finite t), or a resihmr::Error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include <Eigen/LU>

#include "data/camera_rig.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  resihmr::data::CameraRig rig;
  try {
    rig = resihmr::data::ParseCameraRigJson(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const resihmr::Error&) {
    return 0;
  }
  std::set<std::string> names;
  if (rig.cameras.empty()) std::abort();
  for (const resihmr::data::RigCamera& c : rig.cameras) {
    if (!names.insert(c.name).second || !(c.intrinsics.fx > 0) || !(c.intrinsics.fy > 0) || !c.t.allFinite()) std::abort();
    if ((c.R.transpose() * c.R - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff() > 1e-9 || c.R.determinant() < 0) std::abort();
  }
  return 0;
}
