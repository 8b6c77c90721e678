#include "data/synthetic_people.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <random>

#include "data/keypoint_layout.h"
#include <opencv2/imgproc.hpp>

#include "geometry/mesh_render.h"
#include "model/error.h"
#include "model/joint_limits.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"

namespace resihmr::data {
namespace {

using Eigen::Vector3d;

const char* kFamilies[] = {"standing", "walking", "running", "sitting", "reaching", "throwing", "side-on"};

// Sets the family's characteristic joint angles (left side; right mirrored where given).
void FamilyPose(const model::BodyModel& m, const std::string& family, std::mt19937* rng, model::BodyParams* p) {
  std::uniform_real_distribution<double> u(-1, 1);
  const auto set = [&](const char* joint, double x, double y, double z) { p->pose.row(m.JointIndex(joint)) << x, y, z; };
  const auto add = [&](const char* joint, double x, double y, double z) {
    p->pose.row(m.JointIndex(joint)) += Eigen::RowVector3d(x, y, z);
  };
  // Relaxed arms for everyone.
  set("left_shoulder", 0, 0, -1.15);
  set("right_shoulder", 0, 0, 1.15);
  set("left_elbow", 0, -0.3, 0);
  set("right_elbow", 0, 0.3, 0);
  const double s = u(*rng) > 0 ? 1.0 : -1.0;  // which leg leads
  if (family == "walking") {
    set(s > 0 ? "left_hip" : "right_hip", -0.4, 0, 0);
    set(s > 0 ? "right_hip" : "left_hip", 0.3, 0, 0);
    set(s > 0 ? "right_knee" : "left_knee", 0.5, 0, 0);
    add("left_shoulder", 0.3 * s, 0, 0);
    add("right_shoulder", -0.3 * s, 0, 0);
  } else if (family == "running") {
    set(s > 0 ? "left_hip" : "right_hip", -0.9, 0, 0);
    set(s > 0 ? "left_knee" : "right_knee", 0.9, 0, 0);
    set(s > 0 ? "right_hip" : "left_hip", 0.4, 0, 0);
    set(s > 0 ? "right_knee" : "left_knee", 1.4, 0, 0);
    set("left_elbow", 0, -1.4, 0);
    set("right_elbow", 0, 1.4, 0);
    add("left_shoulder", 0.6 * s, 0, 0.3);
    add("right_shoulder", -0.6 * s, 0, -0.3);
    set("spine1", 0.15, 0, 0);
  } else if (family == "sitting") {
    set("left_hip", -1.45, 0, 0.1);
    set("right_hip", -1.45, 0, -0.1);
    set("left_knee", 1.45, 0, 0);
    set("right_knee", 1.45, 0, 0);
    set("left_elbow", 0, -0.9, 0);
    set("right_elbow", 0, 0.9, 0);
  } else if (family == "reaching") {
    set(s > 0 ? "left_shoulder" : "right_shoulder", 0, -1.2 * s, 0.2 * s);
    set(s > 0 ? "left_elbow" : "right_elbow", 0, -0.1 * s, 0);
    set("spine2", 0.15, 0.2 * s, 0);
  } else if (family == "throwing") {
    set(s > 0 ? "right_shoulder" : "left_shoulder", 1.0, 0, -0.3 * s);
    set(s > 0 ? "right_elbow" : "left_elbow", 0, 1.6 * s, 0);
    set(s > 0 ? "left_shoulder" : "right_shoulder", 0, -0.9 * s, 0.6 * s);
    set("spine2", 0, -0.4 * s, 0);
    set(s > 0 ? "left_hip" : "right_hip", -0.5, 0, 0.1);
    set(s > 0 ? "left_knee" : "right_knee", 0.4, 0, 0);
  }
  // Random variation inside the ranges of motion.
  for (int j = 1; j < m.num_joints(); ++j) {
    model::JointRange r;
    if (!model::JointRangeFor(m.joint_names[static_cast<size_t>(j)], &r)) continue;
    for (int a = 0; a < 3; ++a) {
      p->pose(j, a) = std::clamp(p->pose(j, a) + 0.1 * (r.hi[a] - r.lo[a]) * u(*rng), r.lo[a], r.hi[a]);
    }
  }
}

std::string EndpointName(const model::ResidualLimb& r) {
  const bool left = r.limb == model::Limb::kLeftArm || r.limb == model::Limb::kLeftLeg;
  const std::string level = model::LossLevelName(r.level);  // above_elbow
  return level.substr(0, 6) + (left ? "left_" : "right_") + level.substr(6) + "_end";
}

}  // namespace

model::BodyParams SampleLibraryPose(const model::BodyModel& m, std::mt19937* rng, std::string* family) {
  std::uniform_real_distribution<double> u(0, 1);
  const std::string name = kFamilies[static_cast<size_t>(u(*rng) * 7) % 7];
  model::BodyParams p = model::BodyParams::Zero(m);
  FamilyPose(m, name, rng, &p);
  if (family) *family = name;
  return p;
}

SynthPerson MakeSynthPerson(const model::BodyModel& m, const SynthOptions& o, int index) {
  std::mt19937 rng(static_cast<unsigned>(o.seed * 1000003u + static_cast<unsigned>(index) * 7919u + 17u));
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  SynthPerson p;
  p.camera = model::DefaultCamera(o.width, o.height);
  p.family = kFamilies[static_cast<size_t>(u(rng) * 7) % 7];
  p.params = model::BodyParams::Zero(m);
  for (int b = 0; b < m.num_betas; ++b) p.params.betas[b] = 0.7 * n(rng);
  FamilyPose(m, p.family, &rng, &p.params);
  const double yaw = p.family == "side-on" ? (u(rng) > 0.5 ? 1 : -1) * (M_PI / 2 + 0.2 * (u(rng) - 0.5))
                                           : 0.8 * (2 * u(rng) - 1);
  const Eigen::AngleAxisd orient(Eigen::AngleAxisd(M_PI, Vector3d::UnitX()).toRotationMatrix() *
                                 Eigen::AngleAxisd(yaw, Vector3d::UnitY()).toRotationMatrix());
  p.params.pose.row(0) = (orient.angle() * orient.axis()).transpose();

  // Residual limbs.
  if (u(rng) < o.amputee_fraction) {
    const int count = u(rng) < 0.5 ? 1 : 2;
    std::vector<int> limbs = {0, 1, 2, 3};
    std::shuffle(limbs.begin(), limbs.end(), rng);
    for (int i = 0; i < count; ++i) {
      model::ResidualLimb r;
      r.limb = static_cast<model::Limb>(limbs[static_cast<size_t>(i)]);
      const bool above = u(rng) < 0.5;
      r.level = model::IsArm(r.limb) ? (above ? model::LossLevel::kAboveElbow : model::LossLevel::kBelowElbow)
                                     : (above ? model::LossLevel::kAboveKnee : model::LossLevel::kBelowKnee);
      SynthLimbTruth t;
      t.cut.limb = r;
      t.cut.lambda = 0.15 + 0.7 * u(rng);
      p.limbs.push_back(t);
    }
  }

  // Place the body 3-6 m away, its box centre up to 0.6 m sideways and 0.4 m
  // up or down from the optical axis, wholly inside the image (drawn again
  // until it is: the translation is of the model's origin, which is not the
  // body's centre, so the centre is measured first).
  p.params.transl.setZero();
  const model::PosedBody at_origin = model::PoseBody(m, p.params, true);
  const Vector3d centre =
      (at_origin.vertices.colwise().minCoeff() + at_origin.vertices.colwise().maxCoeff()).transpose() / 2;
  bool placed = false;
  for (int attempt = 0; attempt < 100 && !placed; ++attempt) {
    const Vector3d t = Vector3d(0.6 * (2 * u(rng) - 1), 0.4 * (2 * u(rng) - 1), 3.0 + 3.0 * u(rng)) - centre;
    const double margin = 0.03 * o.width;
    placed = true;
    for (Eigen::Index v = 0; v < at_origin.vertices.rows() && placed; v += 7) {
      const Vector3d X = at_origin.vertices.row(v).transpose() + t;
      double uv[2];
      p.camera.Project(X.data(), uv);
      placed = X.z() > 0.5 && uv[0] > margin && uv[0] < o.width - margin && uv[1] > margin && uv[1] < o.height - margin;
    }
    if (placed) p.params.transl = t;
  }
  if (!placed) {
    throw Error("synth: person " + std::to_string(index) + " does not fit inside a " + std::to_string(o.width) + "x" +
                std::to_string(o.height) + " image at 3-6 m (a larger --image-size is needed)");
  }
  const model::PosedBody posed = model::PoseBody(m, p.params, true);
  p.joints = posed.joints;

  // Ground-truth stumps; a level whose cap is refused is drawn again.
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::vector<geometry::ResidualLimbCut> cuts;
    for (SynthLimbTruth& t : p.limbs) {
      const model::ResidualSegment seg = model::SegmentOf(m, t.cut.limb);
      t.cut.joint_t = posed.joints.row(seg.joint_t).transpose();
      t.cut.joint_a = posed.joints.row(seg.joint_a).transpose();
      cuts.push_back(t.cut);
    }
    p.mesh = geometry::BuildStumpMesh(m, posed.vertices, cuts);
    bool all_ok = p.mesh.watertight();
    for (size_t i = 0; i < p.limbs.size(); ++i) {
      if (!p.mesh.limbs[i].ok) {
        all_ok = false;
        p.limbs[i].cut.lambda = 0.15 + 0.7 * u(rng);
      } else {
        p.limbs[i].cut.lambda = p.mesh.limbs[i].lambda_used;  // the truth is the level the mesh was cut at
      }
    }
    if (all_ok) break;
  }
  for (size_t i = 0; i < p.limbs.size(); ++i) {
    SynthLimbTruth& t = p.limbs[i];
    t.endpoint_3d = t.cut.joint_a + t.cut.lambda * (t.cut.joint_t - t.cut.joint_a);
    p.camera.Project(t.endpoint_3d.data(), t.endpoint_2d.data());
    t.length_mm = 1000.0 * (t.endpoint_3d - t.cut.joint_t).norm();
    t.volume_ml = p.mesh.limbs[i].ok ? p.mesh.limbs[i].measurements.volume_ml : std::numeric_limits<double>::quiet_NaN();
  }

