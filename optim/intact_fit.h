// The intact-body fit: SMPLify-X's method on Ceres, in milliseconds
// (METHOD.md section 3). For one person's 2D keypoints and a camera:
//   1. depth by similar triangles on the torso sides, t_z = f L3 / L2, with
//      the body facing the camera or away as its shoulders' order says;
//   2. a camera stage: global orientation and translation on the torso
//      keypoints, with a depth regulariser; under side_view_px of shoulder
//      width both facings are fitted and the better kept;
//   3. the staged fit (FitConfig's schedule): every fitted keypoint's
//      Geman-McClure reprojection term, the anatomical pose prior, the shape
//      prior, the bending prior and, when configured, a GMM pose prior;
//      Levenberg-Marquardt with dense normal Cholesky on one thread;
//   4. with a mask, the silhouette stage (optim/silhouette_stage.h).
// The forward pass inside the loop is the joints-only one with its analytic
// Jacobian; the full mesh is never computed. Joints listed in `fixed_joints`
// are held at their initial pose and lose their prior (residual limbs,
// optim/ issue 6); keypoints can be left out with `use_keypoint`.
#pragma once

#include <vector>

#include "data/observation.h"
#include "model/body_model.h"
#include "model/body_params.h"
#include "optim/fit_config.h"
#include "optim/fit_result.h"
#include "optim/silhouette_stage.h"

namespace resihmr::optim {

struct FitOptions {
  FitConfig config = FitConfig::Default();
  std::vector<uint8_t> fixed_joints;  // J flags; empty: none
  std::vector<uint8_t> use_keypoint;  // layout-sized flags; empty: every present keypoint with a model target
  // A start from elsewhere (another regressor's output, data/init_params.h):
  // its global orientation, body pose (fixed joints excepted) and betas
  // replace the prior's mean pose and the facing guess; with init_transl its
  // translation's depth replaces the similar-triangles depth too (the body's
  // place in the image always comes from the keypoints). The camera stage
  // and the staged fit then run as usual; when that fit fails, it runs again
  // from the default start, with a warning saying so.
  const model::BodyParams* init = nullptr;
  bool init_transl = false;
  // The silhouette stage after the keypoint stages (optim/silhouette_stage.h):
  // runs when silhouette.mask is set and not empty.
  SilhouetteInput silhouette;
};

FitResult FitIntact(const model::BodyModel& model, const data::Observation& person, const model::PinholeCamera& camera,
                    const FitOptions& options);

using data::ModelPointsOfLayout;

}  // namespace resihmr::optim
