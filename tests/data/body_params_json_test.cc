#include "data/body_params_json.h"

#include <gtest/gtest.h>

#include "model/error.h"
#include "tests/support/test_models.h"

namespace resihmr::data {
namespace {

using nlohmann::json;

std::vector<json> Joints(int n, double value = 0.0) { return std::vector<json>(static_cast<size_t>(n), json{value, 0.0, 0.0}); }

TEST(BodyParamsJson, MissingKeysMeanZerosAndValuesRoundTrip) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::BodyParams zero = BodyParamsFromJson(json::object(), m, "p.json");
  EXPECT_EQ(zero.betas.size(), 10);
  EXPECT_EQ(zero.pose.rows(), 24);
  EXPECT_TRUE(zero.pose.isZero());
  json j = {{"betas", {0.5, -1.0}}, {"pose", Joints(24, 0.1)}, {"transl", {1, 2, 3}}, {"zeroed_joints", {4, 7}}};
  const model::BodyParams p = BodyParamsFromJson(j, m, "p.json");
  EXPECT_DOUBLE_EQ(p.betas[1], -1.0);
  EXPECT_DOUBLE_EQ(p.pose(23, 0), 0.1);
  EXPECT_EQ(p.zeroed_joints, (std::vector<int>{4, 7}));
  const model::BodyParams back = BodyParamsFromJson(BodyParamsToJson(p), m, "back");
  EXPECT_EQ(back.pose, p.pose);
  EXPECT_EQ(back.transl, p.transl);
  EXPECT_EQ(back.zeroed_joints, p.zeroed_joints);
}

TEST(BodyParamsJson, BadInputNamesFileAndKey) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const std::vector<std::pair<json, std::vector<std::string>>> cases = {
      {json{{"pose", Joints(23)}}, {"pose", "23 joints, expected 24"}},
      {json{{"pose", {{0, 0}}}}, {"pose"}},
      {json{{"betas", std::vector<double>(11, 0.0)}}, {"betas", "11 values"}},
      {json{{"betas", {"a"}}}, {"betas[0]", "number"}},
      {json{{"transl", {1, 2}}}, {"transl", "expected 3"}},
      {json{{"zeroed_joints", {24}}}, {"zeroed_joints", "24"}},
      {json{{"zeroed_joints", {1.5}}}, {"zeroed_joints[0]", "integer"}},
      {json{{"bettas", {1}}}, {"unknown key 'bettas'"}},
      {json{{"left_hand_pose", {1, 2}}}, {"left_hand_pose", "no hand PCA"}},
      {json::array(), {"object"}},
  };
  for (const auto& [input, needles] : cases) {
    try {
      BodyParamsFromJson(input, m, "params.json");
      ADD_FAILURE() << "no error for " << input.dump();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("params.json"), std::string::npos) << e.what();
      for (const std::string& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
    }
  }
  json pose = {{"pose", Joints(24)}};
  pose["pose"][3][1] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(BodyParamsFromJson(pose, m, "inf.json"), Error);
  EXPECT_THROW(ReadBodyParamsJson("/nonexistent/params.json", m), Error);
}

}  // namespace
}  // namespace resihmr::data
