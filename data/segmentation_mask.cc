#include "data/segmentation_mask.h"

#include <algorithm>
#include <cmath>

#include "model/error.h"

namespace resihmr::data {

cv::Mat RasterisePolygons(const std::vector<std::vector<double>>& polygons, int width, int height) {
  cv::Mat mask(height, width, CV_8UC1, cv::Scalar(0));
  for (const std::vector<double>& poly : polygons) {
    if (poly.size() % 2 != 0) throw Error("polygon has an odd number of coordinates (" + std::to_string(poly.size()) + ")");
    if (poly.size() < 6) throw Error("polygon has fewer than 3 vertices");
    for (size_t i = 0; i < poly.size(); ++i) {
      const double v = poly[i], size = i % 2 ? height : width;
      if (!std::isfinite(v)) throw Error("polygon has a non-finite coordinate");
      if (v < -size || v > 2 * size) {
        throw Error("polygon coordinate " + std::to_string(v) + " lies more than the image's size outside the " +
                    std::to_string(width) + "x" + std::to_string(height) + " image");
      }
    }
    const size_t n = poly.size() / 2;
    double ymin = poly[1], ymax = poly[1];
    for (size_t i = 0; i < n; ++i) {
      ymin = std::min(ymin, poly[2 * i + 1]);
      ymax = std::max(ymax, poly[2 * i + 1]);
    }
    // Rows and columns are clamped to the image in double before they become
    // integers: a coordinate of 3e9 must not overflow an int.
    const int row0 = static_cast<int>(std::clamp(std::floor(ymin - 0.5), 0.0, static_cast<double>(height)));
    const int row1 = static_cast<int>(std::clamp(std::ceil(ymax + 0.5), -1.0, static_cast<double>(height - 1)));
    std::vector<double> xs;
    cv::Mat own(height, width, CV_8UC1, cv::Scalar(0));
    for (int row = row0; row <= row1; ++row) {
      const double yc = row + 0.5;
      xs.clear();
      for (size_t i = 0; i < n; ++i) {
        const double x0 = poly[2 * i], y0 = poly[2 * i + 1];
        const double x1 = poly[2 * ((i + 1) % n)], y1 = poly[2 * ((i + 1) % n) + 1];
        if ((y0 <= yc && yc < y1) || (y1 <= yc && yc < y0)) xs.push_back(x0 + (yc - y0) * (x1 - x0) / (y1 - y0));
      }
      std::sort(xs.begin(), xs.end());
      uchar* line = own.ptr<uchar>(row);
      for (size_t k = 0; k + 1 < xs.size(); k += 2) {
        // Pixels whose centre x + 0.5 lies in [xs[k], xs[k+1]).
        const int first = static_cast<int>(std::clamp(std::ceil(xs[k] - 0.5), 0.0, static_cast<double>(width)));
        const int last = static_cast<int>(std::clamp(std::ceil(xs[k + 1] - 0.5) - 1, -1.0, static_cast<double>(width - 1)));
        for (int col = first; col <= last; ++col) line[col] = 255;
      }
    }
    cv::bitwise_or(mask, own, mask);
  }
  return mask;
}

cv::Mat DecodeRleCounts(const std::vector<int64_t>& counts, int width, int height) {
  const int64_t total = static_cast<int64_t>(width) * height;
  // Transposed (rows are image columns), in a buffer each thread keeps: a
  // dataset's masks then cost no fresh pages but the result's.
  thread_local std::vector<uchar> buffer;
  buffer.assign(static_cast<size_t>(total), 0);
  cv::Mat column_major(width, height, CV_8UC1, buffer.data());
  int64_t position = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < 0) throw Error("RLE run " + std::to_string(i) + " is negative");
    if (counts[i] > total - position) throw Error("RLE runs exceed the image size " + std::to_string(width) + "x" + std::to_string(height));
    if (i % 2 == 1) std::fill_n(column_major.data + position, counts[i], static_cast<uchar>(255));
    position += counts[i];
  }
  if (position != total) {
    throw Error("RLE runs cover " + std::to_string(position) + " pixels, the image has " + std::to_string(total));
  }
  cv::Mat mask;
  cv::transpose(column_major, mask);
  return mask;
}

std::vector<int64_t> CompressedRleToCounts(const std::string& text) {
  // COCO's compressed RLE: each run is a variable-length number in 5-bit
  // groups (char - 48; bit 0x20 = more groups follow; 0x10 in the last group
  // = negative), and runs from the third on are stored as differences to the
  // run two before.
  std::vector<int64_t> counts;
  size_t p = 0;
  while (p < text.size()) {
    int64_t x = 0;
    int k = 0;
    bool more = true;
    while (more) {
      if (p >= text.size()) throw Error("compressed RLE string ends inside a run");
      const int c = static_cast<unsigned char>(text[p]) - 48;
      if (c < 0 || c > 63) throw Error("compressed RLE string has an invalid character");
      if (k >= 12) throw Error("compressed RLE run is too long");
      x |= static_cast<int64_t>(c & 0x1f) << (5 * k);
      more = (c & 0x20) != 0;
      ++p;
      ++k;
      if (!more && (c & 0x10)) x |= -(int64_t{1} << (5 * k));
    }
    // No run can exceed an image's pixel count: bound the values before they are added.
    constexpr int64_t kMaxRun = int64_t{1} << 40;
    if (x > kMaxRun || x < -kMaxRun) throw Error("compressed RLE run is out of range");
    if (counts.size() > 2) x += counts[counts.size() - 2];
    counts.push_back(x);
  }
  return counts;
}

std::vector<int64_t> EncodeRleCounts(const cv::Mat& mask) {
  cv::Mat column_major;
  cv::transpose(mask, column_major);
  std::vector<int64_t> counts;
  uchar current = 0;
  int64_t run = 0;
  const int64_t total = static_cast<int64_t>(mask.rows) * mask.cols;
  const uchar* data = column_major.data;  // cv::transpose allocates a continuous matrix
  for (int64_t i = 0; i < total; ++i) {
    const uchar v = data[i] ? 1 : 0;
    if (v != current) {
      counts.push_back(run);
      run = 0;
      current = v;
    }
    ++run;
  }
  counts.push_back(run);
  return counts;
}

std::string CountsToCompressedRle(const std::vector<int64_t>& counts) {
  std::string text;
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t x = counts[i];
    if (i > 2) x -= counts[i - 2];
    bool more = true;
    while (more) {
      int c = static_cast<int>(x & 0x1f);
      x >>= 5;
      more = (c & 0x10) ? x != -1 : x != 0;
      if (more) c |= 0x20;
      text.push_back(static_cast<char>(c + 48));
    }
  }
  return text;
}

}  // namespace resihmr::data
