// resihmr: the command-line tool. `resihmr <command> [--flags]`; each
// command's --help prints its usage (apps/cli.h). `resihmr train` runs the
// sibling program resihmr-learned, so that LibTorch (0.6 s to load) is
// loaded only by the commands that use it.
#include <linux/limits.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "apps/cli.h"
#include "apps/command.h"

namespace {

using resihmr::apps::Command;

int ExecLearned(int argc, char** argv) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::string learned = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "resihmr-learned";
  std::vector<char*> args(argv, argv + argc);
  args.push_back(nullptr);
  execv(learned.c_str(), args.data());
  std::cerr << "resihmr " << argv[1] << ": cannot run " << learned
            << " (build it: cmake --build build --target resihmr-learned; it needs RESIHMR_BUILD_LEARNED=ON and "
               "LibTorch)\n";
  return 1;
}

// Listed for the overview; run by resihmr-learned.
Command TrainStub() {
  return {"train", resihmr::apps::kTrainSummary, "", {}, nullptr};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "train") return ExecLearned(argc, argv);
  return resihmr::apps::RunCommandLine(
      {resihmr::apps::DemoCommand(), resihmr::apps::EvalCommand(), resihmr::apps::FitCommand(),
       resihmr::apps::InspectCommand(), resihmr::apps::MakeModelCommand(), resihmr::apps::MeasureCommand(),
       resihmr::apps::PoseCommand(), resihmr::apps::SynthCommand(), TrainStub()},
      argc, argv);
}
