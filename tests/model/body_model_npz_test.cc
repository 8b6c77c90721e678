#include "model/body_model_npz.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "model/error.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("resihmr_model_test_" + name)).string();
}

NpzContents ContentsOf(const BodyModel& m, const std::string& name) {
  const std::string path = TempPath(name);
  SaveBodyModel(m, path);
  NpzContents contents = ReadNpz(path);
  std::filesystem::remove(path);
  return contents;
}

void ExpectErrorMentioning(const NpzContents& npz, const std::vector<std::string>& needles) {
  try {
    BodyModelFromNpz(npz, "model.npz");
    ADD_FAILURE() << "no error; expected one mentioning " << needles.front();
  } catch (const Error& e) {
    for (const std::string& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
  }
}

NpyArray ToFloat32(const NpyArray& a) {
  NpyArray f;
  f.kind = 'f';
  f.itemsize = 4;
  f.shape = a.shape;
  const std::vector<double> values = a.ToDoubles();
  f.data.resize(values.size() * 4);
  for (size_t i = 0; i < values.size(); ++i) {
    const float x = static_cast<float>(values[i]);
    std::memcpy(f.data.data() + 4 * i, &x, 4);
  }
  return f;
}

TEST(BodyModelNpz, RoundTripKeepsEveryArray) {
  const BodyModel m = testing::RandomBodyModel({});
  const std::string path = TempPath("roundtrip.npz");
  SaveBodyModel(m, path);
  const BodyModel r = LoadBodyModel(path);
  std::filesystem::remove(path);
  EXPECT_EQ(r.kind, ModelKind::kSmpl);
  EXPECT_EQ(r.v_template, m.v_template);
  EXPECT_EQ(r.shapedirs, m.shapedirs);
  EXPECT_EQ(r.posedirs, m.posedirs);
  EXPECT_EQ(r.j_regressor, m.j_regressor);
  EXPECT_EQ(r.weights, m.weights);
  EXPECT_EQ(r.faces, m.faces);
  EXPECT_EQ(r.parents, m.parents);
  EXPECT_EQ(r.vertex_keypoints, m.vertex_keypoints);
  EXPECT_EQ(r.joint_names, OfficialJointNames(24));
}

TEST(BodyModelNpz, SmplxExpressionColumnsAndHands) {
  for (const auto& [betas, expression] : {std::pair<int, int>{10, 10}, std::pair<int, int>{300, 100}}) {
    testing::RandomModelOptions o;
    o.num_joints = 55;
    o.num_vertices = 40;
    o.num_betas = betas;
    o.num_expression = expression;
    const BodyModel m = testing::RandomBodyModel(o);
    NpzContents npz = ContentsOf(m, "smplx.npz");
    EXPECT_EQ(npz.arrays.at("shapedirs").shape, (std::vector<int64_t>{40, 3, betas + expression}));
    const BodyModel r = BodyModelFromNpz(npz, "smplx.npz");
    EXPECT_EQ(r.kind, ModelKind::kSmplx);
    EXPECT_EQ(r.num_betas, betas);
    EXPECT_EQ(r.num_expression, expression);
    EXPECT_EQ(r.hands_components_left, m.hands_components_left);
    EXPECT_EQ(r.hands_mean_right, m.hands_mean_right);
    EXPECT_EQ(r.joint_names[22], "jaw");
    EXPECT_EQ(r.joint_names[25], "left_index1");
  }
}

TEST(BodyModelNpz, FileQuirks) {
  const BodyModel m = testing::RandomBodyModel({});
  NpzContents npz = ContentsOf(m, "quirks.npz");
  // The root's junk parent as written by the official files (uint32 max).
  NpyArray tree;
  tree.kind = 'u';
  tree.itemsize = 4;
  tree.shape = {2, 24};
  std::vector<uint32_t> values(48);
  for (int j = 0; j < 24; ++j) {
    values[static_cast<size_t>(j)] = j == 0 ? 4294967295u : static_cast<uint32_t>(m.parents[static_cast<size_t>(j)]);
    values[static_cast<size_t>(24 + j)] = static_cast<uint32_t>(j);
  }
  tree.data.resize(48 * 4);
  std::memcpy(tree.data.data(), values.data(), tree.data.size());
  npz.arrays["kintree_table"] = tree;
  // float32 arrays, an object array, an extra unrelated key.
  for (const char* key : {"v_template", "shapedirs", "posedirs", "weights", "J_regressor"}) {
    npz.arrays[key] = ToFloat32(npz.arrays.at(key));
  }
  npz.skipped.push_back("bs_style");
  npz.arrays["J"] = NpyArray::FromDoubles({24, 3}, std::vector<double>(72, 0.0));
  const BodyModel r = BodyModelFromNpz(npz, "quirks.npz");
  EXPECT_EQ(r.parents[0], -1);
  EXPECT_NEAR((r.v_template - m.v_template).cwiseAbs().maxCoeff(), 0.0, 1e-6);
  // posedirs in smplx's internal (P, 3V) layout.
  NpzContents transposed = ContentsOf(m, "posedirs.npz");
  const Eigen::MatrixXd pd_t = m.posedirs.transpose();
  RowMatrixXd row_major = pd_t;
  transposed.arrays["posedirs"] = NpyArray::FromDoubles({207, 600}, std::vector<double>(row_major.data(), row_major.data() + row_major.size()));
  EXPECT_EQ(BodyModelFromNpz(transposed, "t.npz").posedirs, m.posedirs);
}

TEST(BodyModelNpz, EveryMissingKeyIsNamed) {
  const NpzContents npz = ContentsOf(testing::RandomBodyModel({}), "missing.npz");
  for (const char* key : {"v_template", "shapedirs", "J_regressor", "weights", "kintree_table", "f"}) {
    NpzContents broken = npz;
    broken.arrays.erase(key);
    ExpectErrorMentioning(broken, {"model.npz", key});
  }
}

// posedirs is the one optional key: without it, the model has no pose
// correctives; saved again, the file has the official layout (zeros).
TEST(BodyModelNpz, MissingPosedirsMeansNoPoseCorrectives) {
  testing::RandomModelOptions o;
  o.random_posedirs = false;
  const BodyModel m = testing::RandomBodyModel(o);
  NpzContents npz = ContentsOf(m, "nopose.npz");
  npz.arrays.erase("posedirs");
  const BodyModel r = BodyModelFromNpz(npz, "nopose.npz");
  EXPECT_EQ(r.posedirs.size(), 0);
  EXPECT_TRUE(r.posedirs_zero);
  EXPECT_EQ(r.v_template, m.v_template);
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_nopose.npz").string();
  SaveBodyModel(r, path);
  const BodyModel again = LoadBodyModel(path);
  EXPECT_EQ(again.posedirs.rows(), 3 * m.num_vertices());
  EXPECT_EQ(again.posedirs.cols(), 9 * (m.num_joints() - 1));
  EXPECT_TRUE(again.posedirs_zero);
  SaveBodyModel(r, path, true);
  EXPECT_EQ(LoadBodyModel(path).posedirs.size(), 0);
  std::filesystem::remove(path);
}

TEST(BodyModelNpz, WrongShapesDtypesAndValuesAreNamed) {
  const NpzContents npz = ContentsOf(testing::RandomBodyModel({}), "shapes.npz");
  struct Case {
    std::string key;
    NpyArray array;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"v_template", NpyArray::FromDoubles({200, 2}, std::vector<double>(400, 0.0)), "expected (V, 3)"},
      {"shapedirs", NpyArray::FromDoubles({199, 3, 10}, std::vector<double>(5970, 0.0)), "expected (200, 3, B)"},
      {"posedirs", NpyArray::FromDoubles({200, 3, 200}, std::vector<double>(120000, 0.0)), "expected (200, 3, 207)"},
      {"J_regressor", NpyArray::FromDoubles({23, 200}, std::vector<double>(4600, 0.0)), "expected (24, 200)"},
      {"weights", NpyArray::FromDoubles({200, 23}, std::vector<double>(4600, 0.0)), "expected (200, 24)"},
      {"kintree_table", NpyArray::FromInt64s({2, 23}, std::vector<int64_t>(46, 0)), "expected 24 (SMPL)"},
      {"f", NpyArray::FromInt64s({1, 3}, {0, 1, 200}), "vertex 200"},
      {"v_template", NpyArray::FromStrings({"a"}), "numeric"},
  };
  for (const Case& c : cases) {
    NpzContents broken = npz;
    broken.arrays[c.key] = c.array;
    ExpectErrorMentioning(broken, {"model.npz", c.key, c.needle});
  }
  NpzContents nan = npz;
  std::vector<double> v = nan.arrays.at("v_template").ToDoubles();
  v[7] = std::numeric_limits<double>::quiet_NaN();
  nan.arrays["v_template"] = NpyArray::FromDoubles({200, 3}, v);
  ExpectErrorMentioning(nan, {"v_template", "non-finite"});
  NpzContents bad_parent = npz;
  std::vector<int64_t> tree = bad_parent.arrays.at("kintree_table").ToInt64s();
  tree[5] = 7;  // joint 5's parent after it
  bad_parent.arrays["kintree_table"] = NpyArray::FromInt64s({2, 24}, tree);
  ExpectErrorMentioning(bad_parent, {"kintree_table", "parent of joint 5"});
  NpzContents object = npz;
  object.arrays.erase("weights");
  object.skipped.push_back("weights");
  ExpectErrorMentioning(object, {"weights", "object array"});
}

