#include "geometry/mesh_render.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace resihmr::geometry {
namespace {

struct Projected {
  std::vector<Eigen::Vector3d> p;  // pixel x, y and depth z
};

Projected Project(const RowMatrixX3d& v, const PinholeCamera& cam) {
  Projected out;
  out.p.resize(static_cast<size_t>(v.rows()));
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    const double z = v(i, 2);
    out.p[static_cast<size_t>(i)] = Eigen::Vector3d(cam.fx * v(i, 0) / z + cam.cx, cam.fy * v(i, 1) / z + cam.cy, z);
  }
  return out;
}

RowMatrixX3d VertexNormals(const RowMatrixX3d& v, const RowMatrixX3i& f) {
  RowMatrixX3d n = RowMatrixX3d::Zero(v.rows(), 3);
  for (Eigen::Index i = 0; i < f.rows(); ++i) {
    const Eigen::Vector3d a = v.row(f(i, 0)), b = v.row(f(i, 1)), c = v.row(f(i, 2));
    const Eigen::Vector3d fn = (b - a).cross(c - a);  // area-weighted
    for (int k = 0; k < 3; ++k) n.row(f(i, k)) += fn.transpose();
  }
  for (Eigen::Index i = 0; i < n.rows(); ++i) {
    const double len = n.row(i).norm();
    if (len > 0) n.row(i) /= len;
  }
  return n;
}

// Calls shade(x, y, barycentric, depth) for every pixel centre inside the
// triangle that is nearer than the depth buffer, and updates the buffer.
template <typename Shade>
void RasteriseTriangle(const Eigen::Vector3d& a, const Eigen::Vector3d& b, const Eigen::Vector3d& c, cv::Mat1f& depth,
                       Shade shade) {
  if (a.z() <= 1e-6 || b.z() <= 1e-6 || c.z() <= 1e-6) return;  // behind or at the camera
  const double area = (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x());
  if (std::abs(area) < 1e-12) return;
  const int x0 = std::max(0, static_cast<int>(std::floor(std::min({a.x(), b.x(), c.x()}))));
  const int x1 = std::min(depth.cols - 1, static_cast<int>(std::ceil(std::max({a.x(), b.x(), c.x()}))));
  const int y0 = std::max(0, static_cast<int>(std::floor(std::min({a.y(), b.y(), c.y()}))));
  const int y1 = std::min(depth.rows - 1, static_cast<int>(std::ceil(std::max({a.y(), b.y(), c.y()}))));
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const double px = x + 0.5, py = y + 0.5;
      const double w0 = ((b.x() - px) * (c.y() - py) - (b.y() - py) * (c.x() - px)) / area;
      const double w1 = ((c.x() - px) * (a.y() - py) - (c.y() - py) * (a.x() - px)) / area;
      const double w2 = 1.0 - w0 - w1;
      if (w0 < 0 || w1 < 0 || w2 < 0) continue;
      // Perspective-correct depth: interpolate 1/z.
      const double inv_z = w0 / a.z() + w1 / b.z() + w2 / c.z();
      const float z = static_cast<float>(1.0 / inv_z);
      if (z >= depth(y, x)) continue;
      depth(y, x) = z;
      const Eigen::Vector3d bary(w0 / a.z() / inv_z, w1 / b.z() / inv_z, w2 / c.z() / inv_z);
      shade(x, y, bary);
    }
  }
}

}  // namespace

