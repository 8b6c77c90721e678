#include "data/camera_rig.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <filesystem>
#include <fstream>
#include <opencv2/calib3d.hpp>
#include <sstream>

#include "model/error.h"

namespace resihmr::data {
namespace {

CameraRig TwoCameras() {
  CameraRig rig;
  for (int i = 0; i < 2; ++i) {
    RigCamera c;
    c.name = i == 0 ? "01" : "cam_b";
    c.intrinsics.fx = 1200 + 10 * i;
    c.intrinsics.fy = 1190 + 10 * i;
    c.intrinsics.cx = 640.5;
    c.intrinsics.cy = 360.25;
    c.intrinsics.width = 1280;
    c.intrinsics.height = 720;
    c.R = Eigen::AngleAxisd(0.4 + i, Eigen::Vector3d(0.1, 1, 0.2).normalized()).toRotationMatrix();
    c.t = Eigen::Vector3d(0.3 * i, -0.1, 3.5);
    if (i == 1) c.distortion = {-0.1, 0.02, 0.001, -0.002, 0.0};
    rig.cameras.push_back(c);
  }
  return rig;
}

void ExpectSame(const CameraRig& a, const CameraRig& b) {
  ASSERT_EQ(a.cameras.size(), b.cameras.size());
  for (size_t i = 0; i < a.cameras.size(); ++i) {
    const RigCamera &x = a.cameras[i], &y = b.cameras[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_NEAR(x.intrinsics.fx, y.intrinsics.fx, 1e-9);
    EXPECT_NEAR(x.intrinsics.cy, y.intrinsics.cy, 1e-9);
    EXPECT_EQ(x.intrinsics.width, y.intrinsics.width);
    EXPECT_EQ(x.intrinsics.height, y.intrinsics.height);
    EXPECT_LT((x.R - y.R).cwiseAbs().maxCoeff(), 1e-9);
    EXPECT_LT((x.t - y.t).cwiseAbs().maxCoeff(), 1e-9);
    ASSERT_EQ(x.distortion.size(), y.distortion.size());
    for (size_t k = 0; k < x.distortion.size(); ++k) EXPECT_NEAR(x.distortion[k], y.distortion[k], 1e-12);
  }
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CameraRig, BothFormsRoundTrip) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "resihmr_camera_rig_test";
  std::filesystem::remove_all(dir);
  const CameraRig rig = TwoCameras();
  WriteEasyMocapCameras(rig, dir.string());
  WriteCameraRigJson(rig, (dir / "cameras.json").string());
  ExpectSame(rig, ReadCameraRig(dir.string()));
  ExpectSame(rig, ReadCameraRig((dir / "cameras.json").string()));
  EXPECT_NEAR((rig.cameras[1].Centre() - (-rig.cameras[1].R.transpose() * rig.cameras[1].t)).norm(), 0, 1e-12);
  // EasyMocap's files without Rot_: R_ is the Rodrigues vector.
  std::string extri = Slurp((dir / "extri.yml").string());
  for (const char* name : {"Rot_01", "Rot_cam_b"}) extri.replace(extri.find(name), 3, "Xxx");
  ExpectSame(rig, ParseEasyMocapCameras(Slurp((dir / "intri.yml").string()), extri, "intri.yml", "extri.yml"));
  std::filesystem::remove_all(dir);
}

std::string Error(const std::string& json) {
  try {
    ParseCameraRigJson(json, "cams.json");
  } catch (const resihmr::Error& e) {
    return e.what();
  }
  return "";
}

TEST(CameraRig, BadJsonIsRefusedNamingTheCameraAndField) {
  const std::string K = R"("K": [[1000, 0, 320], [0, 1000, 240], [0, 0, 1]])";
  const std::string I = R"("R": [[1, 0, 0], [0, 1, 0], [0, 0, 1]])";
  const auto cam = [&](const std::string& body) { return R"({"cameras": [{"name": "a", )" + body + "}]}"; };
  EXPECT_EQ(Error(cam(K + ", " + I + R"(, "t": [0, 0, 0])")), "");
  EXPECT_NE(Error(cam(K + R"(, "t": [0, 0, 0])")).find("cams.json: cameras[0] ('a'): one of R (3x3) and rvec (3) expected"), std::string::npos);
  EXPECT_NE(Error(cam(K + R"(, "R": [[1, 0, 0], [0, 2, 0], [0, 0, 1]], "t": [0, 0, 0])")).find("R is not a rotation"), std::string::npos);
  EXPECT_NE(Error(cam(K + R"(, "R": [[-1, 0, 0], [0, 1, 0], [0, 0, 1]], "t": [0, 0, 0])")).find("det -1"), std::string::npos);
  EXPECT_NE(Error(cam(R"("K": [[1000, 5, 320], [0, 1000, 240], [0, 0, 1]], )" + I + R"(, "t": [0, 0, 0])")).find("no skew"), std::string::npos);
  EXPECT_NE(Error(cam(R"("K": [[-1, 0, 320], [0, 1000, 240], [0, 0, 1]], )" + I + R"(, "t": [0, 0, 0])")).find("focal lengths"), std::string::npos);
  EXPECT_NE(Error(cam(K + ", " + I + R"(, "t": [0, 0])")).find("t: 3 values expected"), std::string::npos);
  EXPECT_NE(Error(cam(K + ", " + I + R"(, "t": [0, 0, 1e9])")).find("T: at most 1e4 m"), std::string::npos);
  EXPECT_NE(Error(cam(K + ", " + I + R"(, "t": [0, 0, 0], "dist": [1, 2, 3])")).find("dist: 0, 4, 5 or 8 values"), std::string::npos);
  EXPECT_NE(Error(cam(K + ", " + I + R"(, "t": [0, 0, 0], "width": 0)")).find("width: 1 to 65535"), std::string::npos);
  EXPECT_NE(Error(R"({"cameras": [{"name": "../x"}]})").find("may hold only letters"), std::string::npos);
  EXPECT_NE(Error(R"({"cameras": []})").find("1 to 64"), std::string::npos);
  EXPECT_NE(Error("[1]").find("a \"cameras\" array expected"), std::string::npos);
  EXPECT_NE(Error("{").find("not valid JSON"), std::string::npos);
  const std::string two = R"({"cameras": [{"name": "a", )" + K + ", " + I + R"(, "t": [0, 0, 0]}, {"name": "a", )" + K +
                          ", " + I + R"(, "t": [0, 0, 0]}]})";
  EXPECT_NE(Error(two).find("camera 'a' appears twice"), std::string::npos);
}

TEST(CameraRig, BadYamlIsRefusedNamingTheFileCameraAndField) {
  const std::string head = "%YAML:1.0\n---\nnames:\n  - \"01\"\n";
  const std::string K = "K_01: !!opencv-matrix\n  rows: 3\n  cols: 3\n  dt: d\n  data: [1000., 0., 320., 0., 1000., 240., 0., 0., 1.]\n";
  const std::string T = "T_01: !!opencv-matrix\n  rows: 3\n  cols: 1\n  dt: d\n  data: [0., 0., 3.]\n";
  const std::string Rot = "Rot_01: !!opencv-matrix\n  rows: 3\n  cols: 3\n  dt: d\n  data: [1., 0., 0., 0., 1., 0., 0., 0., 1.]\n";
  const auto error = [](const std::string& intri, const std::string& extri) -> std::string {
    try {
      ParseEasyMocapCameras(intri, extri, "intri.yml", "extri.yml");
    } catch (const resihmr::Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error(head + K, head + Rot + T), "");
  EXPECT_NE(error(head + K, head + T).find("extri.yml: camera '01': Rot_01 or R_01: missing"), std::string::npos);
  EXPECT_NE(error(head, head + Rot + T).find("intri.yml: camera '01': K_01: missing"), std::string::npos);
  std::string big = K;
  big.replace(big.find("rows: 3"), 7, "rows: 999999999");
  EXPECT_NE(error(head + big, head + Rot + T).find("intri.yml: line 5: K_01: rows and cols: integers 1 to 64 expected"), std::string::npos);
  std::string wide = T;
  wide.replace(wide.find("cols: 1"), 7, "cols: 2");
  wide.replace(wide.find("[0., 0., 3.]"), 12, "[0., 0., 3., 1., 2., 3.]");
  EXPECT_NE(error(head + K, head + Rot + wide).find("extri.yml: camera '01': T_01: 3x1 or 1x3 expected, got 3x2"), std::string::npos);
  std::string short_data = T;
  short_data.replace(short_data.find("[0., 0., 3.]"), 12, "[0., 3.]");
  EXPECT_NE(error(head + K, head + Rot + short_data).find("data holds 2 values"), std::string::npos);
  std::string bent = Rot;
  bent.replace(bent.find("[1., 0., 0.,"), 12, "[1., 0.5, 0.,");
  EXPECT_NE(error(head + K, head + bent + T).find("R is not a rotation"), std::string::npos);
  EXPECT_NE(error("%YAML:1.0\n---\ncameras: 1\n", head + Rot + T).find("names: a list of camera names expected"), std::string::npos);
  EXPECT_NE(error("not: [yaml", head).find("intri.yml"), std::string::npos);
  EXPECT_NE(error("", "").find("intri.yml"), std::string::npos);
  EXPECT_NE(error(head + K + "K_01: 3\n", head).find("intri.yml: line 10: K_01: the key appears twice"), std::string::npos);
  EXPECT_NE(error(head + "  K_01: 3\n", head).find("line 5: names: \"- item\" lines of one indent expected"), std::string::npos);
  EXPECT_NE(error(head + "H_01: 3\n  W_01: 4\n", head).find("line 6: a top-level \"key: value\" expected"), std::string::npos);
  EXPECT_NE(error(head + K + "...\nmore: 1\n", head).find("line 11: text after the document's end"), std::string::npos);
  EXPECT_NE(error(head + "H_01: [1, 2\n", head).find("line 5: a list \"[\" that is never closed"), std::string::npos);
  EXPECT_NE(error(head + "H_01: [1 2]\n", head).find("',' expected between list entries"), std::string::npos);
  EXPECT_NE(error(head + "H_01: 12.5\n" + K, head + Rot + T).find("H_01: an integer 0 to 65535 expected"), std::string::npos);
  std::string nan = T;
  nan.replace(nan.find("[0., 0., 3.]"), 12, "[0., .Nan, 3.]");
  EXPECT_NE(error(head + K, head + Rot + nan).find("T_01: data: finite numbers expected, got '.Nan'"), std::string::npos);
}

// What OpenCV writes and EasyMocap's Python writes: names as a flow or a
// block list, a matrix's data over several lines, comments, "...", CRLF.
TEST(CameraRig, YamlReaderTakesFileStoragesForms) {
  const std::string K = "K_a: !!opencv-matrix\n   rows: 3\n   cols: 3\n   dt: d\n   data: [ 1.2000000000000000e+03, 0., 6.4e+02, 0.,\n       1200., 360., 0., 0., 1. ]\n";
  const std::string E = "Rot_a: !!opencv-matrix\n   rows: 3\n   cols: 3\n   dt: d\n   data: [ 1., 0., 0., 0., 1., 0., 0., 0., 1. ]\n"
                        "T_a: !!opencv-matrix\n   rows: 3\n   cols: 1\n   dt: d\n   data: [ 0., 0., +3. ]\n";
  for (const std::string names : {"names: [ a ]\n", "names:\n   - a\n", "names:\n- \"a\"\n"}) {
    const std::string intri = "%YAML:1.0\n---\n# cameras\n" + names + K + "H_a: 720\nW_a: 1280\n...\n";
    const CameraRig rig = ParseEasyMocapCameras(intri, "%YAML:1.0\r\n---\r\n" + names + E, "intri.yml", "extri.yml");
    ASSERT_EQ(rig.cameras.size(), 1u) << names;
    EXPECT_EQ(rig.cameras[0].intrinsics.fx, 1200);
    EXPECT_EQ(rig.cameras[0].intrinsics.cx, 640);
    EXPECT_EQ(rig.cameras[0].intrinsics.width, 1280);
    EXPECT_EQ(rig.cameras[0].t.z(), 3);
  }
}

TEST(CameraRig, UndistortPixelInvertsOpenCvsDistortion) {
  RigCamera c = TwoCameras().cameras[1];
  const cv::Matx33d K(c.intrinsics.fx, 0, c.intrinsics.cx, 0, c.intrinsics.fy, c.intrinsics.cy, 0, 0, 1);
  std::vector<cv::Point3d> points{{0.8, -0.6, 2.0}, {-1.0, 0.7, 3.0}};
  std::vector<cv::Point2d> distorted, ideal;
  cv::projectPoints(points, cv::Vec3d(0, 0, 0), cv::Vec3d(0, 0, 0), K, c.distortion, distorted);
  cv::projectPoints(points, cv::Vec3d(0, 0, 0), cv::Vec3d(0, 0, 0), K, std::vector<double>(), ideal);
  for (size_t i = 0; i < points.size(); ++i) {
    const Eigen::Vector2d u = UndistortPixel(c, {distorted[i].x, distorted[i].y});
    EXPECT_GT(std::hypot(distorted[i].x - ideal[i].x, distorted[i].y - ideal[i].y), 1.0);  // the lens matters
    EXPECT_NEAR(u.x(), ideal[i].x, 0.01);
    EXPECT_NEAR(u.y(), ideal[i].y, 0.01);
  }
  c.distortion.clear();
  EXPECT_EQ(UndistortPixel(c, {5, 6}), Eigen::Vector2d(5, 6));
}

}  // namespace
}  // namespace resihmr::data
