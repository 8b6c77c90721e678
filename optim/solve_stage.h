// One stage of the fit solved as every stage is: Levenberg-Marquardt with
// dense normal Cholesky on one thread, silent, the project's tolerances;
// returns the stage's report (costs, iterations, Ceres's termination and its
// deterministic message, time).
#pragma once

#include <ceres/problem.h>

#include <string>

#include "optim/fit_result.h"

namespace resihmr::optim {

StageReport SolveStage(const std::string& name, int max_iterations, ceres::Problem* problem);

}  // namespace resihmr::optim