cv::Mat RenderMesh(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera,
                   const RenderStyle& style, const cv::Mat& background, const RowMatrixX3d& colors) {
  cv::Mat image = background.empty() ? cv::Mat(camera.height, camera.width, CV_8UC3, cv::Scalar(255, 255, 255))
                                     : background.clone();
  cv::Mat1f depth(camera.height, camera.width, std::numeric_limits<float>::infinity());
  cv::Mat3f colour(camera.height, camera.width, cv::Vec3f(0, 0, 0));
  const Projected proj = Project(vertices, camera);
  const RowMatrixX3d normals = VertexNormals(vertices, faces);
  const Eigen::Vector3d light = style.light.normalized();
  const bool per_vertex = colors.rows() == vertices.rows() && colors.rows() > 0;
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const int i0 = faces(f, 0), i1 = faces(f, 1), i2 = faces(f, 2);
    RasteriseTriangle(proj.p[static_cast<size_t>(i0)], proj.p[static_cast<size_t>(i1)], proj.p[static_cast<size_t>(i2)],
                      depth, [&](int x, int y, const Eigen::Vector3d& w) {
                        Eigen::Vector3d n = w[0] * normals.row(i0) + w[1] * normals.row(i1) + w[2] * normals.row(i2);
                        n.normalize();
                        const Eigen::Vector3d point = w[0] * vertices.row(i0) + w[1] * vertices.row(i1) +
                                                      w[2] * vertices.row(i2);
                        if (n.dot(point) > 0) n = -n;  // back faces lit like front faces
                        const double lambert = std::max(0.0, n.dot(light));
                        const double shade = style.ambient + (1.0 - style.ambient) * lambert;
                        const Eigen::Vector3d base = per_vertex ? Eigen::Vector3d(w[0] * colors.row(i0) +
                                                                                  w[1] * colors.row(i1) +
                                                                                  w[2] * colors.row(i2))
                                                                : style.color;
                        colour(y, x) = cv::Vec3f(static_cast<float>(base.z() * shade), static_cast<float>(base.y() * shade),
                                                 static_cast<float>(base.x() * shade));
                      });
  }
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      if (!std::isfinite(depth(y, x))) continue;
      cv::Vec3b& px = image.at<cv::Vec3b>(y, x);
      for (int k = 0; k < 3; ++k) {
        const double value = style.alpha * 255.0 * colour(y, x)[k] + (1.0 - style.alpha) * px[k];
        px[k] = static_cast<uchar>(std::clamp(value, 0.0, 255.0));
      }
    }
  }
  return image;
}

cv::Mat RenderSilhouette(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera) {
  cv::Mat1f depth(camera.height, camera.width, std::numeric_limits<float>::infinity());
  cv::Mat1b mask(camera.height, camera.width, static_cast<uchar>(0));
  const Projected proj = Project(vertices, camera);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    RasteriseTriangle(proj.p[static_cast<size_t>(faces(f, 0))], proj.p[static_cast<size_t>(faces(f, 1))],
                      proj.p[static_cast<size_t>(faces(f, 2))], depth,
                      [&](int x, int y, const Eigen::Vector3d&) { mask(y, x) = 255; });
  }
  return mask;
}

cv::Mat1f RenderDepth(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const PinholeCamera& camera) {
  cv::Mat1f depth(camera.height, camera.width, std::numeric_limits<float>::infinity());
  const Projected proj = Project(vertices, camera);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    RasteriseTriangle(proj.p[static_cast<size_t>(faces(f, 0))], proj.p[static_cast<size_t>(faces(f, 1))],
                      proj.p[static_cast<size_t>(faces(f, 2))], depth, [](int, int, const Eigen::Vector3d&) {});
  }
  return depth;
}

RowMatrixX3d FrameForView(const RowMatrixX3d& vertices, double yaw, int width, int height, PinholeCamera* camera) {
  const Eigen::Vector3d lo = vertices.colwise().minCoeff(), hi = vertices.colwise().maxCoeff();
  const Eigen::Vector3d centre = 0.5 * (lo + hi);
  // Model frame (Y up, facing +Z) to camera frame (Y down, looking down +Z at the front).
  // (x, y, z) -> (x, -y, -z) puts the body's front towards the camera and its left (+x) on the
  // image's right; turning by -yaw first brings the body's left side (+x) to the front for yaw = pi/2.
  const Eigen::Matrix3d turn = Eigen::AngleAxisd(M_PI, Eigen::Vector3d::UnitX()).toRotationMatrix() *
                               Eigen::AngleAxisd(-yaw, Eigen::Vector3d::UnitY()).toRotationMatrix();
  const double extent = std::max((hi - lo).maxCoeff(), 1e-6);
  const double focal = 0.9 * std::min(width, height) * 4.0 / extent;  // object at distance 4 fills 90%
  camera->fx = camera->fy = focal;
  camera->cx = width / 2.0;
  camera->cy = height / 2.0;
  camera->width = width;
  camera->height = height;
  RowMatrixX3d out(vertices.rows(), 3);
  for (Eigen::Index i = 0; i < vertices.rows(); ++i) {
    const Eigen::Vector3d p = turn * (vertices.row(i).transpose() - centre) + Eigen::Vector3d(0, 0, 4.0);
    out.row(i) = p.transpose();
  }
  return out;
}

}  // namespace resihmr::geometry
