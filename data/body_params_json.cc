#include "data/body_params_json.h"

#include <cmath>
#include <fstream>

#include "model/error.h"

namespace resihmr::data {
namespace {

double Number(const nlohmann::json& value, const std::string& where) {
  if (!value.is_number()) throw Error(where + ": expected a number, got " + std::string(value.type_name()));
  const double x = value.get<double>();
  if (!std::isfinite(x)) throw Error(where + ": non-finite number");
  return x;
}

Eigen::VectorXd Vector(const nlohmann::json& value, const std::string& where) {
  if (!value.is_array()) throw Error(where + ": expected an array of numbers");
  Eigen::VectorXd v(static_cast<Eigen::Index>(value.size()));
  for (size_t i = 0; i < value.size(); ++i) v[static_cast<Eigen::Index>(i)] = Number(value[i], where + "[" + std::to_string(i) + "]");
  return v;
}

}  // namespace

model::BodyParams BodyParamsFromJson(const nlohmann::json& json, const model::BodyModel& model,
                                     const std::string& what) {
  if (!json.is_object()) throw Error(what + ": expected a JSON object of parameters");
  static const char* kKeys[] = {"betas", "pose", "transl", "expression", "left_hand_pose", "right_hand_pose",
                                "zeroed_joints"};
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      throw Error(what + ": unknown key '" + it.key() +
                  "' (expected betas, pose, transl, expression, left_hand_pose, right_hand_pose, zeroed_joints)");
    }
  }
  model::BodyParams p = model::BodyParams::Zero(model);
  if (json.contains("betas")) p.betas = Vector(json["betas"], what + ": betas");
  if (json.contains("expression")) p.expression = Vector(json["expression"], what + ": expression");
  if (json.contains("left_hand_pose")) p.left_hand_pose = Vector(json["left_hand_pose"], what + ": left_hand_pose");
  if (json.contains("right_hand_pose")) p.right_hand_pose = Vector(json["right_hand_pose"], what + ": right_hand_pose");
  if (json.contains("transl")) {
    const Eigen::VectorXd t = Vector(json["transl"], what + ": transl");
    if (t.size() != 3) throw Error(what + ": transl: " + std::to_string(t.size()) + " values, expected 3");
    p.transl = t;
  }
  if (json.contains("pose")) {
    const nlohmann::json& pose = json["pose"];
    if (!pose.is_array()) throw Error(what + ": pose: expected an array of [ax, ay, az] triples");
    if (static_cast<int>(pose.size()) != model.num_joints()) {
      throw Error(what + ": pose: " + std::to_string(pose.size()) + " joints, expected " +
                  std::to_string(model.num_joints()) + " (one [ax, ay, az] per joint, root first)");
    }
    for (size_t j = 0; j < pose.size(); ++j) {
      const std::string where = what + ": pose[" + std::to_string(j) + "]";
      const Eigen::VectorXd aa = Vector(pose[j], where);
      if (aa.size() != 3) throw Error(where + ": " + std::to_string(aa.size()) + " values, expected 3");
      p.pose.row(static_cast<Eigen::Index>(j)) = aa.transpose();
    }
  }
  if (json.contains("zeroed_joints")) {
    const nlohmann::json& z = json["zeroed_joints"];
    if (!z.is_array()) throw Error(what + ": zeroed_joints: expected an array of joint indices");
    for (size_t i = 0; i < z.size(); ++i) {
      const std::string where = what + ": zeroed_joints[" + std::to_string(i) + "]";
      if (!z[i].is_number_integer()) throw Error(where + ": expected an integer joint index");
      // Read at full width and range-checked before narrowing: 4294967301 is not joint 5.
      const bool negative = z[i].is_number_unsigned() ? false : z[i].get<int64_t>() < 0;
      const uint64_t index = negative ? 0 : z[i].get<uint64_t>();
      if (negative || index >= static_cast<uint64_t>(model.num_joints())) {
        throw Error(where + ": joint " + z[i].dump() + " is not in [0, " + std::to_string(model.num_joints()) + ")");
      }
      p.zeroed_joints.push_back(static_cast<int>(index));
    }
  }
  model::ValidateParams(p, model, what);
  return p;
}

model::BodyParams ReadBodyParamsJson(const std::string& path, const model::BodyModel& model) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {  // parse errors and number overflow
    throw Error(path + ": not valid JSON: " + e.what());
  }
  return BodyParamsFromJson(json, model, path);
}

nlohmann::json BodyParamsToJson(const model::BodyParams& p) {
  nlohmann::json j;
  j["betas"] = std::vector<double>(p.betas.data(), p.betas.data() + p.betas.size());
  nlohmann::json pose = nlohmann::json::array();
  for (Eigen::Index r = 0; r < p.pose.rows(); ++r) pose.push_back({p.pose(r, 0), p.pose(r, 1), p.pose(r, 2)});
  j["pose"] = pose;
  j["transl"] = {p.transl.x(), p.transl.y(), p.transl.z()};
  if (p.expression.size() > 0) j["expression"] = std::vector<double>(p.expression.data(), p.expression.data() + p.expression.size());
  if (p.left_hand_pose.size() > 0) {
    j["left_hand_pose"] = std::vector<double>(p.left_hand_pose.data(), p.left_hand_pose.data() + p.left_hand_pose.size());
  }
  if (p.right_hand_pose.size() > 0) {
    j["right_hand_pose"] = std::vector<double>(p.right_hand_pose.data(), p.right_hand_pose.data() + p.right_hand_pose.size());
  }
  j["zeroed_joints"] = p.zeroed_joints;
  return j;
}

}  // namespace resihmr::data
