#include "apps/learned_program.h"

#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>

#include "model/error.h"

extern char** environ;

namespace resihmr::apps {

std::string LearnedProgramPath(const char* argv0) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ((ec ? std::filesystem::path(argv0 ? argv0 : "") : self).parent_path() / "resihmr-learned").string();
}

void RunLearnedProgram(const std::vector<std::string>& args) {
  const std::string program = LearnedProgramPath(nullptr);
  std::vector<std::string> owned = {program};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    throw Error("cannot run " + program + " (build it: cmake --build build --target resihmr-learned; it needs "
                "RESIHMR_BUILD_LEARNED=ON and LibTorch)");
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(program + " " + (args.empty() ? "" : args[0]) + " failed (its message is above)");
  }
}

}  // namespace resihmr::apps
