// The state of each of the four limbs of a person, read off LDPose-25
// visibility (METHOD.md section 2), in [elbow, wrist, above_end, below_end]
// terms (knee and ankle for legs; present = labelled):
//   intact               present, present, absent,  absent
//   above-joint loss     absent,  absent,  present, absent
//   below-joint loss     present, absent,  absent,  present
// Conflicts (both members of an exclusive pair, or both endpoints, present;
// a distal joint together with an above-joint endpoint) are reported with
// state unknown, never guessed. Patterns that the rules leave open are
// resolved only where the evidence is unambiguous, with a note:
//   elbow occluded but wrist labelled, no endpoint: intact (the forearm exists);
//   below-joint endpoint with the joint itself unlabelled: below-joint loss;
//   no distal joint and no endpoint: unknown (occluded, or a loss without an
//   annotated endpoint). COCO-17 and BODY_25 have no endpoints: a limb is
//   intact when its distal joint is labelled, unknown otherwise.
#pragma once

#include <array>
#include <string>

#include "data/observation.h"
#include "model/limb_topology.h"

namespace resihmr::data {

using model::Limb;
using model::LimbName;
enum class LimbState { kIntact, kAboveJointLoss, kBelowJointLoss, kUnknown };

std::string LimbStateName(LimbState state);  // "intact", "above_joint_loss", "below_joint_loss", "unknown"
// The loss level of a limb in a state: above/below elbow or knee; kNone when not a loss.
model::LossLevel LossLevelOf(Limb limb, LimbState state);
// Its name in the result schema: "above_elbow", "below_elbow", "above_knee", "below_knee"; "" when not a loss.
std::string LossLevelName(Limb limb, LimbState state);

struct LimbStatus {
  Limb limb = Limb::kLeftArm;
  LimbState state = LimbState::kUnknown;
  bool conflict = false;
  std::string note;  // why unknown, what conflicts, or how an open pattern was resolved
};

// Keypoint indices of a limb in a layout: middle joint, distal joint, and
// (LDPose-25 only, else -1) the above- and below-joint endpoints.
struct LimbKeypoints {
  int joint = -1, distal = -1, above_end = -1, below_end = -1;
};
LimbKeypoints LimbKeypointIndices(const KeypointLayout& layout, Limb limb);

std::array<LimbStatus, 4> LimbStates(const Observation& observation);

}  // namespace resihmr::data
