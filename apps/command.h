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
};

Command MakeModelCommand();
Command PoseCommand();
Command DemoCommand();
Command InspectCommand();
Command FitCommand();
Command MeasureCommand();
Command SynthCommand();
Command EvalCommand();

}  // namespace resihmr::apps
