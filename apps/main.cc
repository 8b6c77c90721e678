// resihmr: the command-line tool. `resihmr <command> [--flags]`; each
// command's --help prints its usage (apps/cli.h). `resihmr train` and
// `resihmr predict` run the sibling program resihmr-learned, so that LibTorch
// (0.6 s to load) is loaded only by the commands that use it.
#include <glog/logging.h>
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "apps/cli.h"
#include "apps/command.h"
#include "apps/learned_program.h"

namespace {

using resihmr::apps::Command;

int ExecLearned(int argc, char** argv) {
  const std::string learned = resihmr::apps::LearnedProgramPath(argv[0]);
  std::vector<char*> args(argv, argv + argc);
  args.push_back(nullptr);
  execv(learned.c_str(), args.data());
  std::cerr << "resihmr " << argv[1] << ": cannot run " << learned
            << " (build it: cmake --build build --target resihmr-learned; it needs RESIHMR_BUILD_LEARNED=ON and "
               "LibTorch)\n";
  return 1;
}

// Listed for the overview; run by resihmr-learned.
Command LearnedStub(const char* name, const char* summary) { return {name, summary, "", {}, nullptr}; }

bool IsLearnedCommand(const std::string& name) { return name == "train" || name == "predict"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && IsLearnedCommand(argv[1])) return ExecLearned(argc, argv);
  // Ceres logs solver trouble through glog, with times and thread ids; what
  // matters of it is in each stage's report, so stderr stays deterministic.
  FLAGS_minloglevel = google::GLOG_FATAL;
  return resihmr::apps::RunCommandLine(
      {resihmr::apps::DemoCommand(), resihmr::apps::EvalCommand(), resihmr::apps::FitCommand(),
       resihmr::apps::InspectCommand(), resihmr::apps::MakeModelCommand(), resihmr::apps::MeasureCommand(),
       resihmr::apps::PhenotypeCommand(), LearnedStub("predict", resihmr::apps::kPredictSummary),
       resihmr::apps::PoseCommand(),
       resihmr::apps::SynthCommand(), LearnedStub("train", resihmr::apps::kTrainSummary)},
      argc, argv);
}
