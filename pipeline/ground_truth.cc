#include "pipeline/ground_truth.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "data/body_params_json.h"
#include "model/error.h"

namespace resihmr::pipeline {
namespace {

Eigen::Vector3d Vec3(const nlohmann::json& j) { return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>()}; }

}  // namespace

std::vector<PersonTruth> ReadGroundTruth(const std::string& path, const model::BodyModel& m, const data::AnnotationFile& file) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open the ground truth");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  if (!root.contains("persons") || !root["persons"].is_array()) throw Error(path + ": persons: missing");
  std::map<int64_t, const nlohmann::json*> by_id;
  for (const auto& p : root["persons"]) by_id[p.at("annotation_id").get<int64_t>()] = &p;
  std::vector<PersonTruth> out;
  for (const data::Observation& o : file.persons) {
    auto it = by_id.find(o.annotation_id);
    if (it == by_id.end()) throw Error(path + ": no ground truth for annotation " + std::to_string(o.annotation_id) + " of keypoints.json");
    const nlohmann::json& p = *it->second;
    try {
      PersonTruth t;
      t.present = true;
      t.params = data::BodyParamsFromJson(p.at("params"), m, path);
      t.camera = model::DefaultCamera(p.at("camera").at("image_size").at(0).get<int>(), p.at("camera").at("image_size").at(1).get<int>(),
                                      p.at("camera").at("focal_length").at(0).get<double>());
      t.camera.cx = p.at("camera").at("principal_point").at(0).get<double>();
      t.camera.cy = p.at("camera").at("principal_point").at(1).get<double>();
      t.joints.resize(static_cast<Eigen::Index>(p.at("joints_3d").size()), 3);
      for (size_t j = 0; j < p.at("joints_3d").size(); ++j) t.joints.row(static_cast<Eigen::Index>(j)) = Vec3(p["joints_3d"][j]).transpose();
      t.keypoints.setConstant(static_cast<Eigen::Index>(p.at("keypoints_2d").size()), 2, std::numeric_limits<double>::quiet_NaN());
      for (size_t k = 0; k < p["keypoints_2d"].size(); ++k) {
        if (p["keypoints_2d"][k].is_array()) t.keypoints.row(static_cast<Eigen::Index>(k)) << p["keypoints_2d"][k][0].get<double>(), p["keypoints_2d"][k][1].get<double>();
      }
      for (const auto& l : p.at("residual_limbs")) {
        PersonTruth::Limb limb;
        if (!model::ParseLimb(l.at("limb").get<std::string>(), &limb.limb.limb) ||
            !model::ParseLossLevel(l.at("level").get<std::string>(), &limb.limb.level)) {
          throw Error("unknown limb or level");
        }
        limb.lambda = l.at("lambda").get<double>();
        limb.length_mm = l.at("length_mm").get<double>();
        limb.volume_ml = l.at("volume_ml").is_number() ? l["volume_ml"].get<double>() : std::numeric_limits<double>::quiet_NaN();
        limb.endpoint = Vec3(l.at("endpoint_3d"));
        t.limbs.push_back(limb);
      }
      if (t.joints.rows() != m.num_joints() || t.keypoints.rows() != o.layout->size()) throw Error("sizes do not fit the model or layout");
      if (p.contains("family")) t.family = p.at("family").get<std::string>();
      if (p.contains("mask_file")) {
        const std::string name = p.at("mask_file").get<std::string>();
        if (name.empty() || name.find("..") != std::string::npos || name.front() == '/') {
          throw Error("mask_file '" + name + "' is not a path inside the dataset folder");
        }
        t.exact_mask_file = (std::filesystem::path(path).parent_path() / name).string();
      }
      out.push_back(t);
    } catch (const std::exception& e) {
      throw Error(path + ": annotation " + std::to_string(o.annotation_id) + ": " + e.what());
    }
  }
  return out;
}


}  // namespace resihmr::pipeline
