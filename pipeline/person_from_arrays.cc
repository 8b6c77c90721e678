#include "pipeline/person_from_arrays.h"

#include <cmath>
#include <opencv2/core.hpp>

#include "data/keypoint_layout.h"
#include "model/error.h"

namespace resihmr::pipeline {

data::Observation PersonFromArrays(const PersonArrays& a) {
  const data::KeypointLayout* layout = data::LayoutByName(a.layout);
  if (!layout) throw Error("person: layout '" + a.layout + "' is unknown (expected coco17, ldpose25 or body25)");
  if (a.keypoints.rows() != layout->size()) {
    throw Error("person: keypoints has " + std::to_string(a.keypoints.rows()) + " rows, layout " + a.layout + " has " +
                std::to_string(layout->size()) + " keypoints (expected shape (" + std::to_string(layout->size()) + ", 3))");
  }
  constexpr int kMaxSide = 100000;
  if (a.image_width < 1 || a.image_width > kMaxSide || a.image_height < 1 || a.image_height > kMaxSide) {
    throw Error("person: image_size " + std::to_string(a.image_width) + "x" + std::to_string(a.image_height) +
                " is not a plausible image size (each side 1..100000 px)");
  }
  data::Observation o;
  o.source = "arrays";
  o.image = a.image;
  o.annotation_id = a.annotation_id;
  o.image_width = a.image_width;
  o.image_height = a.image_height;
  o.layout = layout;
  const int K = layout->size();
  o.points.resize(K, 2);
  o.confidence.resize(K);
  o.visibility.resize(K);
  const bool coco_flags = layout->name != "body25";
  for (int k = 0; k < K; ++k) {
    const std::string what = "person: keypoints[" + std::to_string(k) + "] (" + layout->names[static_cast<size_t>(k)] + ")";
    const double x = a.keypoints(k, 0), y = a.keypoints(k, 1), v = a.keypoints(k, 2);
    if (!std::isfinite(x) || !std::isfinite(y) || std::abs(x) > 1e7 || std::abs(y) > 1e7) {
      throw Error(what + ": x, y must be finite pixels within +-1e7");
    }
    if (coco_flags && v != 0 && v != 1 && v != 2) {
      throw Error(what + ": visibility " + std::to_string(v) + ", expected 0, 1 or 2 (COCO's flags)");
    }
    if (!coco_flags && !(v >= 0 && v <= 1)) throw Error(what + ": confidence " + std::to_string(v) + ", expected 0..1");
    o.points.row(k) << x, y;
    o.confidence[k] = coco_flags ? (v > 0 ? 1.0 : 0.0) : v;
    o.visibility[k] = coco_flags ? static_cast<int>(v) : (v > 0 ? 2 : 0);
  }
  if (!a.mask.empty()) {
    if (a.mask.type() != CV_8UC1 || a.mask.cols != a.image_width || a.mask.rows != a.image_height) {
      throw Error("person: mask is " + std::to_string(a.mask.cols) + "x" + std::to_string(a.mask.rows) +
                  ", expected the image's size " + std::to_string(a.image_width) + "x" + std::to_string(a.image_height) +
                  " (uint8 or bool, nonzero inside the person)");
    }
    o.mask = (a.mask != 0);  // 255 inside
    if (cv::countNonZero(o.mask) == 0) o.warnings.push_back("person: the mask is empty; not used");
    if (cv::countNonZero(o.mask) == 0) o.mask.release();
  }
  return o;
}

}  // namespace resihmr::pipeline
