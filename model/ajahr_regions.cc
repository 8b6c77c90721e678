#include "model/ajahr_regions.h"

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

}  // namespace resihmr::model
