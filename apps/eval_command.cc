// resihmr eval: runs methods on a dataset and scores them (ResiHMR's protocol).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "apps/command.h"
#include "apps/flags.h"
#include "model/error.h"
#include "optim/person_fit.h"
#include "pipeline/evaluate_dataset.h"
#include "pipeline/evaluate_video.h"
#include "pipeline/evaluate_views.h"
#include "pipeline/json_file.h"
#include "pipeline/model_source.h"

DEFINE_string(dataset, "", "eval: a synth folder (keypoints.json, ground_truth.json) or an annotation file");
DEFINE_string(methods, "intact,ajahr-zero,resihmr", "eval: methods to run, comma-separated");
DEFINE_string(shard, "", "eval: i/n, this run's share of the persons");
DEFINE_string(merge, "", "eval: comma-separated shard reports to combine into --out");

namespace resihmr::apps {
namespace {

// A table cell: the number at `precision` in `width` columns, "-" for null.
std::string Cell(const nlohmann::json& v, int width, int precision) {
  std::ostringstream s;
  if (v.is_number()) s << std::fixed << std::setprecision(precision) << std::setw(width) << v.get<double>();
  else s << std::setw(width) << "-";
  return s.str();
}

void PrintTable(const nlohmann::json& methods) {
  std::cout << "\nmethod                   body px  resid px intact px   mIoU  MPJPE mm  PA mm limb mm  end mm  len err  lam err  vol err%  pers/s  fail  susp\n";
  for (auto it = methods.begin(); it != methods.end(); ++it) {
    const nlohmann::json& r = it.value();
    std::cout << std::left << std::setw(22) << it.key() << std::right << Cell(r["mpjpe2d_body_px"], 8, 2)
              << Cell(r["mpjpe2d_residual_px"], 10, 2) << Cell(r["mpjpe2d_intact_px"], 10, 2) << Cell(r["miou"], 7, 3)
              << Cell(r["mpjpe3d_mm"], 10, 1) << Cell(r["pa_mpjpe3d_mm"], 7, 1) << Cell(r["limb_mpjpe3d_mm"], 8, 1) << Cell(r["endpoint3d_mm"], 8, 1)
              << Cell(r["length_err_mm_median"], 9, 1) << Cell(r["lambda_err_mean"], 9, 3)
              << Cell(r["volume_err_pct_median"], 10, 1) << Cell(r["persons_per_s"], 8, 1) << std::setw(6)
              << r["n_failed"].get<int>() << std::setw(6) << r.value("n_suspect", 0) << "\n";
  }
}

int Merge() {
  std::vector<std::string> paths;
  std::stringstream names(FLAGS_merge);
  for (std::string p; std::getline(names, p, ',');) {
    if (!p.empty()) paths.push_back(p);
  }
  const nlohmann::json merged = pipeline::MergeReports(paths);
  pipeline::WriteJsonFile(FLAGS_out, merged);
  PrintTable(merged["methods"]);
  std::cout << "merged " << paths.size() << " shard reports into " << FLAGS_out << "\n";
  return 0;
}

// A progress bar on stderr when it is a terminal.
void ShowProgress(const std::string& method, const std::string& pass, size_t done, size_t total) {
  const int width = 30, filled = static_cast<int>(width * done / std::max<size_t>(1, total));
  std::cerr << "\r" << method << " " << pass << " [" << std::string(static_cast<size_t>(filled), '#')
            << std::string(static_cast<size_t>(width - filled), ' ') << "] " << done << "/" << total << std::flush;
  if (done == total) std::cerr << "\r" << std::string(70, ' ') << "\r";
}

// Writes report.json and report.csv: both or neither.
void WriteReport(const pipeline::EvalReport& result) {
  const std::string csv_path = std::filesystem::path(FLAGS_out).replace_extension(".csv").string();
  pipeline::WriteTextFile(csv_path, result.csv);
  try {
    pipeline::WriteJsonFile(FLAGS_out, result.report);
  } catch (...) {
    std::filesystem::remove(csv_path);
    throw;
  }
}

// --views: a synth --views folder scored against the number of views.
int RunViews() {
  if (FLAGS_dataset.empty() || !pipeline::IsViewsDataset(FLAGS_dataset)) {
    throw Error("eval: --views needs --dataset, a `resihmr synth --views N` folder (with views.json)");
  }
  if (FLAGS_extrinsics != "given" && FLAGS_extrinsics != "estimate") {
    throw Error("eval: --extrinsics: given or estimate expected, got '" + FLAGS_extrinsics + "'");
  }
  if (!FLAGS_shard.empty() || !FLAGS_masks.empty() || !FLAGS_silhouette.empty() ||
      !gflags::GetCommandLineFlagInfoOrDie("methods").is_default) {
    throw Error("eval: --views scores the resihmr method over several views; --methods, --shard, --masks and "
                "--silhouette do not go with it");
  }
  pipeline::ViewsEvalOptions options;
  options.threads = CheckedThreads(FLAGS_threads, "eval");
  options.estimate_extrinsics = FLAGS_extrinsics == "estimate";
  if (!FLAGS_config.empty()) options.config = optim::ReadFitConfig(FLAGS_config);
  std::vector<long long> counts;
  const size_t n = static_cast<size_t>(std::count(FLAGS_views.begin(), FLAGS_views.end(), ',')) + 1;
  if (!ParseIntegers(FLAGS_views, ',', n, 1, 64, &counts)) {
    throw Error("eval: --views: comma-separated view counts (1 to 64) expected, got '" + FLAGS_views + "'");
  }
  for (long long c : counts) options.view_counts.push_back(static_cast<int>(c));
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  const pipeline::EvalReport result = pipeline::EvaluateViews(m, FLAGS_dataset, options);
  WriteReport(result);
  std::cout << "\nviews  failed  len err mm  lam err  end mm  accepted  MPJPE mm  vol err%" << (options.estimate_extrinsics ? "  rot deg  rot p90" : "")
            << "\n";
  for (const nlohmann::json& r : result.report["rows"]) {
    std::cout << std::setw(5) << r["views"].get<int>() << std::setw(8) << r["n_failed"].get<int>()
              << Cell(r["length_err_mm_median"], 12, 1) << Cell(r["lambda_err_median"], 9, 3)
              << Cell(r["endpoint3d_mm_median"], 8, 1) << std::setw(6) << r["accepted_limbs"].get<int>() << "/"
              << std::left << std::setw(3) << r["residual_limbs"].get<int>() << std::right << Cell(r["mpjpe3d_mm_median"], 10, 1)
              << Cell(r["volume_err_pct_median"], 10, 1);
    if (options.estimate_extrinsics) std::cout << Cell(r["rotation_err_deg_median"], 9, 2) << Cell(r["rotation_err_deg_p90"], 9, 2);
    std::cout << "\n";
  }
  std::cout << result.persons << " persons (" << options.threads << " threads); report " << FLAGS_out << "\n";
  return 0;
}

// --frames: a synth --frames folder scored against the number of frames.
int RunFrames() {
  if (FLAGS_dataset.empty() || !pipeline::IsVideoDataset(FLAGS_dataset)) {
    throw Error("eval: --frames needs --dataset, a `resihmr synth --frames T` folder (with video/)");
  }
  if (!FLAGS_shard.empty() || !FLAGS_masks.empty() || !FLAGS_silhouette.empty() || !FLAGS_views.empty() ||
      !gflags::GetCommandLineFlagInfoOrDie("methods").is_default) {
    throw Error("eval: --frames scores the resihmr method over a video; --methods, --shard, --masks, --silhouette "
                "and --views do not go with it");
  }
  pipeline::VideoEvalOptions options;
  options.threads = CheckedThreads(FLAGS_threads, "eval");
  if (!FLAGS_config.empty()) options.config = optim::ReadFitConfig(FLAGS_config);
  std::vector<long long> counts;
  const size_t n = static_cast<size_t>(std::count(FLAGS_frames.begin(), FLAGS_frames.end(), ',')) + 1;
  if (!ParseIntegers(FLAGS_frames, ',', n, 1, 1000, &counts)) {
    throw Error("eval: --frames: comma-separated frame counts (1 to 1000) expected, got '" + FLAGS_frames + "'");
  }
  for (long long c : counts) options.frame_counts.push_back(static_cast<int>(c));
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  const pipeline::EvalReport result = pipeline::EvaluateVideo(m, FLAGS_dataset, options);
  WriteReport(result);
  std::cout << "\nframes  failed  len err mm  lam err  end mm  accepted  MPJPE mm  vol err%  ms/frame\n";
  for (const nlohmann::json& r : result.report["rows"]) {
    std::cout << std::setw(6) << r["frames"].get<int>() << std::setw(8) << r["n_failed"].get<int>()
              << Cell(r["length_err_mm_median"], 12, 1) << Cell(r["lambda_err_median"], 9, 3)
              << Cell(r["endpoint3d_mm_median"], 8, 1) << std::setw(6) << r["accepted_limbs"].get<int>() << "/"
              << std::left << std::setw(3) << r["residual_limbs"].get<int>() << std::right
              << Cell(r["mpjpe3d_mm_median"], 10, 1) << Cell(r["volume_err_pct_median"], 10, 1)
              << Cell(r["ms_per_frame_median"], 10, 2) << "\n";
  }
  std::cout << result.persons << " persons (" << options.threads << " threads); report " << FLAGS_out << "\n";
  return 0;
}

int Run() {
  if (FLAGS_out.empty()) throw Error("eval: --out is required (report.json)");
  if (!FLAGS_merge.empty()) return Merge();
  if (!FLAGS_frames.empty()) return RunFrames();
  if (!FLAGS_views.empty()) return RunViews();
  if (FLAGS_dataset.empty()) throw Error("eval: --dataset is required (a synth folder or an annotation file)");
  pipeline::EvalOptions options;
  options.threads = CheckedThreads(FLAGS_threads, "eval");
  options.methods.clear();
  std::stringstream list(FLAGS_methods);
  for (std::string name; std::getline(list, name, ',');) {
    optim::Method m;
    if (!optim::ParseMethod(name, &m)) throw Error("eval: unknown method '" + name + "' (expected intact, ajahr-zero, resihmr)");
    options.methods.push_back(m);
  }
  if (options.methods.empty()) throw Error("eval: --methods names no method");
  if (!FLAGS_shard.empty()) {
    try {
      pipeline::ParseShard(FLAGS_shard, &options.shard, &options.shards);
    } catch (const Error& e) {
      throw Error(std::string("eval: --") + e.what());
    }
  }
  options.masks_dir = FLAGS_masks;
  options.strict = FLAGS_strict;
  if (!FLAGS_config.empty()) options.config = optim::ReadFitConfig(FLAGS_config);
  if (!FLAGS_silhouette.empty()) {
    try {
      options.silhouette = pipeline::ParseSilhouetteChoice(FLAGS_silhouette);
    } catch (const Error& e) {
      throw Error(std::string("eval: --") + e.what());
    }
  }
  if (isatty(STDERR_FILENO)) options.progress = ShowProgress;
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  const pipeline::EvalReport result = pipeline::EvaluateDataset(m, FLAGS_dataset, options);
  WriteReport(result);
  const std::string csv_path = std::filesystem::path(FLAGS_out).replace_extension(".csv").string();
  PrintTable(result.report["methods"]);
  std::cout << result.persons << " persons (shard " << result.report["shard"].get<std::string>() << ", "
            << options.threads << " threads); report " << FLAGS_out << ", per person " << csv_path << "\n";
  return 0;
}

}  // namespace

Command EvalCommand() {
  return {"eval", "run methods on a dataset and score them (ResiHMR's protocol)",
          "usage: resihmr eval --dataset DIR|ann.json --out report.json [--methods intact,ajahr-zero,resihmr]\n"
          "                    [--threads N] [--shard i/n] [--model M.npz] [--masks DIR]\n"
          "                    [--silhouette auto|off|on|both] [--config C.json] [--strict]\n"
          "       resihmr eval --merge a.json,b.json,... --out report.json\n"
          "       resihmr eval --dataset SYNTH_VIEWS_DIR --views 1,2,3,4 --out report.json\n"
          "                    [--extrinsics given|estimate] [--threads N] [--model M.npz] [--config C.json]\n"
          "       resihmr eval --dataset SYNTH_FRAMES_DIR --frames 1,10,30,60 --out report.json\n"
          "                    [--threads N] [--model M.npz] [--config C.json]\n"
          "\n"
          "Fits every person with each method and reports, per method: 2D MPJPE over all\n"
          "labelled keypoints, residual-limb endpoints and intact keypoints (px); mIoU of\n"
          "the method's mesh silhouette against the person's mask; with ground truth (a\n"
          "resihmr synth folder) MPJPE and PA-MPJPE of the intact joints (of SMPL's first\n"
          "22, pelvis-aligned), limb MPJPE (the intact hips, knees, ankles, shoulders,\n"
          "elbows and wrists about the hips' midpoint: the joints every body model places\n"
          "alike, for generator and fitter of different models), endpoint 3D error\n"
          "(mm), residual length error (median), lambda error (mean), stump volume error\n"
          "(median, %), the pelvis's rotation error (median, mean, 90th percentile) and\n"
          "lean error (median, 90th percentile; degrees), also per pose family (by_family),\n"
          "persons per second (fitting and stump reconstruction, wall clock) and failures.\n"
          "Prints the table; report.json holds methods.<name>.<metric> and every person's\n"
          "values; report.csv one row per method and person. --shard i/n\n"
          "takes every n-th person from the i-th (for array jobs); --merge combines shard\n"
          "reports of the same dataset; --threads takes 1..256 (more than the cores only\n"
          "adds overhead). An annotation file without ground truth (COCO or\n"
          "LDPose JSON) gives the 2D metrics and mIoU against its segmentation masks,\n"
          "or against the mask PNGs of --masks DIR (named as for `resihmr fit --masks`).\n"
          "--silhouette: each method without the silhouette stage (<method>), with it\n"
          "(<method>+silhouette, `resihmr fit --silhouette on`), or both; auto (default):\n"
          "both when the dataset has masks, else without. mIoU is scored against the same\n"
          "masks the silhouette stage fits, so that row is not independent of them.\n"
          "--config: the fit's weights and settings for every method, as `resihmr fit --config`.\n"
          "--strict: a person or mask that fails its checks is an error, as `resihmr fit --strict`.\n"
          "--views 1,2,...: a `resihmr synth --views N` folder, each person fitted over its\n"
          "first 1, 2, ... views (resihmr, `fit --views`) and scored per view count: residual\n"
          "length error (median, mm), lambda error (median), endpoint 3D error (median, mm),\n"
          "accepted / true residual limbs, MPJPE of the intact joints (median, mm, world\n"
          "frame), stump volume error (median, %, convex caps); with --extrinsics estimate the cameras' poses are fitted with the body\n"
          "and the camera rotation error (median, 90th percentile, degrees) is added\n"
          "(docs/multiview.md).\n"
          "--frames 1,10,30,...: a `resihmr synth --frames T` folder, each person fitted\n"
          "over the first 1, 10, 30, ... frames of its walk (`fit --video`) and scored per\n"
          "frame count: the same columns (endpoint and MPJPE per frame, camera frame, then\n"
          "the median) and the fit's time per frame (median, ms) (docs/video.md).\n",
          {"dataset", "out", "methods", "threads", "shard", "merge", "model", "masks", "silhouette", "config", "views",
           "extrinsics", "strict", "frames"}, &Run};
}

}  // namespace resihmr::apps
