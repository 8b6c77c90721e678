#include "pipeline/multi_view_pictures.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "data/keypoint_drawing.h"
#include "geometry/mesh_render.h"
#include "model/error.h"
#include "pipeline/person_pictures.h"

namespace resihmr::pipeline {

cv::Mat DrawViewOverlay(const cv::Mat& photo, const optim::CalibratedView& view, const optim::ViewReport& report,
                        const MultiViewMesh& mesh) {
  // The mesh in this view's camera frame: X_cam = R X_world + t.
  const geometry::RowMatrixX3d in_camera = (mesh.mesh.vertices * report.R.transpose()).rowwise() + report.t.transpose();
  geometry::RenderStyle style;
  style.alpha = 0.55;
  cv::Mat image = geometry::RenderMesh(in_camera, mesh.mesh.faces, view.camera, style, photo,
                                       ResidualColours(mesh.mesh.residual));
  const double scale = std::max(1.0, image.cols / 640.0);
  data::Observation keypoints_only = view.person;
  keypoints_only.mask.release();
  data::DrawObservation(image, keypoints_only, "", scale);
  for (Eigen::Index k = 0; k < report.keypoints_2d.rows(); ++k) {
    if (!report.keypoints_2d.row(k).allFinite()) continue;
    cv::drawMarker(image, cv::Point2d(report.keypoints_2d(k, 0), report.keypoints_2d(k, 1)), cv::Scalar(255, 255, 255),
                   cv::MARKER_CROSS, static_cast<int>(8 * scale), 1, cv::LINE_AA);
  }
  std::ostringstream caption;
  caption << "view " << view.name << ": ";
  if (report.used) {
    caption << "median " << std::fixed << std::setprecision(1) << report.median_error_px << " px"
            << (report.extrinsics_estimated ? ", pose estimated" : "");
  } else {
    caption << "not used";
  }
  cv::putText(image, caption.str(), cv::Point(8, static_cast<int>(20 * scale)), cv::FONT_HERSHEY_SIMPLEX, 0.6 * scale,
              cv::Scalar(40, 40, 40), 2, cv::LINE_AA);
  return image;
}

std::vector<std::string> WriteMultiViewOverlays(const MultiViewPerson& person, const optim::MultiViewFit& fit,
                                                const MultiViewMesh& mesh, const std::string& images,
                                                const std::string& folder) {
  std::vector<std::string> warnings;
  if (!fit.ok) return warnings;
  for (size_t v = 0; v < person.views.size() && v < fit.views.size(); ++v) {
    const optim::CalibratedView& view = person.views[v];
    const optim::ViewReport& report = fit.views[v];
    if (!report.used && !report.extrinsics_estimated && !std::isfinite(report.median_error_px)) continue;  // no pose
    const std::filesystem::path by_camera = std::filesystem::path(images) / view.name / view.person.image;
    std::error_code ec;
    const std::string photo_path = std::filesystem::exists(by_camera, ec) ? by_camera.string()
                                                                          : (std::filesystem::path(images) / view.person.image).string();
    const cv::Mat photo = cv::imread(photo_path, cv::IMREAD_COLOR);
    if (photo.empty() || photo.cols != view.camera.width || photo.rows != view.camera.height) {
      warnings.push_back(photo_path + ": view " + view.name + ": cannot read an image of " + std::to_string(view.camera.width) +
                         "x" + std::to_string(view.camera.height) + " px; no overlay drawn");
      continue;
    }
    const std::string out = folder + "/person_" + std::to_string(person.annotation_id) + "_" + view.name + ".png";
    if (!cv::imwrite(out, DrawViewOverlay(photo, view, report, mesh))) throw Error(out + ": cannot write image");
  }
  return warnings;
}

}  // namespace resihmr::pipeline
