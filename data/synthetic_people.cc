#include "data/synthetic_people.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <limits>
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

// Self-occlusion: how far behind the nearest surface a joint may lie and
// still be seen (it lies inside its limb or the trunk), and a point on the
// skin (vertex keypoints).
constexpr double kJointDepthTolerance = 0.12, kSurfaceDepthTolerance = 0.03;

// `exact` dilated by U(0, max_px) px with ragged edges: the edge moves out by
// the dilation plus a smooth random offset (a 32 px grid of N(0, (1 + 0.3 d)^2)
// px, cubic-interpolated), as clothing or a loose segmenter draws it.
cv::Mat ImperfectMask(const cv::Mat& exact, double max_px, std::mt19937* rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> n(0, 1);
  const double dilation = max_px * u(*rng), amplitude = 1 + 0.3 * dilation;
  cv::Mat1f coarse(exact.rows / 32 + 2, exact.cols / 32 + 2);
  for (int r = 0; r < coarse.rows; ++r) {
    for (int c = 0; c < coarse.cols; ++c) coarse(r, c) = static_cast<float>(amplitude * n(*rng));
  }
  cv::Mat1f offset;
  cv::resize(coarse, offset, exact.size(), 0, 0, cv::INTER_CUBIC);
  cv::Mat1f outside, inside;
  cv::distanceTransform(exact == 0, outside, cv::DIST_L2, cv::DIST_MASK_5);
  cv::distanceTransform(exact != 0, inside, cv::DIST_L2, cv::DIST_MASK_5);
  cv::Mat1b out(exact.size(), 0);
  for (int r = 0; r < exact.rows; ++r) {
    for (int c = 0; c < exact.cols; ++c) {
      const double signed_px = exact.at<uint8_t>(r, c) ? 0.5 - inside(r, c) : outside(r, c) - 0.5;
      out(r, c) = signed_px <= dilation + offset(r, c) ? 255 : 0;
    }
  }
  return out;
}

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

// Self-occlusion: per layout keypoint of `p` (noise-free pixels in
// p.keypoints), whether its 3D point lies more than its depth tolerance
// behind the body's nearest surface at its pixel (z-buffer of p.mesh).
std::vector<uint8_t> HiddenKeypoints(const model::BodyModel& m, const KeypointLayout& layout, const std::vector<int>& targets,
                                     const std::vector<uint8_t>& lost, const model::PosedBody& posed, const SynthPerson& p) {
  std::vector<uint8_t> hidden(static_cast<size_t>(layout.size()), 0);
  const cv::Mat1f depth = geometry::RenderDepth(p.mesh.vertices, p.mesh.faces, p.camera);
  for (int k = 0; k < layout.size(); ++k) {
    if (!p.keypoints.row(k).allFinite()) continue;
    const int t = targets[static_cast<size_t>(k)];
    Vector3d X;
    double tolerance = kJointDepthTolerance;
    if (t >= m.num_joints()) {
      X = posed.keypoints.row(t - m.num_joints()).transpose();
      tolerance = kSurfaceDepthTolerance;
    } else if (t >= 0 && !lost[static_cast<size_t>(k)]) {
      X = posed.joints.row(t).transpose();
    } else {
      X = Vector3d::Constant(std::numeric_limits<double>::quiet_NaN());
      for (const SynthLimbTruth& l : p.limbs) {
        if (layout.Index(EndpointKeypointName(l.cut.limb)) == k) X = l.endpoint_3d;
      }
    }
    const int x = static_cast<int>(std::floor(p.keypoints(k, 0))), y = static_cast<int>(std::floor(p.keypoints(k, 1)));
    if (!X.allFinite() || x < 0 || y < 0 || x >= depth.cols || y >= depth.rows) continue;
    hidden[static_cast<size_t>(k)] = depth(y, x) < X.z() - tolerance;
  }
  return hidden;
}

}  // namespace

