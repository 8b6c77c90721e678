// The views listing of a `resihmr synth --views N` folder (views.json:
// {"persons": [{"annotation_id", "cameras", "views": [...]}, ...]}), read by
// `eval --views` (pipeline/evaluate_views.h): per person its camera folder
// and keypoint files, camera 00 first, as paths under the dataset folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace resihmr::data {

struct ListedViews {
  int64_t annotation_id = -1;
  std::string cameras;             // the camera folder (intri.yml, extri.yml, cameras.json)
  std::vector<std::string> views;  // one keypoint file per camera
};

// Parses views.json's text; `path` names it in errors. Every path must be
// relative and stay inside `dataset` (no root, no ".."), and is returned as
// `dataset`/path; 1 to 1000000 persons of 1 to 64 views, an integer
// annotation_id within 64 bits; at most 64 MiB. Throws resihmr::Error naming
// the file, the entry and the field.
std::vector<ListedViews> ParseViewsListing(const std::string& text, const std::string& path, const std::string& dataset);

// Reads and parses `dataset`/views.json.
std::vector<ListedViews> ReadViewsListing(const std::string& dataset);

}  // namespace resihmr::data
