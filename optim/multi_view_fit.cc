#include "optim/multi_view_fit.h"

#include <ceres/ceres.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <opencv2/calib3d.hpp>
#include <optional>

#include "data/keypoint_layout.h"
#include "model/body_params.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "model/rotation.h"
#include "optim/body_blocks.h"
#include "optim/keypoint_reprojection_cost.h"
#include "optim/prior_costs.h"
#include "optim/solve_stage.h"

namespace resihmr::optim {
namespace {

using Eigen::Matrix3d;
using Eigen::Vector2d;
using Eigen::Vector3d;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The linear solver of the joint fit when view poses are free: sparse normal
// Cholesky (SuiteSparse) where Ceres has it, else dense (on this small
// problem both cost about the same: docs/benchmarks.md).
const ceres::LinearSolverType kCameraSolver =
    ceres::IsSparseLinearAlgebraLibraryTypeAvailable(ceres::SUITE_SPARSE) ? ceres::SPARSE_NORMAL_CHOLESKY
                                                                          : ceres::DENSE_NORMAL_CHOLESKY;

// Model point `p` of a posed body: joint p (p < J), else vertex keypoint p - J.
Vector3d ModelPoint(const model::PosedBody& posed, int J, int p) {
  return p < J ? Vector3d(posed.joints.row(p)) : Vector3d(posed.keypoints.row(p - J));
}

// The upper median of `values`, or `empty` when there are none.
double MedianOr(std::vector<double> values, double empty) {
  if (values.empty()) return empty;
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

Matrix3d Rotation(const Vector3d& aa) {
  const double angle = aa.norm();
  return angle < 1e-12 ? Matrix3d::Identity() : Eigen::AngleAxisd(angle, aa / angle).toRotationMatrix();
}

Vector3d AxisAngle(const Matrix3d& R) {
  const Eigen::AngleAxisd aa(R);
  return aa.angle() * aa.axis();
}

// A body fitted in a camera's frame, carried into the world frame of a
// camera with pose (R, t): the orientation R^T R_c, the root joint
// R^T (J_0 + T_c - t), J_0 the root joint's rest position (shape only).
model::BodyParams ToWorld(const model::BodyModel& model, const model::BodyParams& camera_params, const Matrix3d& R,
                          const Vector3d& t) {
  model::BodyParams world = camera_params;
  const model::PosedBody posed = model::PoseBody(model, camera_params, false);
  const Vector3d root_c = posed.joints.row(0).transpose();
  const Vector3d j0 = root_c - camera_params.transl;
  world.pose.row(0) = AxisAngle(R.transpose() * Rotation(camera_params.pose.row(0).transpose())).transpose();
  world.transl = R.transpose() * (root_c - t) - j0;
  return world;
}

// Per-view projections and errors of the world-frame body.
void ReportViews(const model::BodyModel& model, const std::vector<CalibratedView>& views,
                 const std::vector<uint8_t>& lost_joints, const model::BodyParams& params, MultiViewFit* out) {
  const model::PosedBody posed = model::PoseBody(model, params, false);
  const int J = model.num_joints();
  double sum = 0;
  int count = 0;
  for (size_t v = 0; v < views.size(); ++v) {
    const CalibratedView& view = views[v];
    const data::KeypointLayout& layout = *view.person.layout;
    ViewReport& report = out->views[v];
    report.keypoints_2d.setConstant(layout.size(), 2, kNaN);
    report.error_px.setConstant(layout.size(), kNaN);
    report.median_error_px = report.mean_error_px = kNaN;
    if (!view.extrinsics_known && !report.extrinsics_estimated) continue;  // no pose
    report.R = view.R;
    report.t = view.t;
    const std::vector<int> targets = data::ModelPointsOfLayout(model, layout);
    const std::vector<uint8_t> lost = data::KeypointsOnJoints(model, layout, lost_joints);
    std::vector<double> errors;
    double view_sum = 0;
    for (int k = 0; k < layout.size(); ++k) {
      const int p = targets[static_cast<size_t>(k)];
      if (p < 0 || lost[static_cast<size_t>(k)]) continue;
      const Vector3d X = ModelPoint(posed, J, p);
      const Vector3d P = view.R * X + view.t;
      if (!(P.z() > KeypointReprojectionCost::kMinDepth)) continue;
      Vector2d uv;
      view.camera.Project(P.data(), uv.data());
      report.keypoints_2d.row(k) = uv.transpose();
      if (view.person.present(k)) {
        report.error_px[k] = (uv - view.person.points.row(k).transpose()).norm();
        errors.push_back(report.error_px[k]);
        view_sum += report.error_px[k];
      }
    }
    if (errors.empty()) continue;
    report.median_error_px = MedianOr(errors, kNaN);
    report.mean_error_px = view_sum / static_cast<double>(errors.size());
    if (report.used) {
      sum += view_sum;
      count += static_cast<int>(errors.size());
    }
  }
  out->mean_error_px = count ? sum / count : 0;
}

// The median 2D error (px) of a posed body's model points in `view` seen
// through (R, t), over the view's fitted keypoints; infinity when none lies
// in front of the camera.
double MedianErrorThrough(const model::PosedBody& posed, int J, const CalibratedView& view,
                          const std::vector<FittedKeypoint>& fitted, const Matrix3d& R, const Vector3d& t) {
  std::vector<double> errors;
  for (const FittedKeypoint& k : fitted) {
    const Vector3d X = ModelPoint(posed, J, k.point_index);
    const Vector3d P = R * X + t;
    if (!(P.z() > KeypointReprojectionCost::kMinDepth)) continue;
    Vector2d uv;
    view.camera.Project(P.data(), uv.data());
    errors.push_back((uv - Vector2d(k.x, k.y)).norm());
  }
  if (errors.size() < fitted.size() / 2 + 1) return std::numeric_limits<double>::infinity();
  return MedianOr(errors, std::numeric_limits<double>::infinity());
}

// A view's pose from a posed world body: candidate 1, the rigid alignment of
// the body's joints to the view's own one-view fit (`own`, camera frame; may
// be null); candidate 2, RANSAC PnP of the body's model points against the
// view's keypoints. The one with the lower median 2D error is kept; returns
// that error (infinity: no candidate).
double InitialisePose(const model::BodyModel& model, const model::PosedBody& world, const std::vector<uint8_t>& held,
                      const model::PosedBody* own, const std::vector<FittedKeypoint>& fitted, CalibratedView* view,
                      std::string* how) {
  const int J = model.num_joints();
  double best = std::numeric_limits<double>::infinity();
  if (own) {
    std::vector<int> kept;
    for (int j = 0; j < J; ++j) {
      if (held.empty() || !held[static_cast<size_t>(j)]) kept.push_back(j);
    }
    Eigen::Matrix3Xd a(3, kept.size()), b(3, kept.size());
    for (size_t i = 0; i < kept.size(); ++i) {
      a.col(static_cast<Eigen::Index>(i)) = world.joints.row(kept[i]).transpose();
      b.col(static_cast<Eigen::Index>(i)) = own->joints.row(kept[i]).transpose();
    }
    const Eigen::Matrix4d T = Eigen::umeyama(a, b, false);  // rigid (Kabsch): R a + t nearest b
    const Matrix3d R = T.topLeftCorner<3, 3>();
    const Vector3d t = T.topRightCorner<3, 1>();
    const double e = MedianErrorThrough(world, J, *view, fitted, R, t);
    if (e < best) best = e, view->R = R, view->t = t, *how = "its own fit aligned to the start body";
  }
  if (fitted.size() >= 6) {
    std::vector<cv::Point3d> object;
    std::vector<cv::Point2d> image;
    for (const FittedKeypoint& k : fitted) {
      const Vector3d X = ModelPoint(world, J, k.point_index);
      object.emplace_back(X.x(), X.y(), X.z());
      image.emplace_back(k.x, k.y);
    }
    const model::PinholeCamera& c = view->camera;
    const cv::Matx33d K(c.fx, 0, c.cx, 0, c.fy, c.cy, 0, 0, 1);
    cv::Mat rvec, tvec;
    bool solved = false;
    try {
      solved = cv::solvePnPRansac(object, image, K, cv::noArray(), rvec, tvec, false, 200,
                                  static_cast<float>(std::max(8.0, 0.02 * c.height)), 0.99, cv::noArray(), cv::SOLVEPNP_EPNP);
    } catch (const cv::Exception&) {
      solved = false;
    }
    if (solved) {
      const Vector3d w(rvec.at<double>(0), rvec.at<double>(1), rvec.at<double>(2));
      const Vector3d t(tvec.at<double>(0), tvec.at<double>(1), tvec.at<double>(2));
      if (w.allFinite() && t.allFinite()) {
        const Matrix3d R = Rotation(w);
        const double e = MedianErrorThrough(world, J, *view, fitted, R, t);
        if (e < best) best = e, view->R = R, view->t = t, *how = "PnP of the start body";
      }
    }
  }
  return best;
}

// A weak prior holding a free camera near its start (omega_0, t_0):
//   r = ((omega - omega_0) / s_omega, (t - t_0) / s_t),  s_omega = 0.5 rad, s_t = 0.5 m.
// Against the data terms (about 1 per pixel of error) it moves a good pose by
// well under a millimetre, but a view whose residuals all saturate (the
// robust loss flat) is no longer carried off by the solver.
struct CameraStartPrior {
  std::array<double, 6> start;
  template <typename T>
  bool operator()(const T* camera, T* r) const {
    for (int a = 0; a < 3; ++a) r[a] = (camera[a] - start[a]) / 0.5;
    for (int a = 3; a < 6; ++a) r[a] = (camera[a] - start[a]) / 0.5;
    return true;
  }
};

// A free camera's translation held within +-kMaxCameraDistance m of the
// world origin: with every residual of a view saturated (the robust loss
// flat), nothing else would stop LM from carrying it away.
constexpr double kMaxCameraDistance = 1e3;
void BoundCamera(double* camera, ceres::Problem* problem) {
  for (int a = 3; a < 6; ++a) {
    problem->SetParameterLowerBound(camera, a, -kMaxCameraDistance);
    problem->SetParameterUpperBound(camera, a, kMaxCameraDistance);
  }
}

// A view's pose (R, t) refined alone, the body held at `params` (world
// frame): the same robust reprojection cost as the fit, from the pose given.
// Returns the refined pose's median 2D error (px).
double RefinePose(const model::BodyModel& model, const model::BodyParams& params, const std::vector<FittedKeypoint>& fitted,
                  const FitConfig& config, CalibratedView* view) {
  const int J = model.num_joints();
  BodyBlocks b(params);
  const Vector3d w = AxisAngle(view->R);
  double camera[6] = {w.x(), w.y(), w.z(), view->t.x(), view->t.y(), view->t.z()};
  ceres::Problem problem;
  problem.AddResidualBlock(KeypointReprojectionCost::WithFreeCamera(model, view->camera, fitted, config.robust_rho_px,
                                                                    config.data_weight_scale / view->camera.height),
                           nullptr, {b.orient, b.body_pose.data(), b.betas.data(), b.transl, camera});
  for (double* block : {b.orient, b.body_pose.data(), b.betas.data(), b.transl}) problem.SetParameterBlockConstant(block);
  BoundCamera(camera, &problem);
  SolveStage("camera " + view->name, 50, &problem);
  if (!std::isfinite(camera[0] + camera[1] + camera[2] + camera[3] + camera[4] + camera[5])) {
    return std::numeric_limits<double>::infinity();
  }
  view->R = Rotation(Vector3d(camera[0], camera[1], camera[2]));
  view->t = Vector3d(camera[3], camera[4], camera[5]);
  return MedianErrorThrough(model::PoseBody(model, params, false), J, *view, fitted, view->R, view->t);
}

// SMPLify-X's stages over every used view, from `params` (world frame).
bool SolveJointly(const model::BodyModel& model, std::vector<CalibratedView>* views_io,
                  const std::vector<std::vector<FittedKeypoint>>& fitted, const std::vector<uint8_t>& fixed,
                  const FitOptions& options, model::BodyParams* params, MultiViewFit* out) {
  std::vector<CalibratedView>& views = *views_io;
  const FitConfig& config = options.config;
  BodyBlocks blocks(*params);
  double* orient = blocks.orient;
  double* transl = blocks.transl;
  std::vector<double>& body_pose = blocks.body_pose;
  std::vector<double>& betas = blocks.betas;
  std::vector<std::array<double, 6>> cameras(views.size());  // (omega, t) of the views whose pose is estimated
  StageWeights weights = config.stages.front();
  ceres::Problem problem;
  bool free_cameras = false;
  for (size_t v = 0; v < views.size(); ++v) {
    if (!out->views[v].used) continue;
    const double data_weight = config.data_weight_scale / views[v].camera.height;
    if (out->views[v].extrinsics_estimated) {
      const Vector3d w = AxisAngle(views[v].R);
      cameras[v] = {w.x(), w.y(), w.z(), views[v].t.x(), views[v].t.y(), views[v].t.z()};
      problem.AddResidualBlock(KeypointReprojectionCost::WithFreeCamera(model, views[v].camera, fitted[v],
                                                                        config.robust_rho_px, data_weight),
                               nullptr, {orient, body_pose.data(), betas.data(), transl, cameras[v].data()});
      BoundCamera(cameras[v].data(), &problem);
      problem.AddResidualBlock(new ceres::AutoDiffCostFunction<CameraStartPrior, 6, 6>(new CameraStartPrior{cameras[v]}),
                               nullptr, cameras[v].data());
      free_cameras = true;
      continue;
    }
    problem.AddResidualBlock(new KeypointReprojectionCost(model, views[v].camera, views[v].R, views[v].t, fitted[v],
                                                          config.robust_rho_px, data_weight),
                             nullptr, orient, body_pose.data(), betas.data(), transl);
  }
  problem.AddResidualBlock(new JointLimitPrior(model, fixed, &weights), nullptr, body_pose.data());
  problem.AddResidualBlock(new ShapePrior(model.num_betas, &weights), nullptr, betas.data());
  auto bending = std::make_unique<BendingPrior>(model, fixed, &weights);
  if (!bending->empty()) problem.AddResidualBlock(bending.release(), nullptr, body_pose.data());
  if (!config.gmm_prior.empty()) {
    problem.AddResidualBlock(new GmmPosePrior(config.gmm_prior, model, &weights, config.gmm_weight_factor), nullptr,
                             body_pose.data());
  }
  HoldBodyBlocks(model, config, fixed, false, body_pose.data(), betas.data(), &problem);
  for (const StageWeights& stage : config.stages) {
    weights = stage;
    out->stages.push_back(SolveStage("views " + stage.name, stage.max_iterations, &problem,
                                     free_cameras ? kCameraSolver : ceres::DENSE_NORMAL_CHOLESKY));
  }
  bool finite = true;
  for (size_t v = 0; v < views.size(); ++v) {
    if (!out->views[v].used || !out->views[v].extrinsics_estimated) continue;
    const std::array<double, 6>& c = cameras[v];
    for (double x : c) finite = finite && std::isfinite(x);
    views[v].R = Rotation(Vector3d(c[0], c[1], c[2]));
    views[v].t = Vector3d(c[3], c[4], c[5]);
  }
  if (!finite || out->stages.back().termination == "FAILURE") return false;
  return blocks.Store(params);
}

// RAFO for one residual limb over every view that sees its endpoint, in the
// camera frame of the view whose endpoint the fitted segment meets best.
void SolveLimbAcrossViews(const model::BodyModel& model, const std::vector<CalibratedView>& views,
                          const PersonFitOptions& options, const model::ResidualLimb& limb, double noise_px,
                          MultiViewFit* out) {
  const model::PosedBody posed = model::PoseBody(model, out->params, false);
  const model::ResidualSegment seg = model::SegmentOf(model, limb);
  ResidualLimbResult res;
  res.limb = limb;
  const Vector3d Jt = posed.joints.row(seg.joint_t).transpose(), Ja = posed.joints.row(seg.joint_a).transpose();
  res.joint_t = Jt;
  res.joint_a = Ja;
  const double L = (Ja - Jt).norm();
  std::vector<size_t> seeing;
  for (size_t v = 0; v < views.size(); ++v) {
    const int end = EndpointIndex(*views[v].person.layout, limb);
    if (out->views[v].used && end >= 0 && views[v].person.present(end)) seeing.push_back(v);
  }
  const auto finish = [&](double lambda) {
    res.lambda = lambda;
    res.endpoint_3d = res.joint_a + lambda * (res.joint_t - res.joint_a);
    res.length_mm = 1000.0 * (res.endpoint_3d - res.joint_t).norm();
    res.length_fraction = L > 0 ? (res.endpoint_3d - res.joint_t).norm() / L : 0;
  };
  std::string reference;
  if (seeing.empty()) {
    finish(0.5);
    res.reason = "no view has the endpoint keypoint: the residual limb is unresolved (midpoint reported)";
  } else {
    const auto keypoint = [&](size_t v) {
      return Vector2d(views[v].person.points.row(EndpointIndex(*views[v].person.layout, limb)).transpose());
    };
    // RAFO over the views in `active`, in the frame of the one where the
    // intact segment's midpoint projects nearest the keypoint; `errors` gets
    // each active view's reprojection error of the endpoint found.
    const auto solve = [&](const std::vector<size_t>& active, size_t* ref_out, std::vector<double>* errors) {
      size_t ref = active.front();
      double best = std::numeric_limits<double>::infinity();
      for (size_t v : active) {
        const Vector3d mid = views[v].R * (0.5 * (Jt + Ja)) + views[v].t;
        if (!(mid.z() > 1e-3)) continue;
        Vector2d uv;
        views[v].camera.Project(mid.data(), uv.data());
        const double d = (uv - keypoint(v)).norm();
        if (d < best) best = d, ref = v;
      }
      const CalibratedView& rv = views[ref];
      RafoInput in;
      in.joint_t = rv.R * Jt + rv.t;
      in.joint_a_init = rv.R * Ja + rv.t;
      in.endpoint = keypoint(ref);
      in.noise_px = noise_px;
      const bool below = limb.level == model::LossLevel::kBelowElbow || limb.level == model::LossLevel::kBelowKnee;
      if (below && options.rafo.hinge_prior) {
        std::optional<RafoHinge> hinge = HingeOf(model, out->params, seg);
        if (hinge) {
          hinge->axis = rv.R * hinge->axis;
          hinge->rest = rv.R * hinge->rest;
          in.hinge = hinge;
        }
      }
      for (size_t v : active) {
        if (v == ref) continue;
        RafoView other;
        other.camera = views[v].camera;
        other.R = views[v].R * rv.R.transpose();  // reference camera -> this camera
        other.t = views[v].t - other.R * rv.t;
        other.endpoint = keypoint(v);
        in.other_views.push_back(other);
      }
      RafoResult rafo = SolveRafo(in, rv.camera, options.rafo);
      // Back to the world frame, and each view's error.
      rafo.joint_a = rv.R.transpose() * (rafo.joint_a - rv.t);
      rafo.endpoint_3d = rv.R.transpose() * (rafo.endpoint_3d - rv.t);
      errors->clear();
      for (size_t v : active) {
        const Vector3d P = views[v].R * rafo.endpoint_3d + views[v].t;
        Vector2d uv = Vector2d::Constant(std::numeric_limits<double>::infinity());
        if (P.z() > 1e-3) views[v].camera.Project(P.data(), uv.data());
        errors->push_back((uv - keypoint(v)).norm());
      }
      *ref_out = ref;
      return rafo;
    };
    // An endpoint keypoint that one view gets wrong (an outlier) keeps the
    // others from meeting theirs, and the errors of a joint solve do not say
    // which view it is: while the limb is not accepted, each view is left
    // out in turn, and the solve whose largest error is least is kept.
    std::vector<size_t> active = seeing;
    std::vector<double> errors;
    size_t ref = 0;
    RafoResult rafo = solve(active, &ref, &errors);
    std::string dropped;
    while (!rafo.accepted && active.size() > 1) {
      double least = std::numeric_limits<double>::infinity();
      size_t leave = 0, best_ref = 0;
      RafoResult best_rafo;
      std::vector<double> best_errors;
      for (size_t w = 0; w < active.size(); ++w) {
        std::vector<size_t> fewer = active;
        fewer.erase(fewer.begin() + static_cast<long>(w));
        size_t r = 0;
        std::vector<double> e;
        const RafoResult candidate = solve(fewer, &r, &e);
        const double worst = *std::max_element(e.begin(), e.end());
        if (candidate.solved && worst < least) least = worst, leave = w, best_ref = r, best_rafo = candidate, best_errors = e;
      }
      if (!std::isfinite(least)) break;
      const size_t out_view = active[leave];
      const double its_error = errors[leave];
      dropped += (dropped.empty() ? "" : ", ") + views[out_view].name + " (" +
                 std::to_string(static_cast<int>(std::lround(std::min(its_error, 1e6)))) + " px)";
      active.erase(active.begin() + static_cast<long>(leave));
      rafo = best_rafo;
      ref = best_ref;
      errors = best_errors;
    }
    seeing = active;
    reference = views[ref].name;
    if (rafo.solved) res.joint_a = rafo.joint_a;
    finish(rafo.lambda);
    res.observed = true;
    views[ref].camera.Project((views[ref].R * res.endpoint_3d + views[ref].t).eval().data(), res.endpoint_2d.data());
    res.reprojection_error_px = rafo.reprojection_error_px;
    res.lambda_sigma = rafo.lambda_sigma;
    res.length_sigma_mm = 1000.0 * rafo.length_sigma_m;
    res.accepted = rafo.accepted;
    res.reason = rafo.reason;
    if (!dropped.empty()) {
      out->warnings.push_back(model::LimbName(limb.limb) + ": the endpoint of view(s) " + dropped +
                              " disagreed with the others; RAFO solved without them");
    }
    if (rafo.accepted) AimSegment(model, seg.joint_t, seg.joint_a, res.joint_a, &out->params);
  }
  out->residual_limbs.push_back(res);
  out->limb_views.push_back(reference);
  out->limb_view_counts.push_back(static_cast<int>(seeing.size()));
}

// Step 1's end for views whose extrinsics are not known: each pose from the
// start body (InitialisePose), using the view's own one-view fit where it
// has one or can be fitted. A view whose pose cannot be found is not used.
template <typename FitAlone>
void InitialiseUnknownPoses(const model::BodyModel& model, const model::BodyParams& start_params,
                            const std::vector<uint8_t>& removed, const std::vector<std::vector<FittedKeypoint>>& fitted,
                            const FitAlone& fit_alone, const FitConfig& config,
                            std::vector<std::optional<model::PosedBody>>* own, std::vector<CalibratedView>* views,
                            MultiViewFit* out) {
  const model::PosedBody world = model::PoseBody(model, start_params, false);
  for (size_t v = 0; v < views->size(); ++v) {
    CalibratedView& view = (*views)[v];
    ViewReport& report = out->views[v];
    if (view.extrinsics_known || !report.used) continue;
    if (!(*own)[v]) fit_alone(v);
    std::string how;
    double error = InitialisePose(model, world, removed, (*own)[v] ? &*(*own)[v] : nullptr, fitted[v], &view, &how);
    if (std::isfinite(error)) {
      CalibratedView refined = view;
      const double refined_error = RefinePose(model, start_params, fitted[v], config, &refined);
      if (refined_error <= error) view = refined, error = refined_error, how += ", refined";
    }
    const double limit = 0.1 * view.camera.height;
    if (!(error <= limit)) {
      report.used = false;
      report.note = "its camera pose could not be found from the start body (median 2D error " +
                    (std::isfinite(error) ? std::to_string(error) + " px" : std::string("infinite")) + ", limit " +
                    std::to_string(limit) + " px): not used";
      out->warnings.push_back("view " + view.name + ": " + report.note);
      continue;
    }
    report.extrinsics_estimated = true;
    report.note = "camera pose estimated with the body, started from " + how;
  }
}

}  // namespace

namespace {

// FitMultiView for views of which at least one has a known pose.
MultiViewFit FitWithKnownPose(const model::BodyModel& model, const std::vector<CalibratedView>& input_views,
                              const PersonFitOptions& options);

// No view's pose known: the world is one view's camera frame. Each view
// with usable keypoints is tried as that view (at most kMaxStarts, most
// keypoints first), and the fit whose views meet their keypoints best (the
// mean over views of each view's median 2D error, a view left out counting
// as its divergence limit) is kept. One start's body, wrong in depth where
// the other views see it from the side, can lead cameras to a wrong place;
// another start sometimes avoids it (300 people, 4 views: 6.0 to 5.5 mm of
// length error, 2.39 to 2.31 degrees of rotation error median), though
// some wrong solutions (10-40 degrees off at 4-7 px) are reached from
// every start (docs/multiview.md).
constexpr size_t kMaxStarts = 4;
MultiViewFit FitFromEachStart(const model::BodyModel& model, const std::vector<CalibratedView>& views,
                              const PersonFitOptions& options) {
  std::vector<size_t> order(views.size());
  for (size_t v = 0; v < views.size(); ++v) order[v] = v;
  std::vector<size_t> counts(views.size());
  for (size_t v = 0; v < views.size(); ++v) counts[v] = FittedKeypointsOf(model, views[v].person, {}, nullptr).size();
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return counts[a] > counts[b]; });
  MultiViewFit best;
  double best_score = std::numeric_limits<double>::infinity();
  std::string tried;
  double total_ms = 0;
  for (size_t i = 0; i < order.size() && i < kMaxStarts; ++i) {
    const size_t s = order[i];
    if (counts[s] < 2) continue;
    std::vector<CalibratedView> trial = views;
    trial[s].R.setIdentity();
    trial[s].t.setZero();
    trial[s].extrinsics_known = true;
    MultiViewFit fit = FitWithKnownPose(model, trial, options);
    total_ms += fit.time_ms;
    double score = 0;
    for (size_t v = 0; v < views.size(); ++v) {
      const double limit = std::max(options.fit.config.diverged_px, 0.1 * views[v].camera.height);
      const ViewReport& r = fit.views.size() == views.size() ? fit.views[v] : ViewReport();
      score += (r.used && std::isfinite(r.median_error_px) ? std::min(r.median_error_px, limit) : limit) / views.size();
    }
    if (!fit.ok) score = std::numeric_limits<double>::infinity();
    char line[96];
    std::snprintf(line, sizeof line, "%s%s (%.2f px)", tried.empty() ? "" : ", ", views[s].name.c_str(), score);
    tried += line;
    if (score < best_score || !best.ok) best_score = score, best = std::move(fit);
  }
  best.warnings.insert(best.warnings.begin(), "no view has known extrinsics: the world is one view's camera frame; "
                                              "started from each of the views " + tried + " and kept the best");
  best.time_ms = total_ms;
  return best;
}

}  // namespace

