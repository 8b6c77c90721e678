// The body model a command works on: the --model file, or the embedded
// model when none is given.
#pragma once

#include <string>

#include "model/body_model.h"

namespace resihmr::pipeline {

// Loads `path`, or makes the embedded model when `path` is empty.
model::BodyModel LoadModelOrEmbedded(const std::string& path);

}  // namespace resihmr::pipeline
