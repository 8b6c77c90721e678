// resihmr-learned: the commands of `resihmr` that need LibTorch (`train`,
// `predict`), run by `resihmr train|predict ...` (apps/main.cc) or directly.
#include "apps/cli.h"
#include "apps/command.h"

int main(int argc, char** argv) { return resihmr::apps::RunCommandLine({resihmr::apps::PredictCommand(), resihmr::apps::TrainCommand()}, argc, argv); }