std::string EndpointKeypointName(const model::ResidualLimb& r) {
  const bool left = r.limb == model::Limb::kLeftArm || r.limb == model::Limb::kLeftLeg;
  const std::string level = model::LossLevelName(r.level);  // above_elbow
  return level.substr(0, 6) + (left ? "left_" : "right_") + level.substr(6) + "_end";
}

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
  if (!o.family.empty()) {
    if (std::find(std::begin(kFamilies), std::end(kFamilies), o.family) == std::end(kFamilies)) {
      throw Error("synth: unknown pose family '" + o.family + "'");
    }
    p.family = o.family;
  }
  p.params = model::BodyParams::Zero(m);
  for (int b = 0; b < m.num_betas; ++b) p.params.betas[b] = 0.7 * n(rng);
  FamilyPose(m, p.family, &rng, &p.params);
  const double yaw = p.family == "side-on" ? (u(rng) > 0.5 ? 1 : -1) * (M_PI / 2 + 0.2 * (u(rng) - 0.5))
                                           : 0.8 * (2 * u(rng) - 1);
  Eigen::Matrix3d camera_tilt = Eigen::Matrix3d::Identity(), lean = Eigen::Matrix3d::Identity();
  if (o.tilt_deg > 0) {
    std::mt19937 tilt(static_cast<unsigned>(o.seed * 1000003u + static_cast<unsigned>(index) * 7919u + 90001u));
    std::uniform_real_distribution<double> w(-1, 1);
    p.camera_pitch_deg = o.tilt_deg * w(tilt);
    p.camera_roll_deg = 0.5 * o.tilt_deg * w(tilt);
    const double direction = M_PI * w(tilt);
    p.body_lean_deg = 0.25 * o.tilt_deg * (1 + w(tilt));
    // The scene turned against the camera (a camera pitched and rolled the other way).
    camera_tilt = (Eigen::AngleAxisd(p.camera_pitch_deg * M_PI / 180.0, Vector3d::UnitX()) *
                   Eigen::AngleAxisd(p.camera_roll_deg * M_PI / 180.0, Vector3d::UnitZ()))
                      .toRotationMatrix();
    // The body's lean about a horizontal axis of its own (the rest pose is Y up).
    lean = Eigen::AngleAxisd(p.body_lean_deg * M_PI / 180.0, Vector3d(std::cos(direction), 0, std::sin(direction)))
               .toRotationMatrix();
  }
  const Eigen::AngleAxisd orient(camera_tilt * Eigen::AngleAxisd(M_PI, Vector3d::UnitX()).toRotationMatrix() *
                                 Eigen::AngleAxisd(yaw, Vector3d::UnitY()).toRotationMatrix() * lean);
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
  // The honest benchmark's draws, from their own stream.
  std::mt19937 honest(static_cast<unsigned>(o.seed * 1000003u + static_cast<unsigned>(index) * 7919u + 40503u));
  if (o.stump_shapes == StumpShapes::kVaried) {
    for (SynthLimbTruth& t : p.limbs) t.shape = DrawStumpShape(t.cut.limb, &honest);
  }
  const geometry::StumpReshaper reshape = [&](size_t i, double lambda_used, const geometry::RowMatrixX3i&,
                                              const std::vector<uint8_t>& limb, geometry::RowMatrixX3d* vertices,
                                              std::string* why) {
    const geometry::ResidualLimbCut& c = p.limbs[i].cut;
    const Vector3d axis = (c.joint_a - c.joint_t).normalized();
    if (ReshapeStump(p.limbs[i].shape, c.joint_t, axis, (1 - lambda_used) * (c.joint_a - c.joint_t).norm(), limb,
                     vertices, why)) {
      return true;
    }
    *why = "shape kept: " + *why;
    return false;
  };

  // Ground-truth stumps; a level whose cap is refused is drawn again.
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::vector<geometry::ResidualLimbCut> cuts;
    for (SynthLimbTruth& t : p.limbs) {
      const model::ResidualSegment seg = model::SegmentOf(m, t.cut.limb);
      t.cut.joint_t = posed.joints.row(seg.joint_t).transpose();
      t.cut.joint_a = posed.joints.row(seg.joint_a).transpose();
      cuts.push_back(t.cut);
    }
    p.mesh = o.stump_shapes == StumpShapes::kVaried ? geometry::BuildReshapedStumpMesh(m, posed.vertices, cuts, reshape)
                                                    : geometry::BuildStumpMesh(m, posed.vertices, cuts);
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
    const std::string& note = p.mesh.limbs[i].note;
    t.shaped = o.stump_shapes == StumpShapes::kVaried && p.mesh.limbs[i].ok && note.find("shape kept") == std::string::npos;
    if (o.stump_shapes == StumpShapes::kVaried && !t.shaped) t.stump_note = note.empty() ? "no stump" : note;
  }

  // LDPose-25 keypoints: the lost parts' absent, the endpoints labelled.
  const KeypointLayout& layout = LdPose25Layout();
  std::vector<model::ResidualLimb> limbs;
  for (const SynthLimbTruth& t : p.limbs) limbs.push_back(t.cut.limb);
  const std::vector<uint8_t> lost = KeypointsOnJoints(m, layout, model::DistalJoints(m, limbs));
  const std::vector<int> targets = ModelPointsOfLayout(m, layout);
  p.keypoints.setConstant(layout.size(), 2, std::numeric_limits<double>::quiet_NaN());
  p.keypoints_3d.setConstant(layout.size(), 3, std::numeric_limits<double>::quiet_NaN());
  for (int k = 0; k < layout.size(); ++k) {
    const int t = targets[static_cast<size_t>(k)];
    if (t < 0 || lost[static_cast<size_t>(k)]) continue;
    const Vector3d X = t < m.num_joints() ? Vector3d(posed.joints.row(t).transpose())
                                          : Vector3d(posed.keypoints.row(t - m.num_joints()).transpose());
    double uv[2];
    p.camera.Project(X.data(), uv);
    p.keypoints.row(k) << uv[0], uv[1];
    p.keypoints_3d.row(k) = X.transpose();
  }
  for (const SynthLimbTruth& t : p.limbs) {
    const int k = layout.Index(EndpointKeypointName(t.cut.limb));
    p.keypoints.row(k) = t.endpoint_2d.transpose();
    p.keypoints_3d.row(k) = t.endpoint_3d.transpose();
  }

  Observation& ob = p.observation;
  ob.layout = &layout;
  ob.image_width = o.width;
  ob.image_height = o.height;
  ob.points.setZero(layout.size(), 2);
  ob.confidence.setZero(layout.size());
  ob.visibility.setZero(layout.size());
  const std::vector<uint8_t> hidden =
      o.self_occlusion ? HiddenKeypoints(m, layout, targets, lost, posed, p) : std::vector<uint8_t>(static_cast<size_t>(layout.size()), 0);
  for (int k = 0; k < layout.size(); ++k) {
    if (!p.keypoints.row(k).allFinite()) continue;
    const double draw = u(rng);
    if (draw < o.occlusion) continue;
    const double noise = hidden[static_cast<size_t>(k)] ? 2 * o.noise_px : o.noise_px;
    if (draw < o.occlusion + o.outliers) {
      ob.points.row(k) << o.width * u(rng), o.height * u(rng);
    } else {
      ob.points.row(k) << p.keypoints(k, 0) + noise * n(rng), p.keypoints(k, 1) + noise * n(rng);
    }
    ob.confidence[k] = hidden[static_cast<size_t>(k)] ? 0.5 : 1;
    ob.visibility[k] = hidden[static_cast<size_t>(k)] ? 1 : 2;
    p.self_occluded += hidden[static_cast<size_t>(k)];
  }
  // Masks (the exact one, and the input dilated with ragged edges), box and rendering.
  p.exact_mask = geometry::RenderSilhouette(p.mesh.vertices, p.mesh.faces, p.camera);
  ob.mask = o.mask_dilation_px > 0 ? ImperfectMask(p.exact_mask, o.mask_dilation_px, &honest) : p.exact_mask.clone();
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
