#include "optim/outline_raster.h"

#include <algorithm>
#include <cmath>

namespace resihmr::optim {

void RasteriseLabels(const std::vector<Eigen::Vector2d>& p, const std::vector<uint8_t>& front,
                     const model::RowMatrixX3i& faces, const std::vector<uint8_t>& face_label, cv::Mat1b* labels,
                     bool all_faces) {
  labels->setTo(0);
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    const uint8_t label = face_label[static_cast<size_t>(f)];
    const int i0 = faces(f, 0), i1 = faces(f, 1), i2 = faces(f, 2);
    if (!label || !front[i0] || !front[i1] || !front[i2]) continue;
    const Eigen::Vector2d &a = p[i0], &b = p[i1], &c = p[i2];
    const double area = (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x());
    if (!(std::abs(area) > 1e-12) || (!all_faces && area > 0)) continue;
    const double inv = 1.0 / area;
    // Pixel centres x + 0.5 within the face's box.
    const int x0 = std::max(0, static_cast<int>(std::ceil(std::min({a.x(), b.x(), c.x()}) - 0.5)));
    const int x1 = std::min(labels->cols - 1, static_cast<int>(std::floor(std::max({a.x(), b.x(), c.x()}) - 0.5)));
    const int y0 = std::max(0, static_cast<int>(std::ceil(std::min({a.y(), b.y(), c.y()}) - 0.5)));
    const int y1 = std::min(labels->rows - 1, static_cast<int>(std::floor(std::max({a.y(), b.y(), c.y()}) - 0.5)));
    for (int y = y0; y <= y1; ++y) {
      const double py = y + 0.5;
      uint8_t* row = labels->ptr<uint8_t>(y);
      for (int x = x0; x <= x1; ++x) {
        const double px = x + 0.5;
        // Barycentric coordinates of the pixel centre.
        const double w0 = ((b.x() - px) * (c.y() - py) - (b.y() - py) * (c.x() - px)) * inv;
        const double w1 = ((c.x() - px) * (a.y() - py) - (c.y() - py) * (a.x() - px)) * inv;
        if (w0 < 0 || w1 < 0 || w0 + w1 > 1) continue;
        uint8_t& l = row[x];
        if (l == 0 || label < l) l = label;
      }
    }
  }
}

}  // namespace resihmr::optim
