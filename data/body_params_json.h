// Body parameters as JSON, the format of `resihmr pose --params` and of the
// "params" object in fit results:
//   {"betas": [..], "pose": [[ax, ay, az], ... one per joint, root first],
//    "transl": [x, y, z], "expression": [..], "left_hand_pose": [..],
//    "right_hand_pose": [..], "zeroed_joints": [joint indices]}
// Axis-angle in radians, translation in metres; a missing key means zeros.
// Unknown keys, wrong types, wrong counts and non-finite numbers are errors
// that name the file and the key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/body_model.h"
#include "model/body_params.h"

namespace resihmr::data {

model::BodyParams BodyParamsFromJson(const nlohmann::json& json, const model::BodyModel& model,
                                     const std::string& what);
model::BodyParams ReadBodyParamsJson(const std::string& path, const model::BodyModel& model);
nlohmann::json BodyParamsToJson(const model::BodyParams& params);

}  // namespace resihmr::data
