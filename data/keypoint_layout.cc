#include "data/keypoint_layout.h"

#include <algorithm>

namespace resihmr::data {
namespace {

KeypointTarget Joint(const std::string& name, double weight = 1.0) { return {TargetKind::kJoint, name, weight}; }
KeypointTarget Vertex(const std::string& name, double weight = 1.0) { return {TargetKind::kVertexKeypoint, name, weight}; }

KeypointLayout MakeCoco17() {
  KeypointLayout l;
  l.name = "coco17";
  l.names = {"nose",       "left_eye",   "right_eye",   "left_ear",    "right_ear",  "left_shoulder",
             "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
             "right_hip",  "left_knee",  "right_knee",  "left_ankle",  "right_ankle"};
  // COCO's skeleton, converted from its 1-based category entry.
  l.skeleton = {{15, 13}, {13, 11}, {16, 14}, {14, 12}, {11, 12}, {5, 11}, {6, 12}, {5, 6}, {5, 7}, {6, 8},
                {7, 9},   {8, 10},  {1, 2},   {0, 1},   {0, 2},   {1, 3},  {2, 4},  {3, 5}, {4, 6}};
  l.flip_pairs = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}, {13, 14}, {15, 16}};
  l.oks_sigmas = {0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072,
                  0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089};
  l.targets = {Vertex("nose"),           Vertex("left_eye"),       Vertex("right_eye"),  Vertex("left_ear"),
               Vertex("right_ear"),      Joint("left_shoulder"),   Joint("right_shoulder"), Joint("left_elbow"),
               Joint("right_elbow"),     Joint("left_wrist"),      Joint("right_wrist"), Joint("left_hip", 0.5),
               Joint("right_hip", 0.5),  Joint("left_knee"),       Joint("right_knee"),  Joint("left_ankle"),
               Joint("right_ankle")};
  return l;
}

KeypointLayout MakeLdPose25() {
  KeypointLayout l = MakeCoco17();
  l.name = "ldpose25";
  const std::vector<std::string> ends = {"above_left_elbow_end", "above_right_elbow_end", "below_left_elbow_end",
                                         "below_right_elbow_end", "above_left_knee_end",  "above_right_knee_end",
                                         "below_left_knee_end",  "below_right_knee_end"};
  for (const std::string& e : ends) {
    l.names.push_back(e);
    l.targets.push_back({TargetKind::kResidualEndpoint, e, 1.0});
  }
  // shoulder -> above-elbow end, elbow -> below-elbow end, hip -> above-knee end, knee -> below-knee end.
  const std::vector<std::array<int, 2>> links = {{5, 17}, {6, 18}, {7, 19}, {8, 20}, {11, 21}, {12, 22}, {13, 23}, {14, 24}};
  l.skeleton.insert(l.skeleton.end(), links.begin(), links.end());
  const std::vector<std::array<int, 2>> flips = {{17, 18}, {19, 20}, {21, 22}, {23, 24}};
  l.flip_pairs.insert(l.flip_pairs.end(), flips.begin(), flips.end());
  const std::vector<double> sigmas = {0.072, 0.072, 0.062, 0.062, 0.087, 0.087, 0.089, 0.089};
  l.oks_sigmas.insert(l.oks_sigmas.end(), sigmas.begin(), sigmas.end());
  l.exclusive_pairs = {{7, 17}, {8, 18}, {9, 19}, {10, 20}, {13, 21}, {14, 22}, {15, 23}, {16, 24}};
  return l;
}

