#include "data/mask_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "model/error.h"

namespace resihmr::data {
namespace {

constexpr uintmax_t kMaxMaskFileBytes = 256u << 20;
constexpr int kMaxMaskSide = 100000;

}  // namespace

cv::Mat DecodeMaskImage(const std::string& bytes, int value, const std::string& name) {
  if (bytes.empty()) throw Error(name + ": empty file, expected a PNG mask");
  // The header's size first: OpenCV would allocate whatever it says.
  if (bytes.size() >= 24 && bytes.compare(1, 3, "PNG") == 0) {
    const auto be32 = [&](size_t at) {
      return (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24) |
             (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16) |
             (static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8) | static_cast<uint8_t>(bytes[at + 3]);
    };
    const uint32_t w = be32(16), h = be32(20);
    if (w == 0 || h == 0 || w > kMaxMaskSide || h > kMaxMaskSide) {
      throw Error(name + ": PNG of " + std::to_string(w) + "x" + std::to_string(h) +
                  " pixels, expected each side 1..100000");
    }
  } else {
    throw Error(name + ": not a PNG file (masks are PNG images)");
  }
  cv::Mat image;
  try {
    image = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())),
                         cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    throw Error(name + ": cannot decode the PNG: " + e.what());
  }
  if (image.empty()) throw Error(name + ": cannot decode the PNG");
  if (image.depth() != CV_8U && image.depth() != CV_16U) throw Error(name + ": expected an 8- or 16-bit PNG");
  cv::Mat grey;
  if (image.channels() == 1) {
    grey = image;
  } else {
    std::vector<cv::Mat> channels;
    cv::split(image, channels);
    for (size_t c = 1; c < std::min<size_t>(channels.size(), 3); ++c) {
      if (cv::countNonZero(channels[c] != channels[0]) > 0) {
        throw Error(name + ": a colour PNG whose channels differ; expected a grey binary or instance-id mask");
      }
    }
    grey = channels[0];
  }
  if (value > 0) {
    if (image.channels() != 1) throw Error(name + ": an instance-id mask must be a single-channel PNG");
    return grey == value;
  }
  double lo = 0, hi = 0;
  cv::minMaxLoc(grey, &lo, &hi);
  const cv::Mat inside = grey != 0;
  if (hi > 0 && cv::countNonZero(inside) != cv::countNonZero(grey == hi)) {
    throw Error(name + ": holds more than two values; expected a binary mask (0 and 255), or give the "
                "person's mask_value in an instance-id image");
  }
  return inside;
}

cv::Mat ReadMaskImage(const std::string& path, int value) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such mask file");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxMaskFileBytes) throw Error(path + ": larger than 256 MiB, or unreadable");
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw Error(path + ": cannot read the mask file");
  return DecodeMaskImage(bytes, value, path);
}

std::string MaskProblem(const Observation& o, const cv::Mat& mask) {
  if (mask.empty()) return "the mask is empty";
  if (o.image_width > 0 && (mask.cols != o.image_width || mask.rows != o.image_height)) {
    return "the mask is " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows) + ", the image " +
           std::to_string(o.image_width) + "x" + std::to_string(o.image_height);
  }
  const int inside = cv::countNonZero(mask);
  if (inside == 0) return "the mask is empty (no pixel of the person)";
  if (inside == mask.rows * mask.cols) return "the mask covers the whole image";
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  int labelled = 0;
  for (int k = 0; k < o.points.rows(); ++k) {
    if (!o.present(k)) continue;
    ++labelled;
    x0 = std::min(x0, o.points(k, 0));
    y0 = std::min(y0, o.points(k, 1));
    x1 = std::max(x1, o.points(k, 0));
    y1 = std::max(y1, o.points(k, 1));
  }
  if (labelled < 2) return "";
  const double grow_x = 0.2 * (x1 - x0) + 2, grow_y = 0.2 * (y1 - y0) + 2;
  const int bx0 = std::clamp(static_cast<int>(std::floor(x0 - grow_x)), 0, mask.cols);
  const int by0 = std::clamp(static_cast<int>(std::floor(y0 - grow_y)), 0, mask.rows);
  const int bx1 = std::clamp(static_cast<int>(std::ceil(x1 + grow_x)), 0, mask.cols);
  const int by1 = std::clamp(static_cast<int>(std::ceil(y1 + grow_y)), 0, mask.rows);
  if (bx1 <= bx0 || by1 <= by0 || cv::countNonZero(mask(cv::Rect(bx0, by0, bx1 - bx0, by1 - by0))) == 0) {
    return "the mask does not overlap the person's keypoints";
  }
  return "";
}

}  // namespace resihmr::data
