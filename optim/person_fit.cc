#include "optim/person_fit.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <map>
#include <cmath>
#include <optional>
#include <sstream>

#include "data/limb_state.h"
#include "model/ajahr_regions.h"
#include "model/error.h"
#include "model/joint_limits.h"
#include "model/pose_body.h"
#include "model/rotation.h"
#include "optim/fit_quality.h"
#include "optim/rafo_costs.h"

namespace resihmr::optim {
using Eigen::Vector2d;
using Eigen::Vector3d;

int EndpointIndex(const data::KeypointLayout& layout, const model::ResidualLimb& r) {
  const bool left = r.limb == model::Limb::kLeftArm || r.limb == model::Limb::kLeftLeg;
  const std::string side = left ? "left" : "right";
  switch (r.level) {
    case model::LossLevel::kAboveElbow: return layout.Index("above_" + side + "_elbow_end");
    case model::LossLevel::kBelowElbow: return layout.Index("below_" + side + "_elbow_end");
    case model::LossLevel::kAboveKnee: return layout.Index("above_" + side + "_knee_end");
    case model::LossLevel::kBelowKnee: return layout.Index("below_" + side + "_knee_end");
    case model::LossLevel::kNone: return -1;
  }
  return -1;
}

namespace {

// Recomputes the projected keypoints and their errors from the final parameters;
// keypoints whose model point lies on a removed (distal) joint get no prediction.
void Reproject(const model::BodyModel& model, const data::Observation& person, const std::vector<uint8_t>& removed,
               FitResult* fit) {
  const model::PosedBody posed = model::PoseBody(model, fit->params, false);
  const std::vector<int> targets = ModelPointsOfLayout(model, *person.layout);
  const std::vector<uint8_t> lost =
      removed.empty() ? std::vector<uint8_t>(static_cast<size_t>(person.layout->size()), 0)
                      : data::KeypointsOnJoints(model, *person.layout, removed);
  const int J = model.num_joints();
  for (int k = 0; k < person.layout->size(); ++k) {
    const int p = targets[static_cast<size_t>(k)];
    if (p < 0) continue;
    const bool on_removed = lost[static_cast<size_t>(k)];
    const Vector3d X = p < J ? Vector3d(posed.joints.row(p)) : Vector3d(posed.keypoints.row(p - J));
    if (on_removed || X.z() <= 0) {
      fit->keypoints_2d.row(k).setConstant(std::numeric_limits<double>::quiet_NaN());
      fit->error_px[k] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    Vector2d uv;
    fit->camera.Project(X.data(), uv.data());
    fit->keypoints_2d.row(k) = uv.transpose();
    if (std::isfinite(fit->error_px[k])) fit->error_px[k] = (uv - person.points.row(k).transpose()).norm();
  }
}

Eigen::Matrix3d Rotation(const Vector3d& aa) {
  Eigen::Matrix<double, 3, 3, Eigen::RowMajor> R;
  model::AxisAngleToRotation(aa.data(), R.data());
  return R;
}

// World (camera-frame) rotation of joint t's parent: the product of the
// local rotations from the root down to it.
Eigen::Matrix3d ParentRotation(const model::BodyModel& model, const model::BodyParams& params, int t) {
  const model::RowMatrixX3d pose = model::FullPose(params, model);
  std::vector<int> chain;
  for (int j = model.parents[static_cast<size_t>(t)]; j >= 0; j = model.parents[static_cast<size_t>(j)]) chain.push_back(j);
  Eigen::Matrix3d parent = Eigen::Matrix3d::Identity();
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) parent = parent * Rotation(pose.row(*it).transpose());
  return parent;
}

}  // namespace

void AimSegment(const model::BodyModel& model, int t, int a, const Vector3d& target, model::BodyParams* params) {
  const model::PosedBody posed = model::PoseBody(model, *params, false);
  const Vector3d from = (posed.joints.row(a) - posed.joints.row(t)).transpose();
  const Vector3d to = target - posed.joints.row(t).transpose();
  if (from.norm() < 1e-9 || to.norm() < 1e-9) return;
  const Eigen::Matrix3d delta = Eigen::Quaterniond::FromTwoVectors(from, to).toRotationMatrix();
  const Eigen::Matrix3d parent = ParentRotation(model, *params, t);
  const Vector3d aa_t = model::FullPose(*params, model).row(t).transpose();
  const Eigen::AngleAxisd updated(parent.transpose() * delta * parent * Rotation(aa_t));
  params->pose.row(t) = (updated.angle() * updated.axis()).transpose();
}

std::optional<RafoHinge> HingeOf(const model::BodyModel& model, const model::BodyParams& params,
                                  const model::ResidualSegment& seg) {
  model::JointRange range;
  if (!model::JointRangeFor(model.joint_names[static_cast<size_t>(seg.joint_t)], &range)) return std::nullopt;
  model::BodyParams straight = params;
  straight.pose.row(seg.joint_t).setZero();
  const model::PosedBody posed = model::PoseBody(model, straight, false);
  const Vector3d rest = (posed.joints.row(seg.joint_a) - posed.joints.row(seg.joint_t)).transpose();
  const Eigen::Matrix3d parent = ParentRotation(model, params, seg.joint_t);
  const Vector3d rest_local = parent.transpose() * rest;
  if (!(rest_local.norm() > 1e-9)) return std::nullopt;
  int along = 0;  // the axis along the bone (twist: moves no joint)
  rest_local.cwiseAbs().maxCoeff(&along);
  int hinge = -1, other = -1;
  for (int axis = 0; axis < 3; ++axis) {
    if (axis == along) continue;
    if (hinge < 0 || range.hi[axis] - range.lo[axis] > range.hi[hinge] - range.lo[hinge]) {
      other = hinge;
      hinge = axis;
    } else {
      other = axis;
    }
  }
  RafoHinge h;
  h.axis = parent.col(hinge);
  h.rest = rest - rest.dot(h.axis) * h.axis;
  if (!(h.rest.norm() > 1e-9)) return std::nullopt;
  h.rest.normalize();
  h.lo = range.lo[hinge];
  h.hi = range.hi[hinge];
  h.off_plane_scale = std::max(0.05, 0.5 * (range.hi[other] - range.lo[other]));
  return h;
}

std::string MethodName(Method method) {
  switch (method) {
    case Method::kIntact: return "intact";
    case Method::kAjahrZero: return "ajahr-zero";
    case Method::kResiHMR: return "resihmr";
  }
  return "";
}

bool ParseMethod(const std::string& name, Method* method) {
  for (Method m : {Method::kIntact, Method::kAjahrZero, Method::kResiHMR}) {
    if (MethodName(m) == name) {
      *method = m;
      return true;
    }
  }
  return false;
}

std::vector<model::ResidualLimb> ResidualLimbsFromStates(const data::Observation& person,
                                                         std::vector<std::string>* warnings) {
  std::vector<model::ResidualLimb> limbs;
  for (const data::LimbStatus& s : data::LimbStates(person)) {
    if (s.conflict) {
      warnings->push_back(model::LimbName(s.limb) + ": " + s.note + "; fitted as intact");
      continue;
    }
    const model::LossLevel level = data::LossLevelOf(s.limb, s.state);
    if (level != model::LossLevel::kNone) limbs.push_back({s.limb, level});
  }
  return limbs;
}

std::vector<model::ResidualLimb> ParseLimbList(const std::string& text) {
  std::vector<model::ResidualLimb> limbs;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    model::ResidualLimb r;
    if (eq == std::string::npos || !model::ParseLimb(item.substr(0, eq), &r.limb) ||
        !model::ParseLossLevel(item.substr(eq + 1), &r.level)) {
      throw Error("--limbs: '" + item + "' is not limb=level (limbs: left_arm, right_arm, left_leg, right_leg; levels: "
                  "above_elbow, below_elbow, above_knee, below_knee)");
    }
    if (!model::LevelFitsLimb(r.limb, r.level)) throw Error("--limbs: '" + item + "': that level does not fit that limb");
    for (const model::ResidualLimb& other : limbs) {
      if (other.limb == r.limb) throw Error("--limbs: " + model::LimbName(r.limb) + " is given twice");
    }
    limbs.push_back(r);
  }
  return limbs;
}

