#include "optim/video_fit.h"

#include <ceres/ceres.h>
#include <ceres/rotation.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "data/keypoint_layout.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "optim/body_blocks.h"
#include "optim/keypoint_reprojection_cost.h"
#include "optim/prior_costs.h"
#include "optim/segment_endpoint_cost.h"
#include "optim/solve_stage.h"
#include "optim/split_pose_cost.h"

namespace resihmr::optim {
namespace {

using Eigen::Vector2d;
using Eigen::Vector3d;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The weights of the second difference over frames a < b < c at times
// ta < tb < tc: acc = wa x_a + wb x_b + wc x_c (optim/video_fit.h).
struct Triplet {
  double wa, wb, wc;
  Triplet(double ta, double tb, double tc) {
    const double s = 2.0 / (tc - ta);
    wa = s / (tb - ta);
    wc = s / (tc - tb);
    wb = -wa - wc;
  }
};

// The constant-velocity prior on an n-vector over three frames:
//   r = w (wa x_a + wb x_b + wc x_c) / s
// (w: one pixel of keypoint error, s: the scale), linear, its Jacobian
// constant (diagonal blocks).
class LinearAcceleration : public ceres::CostFunction {
 public:
  LinearAcceleration(int n, const Triplet& t, double factor) : n_(n), w_{t.wa * factor, t.wb * factor, t.wc * factor} {
    set_num_residuals(n);
    for (int b = 0; b < 3; ++b) mutable_parameter_block_sizes()->push_back(n);
  }
  bool Evaluate(double const* const* x, double* r, double** jacobians) const override {
    for (int i = 0; i < n_; ++i) r[i] = w_[0] * x[0][i] + w_[1] * x[1][i] + w_[2] * x[2][i];
    for (int b = 0; jacobians && b < 3; ++b) {
      if (!jacobians[b]) continue;
      std::fill(jacobians[b], jacobians[b] + n_ * n_, 0.0);
      for (int i = 0; i < n_; ++i) jacobians[b][i * n_ + i] = w_[b];
    }
    return true;
  }

