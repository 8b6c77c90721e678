#include "data/synthetic_video.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "data/keypoint_layout.h"
#include "data/synthetic_views.h"
#include "model/error.h"
#include "model/joint_limits.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"

namespace resihmr::data {
namespace {

using Eigen::Vector3d;
constexpr double kFps = 30;

struct Walk {
  double period = 30, amplitude = 1, phase = 0, speed = 1, heading = 0;
  Eigen::MatrixX3d own;  // the person's fixed pose variation, J x 3
};

// The walking cycle's pose at frame f (joints 1..J-1; the root is set by the caller).
void WalkPose(const model::BodyModel& m, const Walk& w, int f, model::BodyParams* p) {
  const double phi = w.phase + 2 * M_PI * f / w.period, A = w.amplitude;
  p->pose.setZero();
  const auto set = [&](const char* joint, double x, double y, double z) { p->pose.row(m.JointIndex(joint)) << x, y, z; };
  set("left_hip", -0.35 * A * std::sin(phi), 0, 0);
  set("right_hip", 0.35 * A * std::sin(phi), 0, 0);
  set("left_knee", 0.1 + 0.6 * A * std::max(0.0, -std::cos(phi)), 0, 0);
  set("right_knee", 0.1 + 0.6 * A * std::max(0.0, std::cos(phi)), 0, 0);
  set("left_shoulder", 0.3 * A * std::sin(phi), 0, -1.15);
  set("right_shoulder", -0.3 * A * std::sin(phi), 0, 1.15);
  set("left_elbow", 0, -0.3 - 0.15 * A * (1 + std::sin(phi)), 0);
  set("right_elbow", 0, 0.3 + 0.15 * A * (1 - std::sin(phi)), 0);
  set("spine1", 0, 0.05 * std::sin(phi), 0);
  for (int j = 1; j < m.num_joints(); ++j) {
    model::JointRange r;
    if (!model::JointRangeFor(m.joint_names[static_cast<size_t>(j)], &r)) continue;
    for (int a = 0; a < 3; ++a) p->pose(j, a) = std::clamp(p->pose(j, a) + w.own(j, a), r.lo[a], r.hi[a]);
  }
}

// The root's orientation (facing the heading, Y down as synth's camera sees
// people) and the displacement of frame f from the path's middle.
Eigen::Matrix3d Facing(double heading) {
  return (Eigen::AngleAxisd(M_PI, Vector3d::UnitX()) * Eigen::AngleAxisd(heading, Vector3d::UnitY())).toRotationMatrix();
}

Vector3d Displacement(const Walk& w, int f, int frames) {
  const Vector3d forward = Facing(w.heading) * Vector3d::UnitZ();
  const double t = (f - 0.5 * (frames - 1)) / kFps;
  const double phi = w.phase + 2 * M_PI * f / w.period;
  return w.speed * t * forward + Vector3d(0, -0.015 * std::cos(2 * phi), 0);
}

// Every joint and vertex keypoint of every frame inside the image (3% margin), at least 1 m away.
bool InsideImage(const model::BodyModel& m, const model::PinholeCamera& camera, const std::vector<model::BodyParams>& params) {
  const double margin = 0.03 * camera.width;
  for (const model::BodyParams& p : params) {
    const model::PosedBody posed = model::PoseBody(m, p, false);
    for (const model::RowMatrixX3d* points : {&posed.joints, &posed.keypoints}) {
      for (Eigen::Index i = 0; i < points->rows(); ++i) {
        const Vector3d X = points->row(i).transpose();
        double uv[2];
        camera.Project(X.data(), uv);
        if (!(X.z() > 1.0) || uv[0] < margin || uv[1] < margin || uv[0] > camera.width - margin ||
            uv[1] > camera.height - margin) {
          return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

SynthVideo MakeSynthVideo(const model::BodyModel& m, const SynthPerson& person, const SynthOptions& o, int index,
                          int frames, double absent_frames) {
  if (frames < 1 || frames > 100000) throw Error("synth: frames " + std::to_string(frames) + " is outside 1..100000");
  std::mt19937 rng(static_cast<unsigned>(o.seed * 1000003u + static_cast<unsigned>(index) * 7919u + 777001u));
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  Walk w;
  w.period = 28 + 8 * u(rng);
  w.amplitude = 0.8 + 0.4 * u(rng);
  w.phase = 2 * M_PI * u(rng);
  w.own.setZero(m.num_joints(), 3);
  for (int j = 1; j < m.num_joints(); ++j) {
    model::JointRange r;
    if (!model::JointRangeFor(m.joint_names[static_cast<size_t>(j)], &r)) continue;
    for (int a = 0; a < 3; ++a) w.own(j, a) = 0.05 * (r.hi[a] - r.lo[a]) * (2 * u(rng) - 1);
  }
  std::vector<model::BodyParams> params(static_cast<size_t>(frames), person.params);
  bool placed = false;
  for (int attempt = 0; attempt < 100 && !placed; ++attempt) {
    w.speed = (0.9 + 0.5 * u(rng)) * std::pow(0.95, attempt);
    w.heading = 2 * M_PI * u(rng);
    const Vector3d middle(0.4 * (2 * u(rng) - 1), 0.3 * (2 * u(rng) - 1), 4.0 + 2.0 * u(rng));
    const Eigen::AngleAxisd orient(Facing(w.heading));
    model::BodyParams mid = person.params;
    WalkPose(m, w, frames / 2, &mid);
    mid.pose.row(0) = (orient.angle() * orient.axis()).transpose();
    mid.transl.setZero();
    const Vector3d pelvis = model::PoseBody(m, mid, false).joints.row(0).transpose();
    for (int f = 0; f < frames; ++f) {
      model::BodyParams& p = params[static_cast<size_t>(f)];
      WalkPose(m, w, f, &p);
      p.pose.row(0) = mid.pose.row(0);
      p.transl = middle - pelvis + Displacement(w, f, frames) - Displacement(w, frames / 2, frames);
    }
    placed = InsideImage(m, person.camera, params);
  }
  if (!placed) throw Error("synth: person " + std::to_string(index) + "'s walk does not stay inside the image");

  const KeypointLayout& layout = LdPose25Layout();
  std::vector<model::ResidualLimb> limbs;
  for (const SynthLimbTruth& t : person.limbs) limbs.push_back(t.cut.limb);
  const std::vector<uint8_t> lost = KeypointsOnJoints(m, layout, model::DistalJoints(m, limbs));
  const std::vector<int> targets = ModelPointsOfLayout(m, layout);
  SynthVideo out;
  out.period_frames = w.period;
  out.speed_m_s = w.speed;
  for (int f = 0; f < frames; ++f) {
    SynthFrame frame;
    frame.params = params[static_cast<size_t>(f)];
    const model::PosedBody posed = model::PoseBody(m, frame.params, false);
    frame.joints = posed.joints;
    Eigen::MatrixX3d points = Eigen::MatrixX3d::Constant(layout.size(), 3, std::numeric_limits<double>::quiet_NaN());
    for (int k = 0; k < layout.size(); ++k) {
      const int t = targets[static_cast<size_t>(k)];
      if (t < 0 || lost[static_cast<size_t>(k)]) continue;
      points.row(k) = t < m.num_joints() ? posed.joints.row(t) : posed.keypoints.row(t - m.num_joints());
    }
    for (const SynthLimbTruth& t : person.limbs) {
      const model::ResidualSegment seg = model::SegmentOf(m, t.cut.limb);
      const Vector3d Jt = posed.joints.row(seg.joint_t).transpose(), Ja = posed.joints.row(seg.joint_a).transpose();
      frame.endpoints.push_back(Ja + t.cut.lambda * (Jt - Ja));
      points.row(layout.Index(EndpointKeypointName(t.cut.limb))) = frame.endpoints.back().transpose();
    }
    Observation& ob = frame.observation;
    ob = person.observation;
    ob.points.setZero();
    ob.confidence.setZero();
    ob.visibility.setZero();
    ob.mask.release();
    ob.has_bbox = false;
    ob.area = 0;
    frame.present = u(rng) >= absent_frames;
    for (int k = 0; k < layout.size(); ++k) {
      const double draw = u(rng), dx = n(rng), dy = n(rng), ox = u(rng), oy = u(rng);
      if (!frame.present || !points.row(k).allFinite() || draw < o.occlusion) continue;
      PlaceDrawnKeypoint(points.row(k).transpose(), person.camera, o, draw, dx, dy, ox, oy, k, &ob);
    }
    out.frames.push_back(std::move(frame));
  }
  return out;
}

}  // namespace resihmr::data
