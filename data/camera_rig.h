// Calibrated cameras of a multi-view capture: read, checked, written.
//
// Each camera has a name, intrinsics K (pixels, no skew), OpenCV's lens
// distortion, and extrinsics R, t mapping world to camera in OpenCV's axes
// (x right, y down, z forward): X_cam = R X_world + t, t in metres. Two
// file forms:
//   - EasyMocap's: a folder with intri.yml (the list `names`, `K_<name>` 3x3,
//     `dist_<name>` 1x4/5/8 or its transpose, optional `H_<name>`, `W_<name>`
//     image size) and extri.yml (`Rot_<name>` 3x3, or `R_<name>` a 3x1
//     Rodrigues vector or a 3x3 matrix, and `T_<name>` 3x1), as OpenCV's
//     cv::FileStorage writes them (read by data/opencv_yaml.h, not by
//     FileStorage, whose reader can hang on malformed text);
//   - JSON: {"cameras": [{"name", "K" (3x3 rows), "dist" (0/4/5/8 values,
//     optional), "R" (3x3 rows) or "rvec" (3), "t" (3), "width", "height"
//     (optional)}, ...]} (docs/multiview.md).
// Every value is checked before use: 1 to 64 cameras with unique names of
// letters, digits, '_', '-' and '.' (they name files), finite K with focal
// lengths 1e-3 to 1e6 px and no skew, R orthonormal with determinant +1
// (within 1e-4; then made exactly orthonormal), |t| at most 1e4 m, at most
// 8 distortion values each within +-1e3, image sizes 1 to 65535 (0: not
// given). A bad file throws resihmr::Error naming the file, the camera and
// the field.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "model/camera.h"

namespace resihmr::data {

struct RigCamera {
  std::string name;
  model::PinholeCamera intrinsics;  // fx, fy, cx, cy (pixels); width, height 0 when the file has none
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();  // world -> camera rotation
  Eigen::Vector3d t = Eigen::Vector3d::Zero();      // world -> camera translation, metres
  std::vector<double> distortion;                   // OpenCV's k1 k2 p1 p2 [k3 [k4 k5 k6]]; empty: none

  // The camera's centre in the world frame, -R^T t (metres).
  Eigen::Vector3d Centre() const { return -R.transpose() * t; }
};

struct CameraRig {
  std::vector<RigCamera> cameras;
  // The camera called `name`, or null.
  const RigCamera* Find(const std::string& name) const;
};

// EasyMocap's intri.yml and extri.yml (the YAML text itself; `intri_name`
// and `extri_name` name them in messages).
CameraRig ParseEasyMocapCameras(const std::string& intri_text, const std::string& extri_text,
                                const std::string& intri_name, const std::string& extri_name);
// The JSON form's text.
CameraRig ParseCameraRigJson(const std::string& text, const std::string& name);

// A folder holding intri.yml and extri.yml, or a .json file (at most 16 MiB each).
CameraRig ReadCameraRig(const std::string& path);

// Writes both forms: DIR/intri.yml and DIR/extri.yml (with Rot_, R_ as a
// Rodrigues vector, H_ and W_), and a JSON file.
void WriteEasyMocapCameras(const CameraRig& rig, const std::string& dir);
void WriteCameraRigJson(const CameraRig& rig, const std::string& path);

// The pixel `uv` of `camera` with its lens distortion removed (OpenCV's
// cv::undistortPoints, mapped back through K): where an ideal pinhole camera
// with the same K sees the point. Without distortion, `uv` itself.
Eigen::Vector2d UndistortPixel(const RigCamera& camera, const Eigen::Vector2d& uv);

}  // namespace resihmr::data
