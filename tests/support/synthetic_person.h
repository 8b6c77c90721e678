// Synthetic people for optimiser tests: a random plausible pose (inside the
// prior's joint ranges) and shape of a model, placed in front of a camera,
// and its keypoints in a layout projected with optional Gaussian noise.
#pragma once

#include <random>

#include "data/observation.h"
#include "model/body_model.h"
#include "model/body_params.h"
#include "model/camera.h"

namespace resihmr::testing {

struct SyntheticPerson {
  model::BodyParams params;
  data::Observation observation;
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> joints;  // posed joints, camera frame
};

// pose_scale: fraction of each joint's range around the relaxed pose.
SyntheticPerson MakeSyntheticPerson(const model::BodyModel& model, const model::PinholeCamera& camera,
                                    const data::KeypointLayout& layout, double noise_px, std::mt19937* rng,
                                    double pose_scale = 0.35);

}  // namespace resihmr::testing
