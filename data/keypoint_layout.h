// Keypoint layouts as data: COCO-17, LDPose-25 (COCO-17 plus the 8
// residual-limb endpoints of people with limb loss) and OpenPose BODY_25.
// Each layout holds its keypoint names, skeleton links, flip pairs, OKS
// sigmas, LDPose's mutually exclusive (intact joint, residual endpoint)
// pairs, and for every keypoint the body-model target it is fitted to (a
// skeleton joint or a vertex keypoint, by name) with a weight. Indices are
// 0-based throughout (COCO's own skeleton lists are 1-based in files).
//
// Weights: 1 for every target except where the annotation convention and the
// model's joint disagree. COCO hips are marked on the outside of the hip, a few
// centimetres higher and wider than SMPL's hip joint centres (hip joint centre
// vs. greater trochanter); they get 0.5, and OpenPose's MidHip and Neck
// (shoulder midpoint, not SMPL's neck joint) likewise. Endpoints of residual
// limbs have no model target: RAFO fits them (optim/).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/body_model.h"

namespace resihmr::data {

enum class TargetKind { kJoint, kVertexKeypoint, kResidualEndpoint };

struct KeypointTarget {
  TargetKind kind = TargetKind::kJoint;
  std::string name;     // model joint or vertex keypoint name; for endpoints the keypoint's own name
  double weight = 1.0;  // relative weight in the data term
};

struct KeypointLayout {
  std::string name;                          // "coco17", "ldpose25", "body25"
  std::vector<std::string> names;            // keypoint names in file order
  std::vector<std::array<int, 2>> skeleton;  // links drawn and used for limb lengths
  std::vector<std::array<int, 2>> flip_pairs;
  std::vector<double> oks_sigmas;            // COCO OKS sigmas (fractions of object scale)
  std::vector<std::array<int, 2>> exclusive_pairs;  // (intact joint, residual endpoint): one or the other
  std::vector<KeypointTarget> targets;       // one per keypoint

  int size() const { return static_cast<int>(names.size()); }
  int Index(const std::string& keypoint) const;  // -1 when absent
};

const KeypointLayout& Coco17Layout();
const KeypointLayout& LdPose25Layout();
const KeypointLayout& Body25Layout();

// "coco17", "ldpose25" or "body25"; nullptr for any other name.
const KeypointLayout* LayoutByName(const std::string& name);

// The known layout whose keypoint names equal `names`, else nullptr.
const KeypointLayout* LayoutByKeypointNames(const std::vector<std::string>& names);

// The model point (joint j -> j, vertex keypoint q -> J + q) of each layout
// keypoint, -1 where the model has no target (or it is a residual endpoint).
std::vector<int> ModelPointsOfLayout(const model::BodyModel& model, const KeypointLayout& layout);

// Per layout keypoint, 1 when its model point lies on the flagged joints (J
// flags): a flagged joint, or a vertex keypoint skinned more than half to them
// (toes and heels of a lost foot, fingertips of a lost hand).
std::vector<uint8_t> KeypointsOnJoints(const model::BodyModel& model, const KeypointLayout& layout,
                                       const std::vector<uint8_t>& joints);

}  // namespace resihmr::data
