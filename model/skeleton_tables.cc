#include "model/skeleton_tables.h"

#include <algorithm>

namespace resihmr::model {
namespace {

const std::vector<std::string>& SmplNames() {
  static const std::vector<std::string> names = {
      "pelvis",        "left_hip",       "right_hip",      "spine1",      "left_knee",   "right_knee",
      "spine2",        "left_ankle",     "right_ankle",    "spine3",      "left_foot",   "right_foot",
      "neck",          "left_collar",    "right_collar",   "head",        "left_shoulder", "right_shoulder",
      "left_elbow",    "right_elbow",    "left_wrist",     "right_wrist", "left_hand",   "right_hand"};
  return names;
}

// Fifteen joints of one hand: chains of three from the wrist in the order
// index, middle, pinky, ring, thumb (as in the official files).
std::vector<std::string> HandNames(const std::string& side) {
  std::vector<std::string> names;
  for (const char* finger : {"index", "middle", "pinky", "ring", "thumb"}) {
    for (int k = 1; k <= 3; ++k) names.push_back(side + "_" + finger + std::to_string(k));
  }
  return names;
}

std::vector<VertexKeypoint> MakeTable(const std::vector<int>& ids) {
  static const char* kNames[] = {"nose",           "right_eye",       "left_eye",        "right_ear",
                                 "left_ear",       "left_big_toe",    "left_small_toe",  "left_heel",
                                 "right_big_toe",  "right_small_toe", "right_heel",      "left_thumb_tip",
                                 "left_index_tip", "left_middle_tip", "left_ring_tip",   "left_pinky_tip",
                                 "right_thumb_tip", "right_index_tip", "right_middle_tip", "right_ring_tip",
                                 "right_pinky_tip"};
  std::vector<VertexKeypoint> table;
  for (size_t i = 0; i < ids.size(); ++i) table.push_back({kNames[i], ids[i]});
  return table;
}

}  // namespace

std::vector<std::string> OfficialJointNames(int num_joints) {
  if (num_joints == 24) return SmplNames();
  if (num_joints != 52 && num_joints != 55) return {};
  std::vector<std::string> names(SmplNames().begin(), SmplNames().begin() + 22);
  if (num_joints == 55) {
    names.push_back("jaw");
    names.push_back("left_eye_smplhf");
    names.push_back("right_eye_smplhf");
  }
  for (const std::string& side : {std::string("left"), std::string("right")}) {
    std::vector<std::string> hand = HandNames(side);
    names.insert(names.end(), hand.begin(), hand.end());
  }
  return names;
}

const std::vector<int>& SmplParents() {
  static const std::vector<int> parents = {-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
                                           9,  9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21};
  return parents;
}

std::vector<VertexKeypoint> OfficialVertexKeypoints(int num_vertices) {
  if (num_vertices == 6890) {
    return MakeTable({332, 6260, 2800, 4071, 583, 3216, 3226, 3387, 6617, 6624, 6787, 2746, 2319, 2445, 2556, 2673,
                      6191, 5782, 5905, 6016, 6133});
  }
  if (num_vertices == 10475) {
    return MakeTable({9120, 9929, 9448, 616, 6, 5770, 5780, 8846, 8463, 8474, 8635, 5361, 4933, 5058, 5169, 5286,
                      8079, 7669, 7794, 7905, 8022});
  }
  return {};
}

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

}  // namespace resihmr::model
