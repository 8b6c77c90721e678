// Which limb ends where (METHOD.md sections 4 and 6): the four limbs, the
// level of a limb loss, and for a residual limb its segment (J_t, the joint
// it hangs from, held fixed in RAFO; J_a, the distal joint of the segment,
// where an intact limb would continue), the joints distal to the residual
// limb (the segment's distal joint and its whole subtree: removed from the
// fit), and the AJAHR region that amputates the same limb by joint zeroing:
//   above_elbow: segment shoulder -> elbow, AJAHR shoulder region
//   below_elbow: segment elbow -> wrist,    AJAHR elbow region
//   above_knee:  segment hip -> knee,       AJAHR hip region
//   below_knee:  segment knee -> ankle,     AJAHR knee region
// AJAHR's region zeroes the segment's upper joint, so the whole segment
// collapses onto J_t: its residual limb has length zero (lambda = 1).
#pragma once

#include <string>
#include <vector>

#include "model/body_model.h"

namespace resihmr::model {

enum class Limb { kLeftArm, kRightArm, kLeftLeg, kRightLeg };
enum class LossLevel { kNone, kAboveElbow, kBelowElbow, kAboveKnee, kBelowKnee };

std::string LimbName(Limb limb);        // "left_arm", "right_arm", "left_leg", "right_leg"
std::string LossLevelName(LossLevel level);  // "above_elbow", ...; "" for kNone
bool ParseLimb(const std::string& name, Limb* limb);
bool ParseLossLevel(const std::string& name, LossLevel* level);
bool IsArm(Limb limb);
// Whether `level` can happen to `limb` (elbow levels for arms, knee levels for legs).
bool LevelFitsLimb(Limb limb, LossLevel level);

struct ResidualLimb {
  Limb limb = Limb::kLeftArm;
  LossLevel level = LossLevel::kNone;
};

struct ResidualSegment {
  int joint_t = -1;  // upper joint of the residual segment (shoulder, elbow, hip, knee)
  int joint_a = -1;  // distal joint of the segment (elbow, wrist, knee, ankle)
};

// Throws resihmr::Error when the model lacks a joint or the level does not fit the limb.
ResidualSegment SegmentOf(const BodyModel& model, const ResidualLimb& limb);

// J flags: the segment's distal joint and all its descendants.
std::vector<uint8_t> DistalJoints(const BodyModel& model, const ResidualLimb& limb);
// J flags: the joints lost to any of the residual limbs.
std::vector<uint8_t> DistalJoints(const BodyModel& model, const std::vector<ResidualLimb>& limbs);

// The AJAHR region index (model/ajahr_regions.h) that amputates this limb.
int AjahrRegionOf(const ResidualLimb& limb);

// BPAC-Net's head of a limb (model/ajahr_regions.h: 0 right arm, 1 left arm,
// 2 left leg, 3 right leg) and its class for a level: a residual limb below
// the elbow or knee is class 1 (AJAHR's elbow / knee region), above it class
// 2 (shoulder / hip), kNone class 3 (intact).
int BpacHeadOf(Limb limb);
int BpacClassOf(LossLevel level);

// Back from a head's class: class 0 (hand or foot lost) and 1 give the level
// below the elbow or knee (RAFO then finds where the segment ends), 2 above
// it, 3 kNone. Throws resihmr::Error for a head or class out of range.
ResidualLimb ResidualLimbOfBpacClass(int head, int cls);

}  // namespace resihmr::model
