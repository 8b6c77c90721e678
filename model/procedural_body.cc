#include "model/procedural_body.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/skeleton_tables.h"

namespace resihmr::model {
namespace {

using Eigen::Vector3d;

// Polynomial smooth minimum of width k (k = 0: plain minimum).
double SmoothMin(double a, double b, double k) {
  if (k <= 0) return std::min(a, b);
  const double h = std::max(k - std::abs(a - b), 0.0) / k;
  return std::min(a, b) - h * h * k * 0.25;
}

Vector3d Mirror(const Vector3d& p) { return Vector3d(-p.x(), p.y(), p.z()); }

}  // namespace

double ProceduralBody::PrimitiveSdf(int index, const Vector3d& p) const {
  const BodyPrimitive& q = primitives[static_cast<size_t>(index)];
  // Squash about the axis midpoint, then a tapered capsule.
  const Vector3d centre = 0.5 * (q.a + q.b);
  const Vector3d inv = q.squash.cwiseInverse();
  const Vector3d ps = centre + (p - centre).cwiseProduct(inv);
  const Vector3d as = centre + (q.a - centre).cwiseProduct(inv);
  const Vector3d bs = centre + (q.b - centre).cwiseProduct(inv);
  const Vector3d ab = bs - as;
  const double len2 = ab.squaredNorm();
  const double t = len2 > 0 ? std::clamp((ps - as).dot(ab) / len2, 0.0, 1.0) : 0.0;
  const double r = q.ra + (q.rb - q.ra) * t;
  return ((ps - as) - t * ab).norm() - r;
}

double ProceduralBody::Sdf(const Vector3d& p) const {
  double d = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < primitives.size(); ++i) {
    const double di = PrimitiveSdf(static_cast<int>(i), p);
    d = i == 0 ? di : SmoothMin(d, di, primitives[i].blend);
  }
  return d;
}

int ProceduralBody::DominantPrimitive(const Vector3d& p) const {
  int best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < primitives.size(); ++i) {
    const double d = PrimitiveSdf(static_cast<int>(i), p);
    if (d < best_d) {
      best_d = d;
      best = static_cast<int>(i);
    }
  }
  return best;
}

double ProceduralBody::LocalRadius(const Vector3d& p) const {
  const BodyPrimitive& q = primitives[static_cast<size_t>(DominantPrimitive(p))];
  const Vector3d ab = q.b - q.a;
  const double len2 = ab.squaredNorm();
  const double t = len2 > 0 ? std::clamp((p - q.a).dot(ab) / len2, 0.0, 1.0) : 0.0;
  return (q.ra + (q.rb - q.ra) * t) * q.squash.minCoeff();
}

