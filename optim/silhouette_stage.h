// The silhouette stage of the fit (issue 17): after the keypoint stages, the
// person's mask pulls the model's outline (optim/silhouette_cost.h), moving
// shape (betas) and pose, global orientation included, with the translation
// (the camera) held. Outer rounds, each:
//   1. pose the full mesh once (the only full-mesh pass of the stage) and
//      rasterise it at a working scale over the person's crop;
//   2. the rim: vertices of the parts that pull lying on the outline's
//      pixels, at most one per pixel and `silhouette_points` in all;
//   3. each mask contour point matched to its nearest projected rim vertex;
//   4. Levenberg-Marquardt over the keypoint terms and priors of the last
//      stage plus the silhouette term, the rim's vertices posed through the
//      joints-only Jacobian.
// Before the first round the mask's margin is measured: the median signed
// distance (outside the model positive) of its contour to the model's
// outline, which on a mask dilated by clothing or a loose segmenter is that
// dilation; the mask is eroded by it (config silhouette_margin_px >= 0 sets
// it instead). Parts of the model that the person lacks do not pull: a joint
// role per joint says which vertices (by their dominant skinning joint) are
// drawn and pull (0), drawn but pull nothing, and no contour point near them
// pulls either (1: a residual limb's segment, whose intact length the model
// still has), or are not drawn at all (2: the lost parts). Pixels on another
// person's mask, and outside the image, do not pull. Working images, the
// distance field (cv::distanceTransform) and contours (cv::findContours) come
// from OpenCV.
#pragma once

#include <Eigen/Core>
#include <ceres/problem.h>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "model/body_model.h"
#include "model/camera.h"
#include "optim/fit_config.h"
#include "optim/fit_result.h"

namespace resihmr::optim {

struct SilhouetteInput {
  const cv::Mat* mask = nullptr;     // CV_8UC1, image-sized, nonzero on the person; null: no silhouette stage
  const cv::Mat* others = nullptr;   // CV_8UC1, image-sized union of the other persons' masks, or null
  std::vector<uint8_t> joint_roles;  // J: 0 pulls, 1 drawn but does not pull, 2 not drawn; empty: all 0
};

// The parameter blocks of the fit: orientation (3), body pose (3(J-1)),
// betas (B), translation (3, held constant by the stage and released after).
// `zeroed`: J flags of held joints that the data terms treat as zeroed
// (optim/intact_fit.cc), or null; the silhouette term does the same.
struct FitBlocks {
  double* orient;
  double* body_pose;
  double* betas;
  double* transl;
  const uint8_t* zeroed = nullptr;
};

// Runs the stage on `problem` (which holds the keypoint terms and priors over
// `blocks`); `data_weight` and `fitted_keypoints` scale the silhouette term
// so that at silhouette_weight 1 it weighs as much as all keypoints together.
// Returns the stage's report (name "silhouette"; cost over all rounds), and
// the mask's margin it used (pixels) in `margin_px`.
StageReport RunSilhouetteStage(const model::BodyModel& model, const model::PinholeCamera& camera,
                               const SilhouetteInput& input, const FitConfig& config, double data_weight,
                               int fitted_keypoints, const FitBlocks& blocks, ceres::Problem* problem,
                               double* margin_px);

}  // namespace resihmr::optim
