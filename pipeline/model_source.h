// The body model a command works on: the --model file, or the embedded
// model when none is given; and where an imported MakeHuman model is written.
#pragma once

#include <string>

#include "data/makehuman_model.h"
#include "model/body_model.h"

namespace resihmr::pipeline {

// Loads `path`, or makes the embedded model when `path` is empty.
model::BodyModel LoadModelOrEmbedded(const std::string& path);

// Writes an imported MakeHuman model to `path` (.npz, without pose
// correctives) and its phenotype map beside it (data::PhenotypeMapPathFor),
// both or neither; returns the map's path. Throws resihmr::Error naming the
// file that cannot be written.
std::string SaveMakeHumanModel(const data::MakeHumanModel& imported, const std::string& path);

}  // namespace resihmr::pipeline