 private:
  int n_;
  double w_[3];
};

// The same on the root's rotation matrix R(omega) (9 entries; smooth through
// the angle pi, where the axis-angle wraps).
struct OrientAcceleration {
  Triplet t;
  double factor;
  template <typename T>
  bool operator()(const T* a, const T* b, const T* c, T* r) const {
    T Ra[9], Rb[9], Rc[9];
    ceres::AngleAxisToRotationMatrix(a, Ra);
    ceres::AngleAxisToRotationMatrix(b, Rb);
    ceres::AngleAxisToRotationMatrix(c, Rc);
    for (int i = 0; i < 9; ++i) r[i] = T(factor) * (T(t.wa) * Ra[i] + T(t.wb) * Rb[i] + T(t.wc) * Rc[i]);
    return true;
  }
};

double Median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Parameters between two fitted frames at fraction s in [0, 1]: root by
// quaternion slerp, joint angles, betas and translation linearly.
model::BodyParams Interpolate(const model::BodyParams& a, const model::BodyParams& b, double s) {
  model::BodyParams p = a;
  const auto quat = [](const Eigen::RowVector3d& w) {
    const double angle = w.norm();
    return angle > 1e-12 ? Eigen::Quaterniond(Eigen::AngleAxisd(angle, w.transpose() / angle)) : Eigen::Quaterniond::Identity();
  };
  const Eigen::AngleAxisd root(quat(a.pose.row(0)).slerp(s, quat(b.pose.row(0))));
  p.pose = (1 - s) * a.pose + s * b.pose;
  p.pose.row(0) = (root.angle() * root.axis()).transpose();
  p.betas = (1 - s) * a.betas + s * b.betas;
  p.transl = (1 - s) * a.transl + s * b.transl;
  return p;
}

// Fills the parameters of every frame not in `known` (indices into `times`,
// increasing) from its nearest known frames.
void FillBetween(const std::vector<double>& times, const std::vector<size_t>& known,
                 std::vector<model::BodyParams>* params) {
  if (known.empty()) return;
  size_t next = 0;
  for (size_t f = 0; f < times.size(); ++f) {
    while (next < known.size() && known[next] < f) ++next;
    if (next < known.size() && known[next] == f) continue;
    if (next == 0) {
      (*params)[f] = (*params)[known.front()];
    } else if (next == known.size()) {
      (*params)[f] = (*params)[known.back()];
    } else {
      const size_t a = known[next - 1], b = known[next];
      (*params)[f] = Interpolate((*params)[a], (*params)[b], (times[f] - times[a]) / (times[b] - times[a]));
    }
  }
}

// Per-frame projections and 2D errors of the fitted body.
void ReportFrame(const model::BodyModel& model, const data::Observation& person, const model::PinholeCamera& camera,
                 const std::vector<FittedKeypoint>& fitted, VideoFrameResult* r) {
  const model::PosedBody posed = model::PoseBody(model, r->params, false);
  r->joints = posed.joints;
  const int J = model.num_joints(), K = person.layout ? person.layout->size() : 0;
  r->keypoints_2d.setConstant(K, 2, kNaN);
  r->error_px.setConstant(K, kNaN);
  const std::vector<int> targets = person.layout ? data::ModelPointsOfLayout(model, *person.layout) : std::vector<int>();
  for (int k = 0; k < K; ++k) {
    const int t = targets[static_cast<size_t>(k)];
    if (t < 0) continue;
    const Vector3d X = t < J ? Vector3d(posed.joints.row(t)) : Vector3d(posed.keypoints.row(t - J));
    if (!(X.z() > 1e-3)) continue;
    double uv[2];
    camera.Project(X.data(), uv);
    r->keypoints_2d.row(k) << uv[0], uv[1];
  }
  std::vector<double> errors;
  for (const FittedKeypoint& k : fitted) {
    r->error_px[k.layout_index] = (r->keypoints_2d.row(k.layout_index) - Eigen::RowVector2d(k.x, k.y)).norm();
    if (std::isfinite(r->error_px[k.layout_index])) errors.push_back(r->error_px[k.layout_index]);
  }
  r->median_error_px = Median(errors);
}

struct Problem {
  std::vector<size_t> frames;             // fitted frames (indices into the input)
  std::vector<std::vector<FittedKeypoint>> fitted;  // per input frame
  std::vector<double> times;              // per input frame
};

// The residual endpoints `person` labels, as terms of SegmentEndpointCost.
std::vector<SegmentEndpoint> EndpointsOf(const model::BodyModel& model, const data::Observation& person,
                                         const std::vector<model::ResidualLimb>& limbs) {
  std::vector<SegmentEndpoint> out;
  for (size_t l = 0; l < limbs.size(); ++l) {
    const int end = EndpointIndex(*person.layout, limbs[l]);
    if (end < 0 || !person.present(end)) continue;
    const model::ResidualSegment seg = model::SegmentOf(model, limbs[l]);
    out.push_back({static_cast<int>(l), seg.joint_t, seg.joint_a, person.points(end, 0), person.points(end, 1),
                   person.confidence[end]});
  }
  return out;
}

// Step 2: one problem over every fitted frame, from `params` (per input frame).
bool SolveAcrossFrames(const model::BodyModel& model, const std::vector<VideoFrameInput>& frames,
                       const model::PinholeCamera& camera, const Problem& pr, const std::vector<model::ResidualLimb>& limbs,
                       const std::vector<uint8_t>& fixed, const VideoFitOptions& options,
                       std::vector<model::BodyParams>* params, const std::vector<double>& lambdas, VideoFit* out) {
  const FitConfig& config = options.person.fit.config;
  const double data_weight = config.data_weight_scale / camera.height;
  const double pixel = std::sqrt(2.0) * data_weight;  // one pixel of keypoint error, as a residual
  StageWeights weights = config.stages.back();
  std::vector<std::unique_ptr<BodyBlocks>> blocks;
  blocks.reserve(pr.frames.size());
  for (size_t f : pr.frames) blocks.push_back(std::make_unique<BodyBlocks>((*params)[f]));
  std::vector<double> betas = blocks.front()->betas;
  ceres::Problem::Options problem_options;
  problem_options.manifold_ownership = ceres::TAKE_OWNERSHIP;
  ceres::Problem problem(problem_options);
  problem.AddResidualBlock(new ShapePrior(model.num_betas, &weights), nullptr, betas.data());
  if (config.beta_bound > 0) {
    for (int i = 0; i < model.num_betas; ++i) {
      problem.SetParameterLowerBound(betas.data(), i, -config.beta_bound);
      problem.SetParameterUpperBound(betas.data(), i, config.beta_bound);
    }
  }
  const int J = model.num_joints();
  std::vector<uint8_t> held(static_cast<size_t>(J), 0);  // joints 1..J-1 held at their start
  for (int j = 1; j < J; ++j) {
    held[static_cast<size_t>(j)] = (!fixed.empty() && fixed[static_cast<size_t>(j)]) ||
                                   (model.kind != model::ModelKind::kSmpl && j >= 22);  // hands, jaw, eyes
  }
  // Each joint of each frame its own block (optim/split_pose_cost.h).
  const auto joints_of = [&](BodyBlocks& b) {
    std::vector<double*> p;
    for (int j = 1; j < J; ++j) p.push_back(&b.body_pose[3 * static_cast<size_t>(j - 1)]);
    return p;
  };
  const auto pose_only = [&](ceres::CostFunction* cost, BodyBlocks& b) {
    problem.AddResidualBlock(new SplitPoseCost(cost, 0), nullptr, joints_of(b));
  };
  for (size_t i = 0; i < pr.frames.size(); ++i) {
    BodyBlocks& b = *blocks[i];
    std::vector<double*> data = {b.orient};
    for (double* j : joints_of(b)) data.push_back(j);
    data.push_back(betas.data());
    data.push_back(b.transl);
    problem.AddResidualBlock(new SplitPoseCost(new KeypointReprojectionCost(model, camera, pr.fitted[pr.frames[i]],
                                                                            config.robust_rho_px, data_weight),
                                               1),
                             nullptr, data);
    std::vector<SegmentEndpoint> ends = EndpointsOf(model, frames[pr.frames[i]].person, limbs);
    if (!ends.empty()) {
      data.push_back(const_cast<double*>(lambdas.data()));
      problem.AddResidualBlock(new SplitPoseCost(new SegmentEndpointCost(model, camera, std::move(ends),
                                                                         static_cast<int>(limbs.size()),
                                                                         config.robust_rho_px, data_weight),
                                                 1),
                               nullptr, data);
    }
    pose_only(new JointLimitPrior(model, fixed, &weights), b);
    auto bending = std::make_unique<BendingPrior>(model, fixed, &weights);
    if (!bending->empty()) pose_only(bending.release(), b);
    if (!config.gmm_prior.empty()) pose_only(new GmmPosePrior(config.gmm_prior, model, &weights, config.gmm_weight_factor), b);
    for (int j = 1; j < J; ++j) {
      if (held[static_cast<size_t>(j)]) problem.SetParameterBlockConstant(&b.body_pose[3 * static_cast<size_t>(j - 1)]);
    }
  }
  for (size_t i = 1; i + 1 < pr.frames.size(); ++i) {
    const double ta = pr.times[pr.frames[i - 1]], tb = pr.times[pr.frames[i]], tc = pr.times[pr.frames[i + 1]];
    if (tc - ta > options.max_gap) continue;
    const Triplet t(ta, tb, tc);
    BodyBlocks &a = *blocks[i - 1], &b = *blocks[i], &c = *blocks[i + 1];
    for (int j = 1; j < J; ++j) {
      if (held[static_cast<size_t>(j)]) continue;
      const size_t o = 3 * static_cast<size_t>(j - 1);
      problem.AddResidualBlock(new LinearAcceleration(3, t, pixel / options.pose_accel_rad), nullptr, &a.body_pose[o],
                               &b.body_pose[o], &c.body_pose[o]);
    }
    problem.AddResidualBlock(new LinearAcceleration(3, t, pixel / options.transl_accel_m), nullptr, a.transl, b.transl,
                             c.transl);
    problem.AddResidualBlock(new ceres::AutoDiffCostFunction<OrientAcceleration, 9, 3, 3, 3>(
                                 new OrientAcceleration{t, pixel / options.orient_accel}),
                             nullptr, a.orient, b.orient, c.orient);
  }
  // Each lambda held at the keyframes' consensus (step 1): left free, the
  // shared lambda traded against every frame's tilt in depth and went to its
  // bound for many limbs (docs/video.md).
  if (problem.HasParameterBlock(lambdas.data())) problem.SetParameterBlockConstant(const_cast<double*>(lambdas.data()));
  // Conjugate gradients on the normal equations (Jacobi preconditioner):
  // sparse Cholesky's fill-in over the frames cost 40 ms an iteration for 30
  // frames (docs/benchmarks.md).
  const ceres::LinearSolverType solver = ceres::CGNR;
  // Only the schedule's last stage: the keyframes went through the whole
  // schedule, and the earlier stages' strong shape prior moved the shared
  // betas, and with them the segment lengths, away (docs/video.md).
  weights = config.stages.back();
  out->stages.push_back(SolveStage("frames " + weights.name, options.joint_iterations, &problem, solver));
  if (out->stages.back().termination == "FAILURE") return false;
  for (size_t i = 0; i < pr.frames.size(); ++i) {
    blocks[i]->betas = betas;
    if (!blocks[i]->Store(&(*params)[pr.frames[i]])) return false;
  }
  return true;
}

// Step 1: keyframes fitted alone (FitPerson, resihmr: stage 1 and RAFO);
// every fitted frame started from them, each lambda from their median.
bool StartFromKeyframes(const model::BodyModel& model, const std::vector<VideoFrameInput>& frames,
                        const model::PinholeCamera& camera, const Problem& pr,
                        const std::vector<model::ResidualLimb>& limbs, const VideoFitOptions& options,
                        std::vector<model::BodyParams>* params, VideoFit* out) {
  std::vector<size_t> keys;
  std::vector<std::vector<double>> key_lambdas(limbs.size());
  const size_t step = static_cast<size_t>(std::clamp(options.keyframe_step, 1, 1000));
  for (size_t i = 0; i < pr.frames.size(); ++i) {
    if (i % step != 0 && i + 1 != pr.frames.size()) continue;
    const size_t f = pr.frames[i];
    PersonFitOptions alone = options.person;
    alone.limbs_given = true;
    alone.limbs = limbs;
    alone.silhouette = false;
    const PersonFit person = FitPerson(model, frames[f].person, camera, alone);
    const FitResult& fit = person.fit;
    if (!fit.ok) {
      out->warnings.push_back("frame " + std::to_string(frames[f].frame) + ": the keyframe fit failed (" + fit.error +
                              "); started from its neighbours");
      continue;
    }
    for (const ResidualLimbResult& r : person.residual_limbs) {
      for (size_t l = 0; l < limbs.size(); ++l) {
        if (r.accepted && r.limb.limb == limbs[l].limb) key_lambdas[l].push_back(r.lambda);
      }
    }
    (*params)[f] = fit.params;
    keys.push_back(f);
  }
  out->keyframes = static_cast<int>(keys.size());
  if (keys.empty()) return false;
  Eigen::VectorXd betas(model.num_betas);
  for (int b = 0; b < model.num_betas; ++b) {
    std::vector<double> values;
    for (size_t f : keys) values.push_back((*params)[f].betas[b]);
    betas[b] = Median(values);
  }
  FillBetween(pr.times, keys, params);
  for (model::BodyParams& p : *params) p.betas = betas;
  for (size_t l = 0; l < limbs.size(); ++l) {
    VideoLimbResult r;
    r.limb = limbs[l];
    r.keyframes_accepted = static_cast<int>(key_lambdas[l].size());
    if (!key_lambdas[l].empty()) {
      r.lambda = Median(key_lambdas[l]);
      std::vector<double> deviations;
      for (double x : key_lambdas[l]) deviations.push_back(std::abs(x - r.lambda));
      // The standard error of a median: 1.253 sigma / sqrt(n), sigma = 1.4826 MAD.
      if (key_lambdas[l].size() > 1) {
        r.lambda_sigma = 1.253 * 1.4826 * Median(deviations) / std::sqrt(static_cast<double>(key_lambdas[l].size()));
      }
    } else {
      r.reason = "no keyframe's RAFO accepted the limb: midpoint assumed (lambda 0.5)";
    }
    out->limbs.push_back(r);
  }
  return true;
}

// Step 3 for residual limb `l`: its segment and endpoint in every fitted
// frame of the joint body, the length's mean over frames, accepted when the
// endpoint meets its keypoints within accept_px (median over the frames
// that label it) and some keyframe accepted it.
void ReportLimb(const model::BodyModel& model, const std::vector<VideoFrameInput>& frames,
                const model::PinholeCamera& camera, const Problem& pr, size_t l, const VideoFitOptions& options,
                VideoFit* out) {
  VideoLimbResult& summary = out->limbs[l];
  const model::ResidualSegment seg = model::SegmentOf(model, summary.limb);
  std::vector<double> errors;
  double segment_m = 0;
  for (size_t f : pr.frames) {
    const model::PosedBody posed = model::PoseBody(model, out->frames[f].params, false);
    ResidualLimbResult r;
    r.limb = summary.limb;
    r.joint_t = posed.joints.row(seg.joint_t).transpose();
    r.joint_a = posed.joints.row(seg.joint_a).transpose();
    r.lambda = summary.lambda;
    r.lambda_sigma = summary.lambda_sigma;
    r.endpoint_3d = r.joint_a + r.lambda * (r.joint_t - r.joint_a);
    camera.Project(r.endpoint_3d.data(), r.endpoint_2d.data());
    const data::Observation& person = frames[f].person;
    const int end = EndpointIndex(*person.layout, summary.limb);
    r.observed = end >= 0 && person.present(end);
    if (r.observed) {
      r.reprojection_error_px = (r.endpoint_2d - person.points.row(end).transpose()).norm();
      errors.push_back(r.reprojection_error_px);
    }
    const double L = (r.joint_a - r.joint_t).norm();
    segment_m += L / pr.frames.size();
    r.length_mm = 1000 * (1 - r.lambda) * L;
    r.length_fraction = 1 - r.lambda;
    out->frames[f].residual_limbs.push_back(r);
  }
  summary.frames_seen = static_cast<int>(errors.size());
  summary.median_error_px = Median(errors);
  summary.length_mm = 1000 * (1 - summary.lambda) * segment_m;
  summary.length_sigma_mm = 1000 * segment_m * summary.lambda_sigma;
  if (summary.keyframes_accepted == 0) {
    summary.accepted = false;
  } else if (!(summary.median_error_px < options.person.rafo.accept_px)) {
    summary.reason = "the endpoint reprojects " + std::to_string(summary.median_error_px) +
                     " px (median over frames) from its keypoints (limit " +
                     std::to_string(options.person.rafo.accept_px) + " px)";
  } else {
    summary.accepted = true;
  }
  for (size_t f : pr.frames) {
    ResidualLimbResult& r = out->frames[f].residual_limbs.back();
    r.accepted = summary.accepted;
    r.reason = summary.reason;
    r.length_sigma_mm = summary.length_sigma_mm;
  }
}

}  // namespace

VideoFit FitVideo(const model::BodyModel& model, const std::vector<VideoFrameInput>& frames,
                  const model::PinholeCamera& camera, const VideoFitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  VideoFit out;
  const auto done = [&](const std::string& error) {
    out.ok = error.empty();
    out.error = error;
    out.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
  };
  if (options.person.method != Method::kResiHMR) return done("video: only the resihmr method is offered");
  if (frames.empty()) return done("no frames");
  Problem pr;
  for (size_t f = 0; f < frames.size(); ++f) {
    if (f > 0 && frames[f].frame <= frames[f - 1].frame) {
      return done("frame numbers must increase: frame " + std::to_string(frames[f].frame) + " follows " +
                  std::to_string(frames[f - 1].frame));
    }
    pr.times.push_back(static_cast<double>(frames[f].frame - frames.front().frame));
  }
  std::vector<model::ResidualLimb> limbs = options.person.limbs;
  if (!options.person.limbs_given) {
    std::vector<const data::Observation*> persons;
    std::vector<std::string> names;
    for (const VideoFrameInput& f : frames) {
      if (f.present) persons.push_back(&f.person), names.push_back(std::to_string(f.frame));
    }
    limbs = ResidualLimbsByVote(persons, names, "frame", &out.warnings);
  }
  const std::vector<uint8_t> removed = model::DistalJoints(model, limbs);
  std::vector<std::vector<uint8_t>> use(frames.size());
  pr.fitted.resize(frames.size());
  out.frames.resize(frames.size());
  for (size_t f = 0; f < frames.size(); ++f) {
    VideoFrameResult& r = out.frames[f];
    r.frame = frames[f].frame;
    if (!frames[f].present || !frames[f].person.layout) {
      r.note = "the person is not in this frame: parameters interpolated";
      continue;
    }
    if (!limbs.empty()) {
      use[f] = data::KeypointsOnJoints(model, *frames[f].person.layout, removed);
      for (uint8_t& u : use[f]) u = !u;
    }
    pr.fitted[f] = FittedKeypointsOf(model, frames[f].person, use[f], nullptr);
    if (pr.fitted[f].size() < 2) {
      r.note = "fewer than 2 usable keypoints: parameters interpolated";
      continue;
    }
    pr.frames.push_back(f);
  }
  if (pr.frames.empty()) return done("no frame has 2 usable keypoints of the person");

  std::vector<model::BodyParams> params(frames.size(), model::BodyParams::Zero(model));
  if (!StartFromKeyframes(model, frames, camera, pr, limbs, options, &params, &out)) {
    return done("no keyframe could be fitted");
  }
  std::vector<double> lambdas;
  for (const VideoLimbResult& r : out.limbs) lambdas.push_back(r.lambda);
  if (!SolveAcrossFrames(model, frames, camera, pr, limbs, removed, options, &params, lambdas, &out)) {
    return done("the fit over the frames failed: " + out.stages.back().message);
  }
  FillBetween(pr.times, pr.frames, &params);
  std::vector<double> errors;
  for (size_t f = 0; f < frames.size(); ++f) {
    VideoFrameResult& r = out.frames[f];
    r.params = params[f];
    r.fitted = std::binary_search(pr.frames.begin(), pr.frames.end(), f);
    try {
      model::ValidateParams(r.params, model, "frame " + std::to_string(r.frame) + "'s fitted parameters");
    } catch (const Error& e) {
      return done(std::string("the fit diverged: ") + e.what());
    }
    if (r.fitted) {
      ReportFrame(model, frames[f].person, camera, pr.fitted[f], &r);
      for (Eigen::Index k = 0; k < r.error_px.size(); ++k) {
        if (std::isfinite(r.error_px[k])) errors.push_back(r.error_px[k]);
      }
    } else {
      r.joints = model::PoseBody(model, r.params, false).joints;
    }
  }
  for (size_t l = 0; l < limbs.size(); ++l) ReportLimb(model, frames, camera, pr, l, options, &out);
  out.betas = params[pr.frames.front()].betas;
  out.fitted_frames = static_cast<int>(pr.frames.size());
  out.median_error_px = Median(errors);
  const double middle = 0.5 * (pr.times.front() + pr.times.back());
  out.reference_frame = static_cast<int>(*std::min_element(pr.frames.begin(), pr.frames.end(), [&](size_t a, size_t b) {
    return std::abs(pr.times[a] - middle) < std::abs(pr.times[b] - middle);
  }));
  return done("");
}

}  // namespace resihmr::optim
