// The files of a MakeHuman body (issue 19, `../shared/data/makehuman`; CC0):
// the base mesh (base.obj: Y up, decimetres; groups, the skin being `body`,
// the rest helper geometry), the rig (rig.openpose.json: bones named after
// OpenPose BODY_25 keypoints, each end the mean of listed vertices
// ("MEAN") or of a helper group's vertices ("CUBE", by its name)), the
// skinning weights (weights.openpose.json: {"weights": {bone: [[vertex,
// weight], ...]}}) and the shape targets (*.target.gz: gzip text, one moved
// vertex per line, "index dx dy dz", '#' comments).
//
// Each reader validates before it allocates or hands data on: sizes (the
// file at most 256 MiB, a target at most 64 MiB unpacked), counts, indices
// in range, finite numbers, known names. A bad file is an Error naming the
// file, the line or entry, and the field.
#pragma once

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

namespace resihmr::data {

struct MakeHumanMesh {
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> vertices;  // V x 3, as in the file (decimetres)
  std::map<std::string, std::vector<int>> group_vertices;  // per group ("g"), its faces' vertices (0-based, sorted, unique)
  std::vector<std::vector<int>> body_faces;                // the `body` group's faces, 3 or 4 vertices each (0-based)
};

// base.obj's text: "v x y z", "f a[/t[/n]] ..." (positive 1-based indices, 3
// or 4 vertices), "g name"; other lines ("vt", "s", "usemtl", comments) are
// skipped. Needs a `body` group with faces.
MakeHumanMesh ParseMakeHumanObj(const std::string& text, const std::string& what);

// One end of a bone: the mean of `vertices` (MEAN, or CUBE: the helper
// group's vertices), and MakeHuman's default position.
struct MakeHumanBoneEnd {
  std::string strategy;        // "MEAN" or "CUBE"
  std::string cube_name;       // CUBE: the helper group
  std::vector<int> vertices;   // the vertices whose mean it is (0-based)
  Eigen::Vector3d default_position = Eigen::Vector3d::Zero();
};

struct MakeHumanBone {
  std::string name, parent;    // parent "" for a root
  MakeHumanBoneEnd head, tail;
};

// rig.openpose.json's text against the mesh (vertex indices below its
// count, CUBE groups among its groups, parents among the bones; 1..256 bones).
std::vector<MakeHumanBone> ParseMakeHumanRig(const std::string& text, const std::string& what, const MakeHumanMesh& mesh);

// weights.openpose.json's text: per bone, its (vertex, weight) pairs; every
// bone among `bones`, every vertex below `vertex_count`, every weight finite
// in [0, 1].
std::map<std::string, std::vector<std::pair<int, double>>> ParseMakeHumanWeights(const std::string& text,
                                                                                 const std::string& what,
                                                                                 const std::vector<MakeHumanBone>& bones,
                                                                                 int vertex_count);

struct MakeHumanTarget {
  std::vector<int> vertices;                 // 0-based, each at most once
  std::vector<Eigen::Vector3d> offsets;      // per vertex, decimetres
};

// A target's (unpacked) text against `vertex_count`.
MakeHumanTarget ParseMakeHumanTarget(const std::string& text, const std::string& what, int vertex_count);

// A gzip file's contents (at most 64 MiB unpacked); Error naming the file.
std::string ReadGzipFile(const std::string& path);

}  // namespace resihmr::data
