#include "pipeline/evaluate_dataset.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "data/annotation_file.h"
#include "model/error.h"
#include "pipeline/evaluation.h"
#include "pipeline/ground_truth.h"
#include "pipeline/other_persons_mask.h"
#include "pipeline/parallel.h"
#include "pipeline/reconstruct_person.h"

namespace resihmr::pipeline {
namespace {

std::string Fingerprint(const data::AnnotationFile& file) {
  std::hash<std::string> hash;
  size_t h = 0;
  for (const data::Observation& o : file.persons) h = h * 1000003u ^ hash(o.image + "#" + std::to_string(o.annotation_id));
  std::ostringstream s;
  s << file.persons.size() << "-" << std::hex << h;
  return s.str();
}

std::string CsvMean(const std::vector<double>& v) {
  double sum = 0;
  int n = 0;
  for (double x : v) {
    if (std::isfinite(x)) {
      sum += x;
      ++n;
    }
  }
  return n ? std::to_string(sum / n) : std::string();
}

// A text field as CSV: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string CsvText(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvRow(const std::string& method, const PersonScore& s) {
  std::ostringstream row;
  row << method << "," << s.image << "," << s.annotation_id << "," << (s.failed ? 1 : 0) << "," << (s.suspect ? 1 : 0)
      << "," << CsvMean(s.body_px) << "," << CsvMean(s.residual_px) << "," << CsvMean(s.intact_px) << ","
      << (std::isfinite(s.iou) ? std::to_string(s.iou) : "") << "," << CsvMean(s.joint_mm) << ","
      << CsvMean(s.pa_joint_mm) << "," << CsvMean(s.endpoint_mm) << "," << CsvMean(s.length_err_mm) << ","
      << CsvMean(s.lambda_err) << "," << CsvMean(s.volume_err_pct) << "," << CsvText(s.family) << ","
      << CsvMean({s.root_rot_err_deg}) << "," << CsvMean({s.lean_err_deg}) << "," << CsvMean(s.limb_joint_mm) << "\n";
  return row.str();
}

nlohmann::json ReadReport(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open the report");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not a readable report: " + e.what());
  }
}

}  // namespace

EvalOptions::Silhouette ParseSilhouetteChoice(const std::string& text) {
  if (text == "auto") return EvalOptions::Silhouette::kAuto;
  if (text == "off") return EvalOptions::Silhouette::kOff;
  if (text == "on") return EvalOptions::Silhouette::kOn;
  if (text == "both") return EvalOptions::Silhouette::kBoth;
  throw Error("silhouette '" + text + "' is unknown (expected auto, off, on or both)");
}

void ParseShard(const std::string& text, int* shard, int* shards) {
  const auto bad = [&] { return Error("shard '" + text + "' is not i/n with 0 <= i < n <= 1000000"); };
  const size_t slash = text.find('/');
  if (slash == std::string::npos) throw bad();
  long long i = -1, n = -1;
  const char* end = text.data() + text.size();
  const auto a = std::from_chars(text.data(), text.data() + slash, i);
  const auto b = std::from_chars(text.data() + slash + 1, end, n);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() || b.ptr != end || i < 0 || n < 1 ||
      n > 1000000 || i >= n) {
    throw bad();
  }
  *shard = static_cast<int>(i);
  *shards = static_cast<int>(n);
}