namespace {

// How far the segment J_t -> J_a leaves its hinge's plane (in the hinge
// prior's scales, optim/rafo_costs.h) and bends past its flexion range; zeros
// where J_t is no hinge (shoulder, hip).
Eigen::Vector2d HingeExcess(const model::BodyModel& model, const model::BodyParams& params, const ResidualLimbResult& res,
                            const Vector3d& joint_a) {
  const bool below = res.limb.level == model::LossLevel::kBelowElbow || res.limb.level == model::LossLevel::kBelowKnee;
  if (!below) return Eigen::Vector2d::Zero();
  const std::optional<RafoHinge> hinge = HingeOf(model, params, model::SegmentOf(model, res.limb));
  if (!hinge) return Eigen::Vector2d::Zero();
  double r[2] = {0, 0};
  if (!HingePrior{res.joint_t, *hinge}(joint_a.data(), r)) return Eigen::Vector2d::Constant(HUGE_VAL);
  return Eigen::Vector2d(std::abs(r[0]), r[1]);
}

}  // namespace

bool TiltInDepth(const model::BodyModel& model, size_t limb, double angle, PersonFit* fit) {
  if (limb >= fit->residual_limbs.size() || !fit->residual_limbs[limb].accepted) return false;
  ResidualLimbResult res = fit->residual_limbs[limb];
  const Vector3d Jt = res.joint_t, R = res.endpoint_3d;
  const double L = (res.joint_a - Jt).norm();
  const Vector3d plane_normal = Jt.cross(R);
  if (!(L > 1e-6) || !(R.z() > 0) || !(plane_normal.norm() > 1e-9 * Jt.norm() * R.norm())) return false;
  const Vector3d turned = Eigen::AngleAxisd(angle, plane_normal.normalized()) * ((res.joint_a - Jt) / L);
  // J_t + s d' = t u: two unknowns, three equations, consistent (one plane through the origin).
  const Vector3d u = R.normalized();
  Eigen::Matrix<double, 3, 2> A;
  A.col(0) = turned;
  A.col(1) = -u;
  const Eigen::Vector2d st = A.colPivHouseholderQr().solve(-Jt);
  const double s = st[0], t = st[1];
  if (!std::isfinite(s) || !std::isfinite(t) || s < 0 || s > L || !(t * u.z() > 1e-3)) return false;
  const Vector3d Ja = Jt + L * turned;
  if (!(Ja.z() > 1e-3)) return false;
  const Eigen::Vector2d before = HingeExcess(model, fit->fit.params, res, res.joint_a);
  const Eigen::Vector2d after = HingeExcess(model, fit->fit.params, res, Ja);
  if (after[0] > std::max(3.0, before[0]) || after[1] > std::max(3.0, before[1])) return false;
  const model::ResidualSegment seg = model::SegmentOf(model, res.limb);
  AimSegment(model, seg.joint_t, seg.joint_a, Ja, &fit->fit.params);
  res.joint_a = Ja;
  res.lambda = 1.0 - s / L;
  res.endpoint_3d = Jt + s * turned;
  res.length_mm = 1000.0 * s;
  res.length_fraction = s / L;
  res.depth_tilt_rad += angle;
  fit->residual_limbs[limb] = res;
  return true;
}

