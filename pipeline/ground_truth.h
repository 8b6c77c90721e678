// The ground truth of a `resihmr synth` dataset (ground_truth.json beside
// keypoints.json), one entry per person of the annotation file, matched by
// annotation id: the true parameters, camera, 3D joints (camera frame,
// metres, the model's joint order), the noise-free 2D keypoints (pixels, NaN
// where the layout's point has no model target), and per residual limb its
// limb and level, lambda, length (mm), stump volume (mL, NaN when none) and
// endpoint (camera frame, metres), the exact mask's file and the pose family.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "data/annotation_file.h"
#include "model/body_model.h"
#include "model/body_params.h"
#include "model/camera.h"
#include "model/limb_topology.h"

namespace resihmr::pipeline {

struct PersonTruth {
  bool present = false;  // false: a dataset without ground truth (2D metrics against the annotations)
  model::BodyParams params;
  model::PinholeCamera camera;
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> joints;     // J x 3
  Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor> keypoints;  // K x 2, NaN where absent
  struct Limb {
    model::ResidualLimb limb;
    double lambda = 0, length_mm = 0, volume_ml = 0;
    Eigen::Vector3d endpoint = Eigen::Vector3d::Zero();
  };
  std::vector<Limb> limbs;
  // The exact silhouette's PNG (the dataset folder's masks/<image>, from the
  // entry's "mask_file"), "" when the ground truth names none: mIoU is then
  // scored against it rather than against the (imperfect) input mask.
  std::string exact_mask_file;
  std::string family;  // the pose family (synth: standing, walking, ...), "" when the entry names none
};

// Throws resihmr::Error naming the file, the annotation and the field when
// a person has no entry or an entry does not fit the model or the layout.
std::vector<PersonTruth> ReadGroundTruth(const std::string& path, const model::BodyModel& model,
                                         const data::AnnotationFile& file);

}  // namespace resihmr::pipeline
