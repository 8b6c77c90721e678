// The per-person result file of `resihmr fit` (schema in docs/output.md):
// parameters, camera, projected keypoints, per-keypoint errors, stages,
// time, residual limbs with their stumps' measurements, the mesh; and the
// rows of measurements.csv. The Python module's Result.to_json() is the same
// text (pipeline/json_file.h's JsonText of PersonResultJson).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "data/observation.h"
#include "geometry/stump_mesh.h"
#include "optim/fit_result.h"
#include "optim/person_fit.h"
#include "pipeline/reconstruct_person.h"

namespace resihmr::pipeline {

nlohmann::json FitResultJson(const data::Observation& person, const optim::FitResult& result, const std::string& method,
                             const std::string& model_name);

// The "residual_limbs" list of a person's result; `stumps` (same order, null
// where no stump was built) adds each limb's "measurements", and `profiles`
// (same order, null where none was fitted) their "profile".
nlohmann::json ResidualLimbsJson(const std::vector<optim::ResidualLimbResult>& limbs,
                                 const std::vector<const geometry::StumpOutcome*>& stumps = {},
                                 const std::vector<const optim::StumpProfileFit*>& profiles = {});

// The "measurements" object of one residual limb (resihmr measure writes the same).
nlohmann::json MeasurementsJson(const geometry::LimbMeasurements& m);

// A built stump's "measurements" with its "profile" (docs/output.md): the
// fitted profile and its uncertainty where the stump took it, else the
// convex cap (fitted false) and why.
nlohmann::json StumpMeasurementsJson(const geometry::StumpOutcome& stump, const optim::StumpProfileFit* profile);

// The whole result of one person as `fit` writes it; "mesh" names the file
// PersonFileStem(person) + ".ply".
nlohmann::json PersonResultJson(const data::Observation& person, const PersonResult& result, const std::string& method,
                                const std::string& model_name);

// measurements.csv: its header line, and one row per measured residual limb of a person.
std::string MeasurementsCsvHeader();
std::vector<std::string> MeasurementsCsvRows(const data::Observation& person, const PersonResult& result);

// "<image stem>_<annotation id>": the base name of a person's output files.
std::string PersonFileStem(const data::Observation& person);

}  // namespace resihmr::pipeline
