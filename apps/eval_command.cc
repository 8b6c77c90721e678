// resihmr eval: runs methods on a dataset and scores them (ResiHMR's protocol).
#include <unistd.h>

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "apps/command.h"
#include "apps/evaluation.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "apps/model_source.h"
#include "apps/parallel.h"
#include "apps/person_mesh.h"
#include "data/annotation_file.h"
#include "data/body_params_json.h"
#include "geometry/mesh_render.h"
#include "geometry/stump_mesh.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "optim/person_fit.h"

DEFINE_string(dataset, "", "eval: a synth folder (keypoints.json, ground_truth.json) or an annotation file");
DEFINE_string(methods, "intact,ajahr-zero,resihmr", "eval: methods to run, comma-separated");
DEFINE_string(shard, "", "eval: i/n, this run's share of the persons");
DEFINE_string(merge, "", "eval: comma-separated shard reports to combine into --out");

namespace resihmr::apps {
namespace {

struct Truth {
  bool present = false;
  model::BodyParams params;
  model::PinholeCamera camera;
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> joints;
  Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor> keypoints;  // NaN where absent
  struct Limb {
    model::ResidualLimb limb;
    double lambda, length_mm, volume_ml;
    Eigen::Vector3d endpoint;
  };
  std::vector<Limb> limbs;
};

Eigen::Vector3d Vec3(const nlohmann::json& j) { return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>()}; }

std::vector<Truth> ReadTruth(const std::string& path, const model::BodyModel& m, const data::AnnotationFile& file) {
  std::ifstream in(path);
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  if (!root.contains("persons") || !root["persons"].is_array()) throw Error(path + ": persons: missing");
  std::map<int64_t, const nlohmann::json*> by_id;
  for (const auto& p : root["persons"]) by_id[p.at("annotation_id").get<int64_t>()] = &p;
  std::vector<Truth> out;
  for (const data::Observation& o : file.persons) {
    auto it = by_id.find(o.annotation_id);
    if (it == by_id.end()) throw Error(path + ": no ground truth for annotation " + std::to_string(o.annotation_id) + " of keypoints.json");
    const nlohmann::json& p = *it->second;
    try {
      Truth t;
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
        Truth::Limb limb;
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
      out.push_back(t);
    } catch (const std::exception& e) {
      throw Error(path + ": annotation " + std::to_string(o.annotation_id) + ": " + e.what());
    }
  }
  return out;
}

double Iou(const cv::Mat& a, const cv::Mat& b) {
  const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
  return uni > 0 ? inter / uni : std::numeric_limits<double>::quiet_NaN();
}

PersonScore Score(const model::BodyModel& m, const data::Observation& o, const Truth& truth, const optim::PersonFit& fit,
                  optim::Method method, const PersonMesh& person_mesh) {
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
  if (!o.mask.empty()) s.iou = Iou(geometry::RenderSilhouette(mesh.vertices, mesh.faces, fit.fit.camera), o.mask);
  if (!truth.present) return s;
  // 3D: intact joints (of the first 22), pelvis-aligned and Procrustes-aligned.
  const model::PosedBody posed = model::PoseBody(m, fit.fit.params, false);
  std::vector<model::ResidualLimb> lost_limbs;
  for (const Truth::Limb& l : truth.limbs) lost_limbs.push_back(l.limb);
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
  const Eigen::Matrix4d T = Eigen::umeyama(P, G, true);
  const Eigen::Matrix3Xd A = (T.topLeftCorner<3, 3>() * P).colwise() + T.topRightCorner<3, 1>();
  for (Eigen::Index i = 0; i < A.cols(); ++i) s.pa_joint_mm.push_back(1000.0 * (A.col(i) - G.col(i)).norm());
  // Residual limbs, matched by limb and level.
  for (const Truth::Limb& l : truth.limbs) {
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

std::string Fingerprint(const data::AnnotationFile& file) {
  std::hash<std::string> hash;
  size_t h = 0;
  for (const data::Observation& o : file.persons) h = h * 1000003u ^ hash(o.image + "#" + std::to_string(o.annotation_id));
  std::ostringstream s;
  s << file.persons.size() << "-" << std::hex << h;
  return s.str();
}

void PrintTable(const nlohmann::json& methods) {
  const auto cell = [](const nlohmann::json& v, int width, int precision) {
    std::ostringstream s;
    if (v.is_number()) {
      s << std::fixed << std::setprecision(precision) << std::setw(width) << v.get<double>();
    } else {
      s << std::setw(width) << "-";
    }
    return s.str();
  };
  std::cout << "\nmethod       body px  resid px intact px   mIoU  MPJPE mm  PA mm  end mm  len err  lam err  vol err%  pers/s  fail  susp\n";
  for (auto it = methods.begin(); it != methods.end(); ++it) {
    const nlohmann::json& r = it.value();
    std::cout << std::left << std::setw(12) << it.key() << std::right << cell(r["mpjpe2d_body_px"], 8, 2)
              << cell(r["mpjpe2d_residual_px"], 10, 2) << cell(r["mpjpe2d_intact_px"], 10, 2) << cell(r["miou"], 7, 3)
              << cell(r["mpjpe3d_mm"], 10, 1) << cell(r["pa_mpjpe3d_mm"], 7, 1) << cell(r["endpoint3d_mm"], 8, 1)
              << cell(r["length_err_mm_median"], 9, 1) << cell(r["lambda_err_mean"], 9, 3)
              << cell(r["volume_err_pct_median"], 10, 1) << cell(r["persons_per_s"], 8, 1) << std::setw(6)
              << r["n_failed"].get<int>() << std::setw(6) << r.value("n_suspect", 0) << "\n";
  }
}

int Merge() {
  std::vector<std::string> paths;
  std::stringstream names(FLAGS_merge);
  for (std::string p; std::getline(names, p, ',');) {
    if (!p.empty()) paths.push_back(p);
  }
  if (paths.size() < 2) throw Error("eval --merge: give at least two shard reports, comma-separated");
  nlohmann::json merged;
  std::map<std::string, std::vector<PersonScore>> persons;
  std::map<std::string, double> seconds;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    nlohmann::json r;
    try {
      r = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw Error(path + ": not a readable report: " + e.what());
    }
    if (!r.contains("dataset") || !r.contains("persons")) throw Error(path + ": not an eval report (dataset, persons)");
    if (merged.is_null()) {
      merged = {{"dataset", r["dataset"]}, {"shards", nlohmann::json::array()}};
    } else if (r["dataset"]["fingerprint"] != merged["dataset"]["fingerprint"]) {
      throw Error(path + ": a report of another dataset (fingerprint " + r["dataset"]["fingerprint"].get<std::string>() +
                  ", expected " + merged["dataset"]["fingerprint"].get<std::string>() + ")");
    }
    try {
      merged["shards"].push_back(r.value("shard", "1/1"));
      for (auto it = r["persons"].begin(); it != r["persons"].end(); ++it) {
        for (const auto& p : it.value()) persons[it.key()].push_back(PersonScoreFromJson(p));
        const double pps = r.at("methods").at(it.key()).at("persons_per_s").get<double>();
        seconds[it.key()] += pps > 0 ? static_cast<double>(it.value().size()) / pps : 0;
      }
    } catch (const nlohmann::json::exception& e) {
      throw Error(path + ": not an eval report: " + e.what());
    }
  }
  merged["methods"] = nlohmann::json::object();
  merged["persons"] = nlohmann::json::object();
  for (const auto& [method, list] : persons) {
    merged["methods"][method] = AggregateScores(list, seconds[method] > 0 ? list.size() / seconds[method] : 0);
    for (const PersonScore& p : list) merged["persons"][method].push_back(PersonScoreJson(p));
  }
  WriteJsonFile(FLAGS_out, merged);
  PrintTable(merged["methods"]);
  std::cout << "merged " << paths.size() << " shard reports into " << FLAGS_out << "\n";
  return 0;
}

int Run() {
  if (FLAGS_out.empty()) throw Error("eval: --out is required (report.json)");
  if (!FLAGS_merge.empty()) return Merge();
  if (FLAGS_dataset.empty()) throw Error("eval: --dataset is required (a synth folder or an annotation file)");
  const int threads = CheckedThreads(FLAGS_threads, "eval");
  std::vector<optim::Method> methods;
  std::stringstream list(FLAGS_methods);
  for (std::string name; std::getline(list, name, ',');) {
    optim::Method m;
    if (!optim::ParseMethod(name, &m)) throw Error("eval: unknown method '" + name + "' (expected intact, ajahr-zero, resihmr)");
    methods.push_back(m);
  }
  if (methods.empty()) throw Error("eval: --methods names no method");
  int shard = 0, shards = 1;
  std::vector<long long> parts;
  if (!FLAGS_shard.empty()) {
    if (!ParseIntegers(FLAGS_shard, '/', 2, 0, 1000000, &parts) || parts[1] < 1 || parts[0] >= parts[1]) {
      throw Error("eval: --shard '" + FLAGS_shard + "' is not i/n with 0 <= i < n <= 1000000");
    }
    shard = static_cast<int>(parts[0]);
    shards = static_cast<int>(parts[1]);
  }
  const bool folder = std::filesystem::is_directory(FLAGS_dataset);
  const std::string annotations = folder ? FLAGS_dataset + "/keypoints.json" : FLAGS_dataset;
  const data::AnnotationFile file = data::ReadAnnotations(annotations);
  const model::BodyModel m = LoadModelOrEmbedded(FLAGS_model);
  std::vector<Truth> truth(file.persons.size());
  const std::string truth_path = FLAGS_dataset + "/ground_truth.json";
  if (folder) {
    if (!std::filesystem::exists(truth_path)) throw Error(FLAGS_dataset + ": a dataset folder needs ground_truth.json beside keypoints.json");
    truth = ReadTruth(truth_path, m, file);
  }
  std::vector<size_t> mine;
  for (size_t i = 0; i < file.persons.size(); ++i) {
    if (static_cast<int>(i % static_cast<size_t>(shards)) == shard) mine.push_back(i);
  }
  nlohmann::json report = {{"dataset", {{"path", FLAGS_dataset}, {"fingerprint", Fingerprint(file)}, {"n", file.persons.size()},
                                        {"ground_truth", folder}}},
                           {"shard", std::to_string(shard) + "/" + std::to_string(shards)},
                           {"threads", threads},
                           {"methods", nlohmann::json::object()},
                           {"persons", nlohmann::json::object()}};
  const bool terminal = isatty(STDERR_FILENO);
  std::ostringstream csv;
  csv << "method,image,annotation_id,failed,suspect,body_px,residual_px,intact_px,iou,mpjpe3d_mm,pa_mpjpe3d_mm,endpoint3d_mm,"
         "length_err_mm,lambda_err,volume_err_pct\n";
  for (optim::Method method : methods) {
    const std::string name = optim::MethodName(method);
    optim::PersonFitOptions options;
    options.method = method;
    // Pass 1, timed: fitting and stump reconstruction only.
    std::vector<optim::PersonFit> fits(mine.size());
    std::atomic<size_t> done{0};
    std::mutex print;
    const auto camera_of = [&](size_t i) {
      const data::Observation& o = file.persons[i];
      return truth[i].present ? truth[i].camera : model::DefaultCamera(o.image_width, o.image_height);
    };
    const auto run = [&](bool score_pass, std::vector<PersonScore>* scores, size_t k) {
      const size_t i = mine[k];
      if (!score_pass) {
        fits[k] = optim::FitPerson(m, file.persons[i], camera_of(i), options);
        // The stumps, timed; a limb turned to its other depth there stays turned in fits[k].
        if (fits[k].fit.ok && method == optim::Method::kResiHMR) BuildPersonMesh(m, method, &fits[k]);
      } else {
        const PersonMesh mesh = fits[k].fit.ok ? BuildPersonMesh(m, method, &fits[k]) : PersonMesh();
        (*scores)[k] = Score(m, file.persons[i], truth[i], fits[k], method, mesh);
      }
      const size_t finished = ++done;
      if (terminal) {
        std::lock_guard<std::mutex> lock(print);
        const int width = 30, filled = static_cast<int>(width * finished / std::max<size_t>(1, mine.size()));
        std::cerr << "\r" << name << (score_pass ? " scoring " : " fitting ") << "[" << std::string(static_cast<size_t>(filled), '#')
                  << std::string(static_cast<size_t>(width - filled), ' ') << "] " << finished << "/" << mine.size() << std::flush;
      }
    };
    const auto parallel = [&](bool score_pass, std::vector<PersonScore>* scores) {
      done = 0;
      ParallelFor(mine.size(), threads, [&](size_t k, int) { run(score_pass, scores, k); });
      if (terminal) std::cerr << "\r" << std::string(70, ' ') << "\r";
    };
    const auto start = std::chrono::steady_clock::now();
    parallel(false, nullptr);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<PersonScore> scores(mine.size());
    parallel(true, &scores);
    report["methods"][name] = AggregateScores(scores, seconds > 0 ? mine.size() / seconds : 0);
    report["persons"][name] = nlohmann::json::array();
    for (const PersonScore& s : scores) {
      report["persons"][name].push_back(PersonScoreJson(s));
      const auto mean = [](const std::vector<double>& v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
          if (std::isfinite(x)) {
            sum += x;
            ++n;
          }
        }
        return n ? std::to_string(sum / n) : std::string();
      };
      csv << name << "," << s.image << "," << s.annotation_id << "," << (s.failed ? 1 : 0) << "," << (s.suspect ? 1 : 0) << "," << mean(s.body_px) << ","
          << mean(s.residual_px) << "," << mean(s.intact_px) << "," << (std::isfinite(s.iou) ? std::to_string(s.iou) : "")
          << "," << mean(s.joint_mm) << "," << mean(s.pa_joint_mm) << "," << mean(s.endpoint_mm) << ","
          << mean(s.length_err_mm) << "," << mean(s.lambda_err) << "," << mean(s.volume_err_pct) << "\n";
    }
  }
  const std::string csv_path = std::filesystem::path(FLAGS_out).replace_extension(".csv").string();
  WriteTextFile(csv_path, csv.str());
  try {  // both files or neither
    WriteJsonFile(FLAGS_out, report);
  } catch (...) {
    std::filesystem::remove(csv_path);
    throw;
  }
  PrintTable(report["methods"]);
  std::cout << mine.size() << " persons (shard " << report["shard"].get<std::string>() << ", " << threads
            << " threads); report " << FLAGS_out << ", per person " << csv_path << "\n";
  return 0;
}

}  // namespace

