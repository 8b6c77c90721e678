// The evaluation of `resihmr eval` (METHOD.md section 7): per person and
// method, 2D errors (px) over all labelled keypoints, residual-limb endpoints
// and intact keypoints; the IoU of the method's mesh silhouette against the
// person's mask; with ground truth, MPJPE and PA-MPJPE of the intact 3D
// joints (mm, pelvis-aligned and after similarity Procrustes), the endpoint's
// 3D error (mm, pelvis-aligned), residual length and lambda errors, and the
// stump volume error (%), and the body's orientation error: root rotation
// and lean (degrees, model/posture.h). Aggregates: pooled means over
// keypoints and joints, means of IoU, medians where the issue says median,
// 90th percentiles of the orientation errors, and the orientation errors
// per pose family.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/observation.h"
#include "model/body_model.h"
#include "optim/person_fit.h"
#include "pipeline/ground_truth.h"
#include "pipeline/reconstruct_person.h"

namespace resihmr::pipeline {

// Report summaries of `v`: the median (the mean of the middle two for an even
// count) and the q-quantile (0..1, linear interpolation between order
// statistics); null when `v` is empty.
nlohmann::json Median(std::vector<double> v);
// The mean of `v`, NaN when empty (CSV cells).
double MeanOrNaN(const std::vector<double>& v);
nlohmann::json Quantile(std::vector<double> v, double q);

// One person under one method. NaN where a value does not apply.
struct PersonScore {
  std::string image;
  int64_t annotation_id = -1;
  bool failed = false;
  bool suspect = false;  // fitted, but implausible (optim/fit_quality.h); scored like any fit
  std::vector<double> body_px, residual_px, intact_px;  // per labelled keypoint
  double iou = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> joint_mm, pa_joint_mm;             // per intact joint
  // Per intact limb joint (hips, knees, ankles, shoulders, elbows, wrists:
  // the joints LDPose-25 observes, alike in every body model), relative to
  // the hips' midpoint: comparable across body models, whose pelvis, spine,
  // neck, collars, head and feet joints sit differently (docs/evaluation.md).
  std::vector<double> limb_joint_mm;
  std::vector<double> endpoint_mm, length_err_mm, lambda_err, volume_err_pct;  // per residual limb
  // Orientation (degrees): the geodesic angle between the fitted and true
  // root (pelvis) rotations, and the angle between their up axes (lean).
  double root_rot_err_deg = std::numeric_limits<double>::quiet_NaN();
  double lean_err_deg = std::numeric_limits<double>::quiet_NaN();
  std::string family;  // the truth's pose family, "" when unknown
  double time_ms = 0;
};

// The score of one person's result under `method` against its truth (or,
// without ground truth, against its annotated keypoints and mask).
PersonScore ScorePerson(const model::BodyModel& model, const data::Observation& person, const PersonTruth& truth,
                        const PersonResult& result, optim::Method method);

nlohmann::json PersonScoreJson(const PersonScore& s);
PersonScore PersonScoreFromJson(const nlohmann::json& j);

// The report keys of one method from its persons; persons_per_s as given.
nlohmann::json AggregateScores(const std::vector<PersonScore>& persons, double persons_per_s);

}  // namespace resihmr::pipeline
