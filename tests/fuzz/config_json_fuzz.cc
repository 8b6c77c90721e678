// libFuzzer target: `resihmr fit --config` JSON (optim/fit_config.h) on
// arbitrary bytes: a configuration within the documented ranges, or a
// resihmr::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/error.h"
#include "optim/fit_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;  // ReadFitConfig turns this into an Error naming the file
  }
  resihmr::optim::FitConfig config = resihmr::optim::FitConfig::Default();
  try {
    resihmr::optim::ApplyFitConfigJson(json, "fuzz.json", &config);
  } catch (const resihmr::Error&) {
    return 0;
  }
  if (config.camera_max_iterations < 1 || config.camera_max_iterations > resihmr::optim::kMaxIterations) std::abort();
  for (const resihmr::optim::StageWeights& s : config.stages) {
    if (s.max_iterations < 0 || s.max_iterations > resihmr::optim::kMaxIterations) std::abort();
  }
  return 0;
}
