// Further calibrated cameras around a synthetic person (`synth --views N`,
// docs/multiview.md): the ground truth for the fit over several views.
//
// The world frame is the person's own synthetic camera's (data/
// synthetic_people.h: its parameters, joints and residual limbs are already
// in it), and that camera is view "00" with R = I, t = 0 and the person's
// observation as drawn. Views 1..N-1 look at the pelvis from azimuth
// 360 v / N + U(-15, 15) degrees about the vertical through it, elevation
// U(-10, 15) degrees (positive: from above) and U(0.8, 1.25) times the first
// camera's distance, with the first camera's intrinsics and image size. In
// each of them every keypoint the first view's truth labels (the lost parts
// stay absent; each residual limb's endpoint is labelled) is projected from
// its true 3D point, and drawn as synth draws the first view: absent with
// probability `occlusion`, an outlier anywhere in the image with probability
// `outliers`, else Gaussian noise of `noise_px`; points behind the camera or
// outside the image are absent. Self-occlusion is not modelled in these
// views (their keypoints have confidence 1), nor are images or masks drawn.
// Deterministic per seed and person index.
#pragma once

#include <vector>

#include "data/camera_rig.h"
#include "data/observation.h"
#include "data/synthetic_people.h"

namespace resihmr::data {

struct SynthViews {
  CameraRig rig;                          // cameras "00", "01", ...
  std::vector<Observation> observations;  // per camera, the person's keypoints there
};

// One keypoint of a further view (or a video frame) drawn as above: its 3D
// point X in the camera's frame and the draws made for it (`draw`, dx, dy
// ~ N(0, 1), ox, oy ~ U(0, 1)); the caller has already left it out when
// occluded (draw < occlusion) or behind the camera. An outlier (draw below
// occlusion + outliers) lies at (ox, oy) of the image, else the projection
// moves by noise_px (dx, dy); a point outside the image stays absent; a
// point kept gets confidence 1 and visibility 2 in `ob`.
void PlaceDrawnKeypoint(const Eigen::Vector3d& X, const model::PinholeCamera& camera, const SynthOptions& options,
                        double draw, double dx, double dy, double ox, double oy, int k, Observation* ob);

// `views` 2..16.
SynthViews MakeSynthViews(const SynthPerson& person, const SynthOptions& options, int index, int views);

}  // namespace resihmr::data
