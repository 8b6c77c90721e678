// The sibling program resihmr-learned, which runs the commands that need
// LibTorch (`train`, `predict`): where it is (next to the running resihmr),
// and running it as a child process for `fit --init regressor:`.
#pragma once

#include <string>
#include <vector>

namespace resihmr::apps {

// resihmr-learned in the folder of the running program.
std::string LearnedProgramPath(const char* argv0);

// Runs resihmr-learned with `args` (its argv after the program name) and
// waits; throws resihmr::Error when it cannot start or exits non-zero (its own
// message has gone to stderr).
void RunLearnedProgram(const std::vector<std::string>& args);

}  // namespace resihmr::apps
