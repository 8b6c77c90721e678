// AJAHR's amputation by joint zeroing (METHOD.md section 6): the 12
// amputation regions, their names and the joints whose rotation MATRIX is
// set to zero (not the identity), so that under skinning the joint's and its
// descendants' vertices collapse onto the joint. Indices follow AJAHR:
// 0 right hand, 1 right elbow, 2 right shoulder, 3 left hand, 4 left elbow,
// 5 left shoulder, 6 left foot, 7 left knee, 8 left hip, 9 right foot,
// 10 right knee, 11 right hip, 12 none.
#pragma once

#include <string>
#include <vector>

#include "model/body_model.h"

namespace resihmr::model {

constexpr int kNumAjahrRegions = 12;
constexpr int kAjahrNone = 12;

// "right_hand", ..., "right_hip", "none".
const std::string& AjahrRegionName(int region);

// Region index for a name, or -1.
int AjahrRegionFromName(const std::string& name);

// Joints zeroed for `region` on `model`, by joint name (SMPL's sets; on
// SMPL+H / SMPL-X a "hand" joint stands for that hand's 15 finger joints).
// Empty for kAjahrNone. Throws resihmr::Error for an index out of range.
std::vector<int> AjahrZeroedJoints(const BodyModel& model, int region);

// BPAC-Net's four heads (0 right arm, 1 left arm, 2 left leg, 3 right leg)
// and four classes per head, in the order of that limb's AJAHR regions:
// 0 hand / foot, 1 elbow / knee, 2 shoulder / hip, 3 intact.
constexpr int kBpacHeads = 4;
constexpr int kBpacClasses = 4;
constexpr int kBpacIntact = 3;

// The AJAHR region of one head's class (kAjahrNone for intact); throws
// resihmr::Error for a head or class out of range.
int AjahrRegionOfBpacClass(int head, int cls);

// AJAHR's amputation from BPAC-Net's four classes: the union of the zeroed
// joints of each head's region, sorted, on `model`.
std::vector<int> ZeroedJointsOfBpacClasses(const BodyModel& model, const std::vector<int>& classes);

}  // namespace resihmr::model
