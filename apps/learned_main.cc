// resihmr-learned: the commands of `resihmr` that need LibTorch (`train`),
// run by `resihmr train ...` (apps/main.cc) or directly.
#include "apps/cli.h"
#include "apps/command.h"

int main(int argc, char** argv) { return resihmr::apps::RunCommandLine({resihmr::apps::TrainCommand()}, argc, argv); }
