// The per-person result file of `resihmr fit` (schema in docs/output.md):
// parameters, camera, projected keypoints, per-keypoint errors, stages, time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "data/observation.h"
#include "optim/fit_result.h"
#include "optim/person_fit.h"

namespace resihmr::apps {

nlohmann::json FitResultJson(const data::Observation& person, const optim::FitResult& result, const std::string& method,
                             const std::string& model_name);

// The "residual_limbs" list of a person's result.
nlohmann::json ResidualLimbsJson(const std::vector<optim::ResidualLimbResult>& limbs);

// "<image stem>_<annotation id>": the base name of a person's output files.
std::string PersonFileStem(const data::Observation& person);

}  // namespace resihmr::apps