ProceduralBody MakeDefaultProceduralBody() {
  ProceduralBody body;
  body.joint_names = OfficialJointNames(24);
  body.parents = SmplParents();
  const auto J = [&](const char* name) { return IndexOf(body.joint_names, name); };

  // Rest joints: an adult of 1.70 m, soles at y = 0, T-pose. Left side at +x.
  body.joints.assign(24, Vector3d::Zero());
  auto set_pair = [&](const char* left, const char* right, const Vector3d& p) {
    body.joints[static_cast<size_t>(J(left))] = p;
    body.joints[static_cast<size_t>(J(right))] = Mirror(p);
  };
  body.joints[static_cast<size_t>(J("pelvis"))] = Vector3d(0, 0.93, 0);
  body.joints[static_cast<size_t>(J("spine1"))] = Vector3d(0, 1.03, -0.01);
  body.joints[static_cast<size_t>(J("spine2"))] = Vector3d(0, 1.15, -0.005);
  body.joints[static_cast<size_t>(J("spine3"))] = Vector3d(0, 1.22, 0.0);
  body.joints[static_cast<size_t>(J("neck"))] = Vector3d(0, 1.44, -0.015);
  body.joints[static_cast<size_t>(J("head"))] = Vector3d(0, 1.52, 0.0);
  set_pair("left_hip", "right_hip", Vector3d(0.09, 0.87, 0.0));
  set_pair("left_knee", "right_knee", Vector3d(0.105, 0.49, 0.01));
  set_pair("left_ankle", "right_ankle", Vector3d(0.115, 0.085, -0.02));
  set_pair("left_foot", "right_foot", Vector3d(0.12, 0.025, 0.10));
  set_pair("left_collar", "right_collar", Vector3d(0.075, 1.37, -0.01));
  set_pair("left_shoulder", "right_shoulder", Vector3d(0.185, 1.395, -0.02));
  set_pair("left_elbow", "right_elbow", Vector3d(0.455, 1.395, -0.03));
  set_pair("left_wrist", "right_wrist", Vector3d(0.705, 1.395, -0.03));
  set_pair("left_hand", "right_hand", Vector3d(0.79, 1.39, -0.03));

  // Each joint's bone runs to its (first) child, or to a tip for the leaves.
  body.bone_ends.assign(24, Vector3d::Zero());
  const auto end_at = [&](const char* joint, const Vector3d& end) { body.bone_ends[static_cast<size_t>(J(joint))] = end; };
  const auto end_pair = [&](const char* left, const char* right, const Vector3d& end) {
    end_at(left, end);
    end_at(right, Mirror(end));
  };
  const auto jp = [&](const char* name) { return body.joints[static_cast<size_t>(J(name))]; };
  end_at("pelvis", jp("spine1"));
  end_at("spine1", jp("spine2"));
  end_at("spine2", jp("spine3"));
  end_at("spine3", jp("neck"));
  end_at("neck", jp("head"));
  end_at("head", Vector3d(0, 1.70, 0.01));
  end_pair("left_hip", "right_hip", jp("left_knee"));
  end_pair("left_knee", "right_knee", jp("left_ankle"));
  end_pair("left_ankle", "right_ankle", jp("left_foot"));
  end_pair("left_foot", "right_foot", Vector3d(0.125, 0.02, 0.17));
  end_pair("left_collar", "right_collar", jp("left_shoulder"));
  end_pair("left_shoulder", "right_shoulder", jp("left_elbow"));
  end_pair("left_elbow", "right_elbow", jp("left_wrist"));
  end_pair("left_wrist", "right_wrist", jp("left_hand"));
  end_pair("left_hand", "right_hand", Vector3d(0.88, 1.39, -0.03));

  // Skinning blend half-widths. Under linear blend skinning a 90-degree bend
  // folds the inner side where the weight changes faster than 0.5 / r per
  // metre (r: distance of the crease from the joint); a smoothstep of
  // half-width b changes by at most 0.75 / b, so b must exceed 1.5 r. Knees
  // (r ~ 0.063 at the crease) get 0.14, elbows (r ~ 0.045) 0.09.
  body.blend_half_width.assign(24, 0.05);
  const std::pair<const char*, double> widths[] = {
      {"pelvis", 0.0},        {"left_hip", 0.11},      {"spine1", 0.05},     {"left_knee", 0.14},
      {"spine2", 0.05},       {"left_ankle", 0.04},    {"spine3", 0.05},     {"left_foot", 0.025},
      {"neck", 0.035},        {"left_collar", 0.04},   {"head", 0.04},       {"left_shoulder", 0.06},
      {"left_elbow", 0.09},   {"left_wrist", 0.03},    {"left_hand", 0.02}};
  for (const auto& [name, width] : widths) {
    body.blend_half_width[static_cast<size_t>(J(name))] = width;
    std::string right = name;
    if (right.rfind("left_", 0) == 0) {
      right.replace(0, 5, "right_");
      body.blend_half_width[static_cast<size_t>(J(right.c_str()))] = width;
    }
  }

  // Surface parts, torso first (later parts blend into earlier ones).
  auto add = [&](const char* joint, Vector3d a, Vector3d b, double ra, double rb, Vector3d squash, double blend) {
    body.primitives.push_back({J(joint), a, b, ra, rb, squash, blend});
  };
  auto add_pair = [&](const char* left, const char* right, Vector3d a, Vector3d b, double ra, double rb,
                      Vector3d squash, double blend) {
    add(left, a, b, ra, rb, squash, blend);
    add(right, Mirror(a), Mirror(b), ra, rb, squash, blend);
  };
  const Vector3d round(1, 1, 1);
  // Pelvis squashed vertically so the crotch sits at ~0.79 m (0.47 x height).
  add("pelvis", {0, 0.90, 0}, {0, 1.0, 0}, 0.165, 0.15, {1, 0.7, 0.72}, 0);
  add("spine1", {0, 1.0, 0}, {0, 1.13, 0}, 0.145, 0.148, {1, 1, 0.70}, 0.04);
  add("spine2", {0, 1.13, 0}, {0, 1.24, 0}, 0.148, 0.16, {1, 1, 0.68}, 0.04);
  add("spine3", {0, 1.24, 0}, {0, 1.36, -0.01}, 0.16, 0.14, {1, 1, 0.68}, 0.04);
  add_pair("left_collar", "right_collar", {0.0, 1.375, -0.015}, {0.17, 1.39, -0.02}, 0.065, 0.06, {1, 1, 0.9}, 0.04);
  add("neck", {0, 1.37, -0.015}, {0, 1.52, 0.0}, 0.058, 0.052, round, 0.03);
  add("head", {0, 1.56, 0.015}, {0, 1.62, 0.015}, 0.085, 0.085, {0.88, 1, 1.1}, 0.03);
  add("head", {0, 1.575, 0.095}, {0, 1.555, 0.11}, 0.012, 0.01, round, 0.012);   // nose
  add_pair("head", "head", {0.078, 1.585, 0.0}, {0.086, 1.585, -0.005}, 0.016, 0.012, round, 0.01);  // ears
  // Legs.
  add_pair("left_hip", "right_hip", {0.09, 0.92, 0.0}, {0.105, 0.49, 0.01}, 0.085, 0.056, round, 0.03);
  add_pair("left_knee", "right_knee", {0.105, 0.49, 0.01}, {0.115, 0.085, -0.02}, 0.055, 0.035, round, 0.03);
  add_pair("left_ankle", "right_ankle", {0.115, 0.045, -0.05}, {0.12, 0.04, 0.09}, 0.04, 0.037, {1, 0.75, 1}, 0.03);
  add_pair("left_foot", "right_foot", {0.12, 0.04, 0.09}, {0.125, 0.033, 0.155}, 0.037, 0.032, {1, 0.75, 1}, 0.02);
  // Arms.
  add_pair("left_shoulder", "right_shoulder", {0.16, 1.395, -0.02}, {0.455, 1.395, -0.03}, 0.052, 0.04, round, 0.04);
  add_pair("left_elbow", "right_elbow", {0.455, 1.395, -0.03}, {0.705, 1.395, -0.03}, 0.04, 0.028, round, 0.02);
  add_pair("left_wrist", "right_wrist", {0.715, 1.395, -0.03}, {0.80, 1.39, -0.03}, 0.04, 0.042, {1, 0.5, 1}, 0.015);
  add_pair("left_hand", "right_hand", {0.80, 1.39, -0.03}, {0.875, 1.388, -0.03}, 0.038, 0.03, {1, 0.45, 1}, 0.01);

  // Vertex keypoints: the nearest surface vertex to each target is picked.
  body.landmarks = {
      {"nose", {0, 1.552, 0.13}},
      {"right_eye", {-0.033, 1.595, 0.13}},
      {"left_eye", {0.033, 1.595, 0.13}},
      {"right_ear", {-0.11, 1.585, -0.002}},
      {"left_ear", {0.11, 1.585, -0.002}},
      {"left_big_toe", {0.10, 0.03, 0.2}},
      {"left_small_toe", {0.155, 0.03, 0.18}},
      {"left_heel", {0.115, 0.03, -0.11}},
      {"right_big_toe", {-0.10, 0.03, 0.2}},
      {"right_small_toe", {-0.155, 0.03, 0.18}},
      {"right_heel", {-0.115, 0.03, -0.11}},
      {"left_middle_tip", {0.92, 1.388, -0.03}},
      {"right_middle_tip", {-0.92, 1.388, -0.03}},
  };
  return body;
}

}  // namespace resihmr::model
