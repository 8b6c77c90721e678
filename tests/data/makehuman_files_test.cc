#include "data/makehuman_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "model/error.h"
#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename F>
std::string ErrorOf(const F& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The shared MakeHuman body read whole: counts as its README gives them.
TEST(MakeHumanFiles, TheSharedBodyIsRead) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const std::string kDir = std::filesystem::path(obj).parent_path().string();
  const MakeHumanMesh mesh = ParseMakeHumanObj(Slurp(kDir + "/base.obj"), "base.obj");
  EXPECT_EQ(mesh.vertices.rows(), 19158);
  EXPECT_EQ(mesh.body_faces.size(), 13378u);
  EXPECT_EQ(mesh.group_vertices.at("body").size(), 13380u);
  for (const std::vector<int>& f : mesh.body_faces) EXPECT_TRUE(f.size() == 3 || f.size() == 4);
  // Y up, decimetres: a standing adult about 17 dm tall.
  const double height = mesh.vertices.col(1).maxCoeff() - mesh.vertices.col(1).minCoeff();
  EXPECT_GT(height, 14);
  EXPECT_LT(height, 20);
  const std::vector<MakeHumanBone> rig = ParseMakeHumanRig(Slurp(kDir + "/rig.openpose.json"), "rig.openpose.json", mesh);
  EXPECT_EQ(rig.size(), 24u);
  int roots = 0;
  std::map<std::string, Eigen::Vector3d> head, tail;
  for (const MakeHumanBone& b : rig) {
    roots += b.parent.empty();
    EXPECT_FALSE(b.head.vertices.empty()) << b.name;
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (int v : b.head.vertices) mean += mesh.vertices.row(v).transpose();
    head[b.name] = mean / static_cast<double>(b.head.vertices.size());
    mean.setZero();
    for (int v : b.tail.vertices) mean += mesh.vertices.row(v).transpose();
    tail[b.name] = mean / static_cast<double>(b.tail.vertices.size());
  }
  // The bone heads where a body has its joints: Y up, the person's left at +x.
  EXPECT_GT(head["Neck"].y(), head["MidHip"].y());
  EXPECT_GT(head["MidHip"].y(), head["LKnee"].y());
  EXPECT_GT(head["LKnee"].y(), head["LAnkle"].y());
  EXPECT_GT(head["LWrist"].x(), head["LElbow"].x());
  EXPECT_GT(tail["LShoulder"].x(), 0.5);  // the shoulder bone runs from the spine to the shoulder
  EXPECT_LT(tail["RShoulder"].x(), -0.5);
  EXPECT_NEAR(head["LHip"].y(), head["RHip"].y(), 1e-6);
  EXPECT_EQ(roots, 3);  // MidHip, LHip, RHip
  const auto weights = ParseMakeHumanWeights(Slurp(kDir + "/weights.openpose.json"), "weights.openpose.json", rig,
                                             static_cast<int>(mesh.vertices.rows()));
  std::vector<int> influences(static_cast<size_t>(mesh.vertices.rows()), 0);
  for (const auto& [bone, pairs] : weights) {
    for (const auto& [v, w] : pairs) influences[static_cast<size_t>(v)] += w > 0;
  }
  for (int v : mesh.group_vertices.at("body")) {
    EXPECT_GE(influences[static_cast<size_t>(v)], 1) << v;
    EXPECT_LE(influences[static_cast<size_t>(v)], 5) << v;
  }
  const MakeHumanTarget t = ParseMakeHumanTarget(
      ReadGzipFile(kDir + "/targets/height/female-baby-averagemuscle-averageweight-maxheight.target.gz"), "target",
      static_cast<int>(mesh.vertices.rows()));
  EXPECT_EQ(t.vertices.size(), 19150u);
  EXPECT_EQ(t.vertices.size(), t.offsets.size());
}