TEST(BodyModelNpz, EmbeddedModelKeepsItsKeypointTable) {
  const BodyModel& m = testing::EmbeddedModel();
  const NpzContents npz = ContentsOf(m, "embedded.npz");
  ASSERT_TRUE(npz.arrays.count("vertex_keypoint_names"));
  EXPECT_EQ(npz.arrays.at("vertex_keypoint_names").kind, 'U');
  const BodyModel r = BodyModelFromNpz(npz, "embedded.npz");
  EXPECT_EQ(r.vertex_keypoints, m.vertex_keypoints);
  EXPECT_EQ(r.v_template, m.v_template);
}

TEST(BodyModelNpz, OfficialMeshesGetTheOfficialTable) {
  testing::RandomModelOptions o;
  o.num_vertices = 6890;
  o.random_posedirs = false;
  BodyModel m = testing::RandomBodyModel(o);
  m.vertex_keypoints = OfficialVertexKeypoints(6890);
  const NpzContents npz = ContentsOf(m, "official.npz");
  EXPECT_FALSE(npz.arrays.count("vertex_keypoint_names"));
  const BodyModel r = BodyModelFromNpz(npz, "official.npz");
  ASSERT_EQ(r.VertexKeypointIndex("nose"), 0);
  EXPECT_EQ(r.vertex_keypoints[0].vertex, 332);
  EXPECT_EQ(r.vertex_keypoints[r.VertexKeypointIndex("right_heel")].vertex, 6787);
}

TEST(BodyModelNpz, TheFuzzSeedIsAValidModel) {
  // tests/fuzz/corpus/npz/tiny_smpl.npz: float32, uint32 kintree with the junk root, a name table.
  const BodyModel m = LoadBodyModel(std::string(RESIHMR_SOURCE_DIR) + "/tests/fuzz/corpus/npz/tiny_smpl.npz");
  EXPECT_EQ(m.num_vertices(), 8);
  EXPECT_EQ(m.parents[0], -1);
  ASSERT_EQ(m.vertex_keypoints.size(), 1u);
  EXPECT_EQ(m.vertex_keypoints[0].name, "nose");
}

}  // namespace
}  // namespace resihmr::model