MultiViewFit FitMultiView(const model::BodyModel& model, const std::vector<CalibratedView>& views,
                          const PersonFitOptions& options) {
  if (std::none_of(views.begin(), views.end(), [](const CalibratedView& v) { return v.extrinsics_known; }) && views.size() > 1) {
    return FitFromEachStart(model, views, options);
  }
  return FitWithKnownPose(model, views, options);
}

namespace {

MultiViewFit FitWithKnownPose(const model::BodyModel& model, const std::vector<CalibratedView>& input_views,
                              const PersonFitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  MultiViewFit out;
  out.params = model::BodyParams::Zero(model);
  const auto done = [&](const std::string& error) {
    out.ok = error.empty();
    out.error = error;
    out.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
  };
  if (options.method != Method::kResiHMR) return done("several views: only the resihmr method is offered");
  if (input_views.empty()) return done("no views");
  std::vector<CalibratedView> views = input_views;  // the poses of uncalibrated views are estimated here
  const std::vector<model::ResidualLimb> limbs = options.limbs_given ? options.limbs : [&] {
    std::vector<const data::Observation*> persons;
    std::vector<std::string> names;
    for (const CalibratedView& v : views) persons.push_back(&v.person), names.push_back(v.name);
    return ResidualLimbsByVote(persons, names, "view", &out.warnings);
  }();
  const std::vector<uint8_t> removed = model::DistalJoints(model, limbs);

  // 1. The start: one view fitted alone (FitIntact, the joints beyond each
  // residual limb held), the views with most usable keypoints first, carried
  // into the world frame; the first whose body meets the views (the median
  // over views of each view's median 2D error within the divergence limit)
  // starts the body, else the one that meets them best. So one view of
  // someone else, fitted well alone, does not start everyone, and in the
  // usual case one view is fitted alone, not all. Only views with known
  // extrinsics can start it; where none has them, the first view fitted
  // alone becomes the world (its camera frame).
  std::vector<std::vector<FittedKeypoint>> fitted(views.size());
  std::vector<std::vector<uint8_t>> use(views.size());
  out.views.resize(views.size());
  std::vector<size_t> order;
  bool any_known = false;
  for (size_t v = 0; v < views.size(); ++v) {
    out.views[v].name = views[v].name;
    any_known = any_known || views[v].extrinsics_known;
    if (!limbs.empty()) {
      use[v] = data::KeypointsOnJoints(model, *views[v].person.layout, removed);
      for (uint8_t& u : use[v]) u = !u;
    }
    fitted[v] = FittedKeypointsOf(model, views[v].person, use[v], nullptr);
    if (fitted[v].size() < 2) {
      out.views[v].used = false;
      out.views[v].note = "fewer than 2 usable keypoints: not used";
    } else {
      order.push_back(v);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return fitted[a].size() > fitted[b].size(); });
  double limit = 0;
  for (size_t v : order) limit += std::max(options.fit.config.diverged_px, 0.1 * views[v].camera.height) / order.size();
  std::vector<std::pair<size_t, model::BodyParams>> candidates;  // view, its own fit in the world frame
  std::vector<std::optional<model::PosedBody>> own(views.size());  // views fitted alone, camera frame
  const auto fit_alone = [&](size_t v) {
    FitOptions alone_options = options.fit;
    if (!limbs.empty()) {
      alone_options.fixed_joints = removed;
      alone_options.use_keypoint = use[v];
    }
    const FitResult alone = FitIntact(model, views[v].person, views[v].camera, alone_options);
    if (!alone.ok) out.views[v].note = "fitted alone: " + alone.error;
    else own[v] = model::PoseBody(model, alone.params, false);
    return alone;
  };
  size_t best = 0;
  double best_score = std::numeric_limits<double>::infinity();
  for (size_t v : order) {
    if (any_known && !views[v].extrinsics_known) continue;
    const FitResult alone = fit_alone(v);
    if (!alone.ok) continue;
    if (!any_known) {
      views[v].R.setIdentity();
      views[v].t.setZero();
      views[v].extrinsics_known = any_known = true;
      out.warnings.push_back("the world is view " + views[v].name + "'s camera frame");
    }
    candidates.emplace_back(v, ToWorld(model, alone.params, views[v].R, views[v].t));
    MultiViewFit scratch;
    scratch.views = out.views;
    ReportViews(model, views, removed, candidates.back().second, &scratch);
    std::vector<double> medians;
    for (const ViewReport& r : scratch.views) {
      if (r.used && std::isfinite(r.median_error_px)) medians.push_back(r.median_error_px);
    }
    const double score = MedianOr(medians, std::numeric_limits<double>::infinity());
    if (score < best_score) best_score = score, best = candidates.size() - 1;
    if (score <= limit) break;
  }
  if (candidates.empty()) return done("no view could be fitted alone to start the body");
  const model::BodyParams start_params = candidates[best].second;
  out.warnings.push_back("started from view " + views[candidates[best].first].name + "'s own fit");
  InitialiseUnknownPoses(model, start_params, removed, fitted, fit_alone, options.fit.config, &own, &views, &out);

  // 2. All views together; a view that disagrees beyond the divergence limit
  // is left out once. A view whose pose was estimated is first given a new
  // pose from the joint body (as in step 1) and fitted again; left out only
  // if it still disagrees.
  std::vector<CalibratedView> initial_views = views;
  std::vector<uint8_t> posed_again(views.size(), 0);
  for (int round = 0; round < 3; ++round) {
    out.params = start_params;
    views = initial_views;
    out.stages.clear();
    if (!SolveJointly(model, &views, fitted, removed, options.fit, &out.params, &out)) {
      return done("the fit over several views failed: " + out.stages.back().message);
    }
    ReportViews(model, views, removed, out.params, &out);
    bool changed = false;
    int used = 0;
    for (const ViewReport& r : out.views) used += r.used;
    for (size_t v = 0; v < views.size() && round < 2 && used > 1; ++v) {
      ViewReport& r = out.views[v];
      const double view_limit = std::max(options.fit.config.diverged_px, 0.1 * views[v].camera.height);
      if (!r.used || !(r.median_error_px > view_limit)) continue;
      if (r.extrinsics_estimated && !posed_again[v]) {
        posed_again[v] = 1;
        CalibratedView again = views[v];
        std::string how;
        const model::PosedBody joint = model::PoseBody(model, out.params, false);
        double e = InitialisePose(model, joint, removed, own[v] ? &*own[v] : nullptr, fitted[v], &again, &how);
        if (std::isfinite(e)) e = RefinePose(model, out.params, fitted[v], options.fit.config, &again);
        if (e <= view_limit) {
          initial_views[v] = again;
          out.warnings.push_back("view " + r.name + ": median 2D error " + std::to_string(r.median_error_px) +
                                 " px after the joint fit, " + std::to_string(e) +
                                 " px with its pose found again from the joint body (" + how + "); fitted again");
          r.note += "; found again from the joint body";
          changed = true;
          continue;
        }
      }
      if (!r.extrinsics_estimated && round > 0) {
        continue;  // a calibrated view is left out in the first round only
      }
      r.used = false;
      r.note = "an outlier: median 2D error " + std::to_string(r.median_error_px) + " px after the joint fit (limit " +
               std::to_string(view_limit) + " px); fitted again without it";
      out.warnings.push_back("view " + r.name + ": " + r.note);
      changed = true;
      --used;
    }
    if (!changed) break;
  }

  // 3. RAFO per residual limb across the views that see its endpoint. The
  // keypoint noise sigma from the median 2D error (an outlier among the
  // keypoints must not make sigma so wide that the endpoint no longer pulls):
  // for isotropic Gaussian noise the 2D error's RMS is 1.201 times its median.
  std::vector<double> all_errors;
  for (const ViewReport& r : out.views) {
    for (Eigen::Index k = 0; r.used && k < r.error_px.size(); ++k) {
      if (std::isfinite(r.error_px[k])) all_errors.push_back(r.error_px[k]);
    }
  }
  const double noise_px = all_errors.empty() ? 1.0 : 1.201 * MedianOr(all_errors, 1.0);
  for (const model::ResidualLimb& limb : limbs) SolveLimbAcrossViews(model, views, options, limb, noise_px, &out);
  ReportViews(model, views, removed, out.params, &out);
  try {
    model::ValidateParams(out.params, model, "the fitted parameters");
  } catch (const Error& e) {
    return done(std::string("the fit diverged: ") + e.what());
  }
  out.joints = model::PoseBody(model, out.params, false).joints;
  return done("");
}

}  // namespace

}  // namespace resihmr::optim