// Hostile input: an Error naming the file, the line or entry and the field.
TEST(MakeHumanFiles, BadFilesAreErrorsNamingTheEntry) {
  const std::string obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\ng body\nf 1 2 3\nf 1 2 4\ng joint-a\nf 2 3 4\n";
  const MakeHumanMesh mesh = ParseMakeHumanObj(obj, "m.obj");
  EXPECT_EQ(mesh.group_vertices.at("joint-a"), (std::vector<int>{1, 2, 3}));
  EXPECT_NE(ErrorOf([] { ParseMakeHumanObj("v 0 0 0\ng body\nf 1 2 3\n", "m.obj"); }).find("m.obj: line 3: f: vertex '2'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMakeHumanObj("v 0 0 nan\n", "m.obj"); }).find("line 1: v"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMakeHumanObj("v 0 0 0\nv 1 0 0\nv 0 1 0\ng helper\nf 1 2 3\n", "m.obj"); }).find("no faces in group 'body'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseMakeHumanObj("v 0 0 0\ng body\nf -1 1 1\n", "m.obj"); }).find("positive"), std::string::npos);
  const auto rig = [&](const std::string& text) { return ErrorOf([&] { ParseMakeHumanRig(text, "rig.json", mesh); }); };
  const std::string head = R"({"strategy": "MEAN", "vertex_indices": [0, 1]})";
  const std::string tail = R"({"strategy": "CUBE", "cube_name": "joint-a"})";
  EXPECT_EQ(rig(R"({"bones": {"A": {"head": )" + head + R"(, "tail": )" + tail + "}}}"), "");
  EXPECT_NE(rig(R"({"bones": {"A": {"head": {"strategy": "MEAN", "vertex_indices": []}, "tail": )" + tail + "}}}")
                .find("bones.A.head.vertex_indices: expected 1 to 100000 vertex indices (a bone end without helper vertices)"),
            std::string::npos);
  EXPECT_NE(rig(R"({"bones": {"A": {"head": {"strategy": "MEAN", "vertex_indices": [9]}, "tail": )" + tail + "}}}")
                .find("bones.A.head.vertex_indices[0]: vertex 9 is outside 0..3"),
            std::string::npos);
  EXPECT_NE(rig(R"({"bones": {"A": {"head": )" + head + R"(, "tail": {"strategy": "CUBE", "cube_name": "joint-x"}}}})")
                .find("'joint-x' is no group"),
            std::string::npos);
  EXPECT_NE(rig(R"({"bones": {"A": {"parent": "B", "head": )" + head + R"(, "tail": )" + tail + "}}}").find("'B' is not a bone"),
            std::string::npos);
  EXPECT_NE(rig("{\"bones\": ").find("rig.json: not valid JSON"), std::string::npos);
  const std::vector<MakeHumanBone> bones = ParseMakeHumanRig(R"({"bones": {"A": {"head": )" + head + R"(, "tail": )" + tail + "}}}",
                                                             "rig.json", mesh);
  const auto weights = [&](const std::string& text) { return ErrorOf([&] { ParseMakeHumanWeights(text, "w.json", bones, 4); }); };
  EXPECT_EQ(weights(R"({"weights": {"A": [[0, 0.5], [3, 1]]}})"), "");
  EXPECT_NE(weights(R"({"weights": {"A": [[4, 0.5]]}})").find("w.json: weights.A[0]: vertex 4 is outside 0..3"), std::string::npos);
  EXPECT_NE(weights(R"({"weights": {"Z": [[0, 0.5]]}})").find("weights.Z: not a bone"), std::string::npos);
  EXPECT_NE(weights(R"({"weights": {"A": [[0, 1.5]]}})").find("weights.A[0]: weight"), std::string::npos);
  const auto target = [&](const std::string& text) { return ErrorOf([&] { ParseMakeHumanTarget(text, "t.target", 4); }); };
  EXPECT_EQ(target("# c\n0 0.1 0 0\n3 0 0 -0.2\n"), "");
  EXPECT_NE(target("4 0 0 0\n").find("t.target: line 1: vertex 4 is outside 0..3"), std::string::npos);
  EXPECT_NE(target("1 0 0\n").find("line 1: expected 'index dx dy dz'"), std::string::npos);
  EXPECT_NE(target("1 0 0 0\n1 0 0 0\n").find("line 2: vertex 1 is moved twice"), std::string::npos);
  EXPECT_NE(target("1 0 inf 0\n").find("line 1"), std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadGzipFile("/nonexistent/x.target.gz"); }).find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace resihmr::data
