#include "optim/fit_config.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "model/error.h"

namespace resihmr::optim {

FitConfig FitConfig::Default() {
  FitConfig c;
  const double bend = 0.317;
  c.stages = {{"stage1", 404, 100, 404, bend * 404, 15},
              {"stage2", 404, 50, 404, bend * 404, 15},
              {"stage3", 57.4, 10, 57.4, bend * 57.4, 15},
              {"stage4", 4.78, 5, 4.78, bend * 4.78, 20},
              {"stage5", 4.78, 5, 4.78, bend * 4.78, 30}};
  return c;
}

namespace {

// A number in [lo, hi] (lo excluded when open_low), else an Error naming the key.
double NumberIn(const nlohmann::json& v, const std::string& where, double lo, double hi, bool open_low = false) {
  if (!v.is_number()) throw Error(where + ": expected a number, got " + std::string(v.type_name()));
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi || (open_low && x == lo)) {
    std::ostringstream s;
    s << where << ": " << v.dump() << " is outside the accepted range " << (open_low ? "(" : "[") << lo << ", " << hi << "]";
    throw Error(s.str());
  }
  return x;
}

// An integer (a JSON integer, or a number with no fraction) in [lo, hi]:
// read at full width, never narrowed before the check.
int IntegerIn(const nlohmann::json& v, const std::string& where, int lo, int hi) {
  const double x = NumberIn(v, where, lo, hi);
  if (x != std::floor(x)) throw Error(where + ": " + v.dump() + " is not an integer");
  return static_cast<int>(x);
}

}  // namespace

void ApplyFitConfigJson(const nlohmann::json& j, const std::string& what, FitConfig* c) {
  if (!j.is_object()) throw Error(what + ": expected a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const std::string where = what + ": " + key;
    if (key == "robust_rho_px") c->robust_rho_px = NumberIn(*it, where, 0, kMaxPixels, true);
    else if (key == "data_weight_scale") c->data_weight_scale = NumberIn(*it, where, 0, kMaxWeight, true);
    else if (key == "camera_depth_weight") c->camera_depth_weight = NumberIn(*it, where, 0, kMaxWeight);
    else if (key == "stage_depth_weight") c->stage_depth_weight = NumberIn(*it, where, 0, kMaxWeight);
    else if (key == "diverged_px") c->diverged_px = NumberIn(*it, where, 0, kMaxPixels, true);
    else if (key == "camera_max_iterations") c->camera_max_iterations = IntegerIn(*it, where, 1, kMaxIterations);
    else if (key == "side_view_px") c->side_view_px = NumberIn(*it, where, 0, kMaxPixels);
    else if (key == "side_view_ratio") c->side_view_ratio = NumberIn(*it, where, 0, 100);
    else if (key == "yaw_hypotheses_deg") c->yaw_hypotheses_deg = NumberIn(*it, where, 0, 180);
    else if (key == "upright_weight_px") c->upright_weight_px = NumberIn(*it, where, 0, kMaxPixels);
    else if (key == "upright_sigma_deg") c->upright_sigma_deg = NumberIn(*it, where, 0.1, 180);
    else if (key == "beta_bound") c->beta_bound = NumberIn(*it, where, 0, 20);
    else if (key == "diverged_beta_bound") c->diverged_beta_bound = NumberIn(*it, where, 0, 20);
    else if (key == "gmm_weight_factor") c->gmm_weight_factor = NumberIn(*it, where, 0, kMaxWeight);
    else if (key == "suspect_min_depth_m") c->suspect_min_depth_m = NumberIn(*it, where, 0, 1000);
    else if (key == "suspect_max_depth_m") c->suspect_max_depth_m = NumberIn(*it, where, 0, 1000);
    else if (key == "suspect_median_error_fraction") c->suspect_median_error_fraction = NumberIn(*it, where, 0, 10);
    else if (key == "suspect_mean_error_px") c->suspect_mean_error_px = NumberIn(*it, where, 0, kMaxPixels);
    else if (key == "suspect_min_person_px") c->suspect_min_person_px = NumberIn(*it, where, 0, kMaxPixels);
    else if (key == "suspect_max_abs_beta") c->suspect_max_abs_beta = NumberIn(*it, where, 0, 100);
    else if (key == "silhouette_weight") c->silhouette_weight = NumberIn(*it, where, 0, kMaxWeight);
    else if (key == "silhouette_rho_px") c->silhouette_rho_px = NumberIn(*it, where, 0, kMaxPixels, true);
    else if (key == "silhouette_rounds") c->silhouette_rounds = IntegerIn(*it, where, 0, 100);
    else if (key == "silhouette_max_iterations") c->silhouette_max_iterations = IntegerIn(*it, where, 1, kMaxIterations);
    else if (key == "silhouette_margin_px") c->silhouette_margin_px = NumberIn(*it, where, -1, kMaxPixels);
    else if (key == "silhouette_max_margin_px") c->silhouette_max_margin_px = NumberIn(*it, where, 0, kMaxPixels);
    else if (key == "silhouette_points") c->silhouette_points = IntegerIn(*it, where, 1, 100000);
    else if (key == "silhouette_working_px") c->silhouette_working_px = NumberIn(*it, where, 16, 8192);
    else if (key == "stump_profile_points") c->stump_profile_points = IntegerIn(*it, where, 1, 100000);
    else if (key == "stump_profile_min_points") c->stump_profile_min_points = IntegerIn(*it, where, 4, 100000);
    else if (key == "stump_profile_rounds") c->stump_profile_rounds = IntegerIn(*it, where, 0, 100);
    else if (key == "stump_profile_max_iterations") c->stump_profile_max_iterations = IntegerIn(*it, where, 1, kMaxIterations);
    else if (key == "stump_profile_max_margin_ratio") c->stump_profile_max_margin_ratio = NumberIn(*it, where, 0, 1000);
    else if (key == "stump_profile_prior_weight") c->stump_profile_prior_weight = NumberIn(*it, where, 0, kMaxWeight);
    else if (key == "gmm_prior") {
      if (!it->is_string()) throw Error(where + ": expected a file path");
      c->gmm_prior = it->get<std::string>();
    } else if (key == "stages") {
      if (!it->is_array() || it->empty() || it->size() > 20) throw Error(where + ": expected a list of 1 to 20 stages");
      std::vector<StageWeights> stages;
      for (size_t i = 0; i < it->size(); ++i) {
        const nlohmann::json& s = (*it)[i];
        const std::string at = where + "[" + std::to_string(i) + "]";
        if (!s.is_object()) throw Error(at + ": expected an object");
        StageWeights w = i < c->stages.size() ? c->stages[i] : c->stages.back();
        w.name = "stage" + std::to_string(i + 1);
        for (auto f = s.begin(); f != s.end(); ++f) {
          const std::string fw = at + "." + f.key();
          if (f.key() == "name" && f->is_string()) w.name = f->get<std::string>();
          else if (f.key() == "body_pose") w.body_pose = NumberIn(*f, fw, 0, kMaxWeight);
          else if (f.key() == "shape") w.shape = NumberIn(*f, fw, 0, kMaxWeight);
          else if (f.key() == "hand_pose") w.hand_pose = NumberIn(*f, fw, 0, kMaxWeight);
          else if (f.key() == "bending") w.bending = NumberIn(*f, fw, 0, kMaxWeight);
          else if (f.key() == "max_iterations") w.max_iterations = IntegerIn(*f, fw, 0, kMaxIterations);
          else throw Error(fw + ": unknown key (expected name, body_pose, shape, hand_pose, bending, max_iterations)");
        }
        stages.push_back(w);
      }
      c->stages = stages;
    } else {
      throw Error(where + ": unknown key (expected robust_rho_px, data_weight_scale, stages, camera_depth_weight, "
                          "stage_depth_weight, diverged_px, camera_max_iterations, side_view_px, side_view_ratio, yaw_hypotheses_deg, upright_weight_px, upright_sigma_deg, beta_bound, diverged_beta_bound, gmm_prior, "
                          "gmm_weight_factor, suspect_min_depth_m, suspect_max_depth_m, "
                          "suspect_median_error_fraction, suspect_mean_error_px, suspect_min_person_px, suspect_max_abs_beta, silhouette_weight, silhouette_rho_px, "
                          "silhouette_rounds, silhouette_max_iterations, silhouette_margin_px, silhouette_max_margin_px, "
                          "silhouette_points, silhouette_working_px, stump_profile_points, stump_profile_min_points, "
                          "stump_profile_rounds, stump_profile_max_iterations, stump_profile_max_margin_ratio, stump_profile_prior_weight)");
    }
  }
}

