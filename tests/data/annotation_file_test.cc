#include "data/annotation_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/segmentation_mask.h"
#include "model/error.h"
#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

using nlohmann::json;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("resihmr_annotation_test_" + name)).string();
}

TEST(CocoKeypoints, ReadsEveryRealPersonWithMasksMatchingTheirArea) {
  RESIHMR_SHARED_DATA_FILE(path, "coco-val2017-sample/test_coco.json");
  const AnnotationFile file = ReadAnnotations(path);
  EXPECT_EQ(file.format, "coco");
  EXPECT_EQ(file.layout, &Coco17Layout());
  EXPECT_EQ(file.images.size(), 4u);
  ASSERT_EQ(file.persons.size(), 14u);
  EXPECT_TRUE(file.warnings.empty());
  for (const Observation& o : file.persons) {
    SCOPED_TRACE("annotation " + std::to_string(o.annotation_id));
    EXPECT_EQ(o.points.rows(), 17);
    EXPECT_GT(o.image_width, 0);
    ASSERT_FALSE(o.mask.empty());
    ASSERT_GT(o.area, 0);
    const double area = cv::countNonZero(o.mask);
    EXPECT_LT(std::abs(area - o.area) / o.area, 0.02) << "mask " << area << " px, file area " << o.area;
    EXPECT_TRUE(o.has_bbox);
  }
  const Observation& first = file.persons.front();
  EXPECT_EQ(first.image, "000000000785.jpg");
  EXPECT_EQ(first.num_present(), 17);
}

TEST(CocoKeypoints, RoundTripKeepsPointsFlagsBoxesAndMasks) {
  RESIHMR_SHARED_DATA_FILE(path, "coco-val2017-sample/test_coco.json");
  const AnnotationFile file = ReadAnnotations(path);
  const std::string out = TempPath("roundtrip.json");
  WriteCocoKeypoints(out, file);
  const AnnotationFile back = ReadAnnotations(out);
  ASSERT_EQ(back.persons.size(), file.persons.size());
  for (size_t i = 0; i < file.persons.size(); ++i) {
    const Observation &a = file.persons[i], &b = back.persons[i];
    EXPECT_EQ(a.annotation_id, b.annotation_id);
    EXPECT_EQ(a.image, b.image);
    EXPECT_EQ(a.visibility, b.visibility);
    for (int k = 0; k < 17; ++k) {
      if (a.present(k)) {
        EXPECT_EQ(a.points.row(k), b.points.row(k));
      }
    }
    EXPECT_EQ(a.bbox, b.bbox);
    EXPECT_EQ(cv::countNonZero(a.mask != b.mask), 0);
  }
  std::filesystem::remove(out);
}

TEST(OpenPose, RoundTrip) {
  std::vector<Observation> persons(2);
  for (int p = 0; p < 2; ++p) {
    Observation& o = persons[static_cast<size_t>(p)];
    o.layout = &Body25Layout();
    o.points.resize(25, 2);
    o.confidence.resize(25);
    o.visibility.resize(25);
    for (int k = 0; k < 25; ++k) {
      o.points.row(k) << 10.5 * k + p, 3.25 * k;
      o.confidence[k] = k % 5 == 0 ? 0.0 : 0.5 + 0.01 * k;
      o.visibility[k] = o.confidence[k] > 0 ? 2 : 0;
    }
    o.hand_left = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>::Constant(21, 3, 0.25);
  }
  const std::string path = TempPath("frame_000001_keypoints.json");
  WriteOpenPose(path, persons);
  const AnnotationFile back = ReadAnnotations(path);
  EXPECT_EQ(back.format, "openpose");
  EXPECT_EQ(back.images.at(0).file_name, "resihmr_annotation_test_frame_000001");
  ASSERT_EQ(back.persons.size(), 2u);
  for (int p = 0; p < 2; ++p) {
    const Observation &a = persons[static_cast<size_t>(p)], &b = back.persons[static_cast<size_t>(p)];
    EXPECT_EQ(a.confidence, b.confidence);
    for (int k = 0; k < 25; ++k) {
      if (a.present(k)) {
        EXPECT_EQ(a.points.row(k), b.points.row(k));
      }
    }
    EXPECT_EQ(b.hand_left.rows(), 21);
    EXPECT_EQ(b.face.rows(), 0);
  }
  std::filesystem::remove(path);
}

