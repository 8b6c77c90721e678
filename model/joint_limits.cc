#include "model/joint_limits.h"

#include <map>

namespace resihmr::model {
namespace {

using Eigen::Vector3d;

// Left side and centre joints; degrees in comments are the anatomical ranges used.
const std::map<std::string, JointRange>& LeftAndCentre() {
  static const std::map<std::string, JointRange> table = {
      // Hip: flexion 125 (x < 0 swings the leg forward), extension 30; internal/external
      // rotation 40 each; abduction 45 (z > 0 for the left leg), adduction 25.
      {"left_hip", {Vector3d(-2.2, -0.7, -0.45), Vector3d(0.52, 0.7, 0.8), Vector3d(0, 0, 0.05)}},
      // Knee: flexion 0-145 (x > 0), small rotation and varus/valgus.
      {"left_knee", {Vector3d(-0.05, -0.3, -0.15), Vector3d(2.5, 0.3, 0.15), Vector3d(0.1, 0, 0)}},
      // Ankle: dorsiflexion 20 (x < 0), plantarflexion 50; inversion/eversion 20.
      {"left_ankle", {Vector3d(-0.4, -0.35, -0.35), Vector3d(0.9, 0.35, 0.35), Vector3d(0, 0, 0)}},
      {"left_foot", {Vector3d(-0.6, -0.1, -0.1), Vector3d(0.6, 0.1, 0.1), Vector3d(0, 0, 0)}},
      // Thoracolumbar spine, per SMPL spine joint: flexion 35 (x > 0), extension 20,
      // axial rotation 25, lateral bending 20.
      {"spine1", {Vector3d(-0.35, -0.45, -0.35), Vector3d(0.6, 0.45, 0.35), Vector3d(0, 0, 0)}},
      {"spine2", {Vector3d(-0.35, -0.45, -0.35), Vector3d(0.6, 0.45, 0.35), Vector3d(0, 0, 0)}},
      {"spine3", {Vector3d(-0.35, -0.45, -0.35), Vector3d(0.6, 0.45, 0.35), Vector3d(0, 0, 0)}},
      // Cervical spine, shared by neck and head: flexion 45, extension 60, rotation 80, lateral 45.
      {"neck", {Vector3d(-0.6, -0.8, -0.5), Vector3d(0.7, 0.8, 0.5), Vector3d(0, 0, 0)}},
      {"head", {Vector3d(-0.5, -0.6, -0.4), Vector3d(0.5, 0.6, 0.4), Vector3d(0, 0, 0)}},
      // Shoulder girdle: elevation/depression and protraction/retraction about 20-30.
      {"left_collar", {Vector3d(-0.3, -0.4, -0.3), Vector3d(0.3, 0.4, 0.5), Vector3d(0, 0, 0)}},
      // Shoulder from the T-pose: adduction to the side and 20 across (z < 0), abduction to
      // overhead with the girdle (z > 0); flexion 180 forward (y < 0), extension 50; rotation 90.
      {"left_shoulder", {Vector3d(-1.6, -2.0, -1.65), Vector3d(1.6, 0.9, 1.3), Vector3d(0, 0, -1.15)}},
      // Elbow: flexion 0-150 (y < 0 for the left arm), pronation/supination 80 about the forearm (x).
      {"left_elbow", {Vector3d(-1.4, -2.6, -0.2), Vector3d(1.4, 0.05, 0.2), Vector3d(0, -0.3, 0)}},
      // Wrist: flexion 75 / extension 70 (about z), radial 20 / ulnar 30 deviation (y), some twist.
      {"left_wrist", {Vector3d(-0.8, -0.5, -1.3), Vector3d(0.8, 0.6, 1.2), Vector3d(0, 0, 0)}},
      {"left_hand", {Vector3d(-0.4, -0.4, -0.4), Vector3d(0.4, 0.4, 0.4), Vector3d(0, 0, 0)}},
  };
  return table;
}

}  // namespace

bool JointRangeFor(const std::string& name, JointRange* range) {
  const auto& table = LeftAndCentre();
  auto it = table.find(name);
  if (it != table.end()) {
    *range = it->second;
    return true;
  }
  if (name.rfind("right_", 0) != 0) return false;
  it = table.find("left_" + name.substr(6));
  if (it == table.end()) return false;
  // Mirror across the sagittal plane: x kept, y and z negated (and their bounds swapped).
  const JointRange& l = it->second;
  range->lo = Vector3d(l.lo.x(), -l.hi.y(), -l.hi.z());
  range->hi = Vector3d(l.hi.x(), -l.lo.y(), -l.lo.z());
  range->mean = Vector3d(l.mean.x(), -l.mean.y(), -l.mean.z());
  return true;
}

}  // namespace resihmr::model
