// The synthetic benchmark of people with limb loss (`resihmr synth`): people
// with residual limbs ending anywhere along a segment (not only at joints,
// as in AJAHR's A3D), with 3D ground truth.
//
// Each person: a random shape (betas ~ N(0, 0.7^2)); a pose from a family
// (standing, walking, running, sitting, reaching, throwing, side-on) with
// random variation (a tenth of each joint's range of motion), clamped to the
// joint ranges of model/joint_limits.h; turned up to 45 degrees about the
// vertical (side-on: 90), 3 to 6 m from a pinhole camera (focal length: the
// image diagonal) and kept inside the image; with probability
// amputee_fraction one or two residual limbs of the 8 kinds, lambda uniform
// in [0.15, 0.85]. Ground truth: the stump mesh cut and capped by
// geometry/stump_mesh.h at the true lambda (a level whose cap is refused is
// drawn again), its silhouette mask, a shaded rendering, LDPose-25 keypoints
// (the lost parts' keypoints absent, each residual limb's endpoint labelled)
// with Gaussian noise, occlusions (a point made absent) and outliers (a point
// moved anywhere in the image). The honest benchmark (issue 17), each from a
// random stream of its own: stumps reshaped from another family than the
// fitter's cap (data/stump_shapes.h; one that would cross the body keeps the
// cap, with a note), input masks dilated by U(0, 15) px with ragged edges
// beside the exact silhouette, and self-occlusion: a keypoint more than 12 cm
// (a joint, inside its limb) or 3 cm (a skin point) behind the nearest surface
// at its pixel (z-buffer) is labelled occluded (v 1) with confidence 0.5 and
// twice the noise, as annotators guess hidden joints. The same seed gives the
// same people; person i depends only on (seed, i).
#pragma once

#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "data/observation.h"
#include "data/stump_shapes.h"
#include "geometry/stump_mesh.h"
#include "model/body_model.h"
#include "model/body_params.h"
#include "model/camera.h"

namespace resihmr::data {

enum class StumpShapes { kVaried, kConvex };

struct SynthOptions {
  unsigned seed = 0;
  double noise_px = 2.0;
  double amputee_fraction = 0.7;
  int width = 1280, height = 960;
  double occlusion = 0.05;  // fraction of labelled keypoints made absent
  double outliers = 0.02;   // fraction moved to a random place in the image
  bool render = true;       // image and mask (off for quick keypoint-only sets)
  // The honest benchmark (issue 17); each from its own random stream, so that
  // kConvex, 0 and false give the people of earlier versions exactly.
  StumpShapes stump_shapes = StumpShapes::kVaried;  // varied: data/stump_shapes.h; convex: the fitter's own cap
  double mask_dilation_px = 15;  // the input mask dilated by U(0, this) px with ragged edges (clothing); 0: exact
  bool self_occlusion = true;    // keypoints hidden by the body: labelled occluded (v 1), confidence 0.5, 2x noise
  // Posture (issue 20), from a stream of its own (0: the upright people of
  // earlier versions): the camera pitched by U(-D, D) and rolled by
  // U(-D/2, D/2), and the body leaned as a whole by U(0, D/2) in a random
  // direction, D = tilt_deg degrees.
  double tilt_deg = 0;
  // Every person of this family ("walking", ...; empty: drawn at random).
  // The draw is still made, so the other draws stay as they were.
  std::string family;
};

struct SynthLimbTruth {
  geometry::ResidualLimbCut cut;  // limb, J_t, J_a (camera frame, metres), lambda
  bool shaped = false;            // reshaped into `shape` (else the convex cap)
  StumpShape shape;
  std::string stump_note;         // why a drawn shape was not applied, if it was not
  Eigen::Vector3d endpoint_3d = Eigen::Vector3d::Zero();
  Eigen::Vector2d endpoint_2d = Eigen::Vector2d::Zero();
  double length_mm = 0;
  double volume_ml = 0;
};

struct SynthPerson {
  std::string family;
  model::BodyParams params;        // camera frame: resihmr pose on these gives the intact body
  model::PinholeCamera camera;
  std::vector<SynthLimbTruth> limbs;
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> joints;     // J x 3 posed joints, camera frame
  Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor> keypoints;  // 25 x 2 noise-free, NaN where absent
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> keypoints_3d;  // 25 x 3 their 3D points, camera frame, metres
  Observation observation;         // LDPose-25, noisy, with the (imperfect) input mask
  cv::Mat exact_mask;              // CV_8UC1, the ground-truth mesh's silhouette
  int self_occluded = 0;           // keypoints labelled occluded because the body hides them
  double camera_pitch_deg = 0, camera_roll_deg = 0, body_lean_deg = 0;  // SynthOptions::tilt_deg's draws
  geometry::StumpMesh mesh;        // the ground-truth mesh (camera frame)
  cv::Mat image;                   // CV_8UC3 rendering (empty when render is off)
};

// The LDPose-25 name of a residual limb's endpoint keypoint, e.g. "below_left_knee_end".
std::string EndpointKeypointName(const model::ResidualLimb& limb);

SynthPerson MakeSynthPerson(const model::BodyModel& model, const SynthOptions& options, int index);

// The synthetic pose library on its own (what the pose tokenizer trains on):
// a family drawn at random and its random variation, as in MakeSynthPerson;
// betas, root rotation and translation zero. `family` gets the family's name.
model::BodyParams SampleLibraryPose(const model::BodyModel& model, std::mt19937* rng, std::string* family = nullptr);

}  // namespace resihmr::data
