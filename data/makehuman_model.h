// `resihmr make-model --from-makehuman DIR` as a library call (issue 19,
// docs/model.md): the MakeHuman body (data/makehuman_body.h) with its shape
// space (data/makehuman_shape.h) as a model::BodyModel in the SMPL layout
// (24 joints, SMPL's names and parents, 10 betas, no pose correctives),
// finalised (its arrays checked), and the phenotype-to-betas map as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "data/makehuman_shape.h"
#include "model/body_model.h"

namespace resihmr::data {

struct MakeHumanModel {
  model::BodyModel model;
  MakeHumanShapeSpace space;
  double seconds = 0;  // the import's time
};

// Throws resihmr::Error naming the file and the entry on a bad folder.
MakeHumanModel ImportMakeHuman(const std::string& dir, int num_betas = 10);

// {"phenotype": [names], "betas_from_phenotype": B x 7 rows (the last column
// the constant), "sampled_range": 6 [lo, hi] pairs, "r2": [B], "explained":
// [B], "note"} (read back by data/makehuman_phenotype.h): betas = A [gender,
// age, muscle, weight, height, proportions, 1], each phenotype value in
// [0, 1] as MakeHuman's sliders (data/makehuman_shape.h).
nlohmann::json PhenotypeMapJson(const MakeHumanShapeSpace& space);

}  // namespace resihmr::data
