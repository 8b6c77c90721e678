// The project's camera: a pinhole at the origin looking down +Z with identity
// rotation, image x right and y down (pixels), principal point (cx, cy) and
// focal lengths (fx, fy) in pixels. u = fx X / Z + cx, v = fy Y / Z + cy.
// The body's translation carries the camera offset, so a fitted body's
// vertices are in this camera's coordinates (metres).
#pragma once

#include <cmath>

namespace resihmr::model {

struct PinholeCamera {
  double fx = 1000, fy = 1000;  // focal lengths, pixels
  double cx = 320, cy = 240;    // principal point, pixels
  int width = 640, height = 480;

  // Projects camera-frame point p (3 values) to pixels uv (2 values).
  template <typename T>
  void Project(const T* p, T* uv) const {
    uv[0] = T(fx) * p[0] / p[2] + T(cx);
    uv[1] = T(fy) * p[1] / p[2] + T(cy);
  }
};

// The default camera of an image when no focal length is given: the focal
// length equals the image diagonal in pixels (a 53-degree diagonal field of
// view, between a phone's wide camera and a normal lens), principal point at
// the centre. SMPLify-X uses 5000 px for every image instead (a 7-degree
// field of view, nearly orthographic); pass that value explicitly to compare.
inline PinholeCamera DefaultCamera(int width, int height, double focal = 0) {
  PinholeCamera c;
  c.width = width;
  c.height = height;
  c.fx = c.fy = focal > 0 ? focal : std::sqrt(static_cast<double>(width) * width + static_cast<double>(height) * height);
  c.cx = width / 2.0;
  c.cy = height / 2.0;
  return c;
}

}  // namespace resihmr::model
