// One person seen by several calibrated cameras at one instant: one body in
// the world frame fitted to every view's keypoints, and each residual limb's
// endpoint found from every view that sees it (issue 18, docs/multiview.md).
//
// Each view has its own keypoints (pixels, lens distortion already removed:
// data::UndistortPixel), its intrinsics and its pose R, t (world to camera,
// OpenCV's axes: X_cam = R X_world + t, metres). The fit:
//   1. one view is fitted alone (FitIntact, the joints beyond each residual
//      limb held), the views with most usable keypoints first, and carried
//      into the world frame (orientation R^T R_c; root joint R^T (J_0 + T_c - t));
//      the first whose body meets the views (the median over views of each
//      view's median 2D error within the divergence limit) starts the body,
//      else the one of them that meets them best;
//   2. SMPLify-X's stages over all views together: per view one
//      KeypointReprojectionCost with its camera pose, the same priors as one
//      view (joint limits, shape, bending; no depth or upright prior: the
//      views fix depth and the gravity direction is not known), the joints
//      beyond each residual limb held as in FitPerson (resihmr);
//   3. RAFO per residual limb, in the camera frame of the view that sees its
//      endpoint with the fit's lowest error there, with every other view that
//      sees the endpoint as further reprojection terms: two views triangulate
//      the endpoint, so that the length no longer rests on the anchor's guess
//      of the segment's tilt in depth.
// The residual limbs are those given, else every view's LDPose limb states
// together (a limb is residual where a view labels its endpoint, at the level
// most views give). The keypoint noise RAFO assumes is 1.201 times the median
// 2D error over the used views (the RMS for Gaussian noise, robust to
// outliers). An endpoint keypoint that one view gets wrong is found by
// leaving each view out in turn while the limb is not accepted.
// A view whose median 2D error after step 2 exceeds the divergence limit
// (FitConfig::diverged_px or 10% of its image height) is reported as an
// outlier, and the fit runs once more without it. Methods other than
// resihmr are not offered here.
//
// Uncalibrated views (CalibratedView::extrinsics_known false; intrinsics are
// still needed, given or defaulted): the world is the frame of the views
// whose extrinsics are known (only they start the body), else one view's
// camera frame (R = I, t = 0): each of up to 4 views, most keypoints first,
// is tried as that view and the fit whose views meet their keypoints best
// is kept. Each other view's pose starts from the better of two candidates,
// the rigid (Kabsch) alignment of its own one-view fit's joints to the start
// body's and a RANSAC PnP of the start body's keypoints against its 2D
// keypoints (cv::solvePnPRansac), whichever projects the start body nearer
// its keypoints (median px), refined alone with the body held; step 2 then
// solves every unknown pose with the body (KeypointReprojectionCost::
// WithFreeCamera; sparse normal Cholesky, SuiteSparse), each pose held near
// its start by a weak prior and its t within 1000 m by bounds. A view
// beyond the divergence limit after step 2 is first posed again from the
// joint body, and left out only if it still disagrees. The scale comes from
// the body model. ViewReport gives each view's pose used, given or estimated.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "data/observation.h"
#include "model/camera.h"
#include "optim/person_fit.h"

namespace resihmr::optim {

struct CalibratedView {
  std::string name;                 // the camera's name, for messages
  data::Observation person;         // this view's keypoints (undistorted pixels)
  model::PinholeCamera camera;      // intrinsics and image size
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();  // world -> camera rotation
  Eigen::Vector3d t = Eigen::Vector3d::Zero();      // world -> camera translation, metres
  bool extrinsics_known = true;     // false: R, t above are ignored and estimated with the body
};

struct ViewReport {
  std::string name;
  bool used = true;                 // in the joint fit (false: absent, too few keypoints, or an outlier)
  std::string note;                 // why not used, or what to know
  double mean_error_px = std::numeric_limits<double>::quiet_NaN();
  double median_error_px = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixX2d keypoints_2d;    // K x 2, the fitted body projected into this view (NaN: none)
  Eigen::VectorXd error_px;         // K, per fitted keypoint (NaN elsewhere)
  bool extrinsics_estimated = false;  // R, t below were estimated with the body
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();  // the pose used: world -> camera
  Eigen::Vector3d t = Eigen::Vector3d::Zero();      // metres
};

struct MultiViewFit {
  bool ok = false;
  std::string error;
  model::BodyParams params;         // world frame (transl in metres); RAFO's turns included
  Eigen::MatrixX3d joints;          // J x 3 posed joints, world frame, metres (empty when failed)
  std::vector<ResidualLimbResult> residual_limbs;  // world frame; endpoint_2d in the limb's reference view
  std::vector<std::string> limb_views;             // per residual limb: the reference view's name ("" when none)
  std::vector<int> limb_view_counts;               // per residual limb: views whose endpoint was used
  std::vector<ViewReport> views;
  std::vector<StageReport> stages;
  std::vector<std::string> warnings;
  double mean_error_px = 0;         // over every used view's fitted keypoints
  double time_ms = 0;
};

// `options.method` must be kResiHMR; the silhouette stage is not run.
MultiViewFit FitMultiView(const model::BodyModel& model, const std::vector<CalibratedView>& views,
                          const PersonFitOptions& options);

}  // namespace resihmr::optim
