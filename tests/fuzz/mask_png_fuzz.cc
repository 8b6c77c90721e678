// libFuzzer target: person mask PNGs (data/mask_files.h) on arbitrary bytes;
// the first byte is the instance id asked for (0: a binary mask). A mask is
// CV_8UC1 with only 0 and 255, or a resihmr::Error; MaskProblem accepts any.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <opencv2/core.hpp>

#include "data/mask_files.h"
#include "data/keypoint_layout.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  cv::setNumThreads(1);
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const cv::Mat mask = resihmr::data::DecodeMaskImage(bytes, data[0], "fuzz.png");
    if (mask.type() != CV_8UC1) std::abort();
    if (cv::countNonZero(mask) != cv::countNonZero(mask == 255)) std::abort();
    resihmr::data::Observation o;
    o.layout = &resihmr::data::Coco17Layout();
    o.points = Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>::Constant(17, 2, 3.0);
    o.confidence = Eigen::VectorXd::Ones(17);
    o.visibility = Eigen::VectorXi::Constant(17, 2);
    o.image_width = mask.cols;
    o.image_height = mask.rows;
    (void)resihmr::data::MaskProblem(o, mask);
  } catch (const resihmr::Error&) {
  }
  return 0;
}
