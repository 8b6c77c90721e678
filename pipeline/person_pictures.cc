#include "pipeline/person_pictures.h"

#include <cmath>
#include <iomanip>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "data/keypoint_drawing.h"
#include "geometry/mesh_render.h"
#include "geometry/view_sheet.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "model/posture.h"

namespace resihmr::pipeline {

geometry::RowMatrixX3d ResidualColours(const std::vector<uint8_t>& residual) {
  geometry::RowMatrixX3d c(static_cast<Eigen::Index>(residual.size()), 3);
  for (size_t v = 0; v < residual.size(); ++v) {
    c.row(static_cast<Eigen::Index>(v)) = residual[v] ? Eigen::RowVector3d(0.85, 0.15, 0.15) : Eigen::RowVector3d(0.78, 0.78, 0.8);
  }
  return c;
}

cv::Mat DrawFitOverlay(const cv::Mat& photo, const data::Observation& person, const PersonResult& result) {
  const optim::FitResult& r = result.result();
  const geometry::StumpMesh& mesh = result.mesh.mesh;
  geometry::RenderStyle style;
  style.alpha = 0.55;
  cv::Mat image = geometry::RenderMesh(mesh.vertices, mesh.faces, r.camera, style, photo, ResidualColours(mesh.residual));
  const double scale = std::max(1.0, image.cols / 640.0);
  data::Observation keypoints_only = person;  // the mask tint would hide the mesh
  keypoints_only.mask.release();
  data::DrawObservation(image, keypoints_only, "", scale);
  for (const auto& link : person.layout->skeleton) {  // the fitted model's skeleton, white
    const auto a = r.keypoints_2d.row(link[0]), b = r.keypoints_2d.row(link[1]);
    if (!a.allFinite() || !b.allFinite()) continue;
    cv::line(image, cv::Point2d(a[0], a[1]), cv::Point2d(b[0], b[1]), cv::Scalar(255, 255, 255),
             std::max(1, static_cast<int>(scale)), cv::LINE_AA);
  }
  for (Eigen::Index k = 0; k < r.keypoints_2d.rows(); ++k) {
    if (!r.keypoints_2d.row(k).allFinite()) continue;
    cv::drawMarker(image, cv::Point2d(r.keypoints_2d(k, 0), r.keypoints_2d(k, 1)), cv::Scalar(255, 255, 255),
                   cv::MARKER_CROSS, static_cast<int>(8 * scale), 1, cv::LINE_AA);
  }
  std::ostringstream caption;
  caption << "fit: mean " << std::fixed << std::setprecision(1) << r.mean_error_px << " px";
  cv::putText(image, caption.str(), cv::Point(8, static_cast<int>(20 * scale)), cv::FONT_HERSHEY_SIMPLEX, 0.6 * scale,
              cv::Scalar(255, 255, 255), 2, cv::LINE_AA);
  return image;
}

cv::Mat DrawViewSheet(const model::BodyModel& m, const PersonResult& result) {
  const geometry::StumpMesh& stump = result.mesh.mesh;
  const std::vector<optim::ResidualLimbResult>& limbs = result.fit.residual_limbs;
  // Rest pose with the residual limbs in red and what they lost pale.
  geometry::RowMatrixX3d rest_colours = geometry::RowMatrixX3d::Constant(m.num_vertices(), 3, 0.78);
  for (size_t i = 0; i < limbs.size(); ++i) {
    const geometry::StumpOutcome* outcome = result.stump_of(i);
    if (!outcome || !outcome->ok) continue;
    const optim::ResidualLimbResult& l = limbs[i];
    const std::vector<uint8_t> gone = model::DistalJoints(m, l.limb);
    const model::ResidualSegment seg = model::SegmentOf(m, l.limb);
    const Eigen::Vector3d t = m.joints_template.row(seg.joint_t), a = m.joints_template.row(seg.joint_a);
    const Eigen::Vector3d end = a + l.lambda * (t - a), dir = (a - t).normalized();
    for (int v = 0; v < m.num_vertices(); ++v) {
      Eigen::Index dominant;
      m.weights.row(v).maxCoeff(&dominant);
      if (dominant != seg.joint_t && !gone[static_cast<size_t>(dominant)]) continue;
      const double along = (m.v_template.row(v).transpose() - end).dot(dir);
      rest_colours.row(v) = along > 0 ? Eigen::RowVector3d(0.93, 0.93, 0.97) : Eigen::RowVector3d(0.85, 0.15, 0.15);
    }
  }
  // Views in the body's own frame: undo the camera (R_x(pi)) so that front faces the viewer.
  geometry::RowMatrixX3d body = stump.vertices;
  body.col(1) *= -1;
  body.col(2) *= -1;
  const geometry::RowMatrixX3d colours = ResidualColours(stump.residual);
  // The body in its pelvis's frame (the root rotation undone about the
  // pelvis), seen from its left: the trunk's own flexion, a stoop, shows as such.
  const Eigen::Matrix3d root = model::RootRotation(result.fit.fit.params);
  const Eigen::RowVector3d pelvis = model::PoseBody(m, result.fit.fit.params, false).joints.row(0);
  const geometry::RowMatrixX3d upright = (stump.vertices.rowwise() - pelvis) * root;
  return geometry::RenderViewSheet({{m.v_template, m.faces, rest_colours, 0.0, "rest pose"},
                                    {body, stump.faces, colours, 0.0, "camera view"},
                                    {body, stump.faces, colours, M_PI / 2, "camera level, 90 deg"},
                                    {body, stump.faces, colours, M_PI, "camera level, 180 deg"},
                                    {upright, stump.faces, colours, M_PI / 2, "pelvis upright, left"}},
                                   300, 450);
}

}  // namespace resihmr::pipeline
