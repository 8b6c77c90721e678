#include "model/limb_topology.h"

#include "model/ajahr_regions.h"
#include "model/error.h"

namespace resihmr::model {

std::string LimbName(Limb limb) {
  switch (limb) {
    case Limb::kLeftArm: return "left_arm";
    case Limb::kRightArm: return "right_arm";
    case Limb::kLeftLeg: return "left_leg";
    case Limb::kRightLeg: return "right_leg";
  }
  return "";
}

std::string LossLevelName(LossLevel level) {
  switch (level) {
    case LossLevel::kNone: return "";
    case LossLevel::kAboveElbow: return "above_elbow";
    case LossLevel::kBelowElbow: return "below_elbow";
    case LossLevel::kAboveKnee: return "above_knee";
    case LossLevel::kBelowKnee: return "below_knee";
  }
  return "";
}

bool ParseLimb(const std::string& name, Limb* limb) {
  for (Limb l : {Limb::kLeftArm, Limb::kRightArm, Limb::kLeftLeg, Limb::kRightLeg}) {
    if (LimbName(l) == name) {
      *limb = l;
      return true;
    }
  }
  return false;
}

bool ParseLossLevel(const std::string& name, LossLevel* level) {
  for (LossLevel l : {LossLevel::kAboveElbow, LossLevel::kBelowElbow, LossLevel::kAboveKnee, LossLevel::kBelowKnee}) {
    if (LossLevelName(l) == name) {
      *level = l;
      return true;
    }
  }
  return false;
}

bool IsArm(Limb limb) { return limb == Limb::kLeftArm || limb == Limb::kRightArm; }

bool LevelFitsLimb(Limb limb, LossLevel level) {
  if (IsArm(limb)) return level == LossLevel::kAboveElbow || level == LossLevel::kBelowElbow;
  return level == LossLevel::kAboveKnee || level == LossLevel::kBelowKnee;
}

ResidualSegment SegmentOf(const BodyModel& model, const ResidualLimb& r) {
  if (!LevelFitsLimb(r.limb, r.level)) {
    throw Error("residual limb " + LimbName(r.limb) + ": level '" + LossLevelName(r.level) + "' does not fit this limb");
  }
  const bool left = r.limb == Limb::kLeftArm || r.limb == Limb::kLeftLeg;
  const std::string side = left ? "left_" : "right_";
  std::string t, a;
  switch (r.level) {
    case LossLevel::kAboveElbow: t = "shoulder"; a = "elbow"; break;
    case LossLevel::kBelowElbow: t = "elbow"; a = "wrist"; break;
    case LossLevel::kAboveKnee: t = "hip"; a = "knee"; break;
    case LossLevel::kBelowKnee: t = "knee"; a = "ankle"; break;
    case LossLevel::kNone: break;
  }
  ResidualSegment s{model.JointIndex(side + t), model.JointIndex(side + a)};
  if (s.joint_t < 0 || s.joint_a < 0) throw Error(model.source + ": model has no " + side + t + " / " + side + a + " joint");
  return s;
}

std::vector<uint8_t> DistalJoints(const BodyModel& model, const ResidualLimb& r) {
  const ResidualSegment s = SegmentOf(model, r);
  std::vector<uint8_t> distal(static_cast<size_t>(model.num_joints()), 0);
  distal[static_cast<size_t>(s.joint_a)] = 1;
  for (int j = s.joint_a + 1; j < model.num_joints(); ++j) {  // parents precede children
    if (distal[static_cast<size_t>(model.parents[static_cast<size_t>(j)])]) distal[static_cast<size_t>(j)] = 1;
  }
  return distal;
}

std::vector<uint8_t> DistalJoints(const BodyModel& model, const std::vector<ResidualLimb>& limbs) {
  std::vector<uint8_t> lost(static_cast<size_t>(model.num_joints()), 0);
  for (const ResidualLimb& r : limbs) {
    const std::vector<uint8_t> d = DistalJoints(model, r);
    for (size_t j = 0; j < d.size(); ++j) lost[j] |= d[j];
  }
  return lost;
}

int AjahrRegionOf(const ResidualLimb& r) {
  const bool left = r.limb == Limb::kLeftArm || r.limb == Limb::kLeftLeg;
  std::string name = left ? "left_" : "right_";
  switch (r.level) {
    case LossLevel::kAboveElbow: name += "shoulder"; break;
    case LossLevel::kBelowElbow: name += "elbow"; break;
    case LossLevel::kAboveKnee: name += "hip"; break;
    case LossLevel::kBelowKnee: name += "knee"; break;
    case LossLevel::kNone: return kAjahrNone;
  }
  return AjahrRegionFromName(name);
}

int BpacHeadOf(Limb limb) {
  switch (limb) {
    case Limb::kRightArm: return 0;
    case Limb::kLeftArm: return 1;
    case Limb::kLeftLeg: return 2;
    case Limb::kRightLeg: return 3;
  }
  return 0;
}

int BpacClassOf(LossLevel level) {
  switch (level) {
    case LossLevel::kBelowElbow:
    case LossLevel::kBelowKnee: return 1;
    case LossLevel::kAboveElbow:
    case LossLevel::kAboveKnee: return 2;
    case LossLevel::kNone: return kBpacIntact;
  }
  return kBpacIntact;
}

ResidualLimb ResidualLimbOfBpacClass(int head, int cls) {
  if (head < 0 || head >= kBpacHeads || cls < 0 || cls >= kBpacClasses) {
    throw Error("BPAC-Net class " + std::to_string(cls) + " of head " + std::to_string(head) +
                ": heads 0..3 and classes 0..3 expected");
  }
  static const Limb kLimbs[kBpacHeads] = {Limb::kRightArm, Limb::kLeftArm, Limb::kLeftLeg, Limb::kRightLeg};
  ResidualLimb r;
  r.limb = kLimbs[head];
  if (cls == kBpacIntact) return r;
  const bool arm = IsArm(r.limb), above = cls == 2;
  r.level = arm ? (above ? LossLevel::kAboveElbow : LossLevel::kBelowElbow)
                : (above ? LossLevel::kAboveKnee : LossLevel::kBelowKnee);
  return r;
}

}  // namespace resihmr::model
