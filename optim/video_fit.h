// One person in a video from one camera (issue 18, docs/video.md): the shape
// (betas) and each residual limb's lambda shared over the frames, a pose and
// a translation per frame, with a constant-velocity prior on both.
//
// The fit, on the frames with at least 2 usable keypoints (the others, and
// frames without the person, are reported as not fitted and get parameters
// interpolated from their fitted neighbours, for animation):
//   1. keyframes: every keyframe_step-th such frame, and the last, fitted
//      alone by FitPerson (resihmr: stage 1 and RAFO); betas start at their
//      median over the keyframes, every frame's pose and translation from
//      its two nearest keyframes (root orientation by quaternion slerp, joint
//      angles and translation linearly; the nearest keyframe at the ends),
//      and each residual limb's lambda is the median of the keyframes' RAFO
//      lambdas that were accepted, with the standard error of that median
//      (1.253 x 1.4826 MAD / sqrt(n)) as lambda_sigma;
//   2. one Ceres problem over every frame: per frame the keypoint cost, the
//      residual endpoints on their segments at the shared lambdas
//      (optim/segment_endpoint_cost.h; lambdas held) and the pose priors of
//      one view (joint limits, bending, the GMM prior when configured); the
//      shape prior once for the shared betas; and per three consecutive
//      frames a < b < c no more than max_gap frames apart the
//      constant-velocity prior on the second difference
//        acc(x) = ((x_c - x_b) / (c - b) - (x_b - x_a) / (b - a)) * 2 / (c - a)
//      of each joint's axis-angle (s_pose rad / frame^2), the root's rotation
//      matrix (s_orient / frame^2; no wrap at pi) and the translation
//      (s_transl m / frame^2), each residual scaled as one pixel of keypoint
//      error (sqrt(2) times the data weight) per scale. Each joint of each
//      frame is its own parameter block (optim/split_pose_cost.h), so the
//      Hessian is block-banded in time apart from the betas; the weights of
//      FitConfig's last stage, at most joint_iterations Levenberg-Marquardt
//      iterations, conjugate gradients on the normal equations;
//   3. per residual limb and fitted frame, its segment and endpoint on the
//      joint body; the length is the mean over frames of (1 - lambda) L_f.
//      A limb is accepted when a keyframe accepted it and its endpoint meets
//      the keypoints within RafoConfig::accept_px (median over the frames).
// Residual limbs are those given, else from the frames' LDPose limb states
// (a limb is residual where a frame labels its endpoint, at the level most
// frames give). Frame numbers must increase strictly (the pipeline sorts and
// removes repeats); time is counted in frames, assumed equally spaced.
// Shapes and units: parameters in the camera frame (metres, radians).
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "data/observation.h"
#include "model/camera.h"
#include "optim/person_fit.h"

namespace resihmr::optim {

struct VideoFrameInput {
  int64_t frame = 0;          // frame number
  bool present = false;       // the person was found in this frame
  data::Observation person;   // its keypoints (pixels)
};

struct VideoFitOptions {
  PersonFitOptions person;    // method resihmr; the silhouette stage is not run
  int keyframe_step = 2;      // 1..1000
  double pose_accel_rad = 0.02;    // s_pose, rad / frame^2
  double orient_accel = 0.02;      // s_orient, rotation-matrix entries / frame^2
  double transl_accel_m = 0.005;   // s_transl, m / frame^2
  int joint_iterations = 10;  // step 2's iterations, 1..1000
  int max_gap = 10;           // frames: a longer gap splits the motion priors
};

struct VideoFrameResult {
  int64_t frame = 0;
  bool fitted = false;        // false: absent or too few keypoints; params interpolated
  std::string note;           // why not fitted
  model::BodyParams params;   // camera frame; RAFO's turns included
  Eigen::MatrixX3d joints;    // J x 3 posed joints, metres
  Eigen::MatrixX2d keypoints_2d;  // K x 2, the body projected (NaN where the layout has no model point)
  Eigen::VectorXd error_px;   // K, per fitted keypoint (NaN elsewhere)
  double median_error_px = std::numeric_limits<double>::quiet_NaN();
  std::vector<ResidualLimbResult> residual_limbs;  // fitted frames: this frame's segment and endpoint; lambda shared
};

struct VideoLimbResult {
  model::ResidualLimb limb;
  bool accepted = false;
  int keyframes_accepted = 0;     // keyframes whose own RAFO accepted the limb
  double lambda = 0.5, lambda_sigma = std::numeric_limits<double>::quiet_NaN();
  double length_mm = 0, length_sigma_mm = std::numeric_limits<double>::quiet_NaN();
  double median_error_px = std::numeric_limits<double>::quiet_NaN();  // the endpoint's, over frames that label it
  int frames_seen = 0;            // frames that label the endpoint
  std::string reason;
};

struct VideoFit {
  bool ok = false;
  std::string error;
  Eigen::VectorXd betas;
  std::vector<VideoFrameResult> frames;  // one per input frame, in order
  std::vector<VideoLimbResult> limbs;
  int keyframes = 0, fitted_frames = 0;
  int reference_frame = -1;   // index into frames: the fitted frame nearest the middle (for the mesh)
  std::vector<StageReport> stages;
  std::vector<std::string> warnings;
  double median_error_px = std::numeric_limits<double>::quiet_NaN();  // over every fitted frame's keypoints
  double time_ms = 0;
};

VideoFit FitVideo(const model::BodyModel& model, const std::vector<VideoFrameInput>& frames,
                  const model::PinholeCamera& camera, const VideoFitOptions& options);

}  // namespace resihmr::optim
