#include "apps/model_source.h"

#include "model/body_model_npz.h"
#include "model/embedded_body_model.h"

namespace resihmr::apps {

model::BodyModel LoadModelOrEmbedded(const std::string& path) {
  if (path.empty()) return model::MakeEmbeddedBodyModel(0);
  return model::LoadBodyModel(path);
}

}  // namespace resihmr::apps
