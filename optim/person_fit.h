// Fitting one person with any of the three methods, all writing the same
// result (METHOD.md sections 3, 4 and 6):
//   intact      SMPLify-X: every limb assumed present; a residual limb's
//               predicted endpoint is the midpoint of its segment (lambda 0.5),
//               as the ResiHMR protocol scores methods that predict none.
//   ajahr-zero  the intact fit, then AJAHR's region for each residual limb
//               joint-zeroed (model/limb_topology.h): the limb collapses onto
//               J_t, its endpoint (lambda 1, length 0).
//   resihmr     topology-adaptive stage 1 (the joints distal to each residual
//               limb held at zero, their keypoints and priors removed, the
//               endpoints unused), then RAFO per residual limb with a detected
//               endpoint; an accepted limb turns its segment's upper joint so
//               the segment points at RAFO's J_a.
// Residual limbs come from LDPose-25 limb states, or are given explicitly.
// Conflicting limb states, an endpoint far from its joint (e.g. on the wrong
// side of the body) and a residual limb without an endpoint are warnings
// with a documented fallback: a conflicting limb is fitted as intact; the
// others are reported unresolved (accepted = false, with the reason).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/observation.h"
#include "model/limb_topology.h"
#include "optim/intact_fit.h"
#include "optim/rafo.h"

namespace resihmr::optim {

enum class Method { kIntact, kAjahrZero, kResiHMR };
std::string MethodName(Method method);  // "intact", "ajahr-zero", "resihmr"
bool ParseMethod(const std::string& name, Method* method);

struct ResidualLimbResult {
  model::ResidualLimb limb;
  bool observed = false;                 // the endpoint keypoint was labelled
  double lambda = 0.5;
  double lambda_sigma = std::numeric_limits<double>::quiet_NaN();
  Eigen::Vector3d joint_t = Eigen::Vector3d::Zero(), joint_a = Eigen::Vector3d::Zero();  // camera frame, metres
  Eigen::Vector3d endpoint_3d = Eigen::Vector3d::Zero();
  Eigen::Vector2d endpoint_2d = Eigen::Vector2d::Zero();  // pixels
  double reprojection_error_px = std::numeric_limits<double>::quiet_NaN();  // NaN when not observed
  bool accepted = false;
  std::string reason;
  double length_mm = 0, length_sigma_mm = std::numeric_limits<double>::quiet_NaN();
  double length_fraction = 0;            // of the intact segment length
  double depth_tilt_rad = 0;             // turned in depth after the fit (TiltInDepth), radians
};

struct PersonFitOptions {
  Method method = Method::kResiHMR;
  FitOptions fit;
  RafoConfig rafo;
  bool limbs_given = false;              // use `limbs` instead of the LDPose limb states
  std::vector<model::ResidualLimb> limbs;
  // The silhouette stage (optim/silhouette_stage.h) when the person has a
  // mask. With resihmr the lost parts are not drawn and each residual
  // segment (its intact length still in the model) does not pull; intact
  // and ajahr-zero assume every limb present, as their keypoint fits do.
  bool silhouette = true;
  const cv::Mat* other_persons_mask = nullptr;  // image-sized CV_8UC1 union of the other persons' masks, or null
};

struct PersonFit {
  FitResult fit;                         // params include zeroed joints (ajahr-zero) and RAFO's turn (resihmr)
  std::vector<ResidualLimbResult> residual_limbs;
};

PersonFit FitPerson(const model::BodyModel& model, const data::Observation& person, const model::PinholeCamera& camera,
                    const PersonFitOptions& options);

// Tilts accepted residual limb `limb` (an index into fit->residual_limbs)
// by `angle` (radians) in depth, the one direction a single view does not
// see. Every segment direction in the plane through the camera centre, J_t
// and the endpoint R projects onto the same image line, so the segment is
// turned within that plane, about its normal n = J_t x R / |J_t x R|
// (positive angle: right-handed about n), and the endpoint becomes the point
// where the turned segment meets R's camera ray:
//   d' = rot(n, angle) d,   J_t + s d' = t R / |R|,   lambda' = 1 - s / L
// (L the segment's length, which stays). The endpoint's pixel, J_t, and
// every keypoint the fit used stay as they were (the joints beyond the
// segment are lost): only the segment's depth and the residual length change.
// The segment's upper joint J_t is turned (minimal rotation, as RAFO's aim).
// This is how the kinematic flip of Sminchisescu and Triggs (CVPR 2003) is
// reached continuously. Returns false, and leaves `fit` as it was, when the
// turned segment does not meet the ray in front of the camera within its
// length (lambda' outside [0, 1]), the endpoint's pixel lies on J_t's (no
// plane), or, for a segment below a hinge (elbow, knee), the joint would bend
// outside its flexion range, or out of the hinge's plane, by more than 3 of
// the hinge prior's scales and more than the fit's segment does; else updates the limb's joint_a, lambda, endpoint_3d, lengths and
// depth_tilt_rad.
bool TiltInDepth(const model::BodyModel& model, size_t limb, double angle, PersonFit* fit);

// Index of the LDPose endpoint keypoint of a residual limb in `layout`, or -1.
int EndpointIndex(const data::KeypointLayout& layout, const model::ResidualLimb& r);

// Turns joint `t` so that its bone, from its posed position to the posed
// position of `a`, points at `target` (minimal rotation, in the frame the
// body is posed in: a camera's, or the world's with several views).
void AimSegment(const model::BodyModel& model, int t, int a, const Eigen::Vector3d& target, model::BodyParams* params);

// The hinge prior for a segment below an elbow or a knee (optim/rafo.h), in
// the frame the body is posed in: the hinge axis is, of J_t's two axes
// across the bone, the one with the larger range (knee: x, elbow: y), its
// range the flexion range; the other axis's half range is how far the
// segment may leave the hinge plane. Axes from the rotation of J_t's parent;
// the rest direction from posing with J_t's own rotation zero. None where
// J_t has no range.
std::optional<RafoHinge> HingeOf(const model::BodyModel& model, const model::BodyParams& params,
                                 const model::ResidualSegment& seg);

// The residual limbs of a person from its LDPose limb states; conflicts and
// unknown limbs are left out with a warning appended to `warnings`.
std::vector<model::ResidualLimb> ResidualLimbsFromStates(const data::Observation& person,
                                                         std::vector<std::string>* warnings);

// The residual limbs of several observations of one person (views, frames;
// `names` says which in warnings, `what` is "view" or "frame"): a limb is
// residual where one of them says so (its endpoint labelled, which
// occlusion can hide in another), at the level most of them give; where they
// disagree on the level, a warning.
std::vector<model::ResidualLimb> ResidualLimbsByVote(const std::vector<const data::Observation*>& persons,
                                                    const std::vector<std::string>& names, const std::string& what,
                                                    std::vector<std::string>* warnings);

// "left_leg=below_knee,right_arm=above_elbow" -> limbs; throws resihmr::Error on bad text.
std::vector<model::ResidualLimb> ParseLimbList(const std::string& text);

}  // namespace resihmr::optim