// A small valid COCO file to break in one place at a time.
json SmallCoco(int keypoints = 17) {
  json kp = json::array();
  for (int k = 0; k < keypoints; ++k) {
    kp.push_back(10 + k);
    kp.push_back(20 + k);
    kp.push_back(2);
  }
  return {{"images", {{{"id", 1}, {"file_name", "a.jpg"}, {"width", 100}, {"height", 80}}}},
          {"annotations", {{{"id", 7}, {"image_id", 1}, {"category_id", 1}, {"keypoints", kp},
                            {"num_keypoints", keypoints}, {"bbox", {5, 5, 50, 60}}}}}};
}

void ExpectWarningOrError(const json& input, const std::vector<std::string>& needles) {
  const std::string text = input.dump();
  const AnnotationFile lenient = ParseCocoKeypoints(text, "ann.json", ReadOptions());
  EXPECT_TRUE(lenient.persons.empty());
  ASSERT_FALSE(lenient.warnings.empty()) << text;
  for (const std::string& n : needles) EXPECT_NE(lenient.warnings[0].find(n), std::string::npos) << lenient.warnings[0];
  EXPECT_NE(lenient.warnings[0].find("ann.json: annotation 7"), std::string::npos) << lenient.warnings[0];
  ReadOptions strict;
  strict.strict = true;
  EXPECT_THROW(ParseCocoKeypoints(text, "ann.json", strict), Error);
}

TEST(CocoKeypoints, PersonProblemsNameFileAnnotationAndField) {
  EXPECT_EQ(ParseCocoKeypoints(SmallCoco().dump(), "ann.json", ReadOptions()).persons.size(), 1u);
  json wrong_count = SmallCoco(18);
  ExpectWarningOrError(wrong_count, {"keypoints", "18 keypoints"});
  json text_value = SmallCoco();
  text_value["annotations"][0]["keypoints"][4] = "twenty";
  ExpectWarningOrError(text_value, {"keypoints[4]", "left_eye y", "number"});
  json visibility = SmallCoco();
  visibility["annotations"][0]["keypoints"][5] = 3;
  ExpectWarningOrError(visibility, {"keypoints[5]", "visibility 3"});
  json missing_image = SmallCoco();
  missing_image["annotations"][0]["image_id"] = 2;
  ExpectWarningOrError(missing_image, {"image_id", "image 2"});
  json no_keypoints = SmallCoco();
  no_keypoints["annotations"][0].erase("keypoints");
  ExpectWarningOrError(no_keypoints, {"keypoints", "missing"});
}

TEST(CocoKeypoints, UsableOdditiesAreWarningsOnThePerson) {
  json far = SmallCoco();
  far["annotations"][0]["keypoints"][0] = 5000;  // nose far right of a 100 px image
  far["annotations"][0]["num_keypoints"] = 12;
  far["annotations"][0]["bbox"] = {0, 0, 0, 10};
  const AnnotationFile f = ParseCocoKeypoints(far.dump(), "ann.json", ReadOptions());
  ASSERT_EQ(f.persons.size(), 1u);
  const Observation& o = f.persons[0];
  EXPECT_FALSE(o.present(0));
  EXPECT_EQ(o.num_present(), 16);
  EXPECT_FALSE(o.has_bbox);
  ASSERT_EQ(o.warnings.size(), 3u);
  std::string all;
  for (const std::string& w : o.warnings) all += w + "\n";
  EXPECT_NE(all.find("far outside"), std::string::npos) << all;
  EXPECT_NE(all.find("num_keypoints"), std::string::npos) << all;
  EXPECT_NE(all.find("bbox"), std::string::npos) << all;
}

