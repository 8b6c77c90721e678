#include "data/keypoint_drawing.h"

#include <opencv2/imgproc.hpp>

namespace resihmr::data {
namespace {

cv::Scalar SideColour(const std::string& name) {
  const bool left = name.find("left") != std::string::npos || (!name.empty() && name[0] == 'L');
  const bool right = name.find("right") != std::string::npos || (!name.empty() && name[0] == 'R');
  if (left) return cv::Scalar(220, 120, 30);   // blue (BGR)
  if (right) return cv::Scalar(30, 140, 240);  // orange
  return cv::Scalar(150, 150, 150);
}

}  // namespace

void DrawObservation(cv::Mat& image, const Observation& o, const std::string& caption, double scale) {
  const int thick = std::max(1, static_cast<int>(std::round(2 * scale)));
  const int radius = std::max(2, static_cast<int>(std::round(4 * scale)));
  if (!o.mask.empty() && o.mask.size() == image.size()) {
    cv::Mat tint(image.size(), image.type(), cv::Scalar(80, 200, 80));
    cv::Mat blended;
    cv::addWeighted(image, 0.65, tint, 0.35, 0, blended);
    blended.copyTo(image, o.mask);
  }
  if (o.has_bbox) {
    cv::rectangle(image, cv::Rect2d(o.bbox[0], o.bbox[1], o.bbox[2], o.bbox[3]), cv::Scalar(60, 200, 60), thick);
  }
  const auto pt = [&](int k) { return cv::Point2d(o.points(k, 0), o.points(k, 1)); };
  for (const auto& link : o.layout->skeleton) {
    if (!o.present(link[0]) || !o.present(link[1])) continue;
    const std::string& far = o.layout->names[static_cast<size_t>(link[1])];
    const bool endpoint = o.layout->targets[static_cast<size_t>(link[1])].kind == TargetKind::kResidualEndpoint;
    cv::line(image, pt(link[0]), pt(link[1]), endpoint ? cv::Scalar(40, 40, 230) : SideColour(far), thick, cv::LINE_AA);
  }
  for (int k = 0; k < o.layout->size(); ++k) {
    if (!o.present(k)) continue;
    const std::string& name = o.layout->names[static_cast<size_t>(k)];
    const bool endpoint = o.layout->targets[static_cast<size_t>(k)].kind == TargetKind::kResidualEndpoint;
    const cv::Scalar colour = endpoint ? cv::Scalar(40, 40, 230) : SideColour(name);
    const bool occluded = o.visibility[k] == 1;
    cv::circle(image, pt(k), radius, colour, occluded ? thick : cv::FILLED, cv::LINE_AA);
    cv::circle(image, pt(k), radius, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    if (endpoint) {
      cv::putText(image, name, pt(k) + cv::Point2d(radius + 2, -radius), cv::FONT_HERSHEY_SIMPLEX, 0.4 * scale,
                  cv::Scalar(40, 40, 230), std::max(1, thick / 2), cv::LINE_AA);
    }
  }
  if (!caption.empty()) {
    cv::Point2d at = o.has_bbox ? cv::Point2d(o.bbox[0], std::max(12.0 * scale, o.bbox[1] - 6 * scale)) : cv::Point2d(8, 16 * scale);
    int baseline = 0;
    const cv::Size size = cv::getTextSize(caption, cv::FONT_HERSHEY_SIMPLEX, 0.45 * scale, 1, &baseline);
    at.x = std::max(2.0, std::min(at.x, image.cols - size.width - 4.0));  // keep the caption inside the image
    cv::rectangle(image, cv::Rect2d(at.x - 2, at.y - size.height - 3, size.width + 4, size.height + baseline + 4),
                  cv::Scalar(255, 255, 255), cv::FILLED);
    cv::putText(image, caption, at, cv::FONT_HERSHEY_SIMPLEX, 0.45 * scale, cv::Scalar(20, 20, 20), 1, cv::LINE_AA);
  }
}

}  // namespace resihmr::data