KeypointLayout MakeBody25() {
  KeypointLayout l;
  l.name = "body25";
  l.names = {"Nose",   "Neck",   "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow",    "LWrist", "MidHip",
             "RHip",   "RKnee",  "RAnkle",    "LHip",   "LKnee",  "LAnkle",    "REye",      "LEye",   "REar",
             "LEar",   "LBigToe", "LSmallToe", "LHeel", "RBigToe", "RSmallToe", "RHeel"};
  l.skeleton = {{1, 8},  {1, 2},   {1, 5},   {2, 3},   {3, 4},   {5, 6},   {6, 7},   {8, 9},
                {9, 10}, {10, 11}, {8, 12},  {12, 13}, {13, 14}, {1, 0},   {0, 15},  {15, 17},
                {0, 16}, {16, 18}, {14, 19}, {19, 20}, {14, 21}, {11, 22}, {22, 23}, {11, 24}};
  l.flip_pairs = {{2, 5}, {3, 6}, {4, 7}, {9, 12}, {10, 13}, {11, 14}, {15, 16}, {17, 18}, {19, 22}, {20, 23}, {21, 24}};
  // COCO's sigmas where the points coincide; neck as the shoulders, MidHip as
  // the hips; feet from COCO-WholeBody (big toe, small toe, heel).
  l.oks_sigmas = {0.026, 0.079, 0.079, 0.072, 0.062, 0.079, 0.072, 0.062, 0.107, 0.107, 0.087, 0.089, 0.107,
                  0.087, 0.089, 0.025, 0.025, 0.035, 0.035, 0.068, 0.066, 0.066, 0.068, 0.066, 0.066};
  // SMPL-X joint numbers from METHOD.md: 55,12,17,19,21,16,18,20,0,2,5,8,1,4,7,56..65 (56.. = vertex keypoints).
  l.targets = {Vertex("nose"),          Joint("neck", 0.5),     Joint("right_shoulder"), Joint("right_elbow"),
               Joint("right_wrist"),    Joint("left_shoulder"), Joint("left_elbow"),     Joint("left_wrist"),
               Joint("pelvis", 0.5),    Joint("right_hip", 0.5), Joint("right_knee"),    Joint("right_ankle"),
               Joint("left_hip", 0.5),  Joint("left_knee"),     Joint("left_ankle"),     Vertex("right_eye"),
               Vertex("left_eye"),      Vertex("right_ear"),    Vertex("left_ear"),      Vertex("left_big_toe"),
               Vertex("left_small_toe"), Vertex("left_heel"),   Vertex("right_big_toe"), Vertex("right_small_toe"),
               Vertex("right_heel")};
  return l;
}

}  // namespace

int KeypointLayout::Index(const std::string& keypoint) const {
  auto it = std::find(names.begin(), names.end(), keypoint);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

const KeypointLayout& Coco17Layout() {
  static const KeypointLayout layout = MakeCoco17();
  return layout;
}

const KeypointLayout& LdPose25Layout() {
  static const KeypointLayout layout = MakeLdPose25();
  return layout;
}

const KeypointLayout& Body25Layout() {
  static const KeypointLayout layout = MakeBody25();
  return layout;
}

const KeypointLayout* LayoutByName(const std::string& name) {
  for (const KeypointLayout* l : {&Coco17Layout(), &LdPose25Layout(), &Body25Layout()}) {
    if (l->name == name) return l;
  }
  return nullptr;
}

const KeypointLayout* LayoutByKeypointNames(const std::vector<std::string>& names) {
  for (const KeypointLayout* l : {&Coco17Layout(), &LdPose25Layout(), &Body25Layout()}) {
    if (l->names == names) return l;
  }
  return nullptr;
}

std::vector<int> ModelPointsOfLayout(const model::BodyModel& model, const KeypointLayout& layout) {
  std::vector<int> points(static_cast<size_t>(layout.size()), -1);
  for (int k = 0; k < layout.size(); ++k) {
    const KeypointTarget& t = layout.targets[static_cast<size_t>(k)];
    if (t.kind == TargetKind::kJoint) {
      points[static_cast<size_t>(k)] = model.JointIndex(t.name);
    } else if (t.kind == TargetKind::kVertexKeypoint) {
      const int q = model.VertexKeypointIndex(t.name);
      points[static_cast<size_t>(k)] = q < 0 ? -1 : model.num_joints() + q;
    }
  }
  return points;
}

std::vector<uint8_t> KeypointsOnJoints(const model::BodyModel& model, const KeypointLayout& layout,
                                       const std::vector<uint8_t>& joints) {
  const int J = model.num_joints();
  const std::vector<int> targets = ModelPointsOfLayout(model, layout);
  std::vector<uint8_t> on(static_cast<size_t>(layout.size()), 0);
  for (int k = 0; k < layout.size(); ++k) {
    const int p = targets[static_cast<size_t>(k)];
    if (p < 0) continue;
    if (p < J) {
      on[static_cast<size_t>(k)] = joints[static_cast<size_t>(p)];
      continue;
    }
    const int v = model.vertex_keypoints[static_cast<size_t>(p - J)].vertex;
    double w = 0;
    for (int j = 0; j < J; ++j) w += joints[static_cast<size_t>(j)] ? model.weights(v, j) : 0.0;
    on[static_cast<size_t>(k)] = w > 0.5;
  }
  return on;
}

}  // namespace resihmr::data
