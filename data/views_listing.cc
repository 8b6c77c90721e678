#include "data/views_listing.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/error.h"

namespace resihmr::data {
namespace {

constexpr uintmax_t kMaxListingBytes = 64u << 20;

}  // namespace

std::vector<ListedViews> ParseViewsListing(const std::string& text, const std::string& path, const std::string& dataset) {
  if (text.size() > kMaxListingBytes) throw Error(path + ": larger than 64 MiB");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  if (!root.is_object() || !root.contains("persons") || !root["persons"].is_array() || root["persons"].empty() ||
      root["persons"].size() > 1000000) {
    throw Error(path + ": an object with a \"persons\" array of 1 to 1000000 entries expected");
  }
  const auto inside = [&](const nlohmann::json& v, const std::string& where) {
    if (!v.is_string()) throw Error(where + ": a path (string) expected");
    const std::filesystem::path p(v.get<std::string>());
    if (p.empty() || p.is_absolute() || p.has_root_name()) throw Error(where + ": a path relative to the dataset folder expected");
    for (const auto& part : p) {
      if (part == "..") throw Error(where + ": a path inside the dataset folder expected");
    }
    return dataset + "/" + p.string();
  };
  std::vector<ListedViews> out;
  for (size_t i = 0; i < root["persons"].size(); ++i) {
    const nlohmann::json& e = root["persons"][i];
    const std::string where = path + ": persons[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("annotation_id") || !e["annotation_id"].is_number_integer() || !e.contains("cameras") ||
        !e.contains("views") || !e["views"].is_array() || e["views"].empty() || e["views"].size() > 64) {
      throw Error(where + ": annotation_id (integer), cameras (a folder) and views (1 to 64 files) expected");
    }
    if (e["annotation_id"].is_number_unsigned() && e["annotation_id"].get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      throw Error(where + ": annotation_id: beyond the 64-bit integers");
    }
    ListedViews p;
    p.annotation_id = e["annotation_id"].get<int64_t>();
    p.cameras = inside(e["cameras"], where + ": cameras");
    for (size_t v = 0; v < e["views"].size(); ++v) p.views.push_back(inside(e["views"][v], where + ": views[" + std::to_string(v) + "]"));
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ListedViews> ReadViewsListing(const std::string& dataset) {
  const std::string path = dataset + "/views.json";
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot open file");
  if (size > kMaxListingBytes) throw Error(path + ": larger than 64 MiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseViewsListing(text.str(), path, dataset);
}

}  // namespace resihmr::data
