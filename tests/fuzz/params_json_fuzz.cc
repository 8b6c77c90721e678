// libFuzzer target: `resihmr pose --params` JSON (data/body_params_json.h)
// on arbitrary bytes, against a small SMPL-layout model: a parameter set or
// a resihmr::Error, and a parameter set that passes must pose to finite
// joints.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "data/body_params_json.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const resihmr::model::BodyModel model = resihmr::testing::RandomBodyModel({});
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;  // ReadBodyParamsJson turns this into an Error naming the file
  }
  try {
    const resihmr::model::BodyParams params = resihmr::data::BodyParamsFromJson(json, model, "fuzz.json");
    const resihmr::model::PosedBody posed = resihmr::model::PoseBody(model, params, true, "fuzz.json");
    if (!posed.vertices.allFinite() || !posed.joints.allFinite()) std::abort();  // accepted values must pose finitely
  } catch (const resihmr::Error&) {
  }
  return 0;
}
