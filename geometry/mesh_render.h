// A small CPU rasteriser on OpenCV for pictures a person can check: z-buffered
// triangles under a pinhole camera at the origin looking down +Z (image y
// down, the project's camera convention), smooth Lambert shading from vertex
// normals, per-vertex colours, optional alpha over a background image, the
// binary silhouette mask and the depth buffer. Vertices are in camera coordinates (metres).
#pragma once

#include <Eigen/Core>
#include <opencv2/core.hpp>

#include "model/camera.h"

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

using model::PinholeCamera;

struct RenderStyle {
  Eigen::Vector3d color = Eigen::Vector3d(0.75, 0.75, 0.78);  // RGB in [0, 1] when no per-vertex colours
  double alpha = 1.0;              // opacity over the background
  Eigen::Vector3d light = Eigen::Vector3d(0.3, -0.4, -1.0);   // direction towards the light, camera frame
  double ambient = 0.25;
};

// Renders over `background` (CV_8UC3 BGR of the camera's size; empty: white).
// `colors` is V x 3 RGB in [0, 1] or empty.
cv::Mat RenderMesh(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera,
                   const RenderStyle& style = RenderStyle(), const cv::Mat& background = cv::Mat(),
                   const RowMatrixX3d& colors = RowMatrixX3d());

// CV_8UC1 mask, 255 where the mesh covers a pixel centre.
cv::Mat RenderSilhouette(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera);

// CV_32FC1 depth buffer: the camera-frame z (the mesh's units) of the
// nearest surface at each pixel centre, +infinity where there is none.
cv::Mat1f RenderDepth(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera);

// A camera of the given size that frames the points from the front at a
// distance, and the points moved into its frame: rotated by `yaw` radians
// about the vertical (Y) axis through their centre, turned so that +Y is up
// in the image and the body faces the camera.
RowMatrixX3d FrameForView(const RowMatrixX3d& vertices, double yaw, int width, int height, PinholeCamera* camera);

}  // namespace resihmr::geometry
