// Residual Anchor-Factor Optimisation (RAFO, METHOD.md section 4) for one
// residual limb: where along its segment does the limb end?
//
// Given J_t (the segment's upper joint, fixed, camera frame, metres), J_a^0
// (its distal joint from the topology-adaptive intact fit), the segment's
// intact length L = |J_t - J_a^0| and the detected 2D endpoint k, solve for
// the free distal joint J_a (3-vector) and the fraction lambda in [0, 1]
// (Ceres bounds on Levenberg-Marquardt's trust region):
//   R = J_a + lambda (J_t - J_a)        (lambda = 0: all of the segment remains)
//   E = |pi(R) - k|^2 / sigma^2 + |J_a - J_a^0|^2 / s_J^2 + (|J_t - J_a| - L)^2 / s_L^2
// This is the paper's loss |pi(R) - k|^2 + alpha |J_a - J_a^0|^2 + mu (...)^2
// divided by sigma^2, with the paper's per-instance weights made explicit:
//   alpha = sigma^2 / s_J^2, s_J = anchor_scale L (default 0.5 L)
//   mu    = sigma^2 / s_L^2, s_L = length_scale L (default 0.01 L)
// sigma: the person's keypoint noise (the RMS 2D error of the intact stage,
// at least 1 px). So E is a negative log-posterior: a Gaussian pixel error,
// a loose anchor (the segment may turn by up to about 30 degrees per sigma),
// and a nearly rigid segment length; and Ceres's covariance of the solve is
// the posterior covariance, from which lambda_sigma and length_sigma come.
// Why these scales: tests/optim/rafo_test.cc measures the alternatives.
// One 2D endpoint fixes two of the three free directions (segment direction
// and lambda): the third, the segment's tilt towards the camera, is set by
// the anchor, i.e. by the intact fit's guess. Where J_t is a hinge (elbow,
// knee) an optional hinge prior adds what anatomy knows:
//   + (u . a)^2 / s_h^2 + (max(0, phi - hi, lo - phi))^2 / s_phi^2
// (the segment stays in the plane the hinge turns it in, and bends the way
// the joint bends), which fixes the tilt wherever that plane is not seen
// edge-on (a person facing the camera bends the knee in depth). RAFO solves
// without it and with it and keeps the hinged solution when it meets the
// endpoint within sigma / 4 of the free one and keeps to the hinge within 3
// of its scales (else stage 1's hinge axis is wrong, and the data say so;
// sigma / 4 measured better than sigma on the 500-person evaluation). lambda_sigma reports how much that leaves
// open; it is unreliable when lambda sits at a bound (0 or 1), where the
// covariance ignores the bound, and it omits the error of J_t.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "model/camera.h"

namespace resihmr::optim {

struct RafoConfig {
  double anchor_scale = 0.5;   // s_J / L
  double length_scale = 0.01;  // s_L / L
  double min_noise_px = 1.0;   // floor of sigma
  double accept_px = 15;       // a limb is accepted when its endpoint reprojects closer than this
  bool hinge_prior = true;     // below elbow / knee: add the hinge prior (FitPerson builds it)
  int max_iterations = 50;
};

// A hinge at J_t (elbow, knee): the segment turns about `axis` only, from
// `rest` (its direction with J_t's rotation zero) by the flexion angle
// phi = atan2(u . (axis x rest), u . rest), u = (J_a - J_t) / |J_a - J_t|,
// within [lo, hi]; all in the camera frame, radians.
struct RafoHinge {
  Eigen::Vector3d axis;              // unit
  Eigen::Vector3d rest;              // unit, perpendicular to axis
  double lo = 0, hi = 0;             // flexion range
  double off_plane_scale = 0.15;     // s_h: how far (sin) the segment may leave the hinge plane
  double range_scale = 0.05;         // s_phi: softness of the range's walls
};

// Another view of the residual limb's endpoint (several calibrated cameras,
// optim/multi_view_fit.h): its camera, the pose mapping RAFO's frame into its
// camera frame (X_view = R X + t, metres), and the endpoint's pixel there. Each
// adds |pi_v(R R_e + t) - k_v|^2 / sigma^2 to E: two views fix the endpoint in
// 3D, the segment's tilt in depth included.
struct RafoView {
  model::PinholeCamera camera;
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();
  Eigen::Vector3d t = Eigen::Vector3d::Zero();
  Eigen::Vector2d endpoint = Eigen::Vector2d::Zero();  // pixels
};

struct RafoInput {
  Eigen::Vector3d joint_t;       // camera frame, metres
  Eigen::Vector3d joint_a_init;  // camera frame, metres
  Eigen::Vector2d endpoint;      // pixels
  double noise_px = 1.0;         // sigma estimate
  std::optional<RafoHinge> hinge;  // below elbow / below knee: the joint at J_t is a hinge
  std::vector<RafoView> other_views;  // further views of the endpoint (empty: one view)
};

struct RafoResult {
  bool solved = false;           // Ceres converged to a usable point
  double lambda = 0.5, lambda_sigma = std::numeric_limits<double>::quiet_NaN();
  Eigen::Vector3d joint_a = Eigen::Vector3d::Zero();
  Eigen::Vector3d endpoint_3d = Eigen::Vector3d::Zero();
  Eigen::Vector2d endpoint_2d = Eigen::Vector2d::Zero();
  double reprojection_error_px = 0;  // the largest over the views
  double length_m = 0;           // |R - J_t|
  double length_sigma_m = std::numeric_limits<double>::quiet_NaN();
  double segment_length_m = 0;   // L, the intact segment's length
  bool accepted = false;
  bool hinge_applied = false;    // the hinge prior was given and kept (its solution met the endpoint)
  std::string reason;            // why not accepted, or what to know about the result
  int iterations = 0;
};

RafoResult SolveRafo(const RafoInput& input, const model::PinholeCamera& camera, const RafoConfig& config);

}  // namespace resihmr::optim
