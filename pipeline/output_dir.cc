#include "pipeline/output_dir.h"

#include <unistd.h>

#include <filesystem>
#include <vector>

#include "model/error.h"

namespace resihmr::pipeline {

namespace fs = std::filesystem;

OutputDir::OutputDir(const std::string& out) : out_(out) {
  if (out.empty()) throw Error("the output folder is empty");
  std::string base = out;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  staging_ = base + ".partial." + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) throw Error(out + ": cannot create the output folder beside it (" + staging_ + "): " + ec.message());
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    fs::remove_all(staging_, ec);
    throw Error(out + ": exists and is not a folder");
  }
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputDir::Commit() {
  std::error_code ec;
  if (!fs::exists(out_, ec)) {
    fs::create_directories(fs::path(out_).parent_path().empty() ? "." : fs::path(out_).parent_path(), ec);
    fs::rename(staging_, out_, ec);
    if (!ec) {
      committed_ = true;
      return;
    }
  }
  // <out> exists: move each file in, folders merged. The entries are listed
  // first: a folder's listing is undefined while files leave it.
  std::vector<fs::path> entries;
  for (auto it = fs::recursive_directory_iterator(staging_); it != fs::recursive_directory_iterator(); ++it) {
    entries.push_back(it->path());
  }
  for (const fs::path& entry : entries) {
    const fs::path target = fs::path(out_) / fs::relative(entry, staging_);
    if (fs::is_directory(entry, ec)) {
      fs::create_directories(target, ec);
    } else {
      fs::create_directories(target.parent_path(), ec);
      fs::rename(entry, target, ec);
    }
    if (ec) throw Error(target.string() + ": cannot move the output into place: " + ec.message());
  }
  fs::remove_all(staging_, ec);
  committed_ = true;
}

}  // namespace resihmr::pipeline
