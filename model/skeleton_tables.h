// The official skeletons and vertex-picked keypoints of SMPL (24 joints),
// SMPL+H (52) and SMPL-X (55): joint names in file order, SMPL's parents, and
// the vertex ids of nose, eyes, ears, toes, heels and fingertips on the
// official meshes (METHOD.md section 1). Other models name their own vertex
// keypoints in their npz (`vertex_keypoint_names`, `vertex_keypoint_ids`).
#pragma once

#include <string>
#include <vector>

namespace resihmr::model {

struct VertexKeypoint {
  std::string name;
  int vertex = -1;  // index into the model's vertices
  bool operator==(const VertexKeypoint& o) const { return name == o.name && vertex == o.vertex; }
  bool operator!=(const VertexKeypoint& o) const { return !(*this == o); }
};

// Joint names in file order for a model with `num_joints` of 24, 52 or 55;
// empty for any other count.
std::vector<std::string> OfficialJointNames(int num_joints);

// SMPL's 24 parents (root -1): the first 22 entries are shared by SMPL+H and SMPL-X.
const std::vector<int>& SmplParents();

// Official vertex keypoints for the SMPL mesh (6890 vertices) or the SMPL-X
// mesh (10475 vertices); empty for any other vertex count.
std::vector<VertexKeypoint> OfficialVertexKeypoints(int num_vertices);

// Index of `name` in `names`, or -1.
int IndexOf(const std::vector<std::string>& names, const std::string& name);

}  // namespace resihmr::model