Command EvalCommand() {
  return {"eval", "run methods on a dataset and score them (ResiHMR's protocol)",
          "usage: resihmr eval --dataset DIR|ann.json --out report.json [--methods intact,ajahr-zero,resihmr]\n"
          "                    [--threads N] [--shard i/n] [--model M.npz]\n"
          "       resihmr eval --merge a.json,b.json,... --out report.json\n"
          "\n"
          "Fits every person with each method and reports, per method: 2D MPJPE over all\n"
          "labelled keypoints, residual-limb endpoints and intact keypoints (px); mIoU of\n"
          "the method's mesh silhouette against the person's mask; with ground truth (a\n"
          "resihmr synth folder) MPJPE and PA-MPJPE of the intact joints, endpoint 3D error\n"
          "(mm), residual length error (median), lambda error (mean), stump volume error\n"
          "(median, %), persons per second (fitting and stump reconstruction, wall clock)\n"
          "and failures. Prints the table; report.json holds methods.<name>.<metric> and\n"
          "every person's values; report.csv one row per method and person. --shard i/n\n"
          "takes every n-th person from the i-th (for array jobs); --merge combines shard\n"
          "reports of the same dataset; --threads takes 1..256 (more than the cores only\n"
          "adds overhead). An annotation file without ground truth (COCO or\n"
          "LDPose JSON) gives the 2D metrics and mIoU against its segmentation masks.\n",
          {"dataset", "out", "methods", "threads", "shard", "merge", "model"}, &Run};
}

}  // namespace resihmr::apps
