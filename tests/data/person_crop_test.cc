#include "data/person_crop.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "model/error.h"

namespace resihmr::data {
namespace {

Observation PersonWithPoints(const std::vector<Eigen::Vector2d>& points) {
  Observation o;
  o.source = "people.json";
  o.image = "a.png";
  o.annotation_id = 7;
  o.points.setZero(static_cast<Eigen::Index>(points.size()), 2);
  o.confidence.setZero(static_cast<Eigen::Index>(points.size()));
  for (size_t k = 0; k < points.size(); ++k) {
    o.points.row(static_cast<Eigen::Index>(k)) = points[k].transpose();
    o.confidence[static_cast<Eigen::Index>(k)] = 1;
  }
  return o;
}

TEST(PersonCrop, BoxIsTheSquareOfTheLongerSideTimes1p2AboutTheBoxCentre) {
  Observation o = PersonWithPoints({{100, 50}, {140, 250}, {120, 150}});
  CropBox b = PersonCropBox(o);
  EXPECT_DOUBLE_EQ(b.side, 240);
  EXPECT_DOUBLE_EQ(b.center().x(), 120);
  EXPECT_DOUBLE_EQ(b.center().y(), 150);
  o.has_bbox = true;  // the box wins over the keypoints
  o.bbox << 10, 20, 300, 100;
  b = PersonCropBox(o);
  EXPECT_DOUBLE_EQ(b.side, 360);
  EXPECT_DOUBLE_EQ(b.center().x(), 160);
  EXPECT_DOUBLE_EQ(b.center().y(), 70);
}

TEST(PersonCrop, APersonWithoutBoxOrTwoKeypointsIsRefusedByName) {
  Observation o = PersonWithPoints({{100, 50}, {300, 300}});
  o.confidence[1] = 0;
  try {
    PersonCropBox(o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("people.json: image 'a.png', annotation 7"), std::string::npos) << e.what();
  }
}

TEST(PersonCrop, CropPixelsMatchTheCutImage) {
  cv::Mat image(480, 640, CV_8UC3, cv::Scalar::all(0));
  cv::circle(image, cv::Point(410, 300), 3, cv::Scalar::all(255), cv::FILLED);
  CropBox box;
  box.x0 = 300;
  box.y0 = 150;
  box.side = 400;  // part of the crop lies outside the image: black there
  const cv::Mat crop = CutCrop(image, box, 128);
  ASSERT_EQ(crop.rows, 128);
  ASSERT_EQ(crop.cols, 128);
  ASSERT_EQ(crop.type(), CV_8UC3);
  cv::Mat gray;
  cv::cvtColor(crop, gray, cv::COLOR_BGR2GRAY);
  cv::Point peak;
  cv::minMaxLoc(gray, nullptr, nullptr, nullptr, &peak);
  const Eigen::Vector2d expected = ToCropPixels(box, 128, {410, 300});
  EXPECT_NEAR(peak.x, expected.x(), 1.0);
  EXPECT_NEAR(peak.y, expected.y(), 1.0);
  EXPECT_EQ(gray.at<uchar>(127, 127), 0);  // beyond the image's right edge
}

TEST(PersonCrop, WeakPerspectiveIsExactAtTheBodyOriginAndInvertsExactly) {
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  CropBox box;
  box.x0 = 700;
  box.y0 = 100;
  box.side = 500;
  for (const Eigen::Vector3d& t : {Eigen::Vector3d(0.4, -0.2, 4.5), Eigen::Vector3d(-1.1, 0.6, 3.0)}) {
    const Eigen::Vector3d weak = WeakPerspectiveOfTranslation(t, camera, box);
    EXPECT_GT(weak.x(), 0);
    EXPECT_LT((TranslationOfWeakPerspective(weak, camera, box) - t).norm(), 1e-12);
    // The origin's image point, in the crop's normalised coordinates, is s (t_x, t_y).
    double uv[2];
    camera.Project(t.data(), uv);
    const Eigen::Vector2d crop = ToCropPixels(box, 256, {uv[0], uv[1]});
    EXPECT_NEAR((crop.x() - 128) / 128, weak.x() * weak.y(), 1e-12);
    EXPECT_NEAR((crop.y() - 128) / 128, weak.x() * weak.z(), 1e-12);
  }
}

// BODY_25's points reach COCO's order by the body point they mark.
TEST(PersonCrop, Coco17KeypointsComeFromAnyLayoutByBodyPoint) {
  Observation o;
  o.layout = &Body25Layout();
  o.points.setZero(25, 2);
  o.confidence.setZero(25);
  const int lshoulder = o.layout->Index("LShoulder"), rankle = o.layout->Index("RAnkle");
  o.points.row(lshoulder) << 110, 220;
  o.confidence[lshoulder] = 0.9;
  o.points.row(rankle) << 130, 400;  // absent: confidence 0
  CropBox box;
  box.x0 = 100;
  box.y0 = 200;
  box.side = 400;
  const auto coco = Coco17InCrop(o, box, 200);
  const KeypointLayout& c = Coco17Layout();
  EXPECT_DOUBLE_EQ(coco(c.Index("left_shoulder"), 0), 5);
  EXPECT_DOUBLE_EQ(coco(c.Index("left_shoulder"), 1), 10);
  EXPECT_EQ(coco(c.Index("left_shoulder"), 2), 1);
  EXPECT_EQ(coco(c.Index("right_ankle"), 2), 0);
  EXPECT_EQ(coco.col(2).sum(), 1);
}

}  // namespace
}  // namespace resihmr::data
