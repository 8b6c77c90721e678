#include "data/limb_state.h"

namespace resihmr::data {

std::string LimbStateName(LimbState state) {
  switch (state) {
    case LimbState::kIntact: return "intact";
    case LimbState::kAboveJointLoss: return "above_joint_loss";
    case LimbState::kBelowJointLoss: return "below_joint_loss";
    case LimbState::kUnknown: return "unknown";
  }
  return "";
}

model::LossLevel LossLevelOf(Limb limb, LimbState state) {
  const bool arm = model::IsArm(limb);
  if (state == LimbState::kAboveJointLoss) return arm ? model::LossLevel::kAboveElbow : model::LossLevel::kAboveKnee;
  if (state == LimbState::kBelowJointLoss) return arm ? model::LossLevel::kBelowElbow : model::LossLevel::kBelowKnee;
  return model::LossLevel::kNone;
}

std::string LossLevelName(Limb limb, LimbState state) { return model::LossLevelName(LossLevelOf(limb, state)); }

LimbKeypoints LimbKeypointIndices(const KeypointLayout& layout, Limb limb) {
  const bool left = limb == Limb::kLeftArm || limb == Limb::kLeftLeg;
  const bool arm = limb == Limb::kLeftArm || limb == Limb::kRightArm;
  const std::string side = left ? "left" : "right";
  LimbKeypoints k;
  if (layout.name == "body25") {
    const std::string s = left ? "L" : "R";
    k.joint = layout.Index(s + (arm ? "Elbow" : "Knee"));
    k.distal = layout.Index(s + (arm ? "Wrist" : "Ankle"));
    return k;
  }
  k.joint = layout.Index(side + (arm ? "_elbow" : "_knee"));
  k.distal = layout.Index(side + (arm ? "_wrist" : "_ankle"));
  k.above_end = layout.Index("above_" + side + (arm ? "_elbow_end" : "_knee_end"));
  k.below_end = layout.Index("below_" + side + (arm ? "_elbow_end" : "_knee_end"));
  return k;
}

std::array<LimbStatus, 4> LimbStates(const Observation& o) {
  std::array<LimbStatus, 4> out;
  for (int i = 0; i < 4; ++i) {
    const Limb limb = static_cast<Limb>(i);
    LimbStatus& s = out[static_cast<size_t>(i)];
    s.limb = limb;
    const LimbKeypoints k = LimbKeypointIndices(*o.layout, limb);
    const bool arm = limb == Limb::kLeftArm || limb == Limb::kRightArm;
    const std::string joint = arm ? "elbow" : "knee", distal = arm ? "wrist" : "ankle";
    const bool j = k.joint >= 0 && o.present(k.joint);
    const bool d = k.distal >= 0 && o.present(k.distal);
    const bool above = k.above_end >= 0 && o.present(k.above_end);
    const bool below = k.below_end >= 0 && o.present(k.below_end);
    const auto conflict = [&](const std::string& why) {
      s.state = LimbState::kUnknown;
      s.conflict = true;
      s.note = "conflict: " + why;
    };
    if (above && below) {
      conflict("both the above-" + joint + " and the below-" + joint + " endpoint are labelled");
    } else if (j && above) {
      conflict("the " + joint + " and the above-" + joint + " endpoint are both labelled");
    } else if (d && below) {
      conflict("the " + distal + " and the below-" + joint + " endpoint are both labelled");
    } else if (d && above) {
      conflict("the " + distal + " is labelled with an above-" + joint + " endpoint");
    } else if (above) {
      s.state = LimbState::kAboveJointLoss;
    } else if (below) {
      s.state = LimbState::kBelowJointLoss;
      if (!j) s.note = "the " + joint + " is not labelled; taken as a below-" + joint + " loss from its endpoint";
    } else if (d) {
      s.state = LimbState::kIntact;
      if (!j) s.note = "the " + joint + " is not labelled; the " + distal + " is, so the limb is taken as intact";
    } else {
      s.state = LimbState::kUnknown;
      s.note = "no " + distal + " and no residual-limb endpoint labelled (occluded, or a loss without an endpoint)";
    }
  }
  return out;
}

}  // namespace resihmr::data