PersonFit FitPerson(const model::BodyModel& model, const data::Observation& person, const model::PinholeCamera& camera,
                    const PersonFitOptions& options) {
  PersonFit out;
  std::vector<std::string> warnings;
  const std::vector<model::ResidualLimb> limbs =
      options.limbs_given ? options.limbs : ResidualLimbsFromStates(person, &warnings);

  // Joints distal to every residual limb, and the keypoints on them.
  const std::vector<uint8_t> removed = model::DistalJoints(model, limbs);
  FitOptions fit_options = options.fit;
  if (options.method == Method::kResiHMR && !limbs.empty()) {
    fit_options.fixed_joints = removed;
    fit_options.use_keypoint = data::KeypointsOnJoints(model, *person.layout, removed);
    for (uint8_t& use : fit_options.use_keypoint) use = !use;  // a keypoint of a limb that is not there
  }
  const bool mask_fits = !person.mask.empty() && person.mask.type() == CV_8UC1 && person.mask.cols == camera.width &&
                         person.mask.rows == camera.height;
  if (options.silhouette && !person.mask.empty() && !mask_fits) {
    warnings.push_back("the mask is " + std::to_string(person.mask.cols) + "x" + std::to_string(person.mask.rows) +
                       ", not a one-channel 8-bit mask of the camera's " + std::to_string(camera.width) + "x" +
                       std::to_string(camera.height) + " image: no silhouette stage");
  }
  if (options.silhouette && mask_fits) {
    fit_options.silhouette.mask = &person.mask;
    const cv::Mat* others = options.other_persons_mask;
    fit_options.silhouette.others =
        others != nullptr && others->type() == CV_8UC1 && others->size() == person.mask.size() ? others : nullptr;
    fit_options.silhouette.joint_roles.assign(static_cast<size_t>(model.num_joints()), 0);
    if (options.method == Method::kResiHMR) {
      for (const model::ResidualLimb& r : limbs) {
        fit_options.silhouette.joint_roles[static_cast<size_t>(model::SegmentOf(model, r).joint_t)] = 1;
      }
      for (int j = 0; j < model.num_joints(); ++j) {
        if (removed[static_cast<size_t>(j)]) fit_options.silhouette.joint_roles[static_cast<size_t>(j)] = 2;
      }
    }
  }
  out.fit = FitIntact(model, person, camera, fit_options);
  for (const std::string& w : warnings) out.fit.warnings.push_back(w);
  if (!out.fit.ok) return out;

  // The keypoint noise of this person: RMS of the intact stage's 2D errors.
  double sum2 = 0;
  int n = 0;
  for (Eigen::Index k = 0; k < out.fit.error_px.size(); ++k) {
    if (std::isfinite(out.fit.error_px[k])) {
      sum2 += out.fit.error_px[k] * out.fit.error_px[k];
      ++n;
    }
  }
  const double noise_px = n ? std::sqrt(sum2 / n) : 1.0;

  const model::PosedBody posed = model::PoseBody(model, out.fit.params, false);
  for (const model::ResidualLimb& r : limbs) {
    const model::ResidualSegment seg = model::SegmentOf(model, r);
    ResidualLimbResult res;
    res.limb = r;
    res.joint_t = posed.joints.row(seg.joint_t).transpose();
    res.joint_a = posed.joints.row(seg.joint_a).transpose();
    const double L = (res.joint_a - res.joint_t).norm();
    const int end = EndpointIndex(*person.layout, r);
    res.observed = end >= 0 && person.present(end);
    const Vector2d k = res.observed ? Vector2d(person.points.row(end).transpose()) : Vector2d::Zero();
    const auto finish = [&](double lambda) {
      res.lambda = lambda;
      res.endpoint_3d = res.joint_a + lambda * (res.joint_t - res.joint_a);
      camera.Project(res.endpoint_3d.data(), res.endpoint_2d.data());
      res.length_mm = 1000.0 * (res.endpoint_3d - res.joint_t).norm();
      res.length_fraction = L > 0 ? (res.endpoint_3d - res.joint_t).norm() / L : 0;
      if (res.observed) res.reprojection_error_px = (res.endpoint_2d - k).norm();
    };
    if (options.method == Method::kIntact) {
      finish(0.5);
      res.accepted = false;
      res.reason = "intact method: the segment midpoint stands for the endpoint";
    } else if (options.method == Method::kAjahrZero) {
      finish(1.0);
      res.accepted = false;
      res.reason = "ajahr-zero: the limb collapses onto " + model.joint_names[static_cast<size_t>(seg.joint_t)];
    } else if (!res.observed) {
      finish(0.5);
      res.reason = "no endpoint keypoint: the residual limb is unresolved (midpoint reported)";
    } else {
      // An endpoint far beyond its segment's reach (wrong side, wrong limb) is not RAFO's to fit.
      Vector2d t2, a2;
      camera.Project(res.joint_t.data(), t2.data());
      camera.Project(res.joint_a.data(), a2.data());
      const double reach = std::max((a2 - t2).norm(), 0.25 * camera.fx * L / std::max(res.joint_t.z(), 1e-3));
      if ((k - t2).norm() > 1.5 * reach + options.rafo.accept_px) {
        finish(0.5);
        res.reason = "the endpoint lies " + std::to_string(static_cast<int>((k - t2).norm())) +
                     " px from its joint, beyond the segment's reach (" + std::to_string(static_cast<int>(reach)) +
                     " px): wrong side or wrong limb? unresolved";
        out.fit.warnings.push_back(model::LimbName(r.limb) + ": " + res.reason);
      } else {
        const bool below = r.level == model::LossLevel::kBelowElbow || r.level == model::LossLevel::kBelowKnee;
        const std::optional<RafoHinge> hinge =
            below && options.rafo.hinge_prior ? HingeOf(model, out.fit.params, seg) : std::nullopt;
        const RafoResult rafo = SolveRafo({res.joint_t, res.joint_a, k, noise_px, hinge}, camera, options.rafo);
        res.joint_a = rafo.solved ? rafo.joint_a : res.joint_a;
        finish(rafo.lambda);
        res.lambda_sigma = rafo.lambda_sigma;
        res.length_sigma_mm = 1000.0 * rafo.length_sigma_m;
        res.accepted = rafo.accepted;
        res.reason = rafo.reason;
        if (rafo.accepted) AimSegment(model, seg.joint_t, seg.joint_a, rafo.joint_a, &out.fit.params);
      }
    }
    // The endpoint keypoint's prediction and error.
    if (end >= 0) {
      out.fit.keypoints_2d.row(end) = res.endpoint_2d.transpose();
      if (res.observed) out.fit.error_px[end] = res.reprojection_error_px;
    }
    out.residual_limbs.push_back(res);
  }
  if (options.method == Method::kAjahrZero) {
    for (const model::ResidualLimb& r : limbs) {
      for (int j : model::AjahrZeroedJoints(model, model::AjahrRegionOf(r))) out.fit.params.zeroed_joints.push_back(j);
    }
  }
  // Predictions of the other keypoints from the final parameters.
  const std::vector<uint8_t> none;
  Eigen::MatrixX2d endpoints = out.fit.keypoints_2d;
  Reproject(model, person, options.method == Method::kResiHMR ? removed : none, &out.fit);
  for (const model::ResidualLimb& r : limbs) {
    const int end = EndpointIndex(*person.layout, r);
    if (end >= 0) out.fit.keypoints_2d.row(end) = endpoints.row(end);
  }
  out.fit.suspect = SuspectReasons(model, person, out.fit, options.fit.config);
  // RAFO turns only the residual segments' upper joints: pelvis and neck are as posed above.
  out.fit.trunk_lean = model::TrunkLeanOf(model, posed.joints);
  return out;
}

std::vector<model::ResidualLimb> ResidualLimbsByVote(const std::vector<const data::Observation*>& persons,
                                                    const std::vector<std::string>& names, const std::string& what,
                                                    std::vector<std::string>* warnings) {
  std::map<model::Limb, std::map<model::LossLevel, int>> votes;
  for (size_t i = 0; i < persons.size(); ++i) {
    std::vector<std::string> notes;
    for (const model::ResidualLimb& r : ResidualLimbsFromStates(*persons[i], &notes)) ++votes[r.limb][r.level];
    for (const std::string& n : notes) warnings->push_back(what + " " + names[i] + ": " + n);
  }
  std::vector<model::ResidualLimb> limbs;
  for (const auto& [limb, levels] : votes) {
    const auto most = std::max_element(levels.begin(), levels.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    limbs.push_back({limb, most->first});
    if (levels.size() > 1) {
      warnings->push_back(model::LimbName(limb) + ": the " + what + "s disagree on the level; taken as " +
                          model::LossLevelName(most->first) + " (" + std::to_string(most->second) + " " + what + "s)");
    }
  }
  return limbs;
}

}  // namespace resihmr::optim
