#include "pipeline/model_source.h"

#include "model/body_model_npz.h"
#include "model/embedded_model_file.h"

namespace resihmr::pipeline {

model::BodyModel LoadModelOrEmbedded(const std::string& path) {
  if (path.empty()) return model::EmbeddedBodyModel();
  return model::LoadBodyModel(path);
}

}  // namespace resihmr::pipeline
