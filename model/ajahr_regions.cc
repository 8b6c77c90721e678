#include "model/ajahr_regions.h"

#include <algorithm>
#include <string>

#include "model/body_params.h"
#include "model/error.h"

namespace resihmr::model {
namespace {

struct Region {
  std::string name;
  std::vector<std::string> joints;  // SMPL joint names
};

const std::vector<Region>& Regions() {
  static const std::vector<Region> regions = {
      {"right_hand", {"right_wrist", "right_hand"}},
      {"right_elbow", {"right_elbow", "right_wrist", "right_hand"}},
      {"right_shoulder", {"right_shoulder", "right_elbow", "right_wrist", "right_hand"}},
      {"left_hand", {"left_wrist", "left_hand"}},
      {"left_elbow", {"left_elbow", "left_wrist", "left_hand"}},
      {"left_shoulder", {"left_shoulder", "left_elbow", "left_wrist", "left_hand"}},
      {"left_foot", {"left_ankle", "left_foot"}},
      {"left_knee", {"left_knee", "left_ankle", "left_foot"}},
      {"left_hip", {"left_hip", "left_knee", "left_ankle", "left_foot"}},
      {"right_foot", {"right_ankle", "right_foot"}},
      {"right_knee", {"right_knee", "right_ankle", "right_foot"}},
      {"right_hip", {"right_hip", "right_knee", "right_ankle", "right_foot"}},
      {"none", {}},
  };
  return regions;
}

}  // namespace

const std::string& AjahrRegionName(int region) {
  if (region < 0 || region > kAjahrNone) throw Error("AJAHR region " + std::to_string(region) + " is not in [0, 12]");
  return Regions()[static_cast<size_t>(region)].name;
}

int AjahrRegionFromName(const std::string& name) {
  for (size_t i = 0; i < Regions().size(); ++i) {
    if (Regions()[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> AjahrZeroedJoints(const BodyModel& model, int region) {
  const std::string& region_name = AjahrRegionName(region);  // throws when out of range
  std::vector<int> joints;
  for (const std::string& name : Regions()[static_cast<size_t>(region)].joints) {
    const int j = model.JointIndex(name);
    if (j >= 0) {
      joints.push_back(j);
      continue;
    }
    // SMPL+H / SMPL-X have no "left_hand"/"right_hand" joint: the fingers take its place.
    if (name != "left_hand" && name != "right_hand") {
      throw Error(model.source + ": AJAHR region " + region_name + ": model has no joint '" + name + "'");
    }
    const int first = FirstHandJoint(model, name == "left_hand");
    for (int k = 0; first >= 0 && k < 15; ++k) joints.push_back(first + k);
  }
  return joints;
}

int AjahrRegionOfBpacClass(int head, int cls) {
  if (head < 0 || head >= kBpacHeads || cls < 0 || cls >= kBpacClasses) {
    throw Error("BPAC-Net class: head in [0, 4) and class in [0, 4) expected, got head " + std::to_string(head) +
                " class " + std::to_string(cls));
  }
  if (cls == kBpacIntact) return kAjahrNone;
  // First region of each head's limb: right arm 0 (hand, elbow, shoulder), left arm 3,
  // left leg 6 (foot, knee, hip), right leg 9.
  static const int first[kBpacHeads] = {0, 3, 6, 9};
  return first[head] + cls;
}

std::vector<int> ZeroedJointsOfBpacClasses(const BodyModel& model, const std::vector<int>& classes) {
  if (classes.size() != static_cast<size_t>(kBpacHeads)) {
    throw Error("BPAC-Net classes: 4 (right arm, left arm, left leg, right leg) expected, got " +
                std::to_string(classes.size()));
  }
  std::vector<int> joints;
  for (int head = 0; head < kBpacHeads; ++head) {
    for (const int j : AjahrZeroedJoints(model, AjahrRegionOfBpacClass(head, classes[static_cast<size_t>(head)]))) {
      joints.push_back(j);
    }
  }
  std::sort(joints.begin(), joints.end());
  joints.erase(std::unique(joints.begin(), joints.end()), joints.end());
  return joints;
}

}  // namespace resihmr::model
