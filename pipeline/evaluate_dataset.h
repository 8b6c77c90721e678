// `resihmr eval` as a library call: every person of a dataset (a synth
// folder with ground_truth.json, or an annotation file) fitted by each
// method through the pipeline (pipeline/reconstruct_person.h) and scored
// (pipeline/evaluation.h). The report is the JSON that `eval` writes
// (dataset, shard, threads, methods.<name>.<metric>, persons.<name>[...],
// <name> a method, with "+silhouette" when its fit used the masks);
// the CSV has one row per method and person. Shards take every n-th person
// from the i-th; MergeReports combines the shard reports of one dataset.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/body_model.h"
#include "optim/person_fit.h"

namespace resihmr::pipeline {

struct EvalOptions {
  std::vector<optim::Method> methods{optim::Method::kIntact, optim::Method::kAjahrZero, optim::Method::kResiHMR};
  int threads = 1;            // 1..kMaxThreads
  int shard = 0, shards = 1;  // this run's share: persons i with i % shards == shard
  std::string masks_dir;      // per-person mask PNGs (data/mask_files.h); "" for none
  bool strict = false;        // a problem with a person or its mask is an error (data::ReadOptions::strict)
  optim::FitConfig config = optim::FitConfig::Default();  // the fit's weights and settings (`--config`), for every method
  // Each method without the silhouette stage (report name "<method>"), with
  // it ("<method>+silhouette"), or both; with kAuto both when any person has
  // a mask, else without.
  enum class Silhouette { kAuto, kOff, kOn, kBoth } silhouette = Silhouette::kAuto;
  // Called after each person of a pass (serialised): the method, "fitting"
  // or "scoring", persons done and the pass's total.
  std::function<void(const std::string& method, const std::string& pass, size_t done, size_t total)> progress;
};

struct EvalReport {
  nlohmann::json report;  // as eval writes it
  std::string csv;        // per method and person: the means of its values
  size_t persons = 0;     // persons scored per method (this shard's)
};

// "auto", "off", "on", "both" -> EvalOptions::Silhouette; throws resihmr::Error on other text.
EvalOptions::Silhouette ParseSilhouetteChoice(const std::string& text);

// Throws resihmr::Error naming the file for a dataset that cannot be read.
EvalReport EvaluateDataset(const model::BodyModel& model, const std::string& dataset, const EvalOptions& options);

// The merged report of shard reports of one dataset (at least two); throws
// resihmr::Error naming the file that is not a report or of another dataset.
nlohmann::json MergeReports(const std::vector<std::string>& paths);

// "i/n" -> shard, shards; throws resihmr::Error unless 0 <= i < n <= 1000000.
void ParseShard(const std::string& text, int* shard, int* shards);

}  // namespace resihmr::pipeline
