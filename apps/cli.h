// The command line of the `resihmr` tools: `resihmr <command> [args]
// [--flags]` dispatched to one of a list of commands, dashed flag spellings
// accepted, flags of other commands refused, errors printed with the
// command's name. Exit codes: 0 success, 1 failure (a message naming the
// file and field goes to stderr), 2 bad usage.
#pragma once

#include <iosfwd>
#include <vector>

#include "apps/command.h"

namespace resihmr::apps {

void PrintOverview(const std::vector<Command>& commands, std::ostream& out);

int RunCommandLine(const std::vector<Command>& commands, int argc, char** argv);

}  // namespace resihmr::apps
