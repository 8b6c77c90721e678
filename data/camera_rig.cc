#include "data/camera_rig.h"

#include <Eigen/Geometry>
#include <Eigen/SVD>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "data/opencv_yaml.h"
#include "model/error.h"

namespace resihmr::data {
namespace {

constexpr size_t kMaxCameras = 64;
constexpr size_t kMaxFileBytes = 16u << 20;

void CheckName(const std::string& name, const std::string& where) {
  if (name.empty() || name.size() > 64) throw Error(where + ": a camera name of 1 to 64 characters expected");
  for (char ch : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.';
    if (!ok) throw Error(where + ": camera name '" + name + "' may hold only letters, digits, '_', '-' and '.'");
  }
  if (name == "." || name == "..") throw Error(where + ": '" + name + "' is not a camera name");
}

// Checks and completes one camera; `where` names the file and the camera.
void CheckCamera(RigCamera* c, const std::string& where) {
  const model::PinholeCamera& k = c->intrinsics;
  for (double v : {k.fx, k.fy}) {
    if (!std::isfinite(v) || v < 1e-3 || v > 1e6) throw Error(where + ": K: focal lengths 1e-3 to 1e6 px expected");
  }
  for (double v : {k.cx, k.cy}) {
    if (!std::isfinite(v) || std::abs(v) > 1e6) throw Error(where + ": K: a finite principal point within 1e6 px expected");
  }
  if (k.width < 0 || k.width > 65535 || k.height < 0 || k.height > 65535 || (k.width == 0) != (k.height == 0)) {
    throw Error(where + ": image size: width and height 1 to 65535 (or neither) expected");
  }
  if (!c->R.allFinite() || !c->t.allFinite()) throw Error(where + ": R and T must be finite");
  const double off = (c->R.transpose() * c->R - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff();
  if (off > 1e-4 || c->R.determinant() < 0) {
    std::ostringstream s;
    s << where << ": R is not a rotation (|R^T R - I| = " << off << ", det " << c->R.determinant()
      << "; orthonormal within 1e-4 with determinant +1 expected)";
    throw Error(s.str());
  }
  const Eigen::JacobiSVD<Eigen::Matrix3d> svd(c->R, Eigen::ComputeFullU | Eigen::ComputeFullV);
  c->R = svd.matrixU() * svd.matrixV().transpose();  // exactly orthonormal
  if (c->t.norm() > 1e4) throw Error(where + ": T: at most 1e4 m from the world origin expected");
  const size_t d = c->distortion.size();
  if (d != 0 && d != 4 && d != 5 && d != 8) throw Error(where + ": dist: 0, 4, 5 or 8 values expected, got " + std::to_string(d));
  for (double v : c->distortion) {
    if (!std::isfinite(v) || std::abs(v) > 1e3) throw Error(where + ": dist: finite values within +-1e3 expected");
  }
  bool all_zero = true;
  for (double v : c->distortion) all_zero = all_zero && v == 0;
  if (all_zero) c->distortion.clear();
}

void CheckRig(const CameraRig& rig, const std::string& where) {
  if (rig.cameras.empty() || rig.cameras.size() > kMaxCameras) {
    throw Error(where + ": 1 to " + std::to_string(kMaxCameras) + " cameras expected, got " + std::to_string(rig.cameras.size()));
  }
  std::set<std::string> names;
  for (const RigCamera& c : rig.cameras) {
    if (!names.insert(c.name).second) throw Error(where + ": camera '" + c.name + "' appears twice");
  }
}

// A matrix entry (rows x cols numbers, checked by the parser) of one of the
// expected shapes.
std::vector<double> MatrixValues(const OpenCvYaml& yaml, const std::string& key, const std::string& where,
                                 std::vector<std::pair<int, int>> shapes) {
  const auto it = yaml.find(key);
  if (it == yaml.end()) throw Error(where + ": missing");
  const OpenCvYamlValue& v = it->second;
  if (v.kind != OpenCvYamlValue::Kind::kMatrix) throw Error(where + ": an opencv-matrix expected (line " + std::to_string(v.line) + ")");
  bool shape_ok = false;
  for (const auto& [er, ec] : shapes) shape_ok = shape_ok || (v.rows == er && v.cols == ec);
  if (!shape_ok) {
    std::string expected;
    for (const auto& [er, ec] : shapes) expected += (expected.empty() ? "" : " or ") + std::to_string(er) + "x" + std::to_string(ec);
    throw Error(where + ": " + expected + " expected, got " + std::to_string(v.rows) + "x" + std::to_string(v.cols));
  }
  return v.data;
}

int OptionalSize(const OpenCvYaml& yaml, const std::string& key, const std::string& where) {
  const auto it = yaml.find(key);
  if (it == yaml.end()) return 0;
  long long n = 0;
  if (it->second.kind != OpenCvYamlValue::Kind::kScalar || !YamlInteger(it->second.scalar, &n) || n < 0 || n > 65535) {
    throw Error(where + ": " + key + ": an integer 0 to 65535 expected");
  }
  return static_cast<int>(n);
}

Eigen::Matrix3d Rodrigues(const Eigen::Vector3d& r) {
  const double angle = r.norm();
  if (angle < 1e-300) return Eigen::Matrix3d::Identity();
  return Eigen::AngleAxisd(angle, r / angle).toRotationMatrix();
}

OpenCvYaml OpenYaml(const std::string& text, const std::string& name) {
  if (text.size() > kMaxFileBytes) throw Error(name + ": larger than 16 MiB");
  return ParseOpenCvYaml(text, name);
}

std::vector<std::string> Names(const OpenCvYaml& yaml, const std::string& where) {
  const auto it = yaml.find("names");
  if (it == yaml.end() || it->second.kind != OpenCvYamlValue::Kind::kList) throw Error(where + ": names: a list of camera names expected");
  const std::vector<std::string>& names = it->second.items;
  if (names.empty() || names.size() > kMaxCameras) {
    throw Error(where + ": names: 1 to " + std::to_string(kMaxCameras) + " cameras expected, got " + std::to_string(names.size()));
  }
  for (size_t i = 0; i < names.size(); ++i) CheckName(names[i], where + ": names: entry " + std::to_string(i));
  return names;
}
std::string ReadSmallFile(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot open file");
  if (size > kMaxFileBytes) throw Error(path + ": larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<double> JsonNumbers(const nlohmann::json& j, size_t n, const std::string& where) {
  std::vector<double> out;
  const auto take = [&](const nlohmann::json& v) {
    if (!v.is_number()) throw Error(where + ": numbers expected");
    out.push_back(v.get<double>());
  };
  if (!j.is_array()) throw Error(where + ": an array expected");
  for (const nlohmann::json& row : j) {
    if (row.is_array()) {
      for (const nlohmann::json& v : row) take(v);
    } else {
      take(row);
    }
    if (out.size() > n) break;
  }
  if (out.size() != n) throw Error(where + ": " + std::to_string(n) + " values expected");
  return out;
}

}  // namespace

const RigCamera* CameraRig::Find(const std::string& name) const {
  for (const RigCamera& c : cameras) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

CameraRig ParseEasyMocapCameras(const std::string& intri_text, const std::string& extri_text,
                                const std::string& intri_name, const std::string& extri_name) {
  const OpenCvYaml intri = OpenYaml(intri_text, intri_name);
  const OpenCvYaml extri = OpenYaml(extri_text, extri_name);
  CameraRig rig;
  for (const std::string& name : Names(intri, intri_name)) {
    RigCamera c;
    c.name = name;
    const std::string in_where = intri_name + ": camera '" + name + "'";
    const std::vector<double> K = MatrixValues(intri, "K_" + name, in_where + ": K_" + name, {{3, 3}});
    if (K[1] != 0 || K[3] != 0 || K[6] != 0 || K[7] != 0 || K[8] != 1) {
      throw Error(in_where + ": K_" + name + ": [[fx, 0, cx], [0, fy, cy], [0, 0, 1]] expected (no skew)");
    }
    c.intrinsics.fx = K[0];
    c.intrinsics.cx = K[2];
    c.intrinsics.fy = K[4];
    c.intrinsics.cy = K[5];
    if (intri.count("dist_" + name)) {
      c.distortion = MatrixValues(intri, "dist_" + name, in_where + ": dist_" + name, {{1, 4}, {4, 1}, {1, 5}, {5, 1}, {1, 8}, {8, 1}});
    }
    c.intrinsics.height = OptionalSize(intri, "H_" + name, in_where);
    c.intrinsics.width = OptionalSize(intri, "W_" + name, in_where);
    const std::string ex_where = extri_name + ": camera '" + name + "'";
    std::vector<double> R;
    if (extri.count("Rot_" + name)) {
      R = MatrixValues(extri, "Rot_" + name, ex_where + ": Rot_" + name, {{3, 3}});
    } else {
      R = MatrixValues(extri, "R_" + name, ex_where + ": Rot_" + name + " or R_" + name, {{3, 1}, {1, 3}, {3, 3}});
    }
    if (R.size() == 3) {
      const Eigen::Vector3d r(R[0], R[1], R[2]);
      if (!r.allFinite() || r.norm() > 1e3) throw Error(ex_where + ": R_" + name + ": a finite Rodrigues vector expected");
      c.R = Rodrigues(r);
    } else {
      c.R = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(R.data());
    }
    const std::vector<double> T = MatrixValues(extri, "T_" + name, ex_where + ": T_" + name, {{3, 1}, {1, 3}});
    c.t = Eigen::Vector3d(T[0], T[1], T[2]);
    CheckCamera(&c, intri_name + " / " + extri_name + ": camera '" + name + "'");
    rig.cameras.push_back(std::move(c));
  }
  CheckRig(rig, intri_name);
  return rig;
}

CameraRig ParseCameraRigJson(const std::string& text, const std::string& name) {
  if (text.size() > kMaxFileBytes) throw Error(name + ": larger than 16 MiB");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("cameras") || !j["cameras"].is_array()) {
    throw Error(name + ": an object with a \"cameras\" array expected");
  }
  const nlohmann::json& cameras = j["cameras"];
  if (cameras.empty() || cameras.size() > kMaxCameras) {
    throw Error(name + ": cameras: 1 to " + std::to_string(kMaxCameras) + " expected, got " + std::to_string(cameras.size()));
  }
  CameraRig rig;
  for (size_t i = 0; i < cameras.size(); ++i) {
    const nlohmann::json& cj = cameras[i];
    std::string where = name + ": cameras[" + std::to_string(i) + "]";
    if (!cj.is_object()) throw Error(where + ": an object expected");
    if (!cj.contains("name") || !cj["name"].is_string()) throw Error(where + ": name: a string expected");
    RigCamera c;
    c.name = cj["name"].get<std::string>();
    CheckName(c.name, where + ": name");
    where += " ('" + c.name + "')";
    if (!cj.contains("K")) throw Error(where + ": K: missing");
    const std::vector<double> K = JsonNumbers(cj["K"], 9, where + ": K (3x3)");
    if (K[1] != 0 || K[3] != 0 || K[6] != 0 || K[7] != 0 || K[8] != 1) {
      throw Error(where + ": K: [[fx, 0, cx], [0, fy, cy], [0, 0, 1]] expected (no skew)");
    }
    c.intrinsics.fx = K[0];
    c.intrinsics.cx = K[2];
    c.intrinsics.fy = K[4];
    c.intrinsics.cy = K[5];
    if (cj.contains("dist")) {
      const nlohmann::json& d = cj["dist"];
      if (!d.is_array() || d.size() > 8) throw Error(where + ": dist: 0, 4, 5 or 8 numbers expected");
      c.distortion = JsonNumbers(d, d.size(), where + ": dist");
    }
    if (cj.contains("R") == cj.contains("rvec")) throw Error(where + ": one of R (3x3) and rvec (3) expected");
    if (cj.contains("R")) {
      const std::vector<double> R = JsonNumbers(cj["R"], 9, where + ": R (3x3)");
      c.R = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(R.data());
    } else {
      const std::vector<double> r = JsonNumbers(cj["rvec"], 3, where + ": rvec");
      const Eigen::Vector3d v(r[0], r[1], r[2]);
      if (!v.allFinite() || v.norm() > 1e3) throw Error(where + ": rvec: a finite Rodrigues vector expected");
      c.R = Rodrigues(v);
    }
    if (!cj.contains("t")) throw Error(where + ": t: missing");
    const std::vector<double> t = JsonNumbers(cj["t"], 3, where + ": t");
    c.t = Eigen::Vector3d(t[0], t[1], t[2]);
    for (const char* key : {"width", "height"}) {
      if (!cj.contains(key)) continue;
      if (!cj[key].is_number_integer()) throw Error(where + ": " + key + ": an integer expected");
      const long long v = cj[key].get<long long>();
      if (v < 1 || v > 65535) throw Error(where + ": " + key + ": 1 to 65535 expected");
      (std::string(key) == "width" ? c.intrinsics.width : c.intrinsics.height) = static_cast<int>(v);
    }
    CheckCamera(&c, where);
    rig.cameras.push_back(std::move(c));
  }
  CheckRig(rig, name);
  return rig;
}

CameraRig ReadCameraRig(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    const std::string intri = (std::filesystem::path(path) / "intri.yml").string();
    const std::string extri = (std::filesystem::path(path) / "extri.yml").string();
    return ParseEasyMocapCameras(ReadSmallFile(intri), ReadSmallFile(extri), intri, extri);
  }
  return ParseCameraRigJson(ReadSmallFile(path), path);
}

void WriteEasyMocapCameras(const CameraRig& rig, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string intri_path = (std::filesystem::path(dir) / "intri.yml").string();
  const std::string extri_path = (std::filesystem::path(dir) / "extri.yml").string();
  try {
    cv::FileStorage intri(intri_path, cv::FileStorage::WRITE), extri(extri_path, cv::FileStorage::WRITE);
    if (!intri.isOpened() || !extri.isOpened()) throw Error(dir + ": cannot write intri.yml and extri.yml");
    for (cv::FileStorage* fs : {&intri, &extri}) {
      *fs << "names" << "[";
      for (const RigCamera& c : rig.cameras) *fs << c.name;
      *fs << "]";
    }
    for (const RigCamera& c : rig.cameras) {
      const model::PinholeCamera& k = c.intrinsics;
      const cv::Mat K = (cv::Mat_<double>(3, 3) << k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1);
      cv::Mat dist = cv::Mat::zeros(1, 5, CV_64F);
      if (!c.distortion.empty()) dist = cv::Mat(c.distortion, true).reshape(1, 1);
      intri << "K_" + c.name << K << "dist_" + c.name << dist;
      if (k.width > 0) intri << "H_" + c.name << k.height << "W_" + c.name << k.width;
      cv::Mat R(3, 3, CV_64F), T(3, 1, CV_64F), r(3, 1, CV_64F);
      for (int a = 0; a < 3; ++a) {
        for (int b = 0; b < 3; ++b) R.at<double>(a, b) = c.R(a, b);
        T.at<double>(a) = c.t[a];
      }
      const Eigen::AngleAxisd aa(c.R);
      for (int a = 0; a < 3; ++a) r.at<double>(a) = aa.angle() * aa.axis()[a];
      extri << "R_" + c.name << r << "Rot_" + c.name << R << "T_" + c.name << T;
    }
  } catch (const cv::Exception& e) {
    throw Error(dir + ": cannot write the cameras (" + e.err + ")");
  }
}

void WriteCameraRigJson(const CameraRig& rig, const std::string& path) {
  nlohmann::json cameras = nlohmann::json::array();
  for (const RigCamera& c : rig.cameras) {
    const model::PinholeCamera& k = c.intrinsics;
    nlohmann::json cj = {{"name", c.name},
                         {"K", {{k.fx, 0.0, k.cx}, {0.0, k.fy, k.cy}, {0.0, 0.0, 1.0}}},
                         {"R", {{c.R(0, 0), c.R(0, 1), c.R(0, 2)}, {c.R(1, 0), c.R(1, 1), c.R(1, 2)}, {c.R(2, 0), c.R(2, 1), c.R(2, 2)}}},
                         {"t", {c.t[0], c.t[1], c.t[2]}},
                         {"dist", c.distortion}};
    if (k.width > 0) {
      cj["width"] = k.width;
      cj["height"] = k.height;
    }
    cameras.push_back(cj);
  }
  std::ofstream out(path);
  out << nlohmann::json({{"cameras", cameras}}).dump(1) << "\n";
  if (!out) throw Error(path + ": cannot write");
}

Eigen::Vector2d UndistortPixel(const RigCamera& camera, const Eigen::Vector2d& uv) {
  if (camera.distortion.empty()) return uv;
  const model::PinholeCamera& k = camera.intrinsics;
  const cv::Matx33d K(k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1);
  std::vector<cv::Point2d> in{{uv.x(), uv.y()}}, out;
  cv::undistortPoints(in, out, K, camera.distortion, cv::noArray(), K);
  return {out[0].x, out[0].y};
}

}  // namespace resihmr::data
