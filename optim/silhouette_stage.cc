#include "optim/silhouette_stage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "model/forward_pass.h"
#include "optim/mask_outline.h"
#include "optim/outline_raster.h"
#include "optim/silhouette_cost.h"
#include "optim/solve_stage.h"

namespace resihmr::optim {
namespace {

using Eigen::Vector2d;

// Each vertex's role (its dominant skinning joint's, 0 when no roles are
// given) and each face's label for the rasteriser: 0 not drawn (a lost
// part), 1 pulls, 2 drawn but silent (a residual segment).
void VertexAndFaceRoles(const model::BodyModel& model, const std::vector<uint8_t>& joint_roles,
                        std::vector<uint8_t>* vertex_role, std::vector<uint8_t>* face_label) {
  const int V = model.num_vertices();
  vertex_role->assign(static_cast<size_t>(V), 0);
  face_label->assign(static_cast<size_t>(model.faces.rows()), 1);
  if (joint_roles.empty()) return;
  for (int v = 0; v < V; ++v) {
    Eigen::Index j;
    model.weights.row(v).maxCoeff(&j);
    (*vertex_role)[static_cast<size_t>(v)] = joint_roles[static_cast<size_t>(j)];
  }
  for (Eigen::Index f = 0; f < model.faces.rows(); ++f) {
    uint8_t role = 0;
    for (int k = 0; k < 3; ++k) role = std::max(role, (*vertex_role)[static_cast<size_t>(model.faces(f, k))]);
    (*face_label)[static_cast<size_t>(f)] = role == 2 ? 0 : role == 1 ? 2 : 1;
  }
}

// The working grid: the box of the mask and of the drawn model's projection,
// grown, within the image, at a scale that makes its longer side at most
// `working_px`.
Grid WorkingGrid(const cv::Mat& mask, const std::vector<Vector2d>& image_points, const std::vector<uint8_t>& front,
                 const std::vector<uint8_t>& vertex_role, double working_px) {
  const int width = mask.cols, height = mask.rows;
  const cv::Rect box = cv::boundingRect(mask);
  double lo_x = box.x, lo_y = box.y, hi_x = box.x + box.width, hi_y = box.y + box.height;
  for (size_t v = 0; v < image_points.size(); ++v) {
    if (!front[v] || vertex_role[v] == 2) continue;
    lo_x = std::min(lo_x, image_points[v].x());
    hi_x = std::max(hi_x, image_points[v].x());
    lo_y = std::min(lo_y, image_points[v].y());
    hi_y = std::max(hi_y, image_points[v].y());
  }
  const double pad = std::max(16.0, 0.15 * std::max(hi_x - lo_x, hi_y - lo_y));
  return GridOver({lo_x, lo_y}, {hi_x, hi_y}, pad, width, height, working_px);
}

}  // namespace

StageReport RunSilhouetteStage(const model::BodyModel& model, const model::PinholeCamera& camera,
                               const SilhouetteInput& input, const FitConfig& config, double data_weight,
                               int fitted_keypoints, const FitBlocks& blocks, ceres::Problem* problem,
                               double* margin_px) {
  const auto start = std::chrono::steady_clock::now();
  StageReport report;
  report.name = "silhouette";
  const int J = model.num_joints(), V = model.num_vertices();
  const int width = input.mask->cols, height = input.mask->rows;
  std::vector<uint8_t> vertex_role, face_label;
  VertexAndFaceRoles(model, input.joint_roles, &vertex_role, &face_label);
  // The current mesh, projected (image pixels), and which vertices lie in front of the camera.
  std::vector<double> shape(static_cast<size_t>(model.num_shape()), 0.0), pose(3 * static_cast<size_t>(J));
  model::RowMatrixX3d vertices(V, 3);
  std::vector<Vector2d> image_points(static_cast<size_t>(V));
  std::vector<uint8_t> front(static_cast<size_t>(V));
  const auto pose_mesh = [&] {
    std::copy(blocks.orient, blocks.orient + 3, pose.begin());
    std::copy(blocks.body_pose, blocks.body_pose + 3 * (J - 1), pose.begin() + 3);
    std::copy(blocks.betas, blocks.betas + model.num_betas, shape.begin());
    model::PoseMesh(model, shape.data(), pose.data(), blocks.transl, static_cast<const uint8_t*>(nullptr),
                    vertices.data(), static_cast<double*>(nullptr));
    for (int v = 0; v < V; ++v) {
      front[static_cast<size_t>(v)] = vertices(v, 2) > 0.05;
      if (front[static_cast<size_t>(v)]) camera.Project(&vertices(v, 0), image_points[static_cast<size_t>(v)].data());
    }
  };
  pose_mesh();

  const Grid g = WorkingGrid(*input.mask, image_points, front, vertex_role, config.silhouette_working_px);
  const cv::Mat1b mask = ToGridMask(*input.mask, g, width, height, false);
  const cv::Mat1b others =
      input.others && !input.others->empty() ? ToGridMask(*input.others, g, width, height, true) : cv::Mat1b::zeros(g.rows, g.cols);
  const std::vector<EdgePoint> edge = MaskEdge(mask, others, g, width, height);

  cv::Mat1b labels(g.rows, g.cols);
  std::vector<Vector2d> grid_points(static_cast<size_t>(V));
  const auto draw = [&] {
    for (int v = 0; v < V; ++v) {
      const Vector2d& p = image_points[static_cast<size_t>(v)];
      grid_points[static_cast<size_t>(v)] = g.ToGrid(p.x(), p.y());
    }
    RasteriseLabels(grid_points, front, model.faces, face_label, &labels);
  };
  draw();

  // The mask's margin (image pixels): given, or the median offset of its edge from the model's outline.
  double margin = config.silhouette_margin_px;
  if (margin < 0) {
    const std::vector<double> offsets = EdgeOffsets(edge, labels, g, 2 * config.silhouette_max_margin_px);
    margin = std::clamp(Median(offsets), 0.0, config.silhouette_max_margin_px);
  }
  *margin_px = margin;
  const std::unique_ptr<DistanceField> field = PullField(mask, others, g, margin, width, height);

  const double weight_per_point = config.silhouette_weight * std::sqrt(2.0) * data_weight;
  problem->SetParameterBlockConstant(blocks.transl);
  int rim_count = 0, match_count = 0;
  for (int round = 0; round < config.silhouette_rounds; ++round) {
    if (round > 0) {
      pose_mesh();
      draw();
    }
    const std::vector<int> rim = RimVertices(labels, grid_points, front, vertex_role, config.silhouette_points);
    const std::vector<ContourMatch> matches =
        ContourMatches(edge, labels, g, margin, rim, image_points, config.silhouette_points);
    rim_count = static_cast<int>(rim.size());
    match_count = static_cast<int>(matches.size());
    if (rim.empty() && matches.empty()) break;
    // At silhouette_weight 1 the silhouette weighs as much as all keypoints (2 residuals each) together.
    const double residuals = static_cast<double>(rim.size() + matches.size());
    const double s = weight_per_point * std::sqrt(2.0 * fitted_keypoints / residuals);
    ceres::ResidualBlockId id = problem->AddResidualBlock(
        new SilhouetteCost(model, camera, field.get(), rim, matches, config.silhouette_rho_px, s, s, blocks.zeroed), nullptr,
        blocks.orient, blocks.body_pose, blocks.betas, blocks.transl);
    const StageReport r = SolveStage("silhouette", config.silhouette_max_iterations, problem);
    problem->RemoveResidualBlock(id);
    if (round == 0) report.cost_initial = r.cost_initial;
    report.cost_final = r.cost_final;
    report.iterations += r.iterations;
    report.termination = r.termination;
    report.message = r.message;
  }
  problem->SetParameterBlockVariable(blocks.transl);
  if (report.termination.empty()) {
    report.termination = "CONVERGENCE";
    report.message = "nothing to fit: no outline pixel of the model or the mask pulls";
  }
  std::ostringstream note;
  note.precision(3);
  note << " (mask margin " << margin + 0.0 << " px, " << rim_count << " rim vertices, " << match_count << " contour points)";
  report.message += note.str();
  report.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace resihmr::optim
