// One stage of the fit solved as every stage is: Levenberg-Marquardt with
// dense normal Cholesky (or the linear solver given) on one thread, silent,
// the project's tolerances;
// returns the stage's report (costs, iterations, Ceres's termination and its
// deterministic message, time).
#pragma once

#include <ceres/problem.h>
#include <ceres/types.h>

#include <string>

#include "optim/fit_result.h"

namespace resihmr::optim {

StageReport SolveStage(const std::string& name, int max_iterations, ceres::Problem* problem,
                       ceres::LinearSolverType linear_solver = ceres::DENSE_NORMAL_CHOLESKY);

}  // namespace resihmr::optim