  // LDPose-25 keypoints: the lost parts' absent, the endpoints labelled.
  const KeypointLayout& layout = LdPose25Layout();
  std::vector<model::ResidualLimb> limbs;
  for (const SynthLimbTruth& t : p.limbs) limbs.push_back(t.cut.limb);
  const std::vector<uint8_t> lost = KeypointsOnJoints(m, layout, model::DistalJoints(m, limbs));
  const std::vector<int> targets = ModelPointsOfLayout(m, layout);
  p.keypoints.setConstant(layout.size(), 2, std::numeric_limits<double>::quiet_NaN());
  for (int k = 0; k < layout.size(); ++k) {
    const int t = targets[static_cast<size_t>(k)];
    if (t < 0 || lost[static_cast<size_t>(k)]) continue;
    const Vector3d X = t < m.num_joints() ? Vector3d(posed.joints.row(t).transpose())
                                          : Vector3d(posed.keypoints.row(t - m.num_joints()).transpose());
    double uv[2];
    p.camera.Project(X.data(), uv);
    p.keypoints.row(k) << uv[0], uv[1];
  }
  for (const SynthLimbTruth& t : p.limbs) p.keypoints.row(layout.Index(EndpointName(t.cut.limb))) = t.endpoint_2d.transpose();

  Observation& ob = p.observation;
  ob.layout = &layout;
  ob.image_width = o.width;
  ob.image_height = o.height;
  ob.points.setZero(layout.size(), 2);
  ob.confidence.setZero(layout.size());
  ob.visibility.setZero(layout.size());
  for (int k = 0; k < layout.size(); ++k) {
    if (!p.keypoints.row(k).allFinite()) continue;
    const double draw = u(rng);
    if (draw < o.occlusion) continue;
    if (draw < o.occlusion + o.outliers) {
      ob.points.row(k) << o.width * u(rng), o.height * u(rng);
    } else {
      ob.points.row(k) << p.keypoints(k, 0) + o.noise_px * n(rng), p.keypoints(k, 1) + o.noise_px * n(rng);
    }
    ob.confidence[k] = 1;
    ob.visibility[k] = 2;
  }
  // Mask, box and rendering.
  ob.mask = geometry::RenderSilhouette(p.mesh.vertices, p.mesh.faces, p.camera);
  const cv::Rect box = cv::boundingRect(ob.mask);
  ob.has_bbox = box.area() > 0;
  ob.bbox << box.x, box.y, box.width, box.height;
  ob.area = cv::countNonZero(ob.mask);
  if (o.render) {
    cv::Mat background(o.height, o.width, CV_8UC3);
    for (int y = 0; y < o.height; ++y) {
      const uchar shade = static_cast<uchar>(200 - 60.0 * y / o.height);
      background.row(y).setTo(cv::Scalar(shade + 20, shade + 10, shade));
    }
    geometry::RenderStyle style;
    style.color = Vector3d(0.85, 0.7, 0.6);
    p.image = geometry::RenderMesh(p.mesh.vertices, p.mesh.faces, p.camera, style, background);
  }
  return p;
}

}  // namespace resihmr::data
