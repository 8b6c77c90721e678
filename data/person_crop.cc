#include "data/person_crop.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "model/error.h"

namespace resihmr::data {

namespace {
constexpr double kRescale = 1.2;  // HMR2.0's box rescale
}

CropBox PersonCropBox(const Observation& person) {
  double x_min, y_min, x_max, y_max;
  if (person.has_bbox && person.bbox[2] > 0 && person.bbox[3] > 0) {
    x_min = person.bbox[0];
    y_min = person.bbox[1];
    x_max = x_min + person.bbox[2];
    y_max = y_min + person.bbox[3];
  } else {
    x_min = y_min = INFINITY;
    x_max = y_max = -INFINITY;
    int present = 0;
    for (Eigen::Index k = 0; k < person.points.rows(); ++k) {
      if (!person.present(static_cast<int>(k))) continue;
      x_min = std::min(x_min, person.points(k, 0));
      x_max = std::max(x_max, person.points(k, 0));
      y_min = std::min(y_min, person.points(k, 1));
      y_max = std::max(y_max, person.points(k, 1));
      ++present;
    }
    if (present < 2 || x_max - x_min + y_max - y_min <= 0) {
      throw Error(person.source + ": image '" + person.image + "', annotation " + std::to_string(person.annotation_id) +
                  ": no box and fewer than two distinct keypoints: no person crop can be cut");
    }
  }
  CropBox box;
  box.side = kRescale * std::max(x_max - x_min, y_max - y_min);
  box.x0 = (x_min + x_max) / 2 - box.side / 2;
  box.y0 = (y_min + y_max) / 2 - box.side / 2;
  return box;
}

cv::Mat CutCrop(const cv::Mat& image, const CropBox& box, int size) {
  const double scale = size / box.side;
  const cv::Matx23d affine(scale, 0, -box.x0 * scale, 0, scale, -box.y0 * scale);
  cv::Mat crop;
  cv::warpAffine(image, crop, affine, cv::Size(size, size), scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar::all(0));
  return crop;
}

Eigen::Vector2d ToCropPixels(const CropBox& box, int size, const Eigen::Vector2d& image_px) {
  return (image_px - Eigen::Vector2d(box.x0, box.y0)) * (size / box.side);
}

Eigen::Matrix<double, 17, 3, Eigen::RowMajor> Coco17InCrop(const Observation& person, const CropBox& box, int size) {
  const KeypointLayout& coco = Coco17Layout();
  Eigen::Matrix<double, 17, 3, Eigen::RowMajor> out = Eigen::Matrix<double, 17, 3, Eigen::RowMajor>::Zero();
  if (!person.layout) return out;
  for (int k = 0; k < coco.size(); ++k) {
    for (int i = 0; i < person.layout->size(); ++i) {
      if (person.layout->targets[static_cast<size_t>(i)].name != coco.targets[static_cast<size_t>(k)].name) continue;
      if (!person.present(i)) break;
      out.row(k).head<2>() = ToCropPixels(box, size, person.points.row(i).transpose()).transpose();
      out(k, 2) = 1;
      break;
    }
  }
  return out;
}

Eigen::Vector3d WeakPerspectiveOfTranslation(const Eigen::Vector3d& transl, const model::PinholeCamera& camera,
                                             const CropBox& box) {
  const Eigen::Vector2d c = box.center();
  return {2 * camera.fx / (box.side * transl.z()), transl.x() - (c.x() - camera.cx) * transl.z() / camera.fx,
          transl.y() - (c.y() - camera.cy) * transl.z() / camera.fy};
}

Eigen::Vector3d TranslationOfWeakPerspective(const Eigen::Vector3d& weak, const model::PinholeCamera& camera,
                                             const CropBox& box) {
  const Eigen::Vector2d c = box.center();
  const double z = 2 * camera.fx / (box.side * weak.x());
  return {weak.y() + (c.x() - camera.cx) * z / camera.fx, weak.z() + (c.y() - camera.cy) * z / camera.fy, z};
}

}  // namespace resihmr::data
