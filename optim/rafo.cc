#include "optim/rafo.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "optim/rafo_costs.h"
#include "optim/solver_message.h"

namespace resihmr::optim {
namespace {

// One Levenberg-Marquardt solve of RAFO's terms (the hinge prior only when
// asked); the problem stays alive for the covariance.
struct Solve {
  double ja[3] = {0, 0, 0};
  double lambda = 0.5;
  ceres::Problem problem;
  ceres::Solver::Summary summary;
  bool ok = false;
  double reprojection_px = std::numeric_limits<double>::infinity();
};

// L: the intact segment's length; sigma: the keypoint noise (px).
std::unique_ptr<Solve> RunSolve(const RafoInput& in, const model::PinholeCamera& camera, const RafoConfig& config,
                                double L, double sigma, bool with_hinge) {
  auto s = std::make_unique<Solve>();
  for (int c = 0; c < 3; ++c) s->ja[c] = in.joint_a_init[c];
  s->problem.AddResidualBlock(new ceres::AutoDiffCostFunction<EndpointReprojection, 2, 3, 1>(
                                  new EndpointReprojection{in.joint_t, in.endpoint, camera, sigma}),
                              nullptr, s->ja, &s->lambda);
  for (const RafoView& v : in.other_views) {
    s->problem.AddResidualBlock(new ceres::AutoDiffCostFunction<EndpointReprojection, 2, 3, 1>(
                                    new EndpointReprojection{in.joint_t, v.endpoint, v.camera, sigma, v.R, v.t}),
                                nullptr, s->ja, &s->lambda);
  }
  s->problem.AddResidualBlock(
      new ceres::AutoDiffCostFunction<AnchorPrior, 3, 3>(new AnchorPrior{in.joint_a_init, config.anchor_scale * L}),
      nullptr, s->ja);
  s->problem.AddResidualBlock(
      new ceres::AutoDiffCostFunction<LengthPrior, 1, 3>(new LengthPrior{in.joint_t, L, config.length_scale * L}),
      nullptr, s->ja);
  if (with_hinge) {
    s->problem.AddResidualBlock(
        new ceres::AutoDiffCostFunction<HingePrior, 2, 3>(new HingePrior{in.joint_t, *in.hinge}), nullptr, s->ja);
  }
  s->problem.SetParameterLowerBound(&s->lambda, 0, 0.0);
  s->problem.SetParameterUpperBound(&s->lambda, 0, 1.0);
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.max_num_iterations = config.max_iterations;
  options.function_tolerance = 1e-10;
  options.parameter_tolerance = 1e-12;
  options.logging_type = ceres::SILENT;
  ceres::Solve(options, &s->problem, &s->summary);
  s->ok = s->summary.termination_type != ceres::FAILURE && std::isfinite(s->lambda) && std::isfinite(s->ja[0]) &&
          std::isfinite(s->ja[1]) && std::isfinite(s->ja[2]);
  if (s->ok) {
    const Eigen::Vector3d ja(s->ja[0], s->ja[1], s->ja[2]);
    const Eigen::Vector3d r = ja + s->lambda * (in.joint_t - ja);
    Eigen::Vector2d uv;
    camera.Project(r.data(), uv.data());
    s->reprojection_px = (uv - in.endpoint).norm();
    for (const RafoView& v : in.other_views) {
      const Eigen::Vector3d p = v.R * r + v.t;
      if (!(p.z() > 1e-3)) continue;
      v.camera.Project(p.data(), uv.data());
      s->reprojection_px = std::max(s->reprojection_px, (uv - v.endpoint).norm());
    }
  }
  return s;
}

}  // namespace

RafoResult SolveRafo(const RafoInput& in, const model::PinholeCamera& camera, const RafoConfig& config) {
  RafoResult out;
  out.segment_length_m = (in.joint_t - in.joint_a_init).norm();
  const double L = out.segment_length_m;
  if (!(L > 1e-4) || !in.joint_t.allFinite() || !in.joint_a_init.allFinite() || !in.endpoint.allFinite()) {
    out.reason = "degenerate segment (zero length or non-finite joints)";
    return out;
  }
  const double sigma = std::max(config.min_noise_px, std::isfinite(in.noise_px) ? in.noise_px : 0.0);
  // Without the hinge prior, then with it: the prior is kept when its
  // solution still meets the endpoint within sigma / 4 of the free one's and
  // itself keeps to the hinge within 3 of its scales (where it does not,
  // stage 1's hinge axis is wrong and the data say so).
  std::unique_ptr<Solve> chosen = RunSolve(in, camera, config, L, sigma, false);
  if (in.hinge) {
    std::unique_ptr<Solve> hinged = RunSolve(in, camera, config, L, sigma, true);
    double prior[2] = {0, 0};
    const bool plausible = hinged->ok && HingePrior{in.joint_t, *in.hinge}(hinged->ja, prior) &&
                           std::hypot(prior[0], prior[1]) <= 3.0;
    if (plausible && (!chosen->ok || hinged->reprojection_px <= chosen->reprojection_px + 0.25 * sigma)) {
      chosen = std::move(hinged);
      out.hinge_applied = true;
    }
  }
  double* ja = chosen->ja;
  double& lambda = chosen->lambda;
  ceres::Problem& problem = chosen->problem;
  out.iterations = static_cast<int>(chosen->summary.iterations.size()) - 1;
  if (!chosen->ok) {
    out.reason = "the solve failed: " + DeterministicSolverMessage(chosen->summary.message);
    return out;
  }
  out.solved = true;
  out.lambda = lambda;
  out.joint_a = Eigen::Vector3d(ja[0], ja[1], ja[2]);
  out.endpoint_3d = out.joint_a + lambda * (in.joint_t - out.joint_a);
  camera.Project(out.endpoint_3d.data(), out.endpoint_2d.data());
  out.reprojection_error_px = chosen->reprojection_px;
  out.length_m = (out.endpoint_3d - in.joint_t).norm();

  // Posterior covariance of (J_a, lambda) and the length's by first-order propagation.
  ceres::Covariance::Options covariance_options;
  covariance_options.algorithm_type = ceres::DENSE_SVD;
  covariance_options.null_space_rank = -1;
  ceres::Covariance covariance(covariance_options);
  const std::vector<std::pair<const double*, const double*>> blocks = {{ja, ja}, {ja, &lambda}, {&lambda, &lambda}};
  if (covariance.Compute(blocks, &problem)) {
    double cjj[9], cjl[3], cll;
    covariance.GetCovarianceBlock(ja, ja, cjj);
    covariance.GetCovarianceBlock(ja, &lambda, cjl);
    covariance.GetCovarianceBlock(&lambda, &lambda, &cll);
    Eigen::Matrix4d C;
    C.topLeftCorner<3, 3>() = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(cjj);
    C.topRightCorner<3, 1>() = Eigen::Map<const Eigen::Vector3d>(cjl);
    C.bottomLeftCorner<1, 3>() = Eigen::Map<const Eigen::Vector3d>(cjl).transpose();
    C(3, 3) = cll;
    out.lambda_sigma = std::sqrt(std::max(0.0, cll));
    // length = (1 - lambda) |J_a - J_t|
    const Eigen::Vector3d d = out.joint_a - in.joint_t;
    const double n = d.norm();
    Eigen::Vector4d g;
    g.head<3>() = (1 - lambda) * d / n;
    g[3] = -n;
    out.length_sigma_m = std::sqrt(std::max(0.0, g.dot(C * g)));
  }
  if (out.reprojection_error_px >= config.accept_px) {
    out.reason = "the endpoint reprojects " + std::to_string(out.reprojection_error_px) + " px from its keypoint (limit " +
                 std::to_string(config.accept_px) + " px)";
  } else {
    out.accepted = true;
    if (lambda <= 1e-6 || lambda >= 1 - 1e-6) {
      out.reason = "lambda at its bound: the uncertainty ignores the bound";
    }
  }
  return out;
}

}  // namespace resihmr::optim
