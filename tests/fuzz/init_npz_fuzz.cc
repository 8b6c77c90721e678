// libFuzzer target: `resihmr fit --init` npz files (data/init_params.h) on
// arbitrary bytes, against a small SMPL-layout model: start parameters
// within the documented ranges, or a resihmr::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "data/init_params.h"
#include "model/error.h"
#include "model/npz.h"
#include "tests/support/test_models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const resihmr::model::BodyModel model = resihmr::testing::RandomBodyModel({});
  try {
    const resihmr::model::NpzContents npz = resihmr::model::ReadNpzFromMemory(data, size, "fuzz.npz");
    const resihmr::data::InitFile init = resihmr::data::InitParamsFromNpz(npz, "fuzz.npz", model);
    for (const resihmr::data::InitParams& p : init.persons) {
      if (!p.params.pose.allFinite() || !p.params.betas.allFinite() || !p.joints_3d.allFinite()) std::abort();
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
