// The project's own anatomical pose prior data: for each body joint of the
// SMPL skeleton (by name; SMPL+H / SMPL-X share the first 22), a soft range of
// its axis-angle components in SMPL's rest frames (x: the person's left, y:
// up, z: forward; a joint's rotation is in its parent's frame) and a relaxed
// standing pose as the prior's centre (arms lowered, elbows and knees slightly
// bent). Ranges follow normative active ranges of motion in adults:
// Soucie et al. (2011), "Range of motion measurements: reference values and a
// database for comparison studies", Haemophilia 17:500-507, and the American
// Academy of Orthopaedic Surgeons (1965), "Joint Motion: Method of Measuring
// and Recording"; spinal motion is shared over SMPL's three spine joints.
// Right-side ranges mirror the left (x kept, y and z negated).
#pragma once

#include <Eigen/Core>
#include <string>

namespace resihmr::model {

struct JointRange {
  Eigen::Vector3d lo, hi;  // radians, per axis-angle component
  Eigen::Vector3d mean;    // the relaxed standing pose
};

// Range of a named joint; false when the joint has no entry (root, fingers, jaw, eyes).
bool JointRangeFor(const std::string& joint_name, JointRange* range);

}  // namespace resihmr::model
