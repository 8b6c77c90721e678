#include "optim/solve_stage.h"

#include <ceres/ceres.h>

#include <chrono>

#include "optim/solver_message.h"

namespace resihmr::optim {

StageReport SolveStage(const std::string& name, int max_iterations, ceres::Problem* problem,
                       ceres::LinearSolverType linear_solver) {
  const auto start = std::chrono::steady_clock::now();
  ceres::Solver::Options o;
  o.minimizer_type = ceres::TRUST_REGION;
  o.trust_region_strategy_type = ceres::LEVENBERG_MARQUARDT;
  o.linear_solver_type = linear_solver;
  o.max_num_iterations = max_iterations;
  o.num_threads = 1;
  o.function_tolerance = 1e-6;
  o.gradient_tolerance = 1e-10;
  o.parameter_tolerance = 1e-8;
  o.logging_type = ceres::SILENT;
  o.minimizer_progress_to_stdout = false;
  ceres::Solver::Summary summary;
  ceres::Solve(o, problem, &summary);
  StageReport r;
  r.name = name;
  r.cost_initial = summary.initial_cost;
  r.cost_final = summary.final_cost;
  r.iterations = static_cast<int>(summary.iterations.size()) - 1;
  r.termination = ceres::TerminationTypeToString(summary.termination_type);
  r.message = DeterministicSolverMessage(summary.message);
  r.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace resihmr::optim
