// A body asked for by phenotype, stature and mass (issue 19, docs/model.md).
// `resihmr make-model --from-makehuman` writes beside its model the map from
// a MakeHuman phenotype to betas (model.phenotype.json,
// data/makehuman_model.h); this reads it back, checked, measures a body's
// stature and mass on its rest mesh, and solves MakeHuman's height and
// weight sliders so that the body has the stature (metres) and the mass
// (kilograms) asked for, the other phenotype values as given.
//
// Stature: the rest body's (pose zero, SMPL's T-pose) vertical extent, sole
// to crown, metres. Mass: the closed skin's volume times a density (default
// 1010 kg/m^3, a whole-body average with the lungs' air; lean bodies are
// denser, about 1060, fat ones lighter, about 980). The MakeHuman skin is
// unclothed and has no hair. Each slider is solved by bisection over [0, 1]
// (stature rises with height, mass with weight, both measured), the two in
// turn until both are met; a request that no slider value in [0, 1] meets is
// an error that names it and the reachable range.
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>
#include <string>

#include "data/makehuman_shape.h"
#include "model/body_model.h"

namespace resihmr::data {

struct PhenotypeMap {
  Eigen::MatrixXd betas_from_phenotype;  // B x 7: betas = A [gender, age, muscle, weight, height, proportions, 1]
  Eigen::Matrix<double, 6, 2> sampled_range;  // per phenotype value [lo, hi] of the samples the map was fitted on
};

PhenotypeMap PhenotypeMapOf(const MakeHumanShapeSpace& space);

// Where the map of a model file lies: "mh.npz" -> "mh.phenotype.json".
std::string PhenotypeMapPathFor(const std::string& model_path);

// The JSON of data::PhenotypeMapJson, checked: "phenotype" the seven names in
// order, "betas_from_phenotype" 1..num_betas rows of 7 finite numbers,
// "sampled_range" 6 pairs lo <= hi within [0, 1]. Throws resihmr::Error
// naming `what` and the key.
PhenotypeMap PhenotypeMapFromJson(const nlohmann::json& json, int num_betas, const std::string& what);
PhenotypeMap ReadPhenotypeMap(const std::string& path, int num_betas);

// Betas (as many as the map has rows) for a phenotype, each value in [0, 1]
// (an error naming it otherwise).
Eigen::VectorXd BetasOf(const PhenotypeMap& map, const MakeHumanPhenotype& phenotype);

struct RestBodySize {
  double stature_m = 0;
  double volume_l = 0;  // litres, of the closed skin
  double mass_kg = 0;   // volume x density
};

// `betas` (at most the model's count; the rest zero) on the rest body.
RestBodySize MeasureRestBody(const model::BodyModel& model, const Eigen::VectorXd& betas, double density_kg_m3);

struct BodyRequest {
  MakeHumanPhenotype phenotype;  // gender, age, muscle, proportions; height and weight unless solved
  double stature_m = 0;          // > 0: solve the height slider for it (0.5 to 2.5 m)
  double mass_kg = 0;            // > 0: solve the weight slider for it (10 to 300 kg)
  double density_kg_m3 = 1010;   // 900 to 1200
};

struct RequestedBody {
  MakeHumanPhenotype phenotype;  // with height and weight as solved
  Eigen::VectorXd betas;
  RestBodySize size;             // as measured on the body of `betas`
  bool extrapolated = false;     // a phenotype value outside the map's sampled range
};

// The model must be closed (its skin a watertight mesh) for the mass.
// Throws resihmr::Error on a request out of range or out of reach.
RequestedBody SolveBody(const model::BodyModel& model, const PhenotypeMap& map, const BodyRequest& request);

nlohmann::json RequestedBodyJson(const RequestedBody& body);

}  // namespace resihmr::data
