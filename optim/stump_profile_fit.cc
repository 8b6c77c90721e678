#include "optim/stump_profile_fit.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>

#include "optim/mask_outline.h"
#include "optim/outline_raster.h"
#include "optim/silhouette_cost.h"
#include "optim/solve_stage.h"

namespace resihmr::optim {
namespace {

using Eigen::Vector2d;
using geometry::StumpProfile;
constexpr int kP = StumpProfile::kSize;
using Jet = ceres::Jet<double, kP>;
using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

constexpr double kLower[kP] = {0.3, 0.3, 0.0, 0.3};
constexpr double kUpper[kP] = {1.3, 8.0, 0.08, 2.5};
constexpr double kRhoPx = 10;       // as the silhouette stage's
constexpr double kWorkingPx = 192;  // the window's longer side at the working scale (never enlarged)

Jet Gmof(const Jet& e) { return kRhoPx * e / sqrt(e * e + kRhoPx * kRhoPx); }

// The stump's outline against the mask, over theta = (e, p, t, q), with
// x'(theta) the profiled position of limb vertex x (geometry/stump_profile.h)
// and pi the camera projection (pixels):
//   per rim vertex v:          r_v = GMoF_rho(D(pi(x'_v)))
//   per contour point c (outward normal n) matched to rim vertex v(c):
//                              r_c = GMoF_rho(n . (pi(x'_v(c)) - c))
// D the mask's pull field (optim/mask_outline.h: PullField). Derivatives by
// jets through x' and pi, D's gradient from its bicubic interpolation.
class StumpOutlineCost : public ceres::CostFunction {
 public:
  StumpOutlineCost(const model::PinholeCamera& camera, const DistanceField* field, const StumpToFit& stump,
                   std::vector<int> rim, std::vector<ContourMatch> matches)
      : camera_(camera), field_(field), stump_(stump), rim_(std::move(rim)), matches_(std::move(matches)) {
    set_num_residuals(static_cast<int>(rim_.size() + matches_.size()));
    mutable_parameter_block_sizes()->assign({kP});
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    Jet theta[kP];
    for (int k = 0; k < kP; ++k) theta[k] = Jet(parameters[0][k], k);
    const auto pixel = [&](int v, Jet uv[2]) {
      Jet x[3];
      geometry::ProfiledPoint(theta, &(*stump_.vertices)(v, 0), stump_.joint_t, stump_.axis, stump_.length, x);
      camera_.Project(x, uv);
    };
    const auto write = [&](int r, const Jet& value) {
      residuals[r] = value.a;
      if (jacobians != nullptr && jacobians[0] != nullptr) {
        for (int k = 0; k < kP; ++k) jacobians[0][r * kP + k] = value.v[k];
      }
    };
    int r = 0;
    Jet uv[2];
    for (int v : rim_) {
      pixel(v, uv);
      Jet e(0.0);
      double d, dx, dy;
      if (field_->Evaluate(uv[0].a, uv[1].a, &d, &dx, &dy) && d > 0) {
        e.a = d;
        e.v = dx * uv[0].v + dy * uv[1].v;
      }
      write(r++, Gmof(e));
    }
    for (const ContourMatch& m : matches_) {
      pixel(rim_[static_cast<size_t>(m.rim_index)], uv);
      write(r++, Gmof(m.nx * (uv[0] - m.x) + m.ny * (uv[1] - m.y)));
    }
    return true;
  }

