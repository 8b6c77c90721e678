#include "data/makehuman_model.h"

#include <chrono>

#include "model/skeleton_tables.h"

namespace resihmr::data {

MakeHumanModel ImportMakeHuman(const std::string& dir, int num_betas) {
  const auto start = std::chrono::steady_clock::now();
  MakeHumanModel out;
  const MakeHumanBody body = ReadMakeHumanBody(dir);
  const MakeHumanTargets targets = ReadMakeHumanTargets(dir, body);
  out.space = BuildMakeHumanShapeSpace(targets, num_betas);
  model::BodyModel& m = out.model;
  m.kind = model::ModelKind::kSmpl;
  m.source = dir;
  m.v_template = body.vertices;
  m.shapedirs = out.space.shapedirs;
  m.num_betas = num_betas;
  m.j_regressor = body.j_regressor;
  m.weights = body.weights;
  m.parents = model::SmplParents();
  m.faces = body.faces;
  m.joint_names = model::OfficialJointNames(24);
  m.vertex_keypoints = body.vertex_keypoints;
  m.Finalize();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

nlohmann::json PhenotypeMapJson(const MakeHumanShapeSpace& space) {
  nlohmann::json rows = nlohmann::json::array();
  for (Eigen::Index k = 0; k < space.phenotype_to_betas.rows(); ++k) {
    // Element by element: the matrix is column-major, so a row is not contiguous.
    std::vector<double> row(static_cast<size_t>(space.phenotype_to_betas.cols()));
    for (Eigen::Index c = 0; c < space.phenotype_to_betas.cols(); ++c) row[static_cast<size_t>(c)] = space.phenotype_to_betas(k, c);
    rows.push_back(row);
  }
  nlohmann::json range = nlohmann::json::array();
  for (int k = 0; k < 6; ++k) range.push_back({space.sampled_range(k, 0), space.sampled_range(k, 1)});
  return {{"phenotype", {"gender", "age", "muscle", "weight", "height", "proportions", "1"}},
          {"betas_from_phenotype", rows},
          {"sampled_range", range},
          {"r2", std::vector<double>(space.mapping_r2.data(), space.mapping_r2.data() + space.mapping_r2.size())},
          {"explained", std::vector<double>(space.explained.data(), space.explained.data() + space.explained.size())},
          {"note", "betas = A [gender, age, muscle, weight, height, proportions, 1]; gender 0 female 1 male, age 0.5 = 25 "
                   "years and 1 = 90, muscle / weight 0.5 average, height and proportions 0.5 neutral; fitted on adult "
                   "samples (docs/model.md)"}};
}

}  // namespace resihmr::data
