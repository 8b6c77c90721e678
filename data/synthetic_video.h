// A synthetic person walking past one camera (`synth --frames T`,
// docs/video.md): the ground truth for the fit over a video.
//
// The person is synth's person (data/synthetic_people.h) drawn with the
// walking family: its shape, residual limbs (lambda, stump and volume, cut at
// that stance) and camera. The motion: a walking cycle at 30 frames per
// second, period U(28, 36) frames, stride amplitude U(0.8, 1.2), from a random
// phase: each hip flexes by -0.35 A sin(phi) (the right half a cycle later),
// each knee bends by 0.1 + 0.6 A max(0, -cos(phi)) in its swing, the arms
// swing against the legs (0.3 A sin(phi) at the shoulder), the trunk turns
// by 0.05 sin(phi) and the pelvis bobs by 1.5 cm at twice the cadence, on top
// of the person's own pose variation (a twentieth of each joint's range of
// motion, fixed over the walk), clamped to the joint ranges. The person walks
// where they face, at U(0.9, 1.4) m/s, heading uniform around the vertical,
// the path's middle 4 to 6 m from the camera; a path that leaves the image is
// drawn again (up to 100 times, slower each time). Residual limbs move with
// their parents; their lambda, length and stump do not change.
// Per frame: the true parameters (camera frame), joints, residual endpoints,
// and LDPose-25 keypoints drawn as synth --views draws further views (the
// lost parts absent, each endpoint labelled; absent with probability
// `occlusion`, an outlier with probability `outliers`, else Gaussian noise of
// `noise_px`; points outside the image absent); with probability
// `absent_frames` the whole frame is without the person (a detector's miss).
// Self-occlusion, masks and images are not drawn. Deterministic per seed
// and person index.
#pragma once

#include <Eigen/Core>
#include <vector>

#include "data/observation.h"
#include "data/synthetic_people.h"
#include "model/body_model.h"
#include "model/body_params.h"

namespace resihmr::data {

struct SynthFrame {
  bool present = true;                   // false: the person is not in this frame (no keypoints)
  model::BodyParams params;              // camera frame, metres
  Eigen::MatrixX3d joints;               // J x 3 posed joints, camera frame, metres
  std::vector<Eigen::Vector3d> endpoints;  // per residual limb of the person: its true endpoint, camera frame
  Observation observation;               // LDPose-25 keypoints (none when not present)
};

struct SynthVideo {
  std::vector<SynthFrame> frames;
  double period_frames = 30;             // the walking cycle's period
  double speed_m_s = 1;                  // walking speed
};

// `person` from MakeSynthPerson(model, options with family "walking", index);
// `frames` 1..100000.
SynthVideo MakeSynthVideo(const model::BodyModel& model, const SynthPerson& person, const SynthOptions& options,
                          int index, int frames, double absent_frames = 0.03);

}  // namespace resihmr::data