 private:
  model::PinholeCamera camera_;
  const DistanceField* field_;
  StumpToFit stump_;
  std::vector<int> rim_;
  std::vector<ContourMatch> matches_;
};

// The prior towards the convex default, w the prior weight (pixels per sigma):
//   r = w ((e - 1) / 0.25, log(p) / 1, t / 0.03 m, (q - 1) / 0.5).
struct ProfilePrior {
  double w;
  template <typename T>
  bool operator()(const T* theta, T* r) const {
    using std::log;
    r[0] = w * (theta[0] - 1.0) / 0.25;
    r[1] = w * log(theta[1]);
    r[2] = w * theta[2] / 0.03;
    r[3] = w * (theta[3] - 1.0) / 0.5;
    return true;
  }
};

// Which faces are the stump's (label 1: any vertex flagged) and which the
// body's (2), and each vertex's role for the rim (0 the stump's, 1 not).
void StumpLabels(const StumpToFit& stump, std::vector<uint8_t>* face_label, std::vector<uint8_t>* vertex_role) {
  const std::vector<uint8_t>& limb = *stump.limb;
  vertex_role->resize(limb.size());
  for (size_t v = 0; v < limb.size(); ++v) (*vertex_role)[v] = limb[v] ? 0 : 1;
  const auto& F = *stump.faces;
  face_label->assign(static_cast<size_t>(F.rows()), 2);
  for (Eigen::Index f = 0; f < F.rows(); ++f) {
    for (int k = 0; k < 3; ++k) {
      if (limb[static_cast<size_t>(F(f, k))]) (*face_label)[static_cast<size_t>(f)] = 1;
    }
  }
}

// The image box of the stump's vertices in front of the camera; false when none is.
bool StumpBox(const model::PinholeCamera& camera, const StumpToFit& stump, Vector2d* lo, Vector2d* hi) {
  *lo = Vector2d::Constant(std::numeric_limits<double>::infinity());
  *hi = -*lo;
  bool any = false;
  for (Eigen::Index v = 0; v < stump.vertices->rows(); ++v) {
    if (!(*stump.limb)[static_cast<size_t>(v)] || (*stump.vertices)(v, 2) <= 0.05) continue;
    Vector2d p;
    camera.Project(&(*stump.vertices)(v, 0), p.data());
    *lo = lo->cwiseMin(p);
    *hi = hi->cwiseMax(p);
    any = true;
  }
  return any;
}

// The stump's mean radial distance from its axis over the last tenth before the cut (metres).
double CutRadius(const StumpToFit& stump) {
  double sum = 0;
  int n = 0;
  for (Eigen::Index v = 0; v < stump.vertices->rows(); ++v) {
    if (!(*stump.limb)[static_cast<size_t>(v)]) continue;
    const Eigen::Vector3d offset = stump.vertices->row(v).transpose() - stump.joint_t;
    const double a = offset.dot(stump.axis);
    if (a < 0.9 * stump.length || a > stump.length) continue;
    sum += (offset - a * stump.axis).norm();
    ++n;
  }
  return n > 0 ? sum / n : 0;
}

// The mask's margin next to the stump: the median offset (pixels) of the
// mask's edge from the body's outline (label 2) in the window, where at
// least kLocalPoints edge points meet the body; else the person's margin.
// A mask dilated by clothing or a segmenter is dilated unevenly, and a
// stump's width is a few times that unevenness.
double LocalMargin(const std::vector<double>& offsets, const std::vector<uint8_t>& hit, double person_margin,
                   double max_margin) {
  constexpr size_t kLocalPoints = 20;
  std::vector<double> body;
  size_t k = 0;
  for (uint8_t label : hit) {
    if (label == 0) continue;
    if (label == 2) body.push_back(offsets[k]);
    ++k;
  }
  if (body.size() < kLocalPoints) return person_margin;
  return std::clamp(Median(body), 0.0, max_margin);
}

}  // namespace

StumpProfileFit FitStumpProfile(const StumpView& view, const StumpToFit& stump, const FitConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  StumpProfileFit out;
  const auto finish = [&](std::string note) {
    out.note = std::move(note);
    out.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
  };
  const model::PinholeCamera& camera = *view.camera;
  const int width = view.mask->cols, height = view.mask->rows;
  Vector2d lo, hi;
  if (!StumpBox(camera, stump, &lo, &hi)) return finish("the stump lies behind the camera");
  if (hi.x() < 0 || hi.y() < 0 || lo.x() >= width || lo.y() >= height) return finish("the stump lies outside the image");
  // How far (pixels) a contour point may lie from the model's outline: the margin and the most soft tissue, and some.
  const double depth = std::max(0.05, stump.joint_t.z());
  out.radius_px = CutRadius(stump) * camera.fx / depth;
  const double reach = view.margin_px + camera.fx * (kUpper[2] + 0.03) / depth;
  const Grid g = GridOver(lo, hi, reach + 8, width, height, kWorkingPx);
  const cv::Mat1b mask = ToGridMask(*view.mask, g, width, height, false);
  const cv::Mat1b others = view.others && !view.others->empty() ? ToGridMask(*view.others, g, width, height, true)
                                                                : cv::Mat1b::zeros(g.rows, g.cols);
  const std::vector<EdgePoint> edge = MaskEdge(mask, others, g, width, height);
  std::unique_ptr<DistanceField> field;
  double margin = view.margin_px;
  std::vector<uint8_t> face_label, vertex_role;
  StumpLabels(stump, &face_label, &vertex_role);

  double theta[kP] = {1.0, 1.0, 0.0, 1.0};
  ceres::Problem problem;
  problem.AddParameterBlock(theta, kP);
  for (int k = 0; k < kP; ++k) {
    problem.SetParameterLowerBound(theta, k, kLower[k]);
    problem.SetParameterUpperBound(theta, k, kUpper[k]);
  }
  problem.AddResidualBlock(new ceres::AutoDiffCostFunction<ProfilePrior, kP, kP>(
                               new ProfilePrior{config.stump_profile_prior_weight}),
                           nullptr, theta);

  const Eigen::Index V = stump.vertices->rows();
  RowMatrixX3d current;
  std::vector<Vector2d> image_points(static_cast<size_t>(V)), grid_points(static_cast<size_t>(V));
  std::vector<uint8_t> front(static_cast<size_t>(V)), hit;
  cv::Mat1b labels(g.rows, g.cols);
  ceres::ResidualBlockId outline = nullptr;
  for (int round = 0; round < config.stump_profile_rounds; ++round) {
    current = *stump.vertices;
    geometry::ApplyStumpProfile({theta[0], theta[1], theta[2], theta[3]}, stump.joint_t, stump.axis, stump.length,
                                *stump.limb, &current);
    for (Eigen::Index v = 0; v < V; ++v) {
      const size_t i = static_cast<size_t>(v);
      front[i] = current(v, 2) > 0.05;
      if (front[i]) camera.Project(&current(v, 0), image_points[i].data());
      grid_points[i] = g.ToGrid(image_points[i].x(), image_points[i].y());
    }
    RasteriseLabels(grid_points, front, *stump.faces, face_label, &labels);
    const std::vector<int> rim = RimVertices(labels, grid_points, front, vertex_role, config.stump_profile_points);
    const std::vector<double> offsets = EdgeOffsets(edge, labels, g, reach, &hit);
    if (round == 0) {
      margin = LocalMargin(offsets, hit, view.margin_px, config.silhouette_max_margin_px);
      out.margin_px = margin;
      if (margin > config.stump_profile_max_margin_ratio * out.radius_px) {
        std::ostringstream why;
        why.precision(3);
        why << "the mask's margin next to the stump (" << margin << " px) is more than "
            << config.stump_profile_max_margin_ratio << " of the stump's radius (" << out.radius_px
            << " px): too loose a mask to read the stump's width from";
        return finish(why.str());
      }
      field = PullField(mask, others, g, margin, width, height);
    }
    std::vector<EdgePoint> stump_edge;
    for (size_t i = 0; i < edge.size(); ++i) {
      if (hit[i] == 1) stump_edge.push_back(edge[i]);
    }
    const std::vector<ContourMatch> matches =
        ContourMatches(stump_edge, labels, g, margin, rim, image_points, config.stump_profile_points);
    if (static_cast<int>(matches.size()) < config.stump_profile_min_points) {
      if (round > 0) break;  // keep the last round's solution
      std::ostringstream why;
      why << "the mask shows " << matches.size() << " points of the stump's outline (at least "
          << config.stump_profile_min_points
          << " needed: it is hidden by the body, on another person's mask, outside the image or too small)";
      return finish(why.str());
    }
    if (outline != nullptr) problem.RemoveResidualBlock(outline);
    out.rim_points = static_cast<int>(rim.size());
    out.contour_points = static_cast<int>(matches.size());
    outline = problem.AddResidualBlock(new StumpOutlineCost(camera, field.get(), stump, rim, matches), nullptr, theta);
    SolveStage("stump profile", config.stump_profile_max_iterations, &problem);
  }
  out.fitted = true;
  out.profile = {theta[0], theta[1], theta[2], theta[3]};
  static const char* const kNames[kP] = {"end_ratio", "taper", "tissue_mm", "roundness"};
  for (int k = 0; k < kP; ++k) {
    const double tolerance = 1e-6 * (kUpper[k] - kLower[k]);
    if (theta[k] <= kLower[k] + tolerance || theta[k] >= kUpper[k] - tolerance) out.at_bound.push_back(kNames[k]);
  }

  // The outline residuals' variance, and the parameters' covariance scaled by it.
  ceres::Problem::EvaluateOptions evaluate;
  evaluate.residual_blocks = {outline};
  std::vector<double> residuals;
  problem.Evaluate(evaluate, nullptr, &residuals, nullptr, nullptr);
  double sum = 0;
  for (double r : residuals) sum += r * r;
  const double n = static_cast<double>(residuals.size());
  out.rms_px = std::sqrt(sum / n);
  ceres::Covariance::Options covariance_options;
  covariance_options.algorithm_type = ceres::DENSE_SVD;
  covariance_options.null_space_rank = -1;
  ceres::Covariance covariance(covariance_options);
  double c[kP * kP];
  const std::vector<std::pair<const double*, const double*>> blocks = {{theta, theta}};
  if (covariance.Compute(blocks, &problem) && covariance.GetCovarianceBlock(theta, theta, c)) {
    const double variance = sum / std::max(1.0, n - kP);
    out.sigma = {std::sqrt(c[0] * variance), std::sqrt(c[5] * variance), std::sqrt(c[10] * variance),
                 std::sqrt(c[15] * variance)};
  }
  return finish("");
}

}  // namespace resihmr::optim
