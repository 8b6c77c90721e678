#include "pipeline/result_json.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "data/body_params_json.h"
#include "model/posture.h"
#include "pipeline/json_file.h"

namespace resihmr::pipeline {

std::string PersonFileStem(const data::Observation& person) {
  const std::string stem = person.image.empty() ? "image" : std::filesystem::path(person.image).stem().string();
  return stem + "_" + std::to_string(person.annotation_id);
}

nlohmann::json FitResultJson(const data::Observation& person, const optim::FitResult& r, const std::string& method,
                             const std::string& model_name) {
  nlohmann::json j;
  j["image"] = person.image;
  j["annotation_id"] = person.annotation_id;
  j["method"] = method;
  j["status"] = r.status();
  j["error"] = r.error;
  j["suspect_reasons"] = r.suspect;
  j["model"] = model_name;
  j["camera"] = {{"focal_length", {r.camera.fx, r.camera.fy}},
                 {"principal_point", {r.camera.cx, r.camera.cy}},
                 {"image_size", {r.camera.width, r.camera.height}}};
  j["layout"] = person.layout->name;
  if (!r.ok) {
    j["time_ms"] = r.time_ms;
    j["warnings"] = r.warnings;
    return j;
  }
  j["params"] = data::BodyParamsToJson(r.params);
  nlohmann::json pred = nlohmann::json::array();
  nlohmann::json per = nlohmann::json::array();
  for (Eigen::Index k = 0; k < r.keypoints_2d.rows(); ++k) {
    if (std::isfinite(r.keypoints_2d(k, 0))) {
      pred.push_back({r.keypoints_2d(k, 0), r.keypoints_2d(k, 1)});
    } else {
      pred.push_back(nullptr);
    }
    per.push_back(NumberOrNull(r.error_px[k]));
  }
  j["keypoints_2d_pred"] = pred;
  j["keypoints_2d_error_px"] = {{"mean", r.mean_error_px}, {"per_keypoint", per}};
  nlohmann::json stages = nlohmann::json::array();
  for (const optim::StageReport& s : r.stages) {
    stages.push_back({{"name", s.name}, {"cost_initial", s.cost_initial}, {"cost_final", s.cost_final},
                      {"iterations", s.iterations}, {"termination", s.termination}, {"time_ms", s.time_ms}});
  }
  j["stages"] = stages;
  const Eigen::Vector3d up = model::BodyUpAxis(r.params);
  j["posture"] = {{"trunk_lean_deg", NumberOrNull(r.trunk_lean.lean_deg)},
                  {"trunk_toward_camera_deg", NumberOrNull(r.trunk_lean.toward_camera_deg)},
                  {"trunk_sideways_deg", NumberOrNull(r.trunk_lean.sideways_deg)},
                  {"body_up_axis", {up.x(), up.y(), up.z()}}};
  j["time_ms"] = r.time_ms;
  j["warnings"] = r.warnings;
  return j;
}

nlohmann::json MeasurementsJson(const geometry::LimbMeasurements& m) {
  nlohmann::json circumference = nlohmann::json::array(), section = nlohmann::json::array();
  for (double c : m.circumference_mm) circumference.push_back(NumberOrNull(c));
  for (double a : m.cross_section_mm2) section.push_back(NumberOrNull(a));
  return {{"length_mm", m.length_mm},          {"volume_ml", m.volume_ml},       {"surface_area_mm2", m.surface_area_mm2},
          {"circumference_mm", circumference}, {"cross_section_mm2", section},   {"watertight", m.watertight}};
}

nlohmann::json StumpMeasurementsJson(const geometry::StumpOutcome& stump, const optim::StumpProfileFit* profile) {
  nlohmann::json j = MeasurementsJson(stump.measurements);
  if (profile != nullptr && profile->fitted && stump.reshaped) {
    const geometry::StumpProfile& p = profile->profile;
    const geometry::StumpProfile& s = profile->sigma;
    j["profile"] = {{"fitted", true},
                    {"end_ratio", p.end_ratio},
                    {"taper", p.taper},
                    {"tissue_mm", 1000.0 * p.tissue_m},
                    {"roundness", p.roundness},
                    {"sigma",
                     {{"end_ratio", NumberOrNull(s.end_ratio)},
                      {"taper", NumberOrNull(s.taper)},
                      {"tissue_mm", NumberOrNull(1000.0 * s.tissue_m)},
                      {"roundness", NumberOrNull(s.roundness)}}},
                    {"at_bound", profile->at_bound},
                    {"contour_points", profile->contour_points},
                    {"rim_points", profile->rim_points},
                    {"rms_px", NumberOrNull(profile->rms_px)}};
  } else {
    const std::string why = profile == nullptr ? "no profile fitted (no mask, no silhouette stage, or stump_profile_rounds 0)"
                            : !profile->fitted ? profile->note
                                               : "the reshaped limb crossed the body";
    j["profile"] = {{"fitted", false}, {"note", "the convex cap: " + why}};
  }
  return j;
}

nlohmann::json ResidualLimbsJson(const std::vector<optim::ResidualLimbResult>& limbs,
                                 const std::vector<const geometry::StumpOutcome*>& stumps,
                                 const std::vector<const optim::StumpProfileFit*>& profiles) {
  nlohmann::json out = nlohmann::json::array();
  const auto vec3 = [](const Eigen::Vector3d& v) { return nlohmann::json{v.x(), v.y(), v.z()}; };
  for (const optim::ResidualLimbResult& r : limbs) {
    out.push_back({{"limb", model::LimbName(r.limb.limb)},
                   {"level", model::LossLevelName(r.limb.level)},
                   {"observed", r.observed},
                   {"lambda", r.lambda},
                   {"lambda_sigma", NumberOrNull(r.lambda_sigma)},
                   {"joint_t", vec3(r.joint_t)},
                   {"joint_a", vec3(r.joint_a)},
                   {"endpoint_3d", vec3(r.endpoint_3d)},
                   {"endpoint_2d", {r.endpoint_2d.x(), r.endpoint_2d.y()}},
                   {"reprojection_error_px", NumberOrNull(r.reprojection_error_px)},
                   {"accepted", r.accepted},
                   {"reason", r.reason},
                   {"length_mm", r.length_mm},
                   {"length_sigma_mm", NumberOrNull(r.length_sigma_mm)},
                   {"length_fraction", r.length_fraction},
                   {"depth_tilt_deg", std::round(r.depth_tilt_rad * 1800.0 / M_PI) / 10.0}});
    const size_t i = out.size() - 1;
    if (i < stumps.size() && stumps[i]) {
      if (stumps[i]->ok) {
        out[i]["measurements"] = StumpMeasurementsJson(*stumps[i], i < profiles.size() ? profiles[i] : nullptr);
        out[i]["stump_lambda"] = stumps[i]->lambda_used;
        if (!stumps[i]->note.empty()) out[i]["stump_note"] = stumps[i]->note;
      } else {
        out[i]["measurements"] = nullptr;
        out[i]["stump_error"] = stumps[i]->error;
      }
    }
  }
  return out;
}

nlohmann::json PersonResultJson(const data::Observation& person, const PersonResult& result, const std::string& method,
                                const std::string& model_name) {
  const optim::FitResult& r = result.result();
  nlohmann::json j = FitResultJson(person, r, method, model_name);
  for (const std::string& w : person.warnings) j["warnings"].push_back(w);
  if (!r.ok) return j;
  std::vector<const geometry::StumpOutcome*> stumps;
  std::vector<const optim::StumpProfileFit*> profiles;
  for (size_t i = 0; i < result.fit.residual_limbs.size(); ++i) {
    stumps.push_back(result.stump_of(i));
    profiles.push_back(result.profile_of(i));
  }
  j["residual_limbs"] = ResidualLimbsJson(result.fit.residual_limbs, stumps, profiles);
  j["mesh"] = {{"file", PersonFileStem(person) + ".ply"},
               {"vertices", result.mesh.mesh.vertices.rows()},
               {"watertight", result.mesh.mesh.watertight()}};
  return j;
}

std::string MeasurementsCsvHeader() {
  std::ostringstream csv;
  csv << "image,annotation_id,status,limb,level,lambda,length_mm,volume_ml,surface_area_mm2";
  for (const char* what : {"circumference_mm", "cross_section_mm2"}) {
    for (int s = 0; s <= 100; s += 10) csv << "," << what << "_" << s;
  }
  csv << ",watertight";
  return csv.str();
}

std::vector<std::string> MeasurementsCsvRows(const data::Observation& person, const PersonResult& result) {
  std::vector<std::string> rows;
  const optim::FitResult& fit = result.result();
  for (size_t i = 0; i < result.fit.residual_limbs.size(); ++i) {
    const geometry::StumpOutcome* stump = result.stump_of(i);
    if (!fit.ok || !stump || !stump->ok) continue;
    const optim::ResidualLimbResult& r = result.fit.residual_limbs[i];
    const geometry::LimbMeasurements& m = stump->measurements;
    std::ostringstream row;
    row << person.image << "," << person.annotation_id << "," << fit.status() << "," << model::LimbName(r.limb.limb) << ","
        << model::LossLevelName(r.limb.level) << "," << r.lambda << "," << m.length_mm << "," << m.volume_ml << ","
        << m.surface_area_mm2;
    for (double c : m.circumference_mm) row << "," << (std::isfinite(c) ? std::to_string(c) : "");
    for (double a : m.cross_section_mm2) row << "," << (std::isfinite(a) ? std::to_string(a) : "");
    row << "," << (m.watertight ? "true" : "false");
    rows.push_back(row.str());
  }
  return rows;
}

}  // namespace resihmr::pipeline
