#include "data/synthetic_views.h"

#include <Eigen/Geometry>
#include <cmath>
#include <cstdio>
#include <random>

#include "model/error.h"

namespace resihmr::data {

void PlaceDrawnKeypoint(const Eigen::Vector3d& X, const model::PinholeCamera& camera, const SynthOptions& o,
                        double draw, double dx, double dy, double ox, double oy, int k, Observation* ob) {
  double uv[2];
  camera.Project(X.data(), uv);
  if (draw < o.occlusion + o.outliers) {
    uv[0] = o.width * ox;
    uv[1] = o.height * oy;
  } else {
    uv[0] += o.noise_px * dx;
    uv[1] += o.noise_px * dy;
  }
  if (uv[0] < 0 || uv[1] < 0 || uv[0] >= camera.width || uv[1] >= camera.height) return;
  ob->points.row(k) << uv[0], uv[1];
  ob->confidence[k] = 1;
  ob->visibility[k] = 2;
}

SynthViews MakeSynthViews(const SynthPerson& p, const SynthOptions& o, int index, int views) {
  if (views < 2 || views > 16) throw Error("synth: views " + std::to_string(views) + " is outside 2..16");
  std::mt19937 rng(static_cast<unsigned>(o.seed * 1000003u + static_cast<unsigned>(index) * 7919u + 424242u));
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  SynthViews out;
  const Eigen::Vector3d pelvis = p.joints.row(0).transpose();
  const double distance = pelvis.norm();
  for (int v = 0; v < views; ++v) {
    RigCamera c;
    char name[8];
    std::snprintf(name, sizeof name, "%02d", v);
    c.name = name;
    c.intrinsics = p.camera;
    if (v == 0) {
      out.rig.cameras.push_back(c);
      out.observations.push_back(p.observation);
      continue;
    }
    const double azimuth = (360.0 * v / views + 30 * u(rng) - 15) * M_PI / 180;
    const double elevation = (25 * u(rng) - 10) * M_PI / 180;
    const double scale = 0.8 + 0.45 * u(rng);
    // Looking at the pelvis: turned about the vertical (y, down) by the
    // azimuth, then tilted down about the camera's x axis by the elevation.
    c.R = Eigen::AngleAxisd(-elevation, Eigen::Vector3d::UnitX()).toRotationMatrix() *
          Eigen::AngleAxisd(-azimuth, Eigen::Vector3d::UnitY()).toRotationMatrix();
    const Eigen::Vector3d centre = pelvis - c.R.transpose() * Eigen::Vector3d(0, 0, scale * distance);
    c.t = -c.R * centre;
    Observation ob = p.observation;
    ob.points.setZero();
    ob.confidence.setZero();
    ob.visibility.setZero();
    ob.mask.release();
    ob.has_bbox = false;
    ob.area = 0;
    for (Eigen::Index k = 0; k < p.keypoints_3d.rows(); ++k) {
      if (!p.keypoints_3d.row(k).allFinite()) continue;
      const double draw = u(rng);
      const double dx = n(rng), dy = n(rng), ox = u(rng), oy = u(rng);
      const Eigen::Vector3d X = c.R * p.keypoints_3d.row(k).transpose() + c.t;
      if (!(X.z() > 0.05) || draw < o.occlusion) continue;
      PlaceDrawnKeypoint(X, c.intrinsics, o, draw, dx, dy, ox, oy, static_cast<int>(k), &ob);
    }
    out.rig.cameras.push_back(c);
    out.observations.push_back(std::move(ob));
  }
  return out;
}

}  // namespace resihmr::data
