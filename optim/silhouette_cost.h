// The silhouette term of the fit (issue 17): the person's mask pulls the
// model's projected outline, in one Ceres residual block so that the body's
// kinematics is computed once per evaluation, with the analytic Jacobian of
// model/joints_jacobian.h posing only the rim vertices (never the mesh).
//
// Parameter blocks as KeypointReprojectionCost: global orientation (3), body
// pose (3(J-1)), betas (B), translation (3, metres). With pi the camera
// projection (pixels), GMoF_rho(e) = rho e / sqrt(e^2 + rho^2) and s a weight:
//   model to mask, per rim vertex v:      r_v = s_o GMoF_rho(D(pi(v)))
//     D: the mask's distance field (pixels to the nearest mask pixel, 0
//     inside the mask or on another person's mask), interpolated bicubically
//     (ceres::BiCubicInterpolator); a vertex projected outside the image
//     does not pull (r = 0);
//   mask to model, per mask contour point c (outward normal n) matched to
//   rim vertex v(c), its distance to the contour's tangent line at c:
//     r_c = s_c GMoF_rho(n . (pi(v(c)) - c)).
// The rim and the matches are found again at every outer iteration of the
// silhouette stage (optim/silhouette_stage.h), not inside the solve.
#pragma once

#include <ceres/cost_function.h>
#include <ceres/cubic_interpolation.h>

#include <memory>
#include <vector>

#include "model/body_model.h"
#include "model/camera.h"
#include "model/joints_jacobian.h"

namespace resihmr::optim {

// A distance field over a crop of the image at a working scale: grid cell
// (row, col) holds the distance (full-resolution pixels) at the image point
// (origin_x + (col + 0.5) / scale, origin_y + (row + 0.5) / scale).
class DistanceField {
 public:
  DistanceField(std::vector<double> values, int rows, int cols, double origin_x, double origin_y, double scale,
                int image_width, int image_height);
  // The interpolator refers to the grid, and the grid to the values: a copy
  // would refer to the original's, so none is made (a prvalue is not copied).
  DistanceField(const DistanceField&) = delete;
  DistanceField& operator=(const DistanceField&) = delete;
  // Distance at image point (x, y) (pixels) and its gradient; false (and
  // zeros) outside the image.
  bool Evaluate(double x, double y, double* d, double* dd_dx, double* dd_dy) const;
  int rows() const { return rows_; }
  int cols() const { return cols_; }

 private:
  std::vector<double> values_;
  int rows_, cols_;
  double origin_x_, origin_y_, scale_;
  int image_width_, image_height_;
  ceres::Grid2D<double, 1> grid_;
  ceres::BiCubicInterpolator<ceres::Grid2D<double, 1>> interpolator_;
};

struct ContourMatch {
  int rim_index = 0;      // index into the cost's rim vertices
  double x = 0, y = 0;    // the mask contour point, pixels
  double nx = 0, ny = 0;  // the contour's outward unit normal there
};

class SilhouetteCost : public ceres::CostFunction {
 public:
  // `field` and `zeroed` (J flags or null) must outlive the cost.
  SilhouetteCost(const model::BodyModel& model, const model::PinholeCamera& camera, const DistanceField* field,
                 std::vector<int> rim_vertices, std::vector<ContourMatch> matches, double rho_px, double outside_weight,
                 double contour_weight, const uint8_t* zeroed = nullptr);

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;

 private:
  // Writes d r / d P (the point's camera-frame position) times dP/dparams into row `r` of the Jacobians.
  void AddRow(int r, int point_row, const double dr_dP[3], double** jacobians) const;

  const model::BodyModel& model_;
  model::PinholeCamera camera_;
  const DistanceField* field_;
  std::vector<int> rim_;
  std::vector<ContourMatch> matches_;
  double rho_, outside_weight_, contour_weight_;
  const uint8_t* zeroed_;
  mutable model::JointsWithJacobian scratch_;
  mutable std::vector<double> pose_, shape_;
};

}  // namespace resihmr::optim