TEST(CocoKeypoints, FileProblemsAreErrors) {
  const auto expect_error = [](const std::string& text, const std::string& needle) {
    try {
      ParseCocoKeypoints(text, "ann.json", ReadOptions());
      ADD_FAILURE() << "no error for: " << text.substr(0, 80);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("ann.json"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("{\"images\": [", "not valid JSON");
  expect_error("[]", "COCO object");
  json no_annotations = SmallCoco();
  no_annotations.erase("annotations");
  expect_error(no_annotations.dump(), "annotations");
  json duplicate = SmallCoco();
  duplicate["annotations"].push_back(duplicate["annotations"][0]);
  expect_error(duplicate.dump(), "duplicate annotation id 7");
  json duplicate_image = SmallCoco();
  duplicate_image["images"].push_back(duplicate_image["images"][0]);
  expect_error(duplicate_image.dump(), "duplicate image id 1");
  json unknown_names = SmallCoco();
  unknown_names["categories"] = {{{"id", 1}, {"name", "person"}, {"keypoints", {"a", "b"}}}};
  expect_error(unknown_names.dump(), "match no known layout");
  EXPECT_THROW(ReadAnnotations("/nonexistent/ann.json"), Error);
}

TEST(OpenPose, BadInput) {
  ReadOptions options;
  const AnnotationFile empty = ParseOpenPose("{\"people\": []}", "f_keypoints.json", options);
  EXPECT_TRUE(empty.persons.empty());
  ASSERT_EQ(empty.warnings.size(), 1u);
  EXPECT_NE(empty.warnings[0].find("empty"), std::string::npos);
  json bad_count = {{"people", {{{"pose_keypoints_2d", std::vector<double>(74, 1.0)}}}}};
  AnnotationFile f = ParseOpenPose(bad_count.dump(), "f_keypoints.json", options);
  EXPECT_TRUE(f.persons.empty());
  EXPECT_NE(f.warnings.at(0).find("74 numbers, expected 75"), std::string::npos) << f.warnings.at(0);
  std::vector<double> pose(75, 0.5);
  pose[2] = 1.5;
  json bad_confidence = {{"people", {{{"pose_keypoints_2d", pose}}}}};
  f = ParseOpenPose(bad_confidence.dump(), "f_keypoints.json", options);
  EXPECT_TRUE(f.persons.empty());
  EXPECT_NE(f.warnings.at(0).find("confidence 1.5"), std::string::npos) << f.warnings.at(0);
  EXPECT_THROW(ParseOpenPose("{\"person\": []}", "f_keypoints.json", options), Error);
}

TEST(SegmentationMask, PolygonAreaAndRleRoundTrip) {
  const cv::Mat square = RasterisePolygons({{10, 10, 30, 10, 30, 20, 10, 20}}, 50, 40);
  EXPECT_EQ(cv::countNonZero(square), 200);
  const cv::Mat triangle = RasterisePolygons({{0, 0, 40, 0, 0, 40}}, 50, 50);
  EXPECT_NEAR(cv::countNonZero(triangle), 800, 25);
  const std::vector<int64_t> counts = EncodeRleCounts(triangle);
  EXPECT_EQ(CompressedRleToCounts(CountsToCompressedRle(counts)), counts);
  EXPECT_EQ(cv::countNonZero(DecodeRleCounts(counts, 50, 50) != triangle), 0);
  EXPECT_THROW(DecodeRleCounts({10, 5}, 5, 5), Error);
  EXPECT_THROW(RasterisePolygons({{1, 2, 3}}, 5, 5), Error);
  EXPECT_THROW(CompressedRleToCounts("\x7f"), Error);
}

}  // namespace
}  // namespace resihmr::data
