// A command's output folder, filled whole or not at all. Files are written
// into a staging folder beside it (<out>.partial.<pid>) and moved into
// <out> by Commit(); a command that fails before Commit (an error, or no
// person fitted) leaves <out> as it was and the staging folder is removed.
// Files already in <out> with the same names are replaced at Commit.
#pragma once

#include <string>

namespace resihmr::pipeline {

class OutputDir {
 public:
  explicit OutputDir(const std::string& out);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // The folder to write into now (the staging folder until Commit).
  const std::string& path() const { return staging_; }
  // Moves everything written into <out> (created when missing).
  void Commit();

 private:
  std::string out_, staging_;
  bool committed_ = false;
};

}  // namespace resihmr::pipeline
