#include "pipeline/evaluation.h"

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <opencv2/imgcodecs.hpp>

#include "geometry/mesh_render.h"
#include "model/error.h"
#include "pipeline/json_file.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "model/posture.h"

namespace resihmr::pipeline {
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

double NumberOrNaN(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// A per-person value over the fitted persons (finite ones).
std::vector<double> Each(const std::vector<PersonScore>& persons, double PersonScore::*field) {
  std::vector<double> all;
  for (const PersonScore& p : persons) {
    if (!p.failed && std::isfinite(p.*field)) all.push_back(p.*field);
  }
  return all;
}

nlohmann::json OrientationJson(const std::vector<PersonScore>& persons) {
  const std::vector<double> rot = Each(persons, &PersonScore::root_rot_err_deg), lean = Each(persons, &PersonScore::lean_err_deg);
  return {{"root_rot_err_deg_median", Median(rot)}, {"root_rot_err_deg_mean", Mean(rot)},
          {"root_rot_err_deg_p90", Quantile(rot, 0.9)}, {"lean_err_deg_median", Median(lean)},
          {"lean_err_deg_p90", Quantile(lean, 0.9)}};
}

double Iou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
  return uni > 0 ? inter / uni : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

PersonScore ScorePerson(const model::BodyModel& m, const data::Observation& o, const PersonTruth& truth,
                        const PersonResult& result, optim::Method method) {
  const optim::PersonFit& fit = result.fit;
  const PersonMesh& person_mesh = result.mesh;
  const geometry::StumpMesh& mesh = person_mesh.mesh;
  PersonScore s;
  s.image = o.image;
  s.annotation_id = o.annotation_id;
  s.time_ms = fit.fit.time_ms;
  s.suspect = !fit.fit.suspect.empty();
  if (!fit.fit.ok) {
    s.failed = true;
    return s;
  }
  const data::KeypointLayout& layout = *o.layout;
  for (int k = 0; k < layout.size(); ++k) {
    Eigen::Vector2d gt;
    if (truth.present) {
      if (!truth.keypoints.row(k).allFinite()) continue;
      gt = truth.keypoints.row(k).transpose();
    } else {
      if (!o.present(k)) continue;
      gt = o.points.row(k).transpose();
    }
    const Eigen::Vector2d pred = fit.fit.keypoints_2d.row(k).transpose();
    if (!pred.allFinite()) continue;
    const double e = (pred - gt).norm();
    const bool endpoint = layout.targets[static_cast<size_t>(k)].kind == data::TargetKind::kResidualEndpoint;
    s.body_px.push_back(e);
    (endpoint ? s.residual_px : s.intact_px).push_back(e);
  }
  if (!truth.exact_mask_file.empty()) {
    const cv::Mat exact = cv::imread(truth.exact_mask_file, cv::IMREAD_GRAYSCALE);
    if (exact.rows != o.image_height || exact.cols != o.image_width) {
      throw Error(truth.exact_mask_file + ": annotation " + std::to_string(o.annotation_id) +
                  ": not a readable mask of the image's size (" + std::to_string(o.image_width) + "x" +
                  std::to_string(o.image_height) + ")");
    }
    s.iou = Iou(geometry::RenderSilhouette(mesh.vertices, mesh.faces, fit.fit.camera), exact);
  } else if (!o.mask.empty()) {
    s.iou = Iou(geometry::RenderSilhouette(mesh.vertices, mesh.faces, fit.fit.camera), o.mask);
  }
  if (!truth.present) return s;
  s.family = truth.family;
  s.root_rot_err_deg = model::RotationAngleDeg(model::RootRotation(fit.fit.params), model::RootRotation(truth.params));
  s.lean_err_deg = model::AngleDeg(model::BodyUpAxis(fit.fit.params), model::BodyUpAxis(truth.params));
  // 3D: intact joints (of the first 22), pelvis-aligned and Procrustes-aligned.
  const model::PosedBody posed = model::PoseBody(m, fit.fit.params, false);
  std::vector<model::ResidualLimb> lost_limbs;
  for (const PersonTruth::Limb& l : truth.limbs) lost_limbs.push_back(l.limb);
  const std::vector<uint8_t> removed = model::DistalJoints(m, lost_limbs);
  std::vector<int> intact;
  for (int j = 0; j < std::min(22, m.num_joints()); ++j) {
    if (!removed[static_cast<size_t>(j)]) intact.push_back(j);
  }
  const Eigen::Vector3d pp = posed.joints.row(0).transpose(), gp = truth.joints.row(0).transpose();
  Eigen::Matrix3Xd P(3, static_cast<Eigen::Index>(intact.size())), G(3, static_cast<Eigen::Index>(intact.size()));
  for (size_t i = 0; i < intact.size(); ++i) {
    P.col(static_cast<Eigen::Index>(i)) = posed.joints.row(intact[i]).transpose() - pp;
    G.col(static_cast<Eigen::Index>(i)) = truth.joints.row(intact[i]).transpose() - gp;
    s.joint_mm.push_back(1000.0 * (P.col(static_cast<Eigen::Index>(i)) - G.col(static_cast<Eigen::Index>(i))).norm());
  }
  const auto hips_mid = [&](const model::RowMatrixX3d& joints) {
    return Eigen::Vector3d(0.5 * (joints.row(m.JointIndex("left_hip")) + joints.row(m.JointIndex("right_hip"))).transpose());
  };
  const Eigen::Vector3d ph = hips_mid(posed.joints), gh = hips_mid(truth.joints);
  for (const char* side : {"left_", "right_"}) {
    for (const char* joint : {"hip", "knee", "ankle", "shoulder", "elbow", "wrist"}) {
      const int j = m.JointIndex(std::string(side) + joint);
      if (removed[static_cast<size_t>(j)]) continue;
      s.limb_joint_mm.push_back(
          1000.0 * ((posed.joints.row(j).transpose() - ph) - (truth.joints.row(j).transpose() - gh)).norm());
    }
  }
  const Eigen::Matrix4d T = Eigen::umeyama(P, G, true);
  const Eigen::Matrix3Xd A = (T.topLeftCorner<3, 3>() * P).colwise() + T.topRightCorner<3, 1>();
  for (Eigen::Index i = 0; i < A.cols(); ++i) s.pa_joint_mm.push_back(1000.0 * (A.col(i) - G.col(i)).norm());
  // Residual limbs, matched by limb and level.
  for (const PersonTruth::Limb& l : truth.limbs) {
    const optim::ResidualLimbResult* r = nullptr;
    size_t index = 0;
    for (size_t i = 0; i < fit.residual_limbs.size(); ++i) {
      const optim::ResidualLimbResult& x = fit.residual_limbs[i];
      if (x.limb.limb == l.limb.limb && x.limb.level == l.limb.level) {
        r = &x;
        index = i;
      }
    }
    if (!r) continue;
    s.endpoint_mm.push_back(1000.0 * ((r->endpoint_3d - pp) - (l.endpoint - gp)).norm());
    s.length_err_mm.push_back(std::abs(r->length_mm - l.length_mm));
    s.lambda_err.push_back(std::abs(r->lambda - l.lambda));
    if (method == optim::Method::kResiHMR && std::isfinite(l.volume_ml)) {
      // The stump of this limb, if one was built.
      const int cut = person_mesh.cut_of_limb[index];
      if (cut >= 0 && mesh.limbs[static_cast<size_t>(cut)].ok) {
        const double volume_ml = mesh.limbs[static_cast<size_t>(cut)].measurements.volume_ml;
        s.volume_err_pct.push_back(100.0 * std::abs(volume_ml - l.volume_ml) / l.volume_ml);
      }
    }
  }
  return s;
}

nlohmann::json PersonScoreJson(const PersonScore& s) {
  return {{"image", s.image},          {"annotation_id", s.annotation_id}, {"failed", s.failed}, {"suspect", s.suspect},
          {"body_px", Numbers(s.body_px)}, {"residual_px", Numbers(s.residual_px)}, {"intact_px", Numbers(s.intact_px)},
          {"iou", std::isfinite(s.iou) ? nlohmann::json(s.iou) : nlohmann::json(nullptr)},
          {"joint_mm", Numbers(s.joint_mm)}, {"pa_joint_mm", Numbers(s.pa_joint_mm)}, {"limb_joint_mm", Numbers(s.limb_joint_mm)},
          {"endpoint_mm", Numbers(s.endpoint_mm)}, {"length_err_mm", Numbers(s.length_err_mm)},
          {"lambda_err", Numbers(s.lambda_err)}, {"volume_err_pct", Numbers(s.volume_err_pct)},
          {"root_rot_err_deg", NumberOrNull(s.root_rot_err_deg)}, {"lean_err_deg", NumberOrNull(s.lean_err_deg)},
          {"family", s.family}, {"time_ms", s.time_ms}};
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
  if (j.contains("limb_joint_mm")) s.limb_joint_mm = FromNumbers(j.at("limb_joint_mm"));
  s.endpoint_mm = FromNumbers(j.at("endpoint_mm"));
  s.length_err_mm = FromNumbers(j.at("length_err_mm"));
  s.lambda_err = FromNumbers(j.at("lambda_err"));
  s.volume_err_pct = FromNumbers(j.at("volume_err_pct"));
  s.root_rot_err_deg = NumberOrNaN(j, "root_rot_err_deg");
  s.lean_err_deg = NumberOrNaN(j, "lean_err_deg");
  s.family = j.value("family", std::string());
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
  nlohmann::json out = {{"mpjpe2d_body_px", Mean(Pool(persons, &PersonScore::body_px))},
          {"mpjpe2d_residual_px", Mean(Pool(persons, &PersonScore::residual_px))},
          {"mpjpe2d_intact_px", Mean(Pool(persons, &PersonScore::intact_px))},
          {"miou", Mean(ious)},
          {"mpjpe3d_mm", Mean(Pool(persons, &PersonScore::joint_mm))},
          {"pa_mpjpe3d_mm", Mean(Pool(persons, &PersonScore::pa_joint_mm))},
          {"limb_mpjpe3d_mm", Mean(Pool(persons, &PersonScore::limb_joint_mm))},
          {"endpoint3d_mm", Mean(Pool(persons, &PersonScore::endpoint_mm))},
          {"length_err_mm_median", Median(Pool(persons, &PersonScore::length_err_mm))},
          {"length_err_mm_mean", Mean(Pool(persons, &PersonScore::length_err_mm))},
          {"lambda_err_mean", Mean(Pool(persons, &PersonScore::lambda_err))},
          {"volume_err_pct_median", Median(Pool(persons, &PersonScore::volume_err_pct))},
          {"persons_per_s", persons_per_s},
          {"n_persons", static_cast<int>(persons.size())},
          {"n_failed", failed},
          {"n_suspect", suspect}};
  out.update(OrientationJson(persons));
  // The orientation errors per pose family (synthetic sets name one).
  std::map<std::string, std::vector<PersonScore>> families;
  for (const PersonScore& p : persons) {
    if (!p.family.empty()) families[p.family].push_back(p);
  }
  out["by_family"] = nlohmann::json::object();
  for (const auto& [family, members] : families) {
    out["by_family"][family] = OrientationJson(members);
    out["by_family"][family]["n_persons"] = static_cast<int>(members.size());
  }
  return out;
}

double MeanOrNaN(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(v.size());
}

nlohmann::json Median(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

nlohmann::json Quantile(std::vector<double> v, double q) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  const double at = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(at)), hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (at - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace resihmr::pipeline
