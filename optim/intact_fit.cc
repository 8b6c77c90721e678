#include "optim/intact_fit.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

#include "model/error.h"
#include "model/forward_pass.h"
#include "model/rotation.h"
#include "optim/keypoint_reprojection_cost.h"
#include "optim/prior_costs.h"
#include "optim/solve_stage.h"

namespace resihmr::optim {
namespace {

using Clock = std::chrono::steady_clock;

// First-stage iterations that score each start (facings, turns) before the staged fit.
constexpr int kStartTrialIterations = 5;

double Ms(Clock::time_point since) { return std::chrono::duration<double, std::milli>(Clock::now() - since).count(); }

// r = lambda (t_z - t_z0): keeps the camera stage from sliding along the view ray.
struct DepthPrior {
  double target, weight;
  template <typename T>
  bool operator()(const T* transl, T* r) const {
    r[0] = T(weight) * (transl[2] - T(target));
    return true;
  }
};

// The parameters being optimised, as Ceres parameter blocks.
struct Blocks {
  double orient[3];
  std::vector<double> body_pose;  // 3(J-1)
  std::vector<double> betas;      // B
  double transl[3];
};

int TorsoIndex(const data::KeypointLayout& layout, const char* coco_name, const char* body25_name) {
  return layout.name == "body25" ? layout.Index(body25_name) : layout.Index(coco_name);
}

bool AllFinite(const Blocks& b) {
  for (double v : b.orient) if (!std::isfinite(v)) return false;
  for (double v : b.transl) if (!std::isfinite(v)) return false;
  for (double v : b.body_pose) if (!std::isfinite(v)) return false;
  for (double v : b.betas) if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

namespace {

FitResult FitIntactOnce(const model::BodyModel& model, const data::Observation& person,
                        const model::PinholeCamera& camera, const FitOptions& options) {
  const auto start = Clock::now();
  const FitConfig& config = options.config;
  const data::KeypointLayout& layout = *person.layout;
  const int J = model.num_joints();
  FitResult result;
  result.camera = camera;
  result.params = model::BodyParams::Zero(model);
  const int K = layout.size();
  result.keypoints_2d.setConstant(K, 2, std::numeric_limits<double>::quiet_NaN());
  result.error_px.setConstant(K, std::numeric_limits<double>::quiet_NaN());
  const auto fail = [&](const std::string& why) {
    result.ok = false;
    result.error = why;
    result.time_ms = Ms(start);
    return result;
  };
  if (person.points.rows() != K || !person.points.allFinite() || !person.confidence.allFinite()) {
    return fail("keypoints: non-finite values or a count that does not match the layout " + layout.name);
  }
  if (!(camera.fx > 0) || !(camera.fy > 0) || !std::isfinite(camera.cx) || !std::isfinite(camera.cy) || camera.height <= 0) {
    return fail("camera: focal lengths must be positive and the image size known");
  }

  // Keypoints with a model target, present, and not left out.
  const std::vector<int> targets = ModelPointsOfLayout(model, layout);
  const std::vector<FittedKeypoint> fitted = FittedKeypointsOf(model, person, options.use_keypoint, &result.warnings);
  if (fitted.size() < 4) return fail("too few usable keypoints: " + std::to_string(fitted.size()) + " (need at least 4)");

  // 1. Depth by similar triangles on the torso, from the prior's mean pose.
  Blocks b;
  b.body_pose = JointLimitPrior::MeanBodyPose(model);
  b.betas.assign(static_cast<size_t>(model.num_betas), 0.0);
  if (options.init) {
    const model::BodyParams& init = *options.init;
    for (int j = 1; j < J && j < init.pose.rows(); ++j) {
      if (!options.fixed_joints.empty() && options.fixed_joints[static_cast<size_t>(j)]) continue;
      for (int a = 0; a < 3; ++a) b.body_pose[static_cast<size_t>(3 * (j - 1) + a)] = init.pose(j, a);
    }
    for (int i = 0; i < std::min<int>(model.num_betas, static_cast<int>(init.betas.size())); ++i) {
      // A start beyond the bound would be infeasible for Ceres: on the bound.
      const double bound = config.beta_bound > 0 ? config.beta_bound : std::numeric_limits<double>::infinity();
      b.betas[static_cast<size_t>(i)] = std::clamp(init.betas[i], -bound, bound);
    }
  }
  const int ls = TorsoIndex(layout, "left_shoulder", "LShoulder"), rs = TorsoIndex(layout, "right_shoulder", "RShoulder");
  const int lh = TorsoIndex(layout, "left_hip", "LHip"), rh = TorsoIndex(layout, "right_hip", "RHip");
  const auto usable = [&](int k) {
    return k >= 0 && person.present(k) && targets[static_cast<size_t>(k)] >= 0 &&
           (options.use_keypoint.empty() || options.use_keypoint[static_cast<size_t>(k)]);
  };
  std::vector<std::pair<int, int>> edges;
  if (usable(ls) && usable(lh)) edges.push_back({ls, lh});
  if (usable(rs) && usable(rh)) edges.push_back({rs, rh});
  if (edges.empty() && usable(ls) && usable(rs)) edges.push_back({ls, rs});
  if (edges.empty() && usable(lh) && usable(rh)) edges.push_back({lh, rh});
  if (edges.empty() && usable(ls) && usable(rh)) edges.push_back({ls, rh});
  if (edges.empty() && usable(rs) && usable(lh)) edges.push_back({rs, lh});
  if (edges.empty()) return fail("too few torso points to initialise: need two of the shoulders and hips");
  std::vector<int> torso;
  for (int k : {ls, rs, lh, rh}) {
    if (usable(k)) torso.push_back(k);
  }
  const double facing_sign = (usable(ls) && usable(rs)) ? person.points(ls, 0) - person.points(rs, 0)
                             : (usable(lh) && usable(rh)) ? person.points(lh, 0) - person.points(rh, 0)
                                                          : 1.0;
  const double shoulder_px = (usable(ls) && usable(rs)) ? std::abs(person.points(ls, 0) - person.points(rs, 0)) : 1e9;
  // The torso's 2D height (shoulders' midpoint to hips'), for a side view of a body of any size.
  const double torso_px = usable(ls) && usable(rs) && usable(lh) && usable(rh)
                              ? 0.5 * (person.points.row(ls) + person.points.row(rs) - person.points.row(lh) -
                                       person.points.row(rh)).norm()
                              : 0.0;
  const bool side_view = shoulder_px < config.side_view_px || shoulder_px < config.side_view_ratio * torso_px;

  // Model points at a given orientation with zero translation.
  std::vector<double> full_pose(3 * static_cast<size_t>(J));
  const std::vector<double> zero_shape(static_cast<size_t>(model.num_shape()), 0.0);
  std::vector<double> joints(3 * static_cast<size_t>(J)), vkp(3 * model.vertex_keypoints.size());
  const auto model_points = [&](const double* orient) {
    std::copy(orient, orient + 3, full_pose.begin());
    std::copy(b.body_pose.begin(), b.body_pose.end(), full_pose.begin() + 3);
    const double zero[3] = {0, 0, 0};
    model::PoseJoints(model, zero_shape.data(), full_pose.data(), zero, static_cast<const uint8_t*>(nullptr),
                      joints.data(), vkp.data());
    return [&](int k) {
      const int p = targets[static_cast<size_t>(k)];
      return p < J ? Eigen::Vector3d(joints[3 * p], joints[3 * p + 1], joints[3 * p + 2])
                   : Eigen::Vector3d(vkp[3 * (p - J)], vkp[3 * (p - J) + 1], vkp[3 * (p - J) + 2]);
    };
  };

  const auto add_upright = [&](ceres::Problem* problem, double* orient) {
    if (!(config.upright_weight_px > 0)) return;
    const UprightPrior prior{config.upright_weight_px * config.data_weight_scale / camera.height,
                             config.upright_sigma_deg * M_PI / 180.0};
    problem->AddResidualBlock(new ceres::AutoDiffCostFunction<UprightPrior, 3, 3>(new UprightPrior(prior)), nullptr, orient);
  };
  const auto fit_camera = [&](const Eigen::Vector3d& orient, const Eigen::Vector3d* start_transl, Blocks* out,
                              StageReport* report) {
    Blocks c = b;
    for (int i = 0; i < 3; ++i) c.orient[i] = orient[i];
    const auto P = model_points(c.orient);
    double l3 = 0, l2 = 0;
    for (const auto& [a, e] : edges) {
      l3 += (P(a) - P(e)).norm();
      l2 += (person.points.row(a) - person.points.row(e)).norm();
    }
    // Depth by similar triangles, or the start's depth (a regressor's, whose
    // strength it is); sideways placement always from the keypoints, so that a
    // start that misplaces the body in the image cannot stall the robust cost.
    Eigen::Vector2d c2 = Eigen::Vector2d::Zero();
    Eigen::Vector3d c3 = Eigen::Vector3d::Zero();
    for (int k : torso) {
      c2 += person.points.row(k).transpose();
      c3 += P(k);
    }
    c2 /= static_cast<double>(torso.size());
    c3 /= static_cast<double>(torso.size());
    const double tz = start_transl ? (*start_transl)[2] + c3.z() : camera.fx * l3 / std::max(l2, 1.0);
    c.transl[2] = tz - c3.z();
    c.transl[0] = (c2.x() - camera.cx) * tz / camera.fx - c3.x();
    c.transl[1] = (c2.y() - camera.cy) * tz / camera.fy - c3.y();
    std::vector<FittedKeypoint> torso_fitted;
    for (const FittedKeypoint& f : fitted) {
      if (std::find(torso.begin(), torso.end(), f.layout_index) != torso.end()) torso_fitted.push_back(f);
    }
    ceres::Problem::Options po;
    ceres::Problem problem(po);
    const double data_weight = config.data_weight_scale / camera.height;
    problem.AddResidualBlock(new KeypointReprojectionCost(model, camera, torso_fitted, config.robust_rho_px, data_weight),
                             nullptr, c.orient, c.body_pose.data(), c.betas.data(), c.transl);
    problem.AddResidualBlock(
        new ceres::AutoDiffCostFunction<DepthPrior, 1, 3>(new DepthPrior{c.transl[2], config.camera_depth_weight}), nullptr,
        c.transl);
    add_upright(&problem, c.orient);
    problem.SetParameterBlockConstant(c.body_pose.data());
    problem.SetParameterBlockConstant(c.betas.data());
    *report = SolveStage("camera", config.camera_max_iterations, &problem);
    *out = c;
  };

  // Before the staged fit, every fitted point well in front of the camera:
  // outlying torso points can pull the camera stage too close. Pushing the
  // body back along the ray through its translation keeps its image centre.
  // False when the body lies behind the camera.
  const auto place_in_front = [&](Blocks* s, bool* moved) {
    const auto P = model_points(s->orient);
    double nearest = std::numeric_limits<double>::infinity();
    for (const FittedKeypoint& f : fitted) nearest = std::min(nearest, P(f.layout_index).z() + s->transl[2]);
    constexpr double kStartDepth = 0.2;
    *moved = false;
    if (nearest >= kStartDepth) return true;
    if (!(s->transl[2] > 0)) return false;
    const double scale = (s->transl[2] + kStartDepth - nearest) / s->transl[2];
    for (double& t : s->transl) t *= scale;
    *moved = true;
    return true;
  };

  // Fixed joints held at zero (resihmr's lost parts) are, to the data terms,
  // zeroed joints: the same forward pass (identity rotations) with Jacobian
  // columns exactly zero; the priors leave them out, so no term moves them
  // and Levenberg-Marquardt's step there is exactly zero. They need no
  // SubsetManifold then, whose product with every Jacobian costs as much as
  // a data term. Not with SMPL+H / SMPL-X (more joints are held) or a GMM
  // prior (which would pull them). The camera stage leaves the body pose as
  // it started, so this holds for every start alike.
  bool held_at_zero = !options.fixed_joints.empty() && model.kind == model::ModelKind::kSmpl && config.gmm_prior.empty();
  for (int j = 1; j < J && held_at_zero; ++j) {
    if (!options.fixed_joints[static_cast<size_t>(j)]) continue;
    for (int a = 0; a < 3; ++a) held_at_zero = held_at_zero && b.body_pose[3 * static_cast<size_t>(j - 1) + a] == 0.0;
  }
  const uint8_t* zeroed = held_at_zero ? options.fixed_joints.data() : nullptr;
  const double data_weight = config.data_weight_scale / camera.height;
  // The staged fit's terms over every fitted keypoint on blocks `s`, with the
  // stage weights read from `w` at every evaluation.
  const auto add_terms = [&](Blocks* s, const StageWeights* w, ceres::Problem* problem) {
    problem->AddResidualBlock(new KeypointReprojectionCost(model, camera, fitted, config.robust_rho_px, data_weight, zeroed),
                              nullptr, s->orient, s->body_pose.data(), s->betas.data(), s->transl);
    problem->AddResidualBlock(new JointLimitPrior(model, options.fixed_joints, w), nullptr, s->body_pose.data());
    if (config.stage_depth_weight > 0) {
      problem->AddResidualBlock(
          new ceres::AutoDiffCostFunction<DepthPrior, 1, 3>(new DepthPrior{s->transl[2], config.stage_depth_weight}),
          nullptr, s->transl);
    }
    problem->AddResidualBlock(new ShapePrior(model.num_betas, w), nullptr, s->betas.data());
    add_upright(problem, s->orient);
    auto bending = std::make_unique<BendingPrior>(model, options.fixed_joints, w);
    if (!bending->empty()) problem->AddResidualBlock(bending.release(), nullptr, s->body_pose.data());
    if (!config.gmm_prior.empty()) {
      problem->AddResidualBlock(new GmmPosePrior(config.gmm_prior, model, w, config.gmm_weight_factor), nullptr,
                                s->body_pose.data());
    }
    HoldBodyBlocks(model, config, options.fixed_joints, held_at_zero, s->body_pose.data(), s->betas.data(), problem);
  };

  // 2. Camera stage: facing the camera is R_x(pi); facing away R_z(pi).
  const Eigen::Vector3d facing(M_PI, 0, 0), away(0, 0, M_PI);
  StageReport camera_report;
  if (options.init) {
    // The other regressor's orientation (and translation) instead of the facing guess.
    const Eigen::Vector3d orient = options.init->pose.row(0).transpose();
    const Eigen::Vector3d transl = options.init->transl;
    fit_camera(orient, options.init_transl ? &transl : nullptr, &b, &camera_report);
    camera_report.message += " (started from --init)";
  } else {
    fit_camera(facing_sign >= 0 ? facing : away, nullptr, &b, &camera_report);
  }
  // Other starts, each through the camera stage and a short first stage over
  // every keypoint, the lowest cost of that stage winning: in a side view the
  // opposite facing (the torso alone cannot say which way the body faces;
  // nose, ears and feet can), and turns of +-yaw_hypotheses_deg about the
  // camera's vertical.
  if (!options.init) {
    std::vector<Eigen::Vector3d> starts;
    const Eigen::Vector3d first = facing_sign >= 0 ? facing : away;
    if (side_view) starts.push_back(facing_sign >= 0 ? away : facing);
    if (config.yaw_hypotheses_deg > 0) {
      for (double sign : {-1.0, 1.0}) {
        const Eigen::AngleAxisd turned(Eigen::AngleAxisd(sign * config.yaw_hypotheses_deg * M_PI / 180.0, Eigen::Vector3d::UnitY()) *
                                       Eigen::AngleAxisd(first.norm(), first.normalized()));
        starts.push_back(turned.angle() * turned.axis());
      }
    }
    // The first stage's cost after a few iterations from `s`, which it leaves where they end.
    const auto trial_cost = [&](Blocks* s) {
      bool moved = false;
      if (!AllFinite(*s) || !place_in_front(s, &moved)) return std::numeric_limits<double>::infinity();
      StageWeights trial_weights = config.stages.front();
      ceres::Problem trial;
      add_terms(s, &trial_weights, &trial);
      const StageReport r = SolveStage("start trial", std::min(trial_weights.max_iterations, kStartTrialIterations), &trial);
      return AllFinite(*s) ? r.cost_final : std::numeric_limits<double>::infinity();
    };
    if (!starts.empty()) {
      Blocks best_blocks = b;
      double best = trial_cost(&best_blocks);
      for (size_t i = 0; i < starts.size(); ++i) {
        Blocks other;
        StageReport other_report;
        fit_camera(starts[i], nullptr, &other, &other_report);
        const double cost = trial_cost(&other);
        if (cost < best) {
          best = cost;
          best_blocks = other;
          other_report.message += side_view && i == 0 ? " (turned 180 degrees: side view)" : " (another start)";
          camera_report = other_report;
        }
      }
      b = best_blocks;
    }
  }
  result.stages.push_back(camera_report);
  if (!AllFinite(b)) return fail("camera stage gave non-finite parameters: " + camera_report.message);
  bool moved = false;
  if (!place_in_front(&b, &moved)) return fail("camera stage placed the body behind the camera (" + camera_report.message + ")");
  if (moved) result.warnings.push_back("the camera stage placed the body too close; moved back to start");

  // 3. Staged fit over every fitted keypoint.
  StageWeights weights = config.stages.front();
  ceres::Problem problem;
  add_terms(&b, &weights, &problem);
  for (const StageWeights& stage : config.stages) {
    weights = stage;
    result.stages.push_back(SolveStage(stage.name, stage.max_iterations, &problem));
    if (!AllFinite(b)) return fail(stage.name + " gave non-finite parameters: " + result.stages.back().message);
  }
  if (options.silhouette.mask != nullptr && !options.silhouette.mask->empty()) {
    const FitBlocks blocks{b.orient, b.body_pose.data(), b.betas.data(), b.transl, zeroed};
    result.stages.push_back(RunSilhouetteStage(model, camera, options.silhouette, config, data_weight,
                                               static_cast<int>(fitted.size()), blocks, &problem,
                                               &result.silhouette_margin_px));
    if (!AllFinite(b)) return fail("the silhouette stage gave non-finite parameters: " + result.stages.back().message);
  }

  // Results: parameters (axis-angles canonical, angle in [0, pi]), projected keypoints, errors.
  model::CanonicalAxisAngle(b.orient);
  for (int j = 1; j < J; ++j) model::CanonicalAxisAngle(&b.body_pose[3 * static_cast<size_t>(j - 1)]);
  result.params.pose.row(0) << b.orient[0], b.orient[1], b.orient[2];
  for (int j = 1; j < J; ++j) {
    result.params.pose.row(j) << b.body_pose[3 * (j - 1)], b.body_pose[3 * (j - 1) + 1], b.body_pose[3 * (j - 1) + 2];
  }
  for (int i = 0; i < model.num_betas; ++i) result.params.betas[i] = b.betas[static_cast<size_t>(i)];
  result.params.transl << b.transl[0], b.transl[1], b.transl[2];
  try {  // parameters outside the accepted ranges (model/body_params.h) cannot be a body
    model::ValidateParams(result.params, model, "the fitted parameters");
  } catch (const Error& e) {
    return fail(std::string("the fit diverged: ") + e.what());
  }
  std::vector<double> pose_flat(result.params.pose.data(), result.params.pose.data() + result.params.pose.size());
  std::vector<double> shape(static_cast<size_t>(model.num_shape()), 0.0);
  std::copy(b.betas.begin(), b.betas.end(), shape.begin());
  model::PoseJoints(model, shape.data(), pose_flat.data(), b.transl, static_cast<const uint8_t*>(nullptr), joints.data(),
                    vkp.data());
  double sum = 0;
  int count = 0;
  for (int k = 0; k < K; ++k) {
    const int p = targets[static_cast<size_t>(k)];
    if (p < 0) continue;
    const double* X = p < J ? &joints[3 * static_cast<size_t>(p)] : &vkp[3 * static_cast<size_t>(p - J)];
    const bool was_fitted = std::any_of(fitted.begin(), fitted.end(), [&](const FittedKeypoint& f) { return f.layout_index == k; });
    if (X[2] < KeypointReprojectionCost::kMinDepth) {
      // Only an unobserved point can get here (observed ones never pass the camera).
      result.warnings.push_back("keypoint " + layout.names[static_cast<size_t>(k)] + " (not observed) lies behind the camera; no 2D prediction");
      continue;
    }
    double uv[2];
    camera.Project(X, uv);
    result.keypoints_2d.row(k) << uv[0], uv[1];
    if (was_fitted) {
      result.error_px[k] = std::hypot(uv[0] - person.points(k, 0), uv[1] - person.points(k, 1));
      sum += result.error_px[k];
      ++count;
    }
  }
  result.mean_error_px = count ? sum / count : 0;
  result.ok = result.stages.back().termination != "FAILURE";
  if (!result.ok) result.error = "Ceres failed in " + result.stages.back().name + ": " + result.stages.back().message;
  // Divergence: the median (outliers may rightly stay far) 2D error over the fitted keypoints.
  std::vector<double> errors;
  for (Eigen::Index k = 0; k < result.error_px.size(); ++k) {
    if (std::isfinite(result.error_px[k])) errors.push_back(result.error_px[k]);
  }
  std::nth_element(errors.begin(), errors.begin() + static_cast<long>(errors.size() / 2), errors.end());
  const double median = errors.empty() ? 0.0 : errors[errors.size() / 2];
  const double limit = std::max(config.diverged_px, 0.1 * camera.height);
  if (result.ok && median > limit) {
    result.ok = false;
    result.error = "the fit diverged: median 2D error " + std::to_string(median) + " px (limit " + std::to_string(limit) + " px)";
  }
  result.time_ms = Ms(start);
  return result;
}

}  // namespace

FitResult FitIntact(const model::BodyModel& model, const data::Observation& person, const model::PinholeCamera& camera,
                    const FitOptions& options) {
  FitResult result = FitIntactOnce(model, person, camera, options);
  if (!result.ok && options.init) {
    // A start from elsewhere that fails (a poor regressor's output) is not the
    // end: the default start is tried, and the result says so.
    FitOptions plain = options;
    plain.init = nullptr;
    plain.init_transl = false;
    const double first_ms = result.time_ms;
    const std::string why = result.error;
    result = FitIntactOnce(model, person, camera, plain);
    result.time_ms += first_ms;
    result.warnings.push_back("the fit from --init failed (" + why + "); fitted again from the default start");
  }
  const FitConfig& c = options.config;
  const auto diverged = [](const FitResult& r) { return !r.ok && r.error.rfind("the fit diverged", 0) == 0; };
  // Keypoints that contradict an upright body (a person lying down, wrong
  // limb states) can drive the fit off against the upright prior: once more
  // without it and without the turned starts; and where that diverges too
  // (the shape traded for depth), once more with the shape held within
  // +-diverged_beta_bound. The result says which, in its warnings.
  if (!diverged(result)) return result;
  FitOptions plain = options;
  plain.init = nullptr;
  plain.init_transl = false;
  const FitResult first = result;
  std::string what;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt == 0) {
      if (c.upright_weight_px <= 0 && c.yaw_hypotheses_deg <= 0) continue;
      plain.config.upright_weight_px = 0;
      plain.config.yaw_hypotheses_deg = 0;
      what = "without the upright prior and the turned starts";
    } else {
      if (c.diverged_beta_bound <= 0 || (c.beta_bound > 0 && c.beta_bound <= c.diverged_beta_bound)) break;
      plain.config.beta_bound = c.diverged_beta_bound;
      char bound[32];
      std::snprintf(bound, sizeof bound, "%g", c.diverged_beta_bound);
      what += std::string(what.empty() ? "" : ", then ") + "with every shape coefficient within +-" + bound;
    }
    FitResult again = FitIntactOnce(model, person, camera, plain);
    again.time_ms += result.time_ms;
    if (again.ok) {
      again.warnings.insert(again.warnings.begin(), first.warnings.begin(), first.warnings.end());
      again.warnings.push_back("the fit diverged (" + first.error + "); fitted again " + what);
      return again;
    }
    result.time_ms = again.time_ms;
    if (!diverged(again)) break;  // a failure of another kind: the first divergence is the better reason
  }
  if (!what.empty()) result.error = first.error + " (and again " + what + ")";
  return result;
}

}  // namespace resihmr::optim
