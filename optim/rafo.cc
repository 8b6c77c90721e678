#include "optim/rafo.h"

#include <ceres/ceres.h>

#include <cmath>

#include "optim/rafo_costs.h"

namespace resihmr::optim {
RafoResult SolveRafo(const RafoInput& in, const model::PinholeCamera& camera, const RafoConfig& config) {
  RafoResult out;
  out.segment_length_m = (in.joint_t - in.joint_a_init).norm();
  const double L = out.segment_length_m;
  if (!(L > 1e-4) || !in.joint_t.allFinite() || !in.joint_a_init.allFinite() || !in.endpoint.allFinite()) {
    out.reason = "degenerate segment (zero length or non-finite joints)";
    return out;
  }
  const double sigma = std::max(config.min_noise_px, std::isfinite(in.noise_px) ? in.noise_px : 0.0);
  double ja[3] = {in.joint_a_init.x(), in.joint_a_init.y(), in.joint_a_init.z()};
  double lambda = 0.5;
  ceres::Problem problem;
  problem.AddResidualBlock(new ceres::AutoDiffCostFunction<EndpointReprojection, 2, 3, 1>(
                               new EndpointReprojection{in.joint_t, in.endpoint, camera, sigma}),
                           nullptr, ja, &lambda);
  problem.AddResidualBlock(
      new ceres::AutoDiffCostFunction<AnchorPrior, 3, 3>(new AnchorPrior{in.joint_a_init, config.anchor_scale * L}), nullptr,
      ja);
  problem.AddResidualBlock(
      new ceres::AutoDiffCostFunction<LengthPrior, 1, 3>(new LengthPrior{in.joint_t, L, config.length_scale * L}),
      nullptr, ja);
  if (in.hinge) {
    problem.AddResidualBlock(
        new ceres::AutoDiffCostFunction<HingePrior, 2, 3>(new HingePrior{in.joint_t, *in.hinge}), nullptr, ja);
  }
  problem.SetParameterLowerBound(&lambda, 0, 0.0);
  problem.SetParameterUpperBound(&lambda, 0, 1.0);
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.max_num_iterations = config.max_iterations;
  options.function_tolerance = 1e-10;
  options.parameter_tolerance = 1e-12;
  options.logging_type = ceres::SILENT;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);
  out.iterations = static_cast<int>(summary.iterations.size()) - 1;
  if (summary.termination_type == ceres::FAILURE || !std::isfinite(lambda) || !std::isfinite(ja[0]) ||
      !std::isfinite(ja[1]) || !std::isfinite(ja[2])) {
    out.reason = "the solve failed: " + summary.message;
    return out;
  }
  out.solved = true;
  out.lambda = lambda;
  out.joint_a = Eigen::Vector3d(ja[0], ja[1], ja[2]);
  out.endpoint_3d = out.joint_a + lambda * (in.joint_t - out.joint_a);
  camera.Project(out.endpoint_3d.data(), out.endpoint_2d.data());
  out.reprojection_error_px = (out.endpoint_2d - in.endpoint).norm();
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
