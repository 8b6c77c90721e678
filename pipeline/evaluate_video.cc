#include "pipeline/evaluate_video.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "data/annotation_file.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "model/npz.h"
#include "pipeline/evaluation.h"
#include "pipeline/ground_truth.h"
#include "pipeline/json_file.h"
#include "pipeline/multi_view.h"
#include "pipeline/parallel.h"
#include "pipeline/video.h"

namespace resihmr::pipeline {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double MedianValue(const std::vector<double>& v) {
  const nlohmann::json m = Median(v);
  return m.is_number() ? m.get<double>() : kNaN;
}

// A person's walk: its frames and per-frame truth (truth.npz).
struct Walk {
  VideoDataset video;
  std::vector<double> joints, endpoints;  // [F][J][3], [F][L][3]
  int64_t frames = 0;
};

const model::NpyArray& ArrayOf(const model::NpzContents& npz, const std::string& key, const std::vector<int64_t>& shape,
                               const std::string& path) {
  const auto it = npz.arrays.find(key);
  if (it == npz.arrays.end() || !it->second.is_numeric() || it->second.shape != shape) {
    std::string expected;
    for (int64_t d : shape) expected += (expected.empty() ? "" : ", ") + std::to_string(d);
    throw Error(path + ": " + key + ": expected a numeric array of shape (" + expected + ")");
  }
  return it->second;
}

Walk ReadWalk(const model::BodyModel& model, const std::string& dir, size_t limbs) {
  Walk w;
  w.video = ReadVideo(dir + "/keypoints.json", VideoReadOptions());
  if (w.video.tracks.size() != 1) throw Error(dir + "/keypoints.json: one track expected");
  w.frames = static_cast<int64_t>(w.video.frames.size());
  const std::string path = dir + "/truth.npz";
  const model::NpzContents npz = model::ReadNpz(path);
  const int64_t J = model.num_joints(), L = static_cast<int64_t>(limbs);
  w.joints = ArrayOf(npz, "joints", {w.frames, J, 3}, path).ToDoubles();
  w.endpoints = ArrayOf(npz, "endpoints", {w.frames, L, 3}, path).ToDoubles();
  return w;
}

struct Scored {
  bool ok = false;
  std::string error;
  double mpjpe_mm = kNaN, ms_per_frame = kNaN;
  std::vector<double> length_err_mm, lambda_err, endpoint_err_mm, volume_err_pct;
  int accepted = 0;
};

Scored ScoreWalk(const model::BodyModel& model, const Walk& walk, const PersonTruth& truth, int count,
                 const VideoEvalOptions& options) {
  Scored s;
  optim::VideoFitOptions fit_options;
  fit_options.person.fit.config = options.config;
  const std::vector<optim::VideoFrameInput> frames(walk.video.tracks[0].frames.begin(),
                                                   walk.video.tracks[0].frames.begin() + count);
  const optim::VideoFit fit = optim::FitVideo(model, frames, truth.camera, fit_options);
  if (!fit.ok) {
    s.error = fit.error;
    return s;
  }
  s.ms_per_frame = fit.time_ms / count;
  const int64_t J = model.num_joints(), L = static_cast<int64_t>(truth.limbs.size());
  const auto truth_joint = [&](size_t f, int64_t j) {
    const double* p = &walk.joints[static_cast<size_t>((static_cast<int64_t>(f) * J + j) * 3)];
    return Eigen::Vector3d(p[0], p[1], p[2]);
  };
  const MultiViewMesh mesh = ReferenceFrameMesh(model, fit);
  std::vector<model::ResidualLimb> limbs;
  for (int64_t l = 0; l < L; ++l) {
    const PersonTruth::Limb& t = truth.limbs[static_cast<size_t>(l)];
    limbs.push_back(t.limb);
    for (size_t i = 0; i < fit.limbs.size(); ++i) {
      const optim::VideoLimbResult& r = fit.limbs[i];
      if (r.limb.limb != t.limb.limb || !r.accepted) continue;
      ++s.accepted;
      s.length_err_mm.push_back(std::abs(r.length_mm - t.length_mm));
      s.lambda_err.push_back(std::abs(r.lambda - t.lambda));
      std::vector<double> endpoint;
      for (size_t f = 0; f < fit.frames.size(); ++f) {
        if (!fit.frames[f].fitted) continue;
        const double* p = &walk.endpoints[static_cast<size_t>((static_cast<int64_t>(f) * L + l) * 3)];
        endpoint.push_back(1000 * (fit.frames[f].residual_limbs[i].endpoint_3d - Eigen::Vector3d(p[0], p[1], p[2])).norm());
      }
      s.endpoint_err_mm.push_back(MedianValue(endpoint));
      const geometry::StumpOutcome* o = mesh.stump_of(i);
      if (o && o->ok && std::isfinite(t.volume_ml) && t.volume_ml > 0) {
        s.volume_err_pct.push_back(100.0 * std::abs(o->measurements.volume_ml - t.volume_ml) / t.volume_ml);
      }
    }
  }
  const std::vector<uint8_t> lost = model::DistalJoints(model, limbs);
  std::vector<double> per_frame;
  for (size_t f = 0; f < fit.frames.size(); ++f) {
    if (!fit.frames[f].fitted) continue;
    double sum = 0;
    int n = 0;
    for (int64_t j = 0; j < J; ++j) {
      if (lost[static_cast<size_t>(j)]) continue;
      sum += 1000 * (fit.frames[f].joints.row(j).transpose() - truth_joint(f, j)).norm();
      ++n;
    }
    if (n) per_frame.push_back(sum / n);
  }
  s.mpjpe_mm = MedianValue(per_frame);
  s.ok = true;
  return s;
}

}  // namespace

