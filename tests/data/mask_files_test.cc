// Person masks from PNG files (data/mask_files.h): the three sources in
// their order, binary and instance-id images, and every bad mask a warning
// that names the file and annotation (an error when strict), never a wrong
// mask used.
#include "data/mask_files.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "data/annotation_file.h"
#include "model/error.h"

namespace resihmr::data {
namespace {

namespace fs = std::filesystem;

// Two persons on one 64 x 48 image: person 1 on the left, person 2 on the right.
struct Folder {
  fs::path dir;
  Folder() {
    dir = fs::temp_directory_path() / ("resihmr_mask_files_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "masks");
  }
  ~Folder() { fs::remove_all(dir); }
  std::string Annotations(const std::string& extra1 = "", const std::string& extra2 = "") const {
    const auto keypoints = [](int x) {
      std::string k;
      for (int i = 0; i < 17; ++i) k += (i ? "," : "") + std::to_string(x + (i % 3)) + "," + std::to_string(10 + i) + ",2";
      return k;
    };
    const std::string text = R"({"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48}], "annotations": [)"
                             R"({"id": 1, "image_id": 1, "keypoints": [)" + keypoints(10) + "]" + extra1 + "}, " +
                             R"({"id": 2, "image_id": 1, "keypoints": [)" + keypoints(45) + "]" + extra2 + "}]}";
    const std::string path = (dir / "ann.json").string();
    std::ofstream(path) << text;
    return path;
  }
  void Png(const std::string& name, const cv::Mat& image) const { ASSERT_TRUE(cv::imwrite((dir / name).string(), image)); }
};

cv::Mat Left(int value = 255, int type = CV_8UC1) {
  cv::Mat m(48, 64, type, cv::Scalar(0));
  m(cv::Rect(5, 5, 20, 35)).setTo(value);
  return m;
}

TEST(MaskFiles, PerPersonFilesInstanceIdsAndMaskFileInTheirOrder) {
  Folder f;
  // Instance ids for the whole image: 1 is person 1 (first in the file), 2 person 2.
  cv::Mat ids(48, 64, CV_16UC1, cv::Scalar(0));
  ids(cv::Rect(5, 5, 20, 35)).setTo(1);
  ids(cv::Rect(40, 5, 20, 35)).setTo(2);
  f.Png("masks/a.png", ids);
  ReadOptions options;
  options.masks_dir = (f.dir / "masks").string();
  AnnotationFile file = ReadAnnotations(f.Annotations(), options);
  ASSERT_EQ(file.persons.size(), 2u);
  EXPECT_EQ(cv::countNonZero(file.persons[0].mask), 20 * 35);
  EXPECT_EQ(file.persons[0].mask.at<uchar>(10, 10), 255);
  EXPECT_EQ(file.persons[1].mask.at<uchar>(10, 45), 255);
  EXPECT_EQ(file.persons[1].mask.at<uchar>(10, 10), 0);
  // A per-person binary file comes before the instance-id image.
  cv::Mat own = Left();
  own(cv::Rect(0, 0, 3, 3)).setTo(255);
  f.Png("masks/a_1.png", own);
  file = ReadAnnotations(f.Annotations(), options);
  EXPECT_EQ(cv::countNonZero(file.persons[0].mask), 20 * 35 + 9);
  // mask_file (relative to the annotation file) with mask_value comes first of all.
  f.Png("p.png", ids);
  file = ReadAnnotations(f.Annotations(R"(, "mask_file": "p.png", "mask_value": 2)"), options);
  EXPECT_EQ(file.persons[0].mask_file, "p.png");
  // Instance 2 lies on person 2's side: person 1's keypoints do not meet it.
  EXPECT_TRUE(file.persons[0].mask.empty());
  ASSERT_FALSE(file.persons[0].warnings.empty());
  EXPECT_NE(file.persons[0].warnings.back().find("annotation 1: the mask does not overlap"), std::string::npos);
}

TEST(MaskFiles, BadMasksAreWarningsNamingFileAndAnnotationAndErrorsWhenStrict) {
  Folder f;
  ReadOptions options;
  options.masks_dir = (f.dir / "masks").string();
  struct Case {
    std::string what;
    std::function<void()> write;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"wrong size", [&] { f.Png("masks/a_1.png", cv::Mat(10, 10, CV_8UC1, cv::Scalar(255))); }, "the mask is 10x10, the image 64x48"},
      {"empty", [&] { f.Png("masks/a_1.png", cv::Mat(48, 64, CV_8UC1, cv::Scalar(0))); }, "empty"},
      {"all ones", [&] { f.Png("masks/a_1.png", cv::Mat(48, 64, CV_8UC1, cv::Scalar(255))); }, "covers the whole image"},
      {"three values", [&] { cv::Mat m = Left(); m(cv::Rect(0, 0, 2, 2)).setTo(7); f.Png("masks/a_1.png", m); }, "more than two values"},
      {"not a png", [&] { std::ofstream((f.dir / "masks/a_1.png").string()) << "GIF89a not a png"; }, "not a PNG"},
      {"truncated png", [&] {
         std::vector<uchar> bytes;
         cv::imencode(".png", Left(), bytes);
         std::ofstream out((f.dir / "masks/a_1.png").string(), std::ios::binary);
         out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size() / 2));
       }, "cannot decode"},
      {"missing", [&] { fs::remove(f.dir / "masks/a_1.png"); }, "no mask file"},
  };
  for (const Case& c : cases) {
    c.write();
    options.strict = false;
    const AnnotationFile file = ReadAnnotations(f.Annotations(), options);
    ASSERT_EQ(file.persons.size(), 2u) << c.what;
    EXPECT_TRUE(file.persons[0].mask.empty()) << c.what;
    std::string said;
    for (const std::string& w : file.persons[0].warnings) said += w + "\n";
    EXPECT_NE(said.find("ann.json: annotation 1"), std::string::npos) << c.what << ": " << said;
    EXPECT_NE(said.find(c.fragment), std::string::npos) << c.what << ": " << said;
    options.strict = true;
    EXPECT_THROW(ReadAnnotations(f.Annotations(), options), Error) << c.what;
  }
}

TEST(MaskFiles, DecodeRefusesAbsurdHeadersBeforeDecoding) {
  std::vector<uchar> bytes;
  cv::imencode(".png", Left(), bytes);
  std::string png(bytes.begin(), bytes.end());
  png[16] = '\x7f';  // width ~2e9
  EXPECT_THROW(DecodeMaskImage(png, 0, "huge.png"), Error);
  EXPECT_THROW(DecodeMaskImage("", 0, "empty.png"), Error);
  const cv::Mat ok = DecodeMaskImage(std::string(bytes.begin(), bytes.end()), 0, "ok.png");
  EXPECT_EQ(cv::countNonZero(ok), 20 * 35);
  // An instance id that is not in the image gives no pixel (MaskProblem then says "empty").
  EXPECT_EQ(cv::countNonZero(DecodeMaskImage(std::string(bytes.begin(), bytes.end()), 3, "id.png")), 0);
}

}  // namespace
}  // namespace resihmr::data
