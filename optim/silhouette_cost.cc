#include "optim/silhouette_cost.h"

#include <cmath>

namespace resihmr::optim {

DistanceField::DistanceField(std::vector<double> values, int rows, int cols, double origin_x, double origin_y,
                             double scale, int image_width, int image_height)
    : values_(std::move(values)), rows_(rows), cols_(cols), origin_x_(origin_x), origin_y_(origin_y), scale_(scale),
      image_width_(image_width), image_height_(image_height), grid_(values_.data(), 0, rows, 0, cols),
      interpolator_(grid_) {}

bool DistanceField::Evaluate(double x, double y, double* d, double* dd_dx, double* dd_dy) const {
  *d = *dd_dx = *dd_dy = 0;
  if (!(x >= 0 && y >= 0 && x < image_width_ && y < image_height_)) return false;
  double f, df_dr, df_dc;
  interpolator_.Evaluate((y - origin_y_) * scale_ - 0.5, (x - origin_x_) * scale_ - 0.5, &f, &df_dr, &df_dc);
  // Bicubic interpolation may undershoot near the mask's edge; a distance is never negative.
  if (f <= 0) return true;
  *d = f;
  *dd_dx = df_dc * scale_;
  *dd_dy = df_dr * scale_;
  return true;
}

SilhouetteCost::SilhouetteCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                               const DistanceField* field, std::vector<int> rim_vertices,
                               std::vector<ContourMatch> matches, double rho_px, double outside_weight,
                               double contour_weight, const uint8_t* zeroed)
    : model_(model), camera_(camera), field_(field), rim_(std::move(rim_vertices)), matches_(std::move(matches)),
      rho_(rho_px), outside_weight_(outside_weight), contour_weight_(contour_weight), zeroed_(zeroed) {
  set_num_residuals(static_cast<int>(rim_.size() + matches_.size()));
  mutable_parameter_block_sizes()->assign({3, 3 * (model.num_joints() - 1), model.num_betas, 3});
  pose_.resize(3 * static_cast<size_t>(model.num_joints()));
  shape_.assign(static_cast<size_t>(model.num_shape()), 0.0);
}

void SilhouetteCost::AddRow(int r, int point_row, const double dr_dP[3], double** jacobians) const {
  const int J = model_.num_joints();
  const int B = model_.num_betas;
  const int row = 3 * point_row;
  const auto dot = [&](const model::RowMatrixXd& d, int column) {
    return dr_dP[0] * d(row, column) + dr_dP[1] * d(row + 1, column) + dr_dP[2] * d(row + 2, column);
  };
  if (jacobians[0]) {
    for (int m = 0; m < 3; ++m) jacobians[0][r * 3 + m] = dot(scratch_.d_pose, m);
  }
  if (jacobians[1]) {
    const int n = 3 * (J - 1);
    for (int m = 0; m < n; ++m) jacobians[1][r * n + m] = dot(scratch_.d_pose, 3 + m);
  }
  if (jacobians[2]) {
    for (int m = 0; m < B; ++m) jacobians[2][r * B + m] = dot(scratch_.d_shape, m);
  }
  if (jacobians[3]) {
    for (int m = 0; m < 3; ++m) jacobians[3][r * 3 + m] = dr_dP[m];
  }
}

bool SilhouetteCost::Evaluate(double const* const* parameters, double* residuals, double** jacobians) const {
  const int J = model_.num_joints();
  const int B = model_.num_betas;
  const int first = J + static_cast<int>(model_.vertex_keypoints.size());  // the rim's first row in scratch_
  std::copy(parameters[0], parameters[0] + 3, pose_.begin());
  std::copy(parameters[1], parameters[1] + 3 * (J - 1), pose_.begin() + 3);
  std::copy(parameters[2], parameters[2] + B, shape_.begin());
  model::PoseJointsWithJacobian(model_, shape_.data(), pose_.data(), parameters[3], zeroed_, &scratch_, &rim_);
  const double rho2 = rho_ * rho_;
  // GMoF_rho(e) and its derivative.
  const auto gmof = [&](double e, double* de) {
    const double q = e * e + rho2;
    *de = rho_ * rho2 / (q * std::sqrt(q));
    return rho_ * e / std::sqrt(q);
  };
  // Projection of point row p and d(u, v)/dP (2 x 3).
  const auto project = [&](int p, double uv[2], double du[3], double dv[3]) {
    const double X = scratch_.points(p, 0), Y = scratch_.points(p, 1), Z = scratch_.points(p, 2);
    if (!(Z >= 0.05) || !std::isfinite(X) || !std::isfinite(Y)) return false;
    const double iz = 1.0 / Z;
    uv[0] = camera_.fx * X * iz + camera_.cx;
    uv[1] = camera_.fy * Y * iz + camera_.cy;
    du[0] = camera_.fx * iz, du[1] = 0, du[2] = -camera_.fx * X * iz * iz;
    dv[0] = 0, dv[1] = camera_.fy * iz, dv[2] = -camera_.fy * Y * iz * iz;
    return true;
  };
  int r = 0;
  for (size_t i = 0; i < rim_.size(); ++i, ++r) {
    const int p = first + static_cast<int>(i);
    double uv[2], du[3], dv[3];
    if (!project(p, uv, du, dv)) return false;
    double d, dd_dx, dd_dy, de;
    field_->Evaluate(uv[0], uv[1], &d, &dd_dx, &dd_dy);
    residuals[r] = outside_weight_ * gmof(d, &de);
    if (!jacobians) continue;
    const double g = outside_weight_ * de;
    const double dr_dP[3] = {g * (dd_dx * du[0] + dd_dy * dv[0]), g * (dd_dx * du[1] + dd_dy * dv[1]),
                             g * (dd_dx * du[2] + dd_dy * dv[2])};
    AddRow(r, p, dr_dP, jacobians);
  }
  for (const ContourMatch& m : matches_) {
    const int p = first + m.rim_index;
    double uv[2], du[3], dv[3];
    if (!project(p, uv, du, dv)) return false;
    double de;
    residuals[r] = contour_weight_ * gmof(m.nx * (uv[0] - m.x) + m.ny * (uv[1] - m.y), &de);
    if (jacobians) {
      const double g = contour_weight_ * de;
      const double dr_dP[3] = {g * (m.nx * du[0] + m.ny * dv[0]), g * (m.nx * du[1] + m.ny * dv[1]),
                               g * (m.nx * du[2] + m.ny * dv[2])};
      AddRow(r, p, dr_dP, jacobians);
    }
    ++r;
  }
  return true;
}

}  // namespace resihmr::optim
