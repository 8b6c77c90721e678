#include "geometry/view_sheet.h"

#include <opencv2/imgproc.hpp>

namespace resihmr::geometry {

cv::Mat RenderViewSheet(const std::vector<ViewPanel>& panels, int panel_width, int panel_height) {
  std::vector<cv::Mat> images;
  for (const ViewPanel& panel : panels) {
    PinholeCamera camera;
    const RowMatrixX3d framed = FrameForView(panel.vertices, panel.yaw, panel_width, panel_height, &camera);
    cv::Mat image = RenderMesh(framed, panel.faces, camera, RenderStyle(), cv::Mat(), panel.colors);
    cv::putText(image, panel.caption, cv::Point(10, 24), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(40, 40, 40), 1,
                cv::LINE_AA);
    cv::rectangle(image, cv::Rect(0, 0, image.cols, image.rows), cv::Scalar(200, 200, 200), 1);
    images.push_back(image);
  }
  cv::Mat sheet;
  if (!images.empty()) cv::hconcat(images, sheet);
  return sheet;
}

}  // namespace resihmr::geometry