FitConfig ReadFitConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open file");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  FitConfig c = FitConfig::Default();
  ApplyFitConfigJson(j, path, &c);
  return c;
}

nlohmann::json FitConfigToJson(const FitConfig& c) {
  nlohmann::json stages = nlohmann::json::array();
  for (const StageWeights& s : c.stages) {
    stages.push_back({{"name", s.name}, {"body_pose", s.body_pose}, {"shape", s.shape}, {"hand_pose", s.hand_pose},
                      {"bending", s.bending}, {"max_iterations", s.max_iterations}});
  }
  return {{"robust_rho_px", c.robust_rho_px}, {"data_weight_scale", c.data_weight_scale}, {"stages", stages},
          {"camera_depth_weight", c.camera_depth_weight}, {"stage_depth_weight", c.stage_depth_weight},
          {"diverged_px", c.diverged_px}, {"camera_max_iterations", c.camera_max_iterations},
          {"side_view_px", c.side_view_px}, {"side_view_ratio", c.side_view_ratio}, {"yaw_hypotheses_deg", c.yaw_hypotheses_deg}, {"upright_weight_px", c.upright_weight_px},
          {"upright_sigma_deg", c.upright_sigma_deg}, {"beta_bound", c.beta_bound}, {"diverged_beta_bound", c.diverged_beta_bound}, {"gmm_prior", c.gmm_prior}, {"gmm_weight_factor", c.gmm_weight_factor},
          {"suspect_min_depth_m", c.suspect_min_depth_m}, {"suspect_max_depth_m", c.suspect_max_depth_m},
          {"suspect_median_error_fraction", c.suspect_median_error_fraction},
          {"suspect_mean_error_px", c.suspect_mean_error_px}, {"suspect_min_person_px", c.suspect_min_person_px},
          {"suspect_max_abs_beta", c.suspect_max_abs_beta}, {"silhouette_weight", c.silhouette_weight},
          {"silhouette_rho_px", c.silhouette_rho_px}, {"silhouette_rounds", c.silhouette_rounds},
          {"silhouette_max_iterations", c.silhouette_max_iterations}, {"silhouette_margin_px", c.silhouette_margin_px},
          {"silhouette_max_margin_px", c.silhouette_max_margin_px}, {"silhouette_points", c.silhouette_points},
          {"silhouette_working_px", c.silhouette_working_px}, {"stump_profile_points", c.stump_profile_points},
          {"stump_profile_min_points", c.stump_profile_min_points}, {"stump_profile_rounds", c.stump_profile_rounds},
          {"stump_profile_max_iterations", c.stump_profile_max_iterations},
          {"stump_profile_max_margin_ratio", c.stump_profile_max_margin_ratio},
          {"stump_profile_prior_weight", c.stump_profile_prior_weight}};
}

}  // namespace resihmr::optim
