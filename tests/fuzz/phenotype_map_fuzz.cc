// libFuzzer target: the MakeHuman phenotype map (model.phenotype.json,
// data/makehuman_phenotype.h) on arbitrary bytes: a map or a resihmr::Error;
// a map that passes must give finite betas for any phenotype in [0, 1].
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "data/makehuman_phenotype.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;  // ReadPhenotypeMap turns this into an Error naming the file
  }
  try {
    const resihmr::data::PhenotypeMap map = resihmr::data::PhenotypeMapFromJson(json, 10, "fuzz.json");
    if (map.betas_from_phenotype.rows() < 1 || map.betas_from_phenotype.rows() > 10) std::abort();
    resihmr::data::MakeHumanPhenotype p;
    for (double x : {0.0, 0.5, 1.0}) {
      p.gender = p.age = p.muscle = p.weight = p.height = p.proportions = x;
      if (!resihmr::data::BetasOf(map, p).allFinite()) std::abort();  // accepted values give finite betas
    }
  } catch (const resihmr::Error&) {
  }
  return 0;
}
