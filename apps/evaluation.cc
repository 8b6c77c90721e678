#include "apps/evaluation.h"

#include <algorithm>
#include <cmath>

namespace resihmr::apps {
namespace {

nlohmann::json Numbers(const std::vector<double>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (double x : v) out.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
  return out;
}

std::vector<double> FromNumbers(const nlohmann::json& j) {
  std::vector<double> v;
  for (const auto& x : j) v.push_back(x.is_number() ? x.get<double>() : std::numeric_limits<double>::quiet_NaN());
  return v;
}

std::vector<double> Pool(const std::vector<PersonScore>& persons, std::vector<double> PersonScore::*field) {
  std::vector<double> all;
  for (const PersonScore& p : persons) {
    if (p.failed) continue;
    for (double x : p.*field) {
      if (std::isfinite(x)) all.push_back(x);
    }
  }
  return all;
}

nlohmann::json Mean(const std::vector<double>& v) {
  if (v.empty()) return nullptr;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

nlohmann::json Median(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

nlohmann::json PersonScoreJson(const PersonScore& s) {
  return {{"image", s.image},          {"annotation_id", s.annotation_id}, {"failed", s.failed}, {"suspect", s.suspect},
          {"body_px", Numbers(s.body_px)}, {"residual_px", Numbers(s.residual_px)}, {"intact_px", Numbers(s.intact_px)},
          {"iou", std::isfinite(s.iou) ? nlohmann::json(s.iou) : nlohmann::json(nullptr)},
          {"joint_mm", Numbers(s.joint_mm)}, {"pa_joint_mm", Numbers(s.pa_joint_mm)},
          {"endpoint_mm", Numbers(s.endpoint_mm)}, {"length_err_mm", Numbers(s.length_err_mm)},
          {"lambda_err", Numbers(s.lambda_err)}, {"volume_err_pct", Numbers(s.volume_err_pct)}, {"time_ms", s.time_ms}};
}

PersonScore PersonScoreFromJson(const nlohmann::json& j) {
  PersonScore s;
  s.image = j.at("image").get<std::string>();
  s.annotation_id = j.at("annotation_id").get<int64_t>();
  s.failed = j.at("failed").get<bool>();
  s.suspect = j.value("suspect", false);
  s.body_px = FromNumbers(j.at("body_px"));
  s.residual_px = FromNumbers(j.at("residual_px"));
  s.intact_px = FromNumbers(j.at("intact_px"));
  s.iou = j.at("iou").is_number() ? j.at("iou").get<double>() : std::numeric_limits<double>::quiet_NaN();
  s.joint_mm = FromNumbers(j.at("joint_mm"));
  s.pa_joint_mm = FromNumbers(j.at("pa_joint_mm"));
  s.endpoint_mm = FromNumbers(j.at("endpoint_mm"));
  s.length_err_mm = FromNumbers(j.at("length_err_mm"));
  s.lambda_err = FromNumbers(j.at("lambda_err"));
  s.volume_err_pct = FromNumbers(j.at("volume_err_pct"));
  s.time_ms = j.at("time_ms").get<double>();
  return s;
}

nlohmann::json AggregateScores(const std::vector<PersonScore>& persons, double persons_per_s) {
  std::vector<double> ious;
  int failed = 0, suspect = 0;
  for (const PersonScore& p : persons) {
    failed += p.failed;
    suspect += !p.failed && p.suspect;
    if (!p.failed && std::isfinite(p.iou)) ious.push_back(p.iou);
  }
  return {{"mpjpe2d_body_px", Mean(Pool(persons, &PersonScore::body_px))},
          {"mpjpe2d_residual_px", Mean(Pool(persons, &PersonScore::residual_px))},
          {"mpjpe2d_intact_px", Mean(Pool(persons, &PersonScore::intact_px))},
          {"miou", Mean(ious)},
          {"mpjpe3d_mm", Mean(Pool(persons, &PersonScore::joint_mm))},
          {"pa_mpjpe3d_mm", Mean(Pool(persons, &PersonScore::pa_joint_mm))},
          {"endpoint3d_mm", Mean(Pool(persons, &PersonScore::endpoint_mm))},
          {"length_err_mm_median", Median(Pool(persons, &PersonScore::length_err_mm))},
          {"length_err_mm_mean", Mean(Pool(persons, &PersonScore::length_err_mm))},
          {"lambda_err_mean", Mean(Pool(persons, &PersonScore::lambda_err))},
          {"volume_err_pct_median", Median(Pool(persons, &PersonScore::volume_err_pct))},
          {"persons_per_s", persons_per_s},
          {"n_persons", static_cast<int>(persons.size())},
          {"n_failed", failed},
          {"n_suspect", suspect}};
}

}  // namespace resihmr::apps
