#include "pipeline/evaluate_views.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "data/annotation_file.h"
#include "data/camera_rig.h"
#include "data/views_listing.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "pipeline/evaluation.h"
#include "pipeline/ground_truth.h"
#include "pipeline/json_file.h"
#include "pipeline/multi_view.h"
#include "pipeline/parallel.h"

namespace resihmr::pipeline {
namespace {

double AngleDeg(const Eigen::Matrix3d& R) {
  return std::acos(std::clamp((R.trace() - 1) / 2, -1.0, 1.0)) * 180 / M_PI;
}

// One person's scores over `count` views.
struct Scored {
  bool ok = false;
  std::string error;
  int views_used = 0;
  double mpjpe_mm = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> length_err_mm, lambda_err, endpoint_err_mm, rotation_err_deg, volume_err_pct;
  int accepted = 0, limbs = 0;
};

Scored ScorePerson(const model::BodyModel& model, const data::ListedViews& listed, const PersonTruth& truth, int count,
                   const ViewsEvalOptions& options) {
  Scored s;
  s.limbs = static_cast<int>(truth.limbs.size());
  const data::CameraRig rig = data::ReadCameraRig(listed.cameras);
  const std::vector<std::string> files(listed.views.begin(), listed.views.begin() + count);
  const MultiViewDataset dataset = ReadMultiViewDataset(files, rig, options.estimate_extrinsics);
  const MultiViewPerson* person = nullptr;
  for (const MultiViewPerson& p : dataset.persons) {
    if (p.annotation_id == listed.annotation_id) person = &p;
  }
  if (!person) {
    s.error = "annotation " + std::to_string(listed.annotation_id) + " is in none of its views";
    return s;
  }
  optim::PersonFitOptions fit_options;
  fit_options.fit.config = options.config;
  const optim::MultiViewFit fit = optim::FitMultiView(model, person->views, fit_options);
  if (!fit.ok) {
    s.error = fit.error;
    return s;
  }
  // The fitted world carried into the truth's (camera 00's) frame.
  Eigen::Matrix3d A = Eigen::Matrix3d::Identity();
  Eigen::Vector3d b = Eigen::Vector3d::Zero();
  const optim::ViewReport* ref = nullptr;
  for (const optim::ViewReport& r : fit.views) {
    s.views_used += r.used;
    if (r.used && (!ref || r.name == "00")) ref = &r;  // camera 00, else the first view used
  }
  if (options.estimate_extrinsics) {
    if (!ref) {
      s.error = "no view used";
      return s;
    }
    const data::RigCamera* true_ref = rig.Find(ref->name);
    A = true_ref->R.transpose() * ref->R;
    b = true_ref->R.transpose() * (ref->t - true_ref->t);
    for (const optim::ViewReport& r : fit.views) {
      if (!r.used || &r == ref) continue;
      const data::RigCamera* c = rig.Find(r.name);
      const Eigen::Matrix3d fitted = r.R * ref->R.transpose(), real = c->R * true_ref->R.transpose();
      s.rotation_err_deg.push_back(AngleDeg(fitted.transpose() * real));
    }
  }
  const MultiViewMesh mesh = BuildMultiViewMesh(model, fit);
  std::vector<model::ResidualLimb> limbs;
  for (const PersonTruth::Limb& t : truth.limbs) {
    limbs.push_back(t.limb);
    for (size_t i = 0; i < fit.residual_limbs.size(); ++i) {
      const optim::ResidualLimbResult& r = fit.residual_limbs[i];
      if (r.limb.limb != t.limb.limb || !r.accepted) continue;
      ++s.accepted;
      s.length_err_mm.push_back(std::abs(r.length_mm - t.length_mm));
      s.lambda_err.push_back(std::abs(r.lambda - t.lambda));
      s.endpoint_err_mm.push_back(1000 * (A * r.endpoint_3d + b - t.endpoint).norm());
      const geometry::StumpOutcome* o = mesh.stump_of(i);
      if (o && o->ok && std::isfinite(t.volume_ml) && t.volume_ml > 0) {
        s.volume_err_pct.push_back(100.0 * std::abs(o->measurements.volume_ml - t.volume_ml) / t.volume_ml);
      }
    }
  }
  const std::vector<uint8_t> lost = model::DistalJoints(model, limbs);
  double sum = 0;
  int n = 0;
  for (int j = 0; j < model.num_joints(); ++j) {
    if (lost[static_cast<size_t>(j)]) continue;
    const Eigen::Vector3d X = fit.joints.row(j).transpose();
    sum += 1000 * (A * X + b - truth.joints.row(j).transpose()).norm();
    ++n;
  }
  s.mpjpe_mm = n ? sum / n : std::numeric_limits<double>::quiet_NaN();
  s.ok = true;
  return s;
}

}  // namespace

bool IsViewsDataset(const std::string& dataset) {
  std::error_code ec;
  return std::filesystem::is_directory(dataset, ec) && std::filesystem::exists(dataset + "/views.json", ec);
}

EvalReport EvaluateViews(const model::BodyModel& model, const std::string& dataset, const ViewsEvalOptions& options) {
  const std::vector<data::ListedViews> listing = data::ReadViewsListing(dataset);
  const data::AnnotationFile file = data::ReadAnnotations(dataset + "/keypoints.json");
  const std::vector<PersonTruth> truths = ReadGroundTruth(dataset + "/ground_truth.json", model, file);
  std::map<int64_t, const PersonTruth*> truth_of;
  for (size_t i = 0; i < file.persons.size(); ++i) truth_of[file.persons[i].annotation_id] = &truths[i];
  size_t most = listing.front().views.size();
  for (const data::ListedViews& p : listing) {
    if (!truth_of.count(p.annotation_id)) {
      throw Error(dataset + "/views.json: annotation " + std::to_string(p.annotation_id) + " has no ground truth");
    }
    most = std::min(most, p.views.size());
  }
  std::vector<int> counts = options.view_counts;
  if (counts.empty()) {
    for (size_t c = 1; c <= most; ++c) counts.push_back(static_cast<int>(c));
  }
  for (int c : counts) {
    if (c < 1 || static_cast<size_t>(c) > most) {
      throw Error("eval: --views: counts of 1 to " + std::to_string(most) + " views expected (every person has " +
                  std::to_string(most) + "), got " + std::to_string(c));
    }
  }
  EvalReport out;
  out.report = {{"dataset", dataset}, {"kind", "views"}, {"extrinsics", options.estimate_extrinsics ? "estimated" : "given"}};
  nlohmann::json rows = nlohmann::json::array(), persons = nlohmann::json::object();
  std::ostringstream csv;
  csv << "views,annotation_id,status,views_used,mpjpe_mm,length_err_mm,lambda_err,endpoint_err_mm,volume_err_pct,"
         "rotation_err_deg\n";
  for (int c : counts) {
    std::vector<Scored> scored(listing.size());
    ParallelFor(listing.size(), options.threads, [&](size_t i, int) {
      try {
        scored[i] = ScorePerson(model, listing[i], *truth_of[listing[i].annotation_id], c, options);
      } catch (const Error& e) {
        scored[i].error = e.what();
      }
    });
    std::vector<double> length, lambda, endpoint, mpjpe, rotation, volume;
    int failed = 0, accepted = 0, limbs = 0;
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < listing.size(); ++i) {
      const Scored& s = scored[i];
      limbs += static_cast<int>(truth_of[listing[i].annotation_id]->limbs.size());
      list.push_back({{"annotation_id", listing[i].annotation_id}, {"status", s.ok ? "ok" : "failed"}, {"error", s.error},
                      {"views_used", s.views_used}, {"mpjpe_mm", NumberOrNull(s.mpjpe_mm)},
                      {"length_err_mm", s.length_err_mm}, {"lambda_err", s.lambda_err},
                      {"endpoint_err_mm", s.endpoint_err_mm}, {"volume_err_pct", s.volume_err_pct},
                      {"rotation_err_deg", s.rotation_err_deg}});
      csv << c << "," << listing[i].annotation_id << "," << (s.ok ? "ok" : "failed") << "," << s.views_used << ","
          << s.mpjpe_mm << "," << MeanOrNaN(s.length_err_mm) << "," << MeanOrNaN(s.lambda_err) << "," << MeanOrNaN(s.endpoint_err_mm)
          << "," << MeanOrNaN(s.volume_err_pct) << "," << MeanOrNaN(s.rotation_err_deg) << "\n";
      if (!s.ok) {
        ++failed;
        continue;
      }
      accepted += s.accepted;
      length.insert(length.end(), s.length_err_mm.begin(), s.length_err_mm.end());
      lambda.insert(lambda.end(), s.lambda_err.begin(), s.lambda_err.end());
      endpoint.insert(endpoint.end(), s.endpoint_err_mm.begin(), s.endpoint_err_mm.end());
      rotation.insert(rotation.end(), s.rotation_err_deg.begin(), s.rotation_err_deg.end());
      volume.insert(volume.end(), s.volume_err_pct.begin(), s.volume_err_pct.end());
      if (std::isfinite(s.mpjpe_mm)) mpjpe.push_back(s.mpjpe_mm);
    }
    nlohmann::json row = {{"views", c},
                          {"persons", listing.size()},
                          {"n_failed", failed},
                          {"length_err_mm_median", Median(length)},
                          {"lambda_err_median", Median(lambda)},
                          {"endpoint3d_mm_median", Median(endpoint)},
                          {"accepted_limbs", accepted},
                          {"residual_limbs", limbs},
                          {"mpjpe3d_mm_median", Median(mpjpe)},
                          {"volume_err_pct_median", Median(volume)},
                          {"volume_limbs", volume.size()}};
    if (options.estimate_extrinsics) {
      row["rotation_err_deg_median"] = Median(rotation);
      row["rotation_err_deg_p90"] = Quantile(rotation, 0.9);
    }
    rows.push_back(row);
    persons[std::to_string(c)] = list;
  }
  out.report["rows"] = rows;
  out.report["persons"] = persons;
  out.csv = csv.str();
  out.persons = listing.size();
  return out;
}

}  // namespace resihmr::pipeline