bool IsVideoDataset(const std::string& dataset) {
  std::error_code ec;
  return std::filesystem::is_directory(dataset + "/video", ec);
}

EvalReport EvaluateVideo(const model::BodyModel& model, const std::string& dataset, const VideoEvalOptions& options) {
  const data::AnnotationFile file = data::ReadAnnotations(dataset + "/keypoints.json");
  const std::vector<PersonTruth> truths = ReadGroundTruth(dataset + "/ground_truth.json", model, file);
  std::vector<Walk> walks(file.persons.size());
  ParallelFor(walks.size(), options.threads, [&](size_t i, int) {
    const std::string stem = std::filesystem::path(file.persons[i].image).stem().string();
    walks[i] = ReadWalk(model, dataset + "/video/" + stem, truths[i].limbs.size());
  });
  int64_t most = walks.empty() ? 0 : walks.front().frames;
  for (const Walk& w : walks) most = std::min(most, w.frames);
  std::vector<int> counts = options.frame_counts;
  if (counts.empty()) {
    for (int c : {1, 10, 30, 60}) {
      if (c <= most) counts.push_back(c);
    }
  }
  for (int c : counts) {
    if (c < 1 || c > most) {
      throw Error("eval: --frames: counts of 1 to " + std::to_string(most) + " frames expected (every walk has " +
                  std::to_string(most) + "), got " + std::to_string(c));
    }
  }
  EvalReport out;
  out.report = {{"dataset", dataset}, {"kind", "video"}};
  nlohmann::json rows = nlohmann::json::array(), persons = nlohmann::json::object();
  std::ostringstream csv;
  csv << "frames,annotation_id,status,mpjpe_mm,length_err_mm,lambda_err,endpoint_err_mm,volume_err_pct,ms_per_frame\n";
  for (int c : counts) {
    std::vector<Scored> scored(walks.size());
    ParallelFor(walks.size(), options.threads, [&](size_t i, int) {
      try {
        scored[i] = ScoreWalk(model, walks[i], truths[i], c, options);
      } catch (const Error& e) {
        scored[i].error = e.what();
      }
    });
    std::vector<double> length, lambda, endpoint, mpjpe, volume, ms;
    int failed = 0, accepted = 0, limbs = 0;
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < walks.size(); ++i) {
      const Scored& s = scored[i];
      const int64_t id = file.persons[i].annotation_id;
      limbs += static_cast<int>(truths[i].limbs.size());
      list.push_back({{"annotation_id", id}, {"status", s.ok ? "ok" : "failed"}, {"error", s.error},
                      {"mpjpe_mm", NumberOrNull(s.mpjpe_mm)}, {"length_err_mm", s.length_err_mm},
                      {"lambda_err", s.lambda_err}, {"endpoint_err_mm", s.endpoint_err_mm},
                      {"volume_err_pct", s.volume_err_pct}, {"ms_per_frame", NumberOrNull(s.ms_per_frame)}});
      csv << c << "," << id << "," << (s.ok ? "ok" : "failed") << "," << s.mpjpe_mm << "," << MeanOrNaN(s.length_err_mm)
          << "," << MeanOrNaN(s.lambda_err) << "," << MeanOrNaN(s.endpoint_err_mm) << "," << MeanOrNaN(s.volume_err_pct) << ","
          << s.ms_per_frame << "\n";
      if (!s.ok) {
        ++failed;
        continue;
      }
      accepted += s.accepted;
      length.insert(length.end(), s.length_err_mm.begin(), s.length_err_mm.end());
      lambda.insert(lambda.end(), s.lambda_err.begin(), s.lambda_err.end());
      endpoint.insert(endpoint.end(), s.endpoint_err_mm.begin(), s.endpoint_err_mm.end());
      volume.insert(volume.end(), s.volume_err_pct.begin(), s.volume_err_pct.end());
      if (std::isfinite(s.mpjpe_mm)) mpjpe.push_back(s.mpjpe_mm);
      ms.push_back(s.ms_per_frame);
    }
    rows.push_back({{"frames", c},
                    {"persons", walks.size()},
                    {"n_failed", failed},
                    {"length_err_mm_median", Median(length)},
                    {"lambda_err_median", Median(lambda)},
                    {"endpoint3d_mm_median", Median(endpoint)},
                    {"accepted_limbs", accepted},
                    {"residual_limbs", limbs},
                    {"mpjpe3d_mm_median", Median(mpjpe)},
                    {"volume_err_pct_median", Median(volume)},
                    {"volume_limbs", volume.size()},
                    {"ms_per_frame_median", Median(ms)}});
    persons[std::to_string(c)] = list;
  }
  out.report["rows"] = rows;
  out.report["persons"] = persons;
  out.csv = csv.str();
  out.persons = walks.size();
  return out;
}

}  // namespace resihmr::pipeline
