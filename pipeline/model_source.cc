#include "pipeline/model_source.h"

#include <filesystem>

#include "data/makehuman_phenotype.h"
#include "model/body_model_npz.h"
#include "model/embedded_model_file.h"
#include "pipeline/json_file.h"

namespace resihmr::pipeline {

model::BodyModel LoadModelOrEmbedded(const std::string& path) {
  if (path.empty()) return model::EmbeddedBodyModel();
  return model::LoadBodyModel(path);
}

std::string SaveMakeHumanModel(const data::MakeHumanModel& imported, const std::string& path) {
  model::SaveBodyModel(imported.model, path, true);
  const std::string map = data::PhenotypeMapPathFor(path);
  try {
    WriteJsonFile(map, data::PhenotypeMapJson(imported.space));
  } catch (...) {
    std::filesystem::remove(path);  // both files or neither
    throw;
  }
  return map;
}

}  // namespace resihmr::pipeline
