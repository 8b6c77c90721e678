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
// moved anywhere in the image). Self-occlusion is not modelled: every point
// of a person is labelled unless dropped at random. The same seed gives the
// same people; person i depends only on (seed, i).
#pragma once

#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "data/observation.h"
#include "geometry/stump_mesh.h"
#include "model/body_model.h"
#include "model/body_params.h"
#include "model/camera.h"

namespace resihmr::data {

struct SynthOptions {
  unsigned seed = 0;
  double noise_px = 2.0;
  double amputee_fraction = 0.7;
  int width = 1280, height = 960;
  double occlusion = 0.05;  // fraction of labelled keypoints made absent
  double outliers = 0.02;   // fraction moved to a random place in the image
  bool render = true;       // image and mask (off for quick keypoint-only sets)
};

struct SynthLimbTruth {
  geometry::ResidualLimbCut cut;  // limb, J_t, J_a (camera frame, metres), lambda
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
  Observation observation;         // LDPose-25, noisy, with the mask
  geometry::StumpMesh mesh;        // the ground-truth mesh (camera frame)
  cv::Mat image;                   // CV_8UC3 rendering (empty when render is off)
};

SynthPerson MakeSynthPerson(const model::BodyModel& model, const SynthOptions& options, int index);

// The synthetic pose library on its own (what the pose tokenizer trains on):
// a family drawn at random and its random variation, as in MakeSynthPerson;
// betas, root rotation and translation zero. `family` gets the family's name.
model::BodyParams SampleLibraryPose(const model::BodyModel& model, std::mt19937* rng, std::string* family = nullptr);

}  // namespace resihmr::data