EvalReport EvaluateDataset(const model::BodyModel& m, const std::string& dataset, const EvalOptions& options) {
  if (options.methods.empty()) throw Error("eval: no method to run");
  if (options.threads < 1 || options.threads > kMaxThreads) throw Error("eval: threads outside 1..256");
  if (options.shards < 1 || options.shard < 0 || options.shard >= options.shards) throw Error("eval: shard outside 0..shards-1");
  const bool folder = std::filesystem::is_directory(dataset);
  data::ReadOptions read;
  read.masks_dir = options.masks_dir;
  read.strict = options.strict;
  const data::AnnotationFile file = data::ReadAnnotations(folder ? dataset + "/keypoints.json" : dataset, read);
  std::vector<PersonTruth> truth(file.persons.size());
  if (folder) {
    const std::string truth_path = dataset + "/ground_truth.json";
    if (!std::filesystem::exists(truth_path)) throw Error(dataset + ": a dataset folder needs ground_truth.json beside keypoints.json");
    truth = ReadGroundTruth(truth_path, m, file);
  }
  std::vector<size_t> mine;
  for (size_t i = 0; i < file.persons.size(); ++i) {
    if (static_cast<int>(i % static_cast<size_t>(options.shards)) == options.shard) mine.push_back(i);
  }
  EvalReport out;
  out.persons = mine.size();
  out.report = {{"dataset", {{"path", dataset}, {"fingerprint", Fingerprint(file)}, {"n", file.persons.size()},
                             {"ground_truth", folder}}},
                {"shard", std::to_string(options.shard) + "/" + std::to_string(options.shards)},
                {"threads", options.threads},
                {"methods", nlohmann::json::object()},
                {"persons", nlohmann::json::object()}};
  out.csv = "method,image,annotation_id,failed,suspect,body_px,residual_px,intact_px,iou,mpjpe3d_mm,pa_mpjpe3d_mm,"
            "endpoint3d_mm,length_err_mm,lambda_err,volume_err_pct,family,root_rot_err_deg,lean_err_deg,limb_mpjpe3d_mm\n";
  bool any_mask = false;
  for (const data::Observation& o : file.persons) any_mask = any_mask || !o.mask.empty();
  using Silhouette = EvalOptions::Silhouette;
  const Silhouette choice =
      options.silhouette == Silhouette::kAuto ? (any_mask ? Silhouette::kBoth : Silhouette::kOff) : options.silhouette;
  std::vector<std::pair<optim::Method, bool>> runs;  // method, with silhouettes
  for (optim::Method method : options.methods) {
    if (choice != Silhouette::kOn) runs.emplace_back(method, false);
    if (choice != Silhouette::kOff) runs.emplace_back(method, true);
  }
  const std::vector<std::vector<size_t>> others = OtherMaskedPersons(file.persons);
  for (const auto& [method, silhouette] : runs) {
    const std::string name = optim::MethodName(method) + (silhouette ? "+silhouette" : "");
    ReconstructOptions reconstruct;
    reconstruct.fit.method = method;
    reconstruct.fit.fit.config = options.config;
    reconstruct.fit.silhouette = silhouette;
    const auto camera_of = [&](size_t i) {
      const data::Observation& o = file.persons[i];
      return truth[i].present ? truth[i].camera : model::DefaultCamera(o.image_width, o.image_height);
    };
    std::mutex mutex;
    size_t done = 0;
    const auto tick = [&](const char* pass) {
      if (!options.progress) return;
      std::lock_guard<std::mutex> lock(mutex);
      options.progress(name, pass, ++done, mine.size());
    };
    // Pass 1, timed: fitting and stump reconstruction; the meshes are
    // dropped (a dataset's meshes need not fit in memory at once). A limb
    // turned to its other depth there stays turned in the fit.
    std::vector<PersonResult> results(mine.size());
    const auto start = std::chrono::steady_clock::now();
    ParallelFor(mine.size(), options.threads, [&](size_t k, int) {
      ReconstructOptions with_others = reconstruct;
      const cv::Mat union_of_others = silhouette ? UnionOfMasks(file.persons, others[mine[k]]) : cv::Mat();
      if (!union_of_others.empty()) with_others.fit.other_persons_mask = &union_of_others;
      results[k] = ReconstructPersonWithCamera(m, file.persons[mine[k]], camera_of(mine[k]), with_others);
      results[k].mesh = PersonMesh();
      tick("fitting");
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Pass 2: each mesh again (the same: no limb is turned twice), scored.
    std::vector<PersonScore> scores(mine.size());
    done = 0;
    ParallelFor(mine.size(), options.threads, [&](size_t k, int) {
      const cv::Mat union_of_others = silhouette ? UnionOfMasks(file.persons, others[mine[k]]) : cv::Mat();
      StumpMasks masks;
      masks.mask = silhouette ? &file.persons[mine[k]].mask : nullptr;
      masks.others = union_of_others.empty() ? nullptr : &union_of_others;
      masks.config = options.config;
      if (results[k].fit.fit.ok) results[k].mesh = BuildPersonMesh(m, method, &results[k].fit, masks);
      scores[k] = ScorePerson(m, file.persons[mine[k]], truth[mine[k]], results[k], method);
      results[k].mesh = PersonMesh();
      tick("scoring");
    });
    out.report["methods"][name] = AggregateScores(scores, seconds > 0 ? mine.size() / seconds : 0);
    out.report["persons"][name] = nlohmann::json::array();
    for (const PersonScore& s : scores) {
      out.report["persons"][name].push_back(PersonScoreJson(s));
      out.csv += CsvRow(name, s);
    }
  }
  return out;
}

nlohmann::json MergeReports(const std::vector<std::string>& paths) {
  if (paths.size() < 2) throw Error("eval --merge: give at least two shard reports, comma-separated");
  nlohmann::json merged;
  std::map<std::string, std::vector<PersonScore>> persons;
  std::map<std::string, double> seconds;
  for (const std::string& path : paths) {
    const nlohmann::json r = ReadReport(path);
    if (!r.is_object() || !r.contains("dataset") || !r.contains("persons")) {
      throw Error(path + ": not an eval report (dataset, persons)");
    }
    try {
      if (merged.is_null()) {
        merged = {{"dataset", r["dataset"]}, {"shards", nlohmann::json::array()}};
      } else if (r["dataset"].at("fingerprint") != merged["dataset"].at("fingerprint")) {
        throw Error(path + ": a report of another dataset (fingerprint " + r["dataset"]["fingerprint"].get<std::string>() +
                    ", expected " + merged["dataset"]["fingerprint"].get<std::string>() + ")");
      }
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
  return merged;
}

}  // namespace resihmr::pipeline
