// The subcommands of the `resihmr` tool: each has a name, a one-line
// summary, a usage text printed by `resihmr <command> --help`, the gflags it
// accepts, and a function that runs it (flags already parsed) and returns
// the exit code. Front ends only: parsing, calling the libraries, writing.
#pragma once

#include <string>
#include <vector>

namespace resihmr::apps {

struct Command {
  std::string name;
  std::string summary;
  std::string usage;
  std::vector<std::string> flags;  // names of the gflags this command reads
  int (*run)();
  // Instead of run, for a command that takes positional arguments (`train tokenizer`).
  int (*run_with_args)(const std::vector<std::string>& positional) = nullptr;
};

Command MakeModelCommand();
Command PoseCommand();
Command PhenotypeCommand();
Command DemoCommand();
Command InspectCommand();
Command FitCommand();
Command MeasureCommand();
Command SynthCommand();
Command EvalCommand();
Command TrainCommand();    // in resihmr-learned only (LibTorch)
Command PredictCommand();  // in resihmr-learned only (LibTorch)
// Their summaries, also listed by resihmr, which hands them to resihmr-learned.
inline constexpr const char* kTrainSummary = "train BPAC-Net, the pose tokenizer or the regressor on the project's data";
inline constexpr const char* kPredictSummary = "run a trained regressor and BPAC-Net: a fit's start (.npz) per person";

}  // namespace resihmr::apps
