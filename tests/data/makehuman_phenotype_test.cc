// A body asked for by phenotype, stature and mass (data/makehuman_phenotype.h):
// the map read back from the JSON the import writes is the map in memory; bad
// maps and requests are refused naming the key or the value; on the imported
// MakeHuman body a requested stature and mass are met, and one out of reach
// is an error naming the reachable range.
#include "data/makehuman_phenotype.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/makehuman_model.h"
#include "model/error.h"
#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

MakeHumanShapeSpace SmallSpace() {
  MakeHumanShapeSpace s;
  s.phenotype_to_betas.resize(3, 7);
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 7; ++c) s.phenotype_to_betas(r, c) = 10 * r + c + 0.25;  // every entry different
  }
  s.mapping_r2 = Eigen::Vector3d(0.9, 0.8, 0.7);
  s.explained = Eigen::Vector3d(0.5, 0.3, 0.1);
  s.sampled_range << 0, 1, 0.5, 1, 0, 1, 0, 1, 0.35, 0.65, 0, 1;
  return s;
}

// The written JSON's rows are the map's rows (a column-major matrix written
// row by row), and BetasOf through the read map equals the map in memory.
TEST(PhenotypeMap, TheWrittenMapReadsBackAsTheMap) {
  const MakeHumanShapeSpace space = SmallSpace();
  const nlohmann::json json = PhenotypeMapJson(space);
  EXPECT_EQ(json["betas_from_phenotype"][1][2].get<double>(), 12.25);
  const PhenotypeMap map = PhenotypeMapFromJson(json, 10, "map.json");
  EXPECT_EQ(map.betas_from_phenotype, space.phenotype_to_betas);
  EXPECT_EQ(map.sampled_range, space.sampled_range);
  MakeHumanPhenotype p;
  p.height = 0.6;
  p.gender = 1;
  EXPECT_LT((BetasOf(map, p) - BetasOf(PhenotypeMapOf(space), p)).norm(), 1e-12);
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_phenotype_map_test.json").string();
  std::ofstream(path) << json.dump();
  EXPECT_EQ(ReadPhenotypeMap(path, 10).betas_from_phenotype, space.phenotype_to_betas);
  std::filesystem::remove(path);
}

void ExpectRefused(const nlohmann::json& json, const std::string& fragment, int num_betas = 10) {
  try {
    PhenotypeMapFromJson(json, num_betas, "map.json");
    ADD_FAILURE() << "accepted " << json.dump();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("map.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(PhenotypeMap, BadMapsAreRefusedNamingTheKey) {
  const nlohmann::json good = PhenotypeMapJson(SmallSpace());
  ExpectRefused(nlohmann::json::array(), "expected a JSON object");
  for (const char* key : {"phenotype", "betas_from_phenotype", "sampled_range"}) {
    nlohmann::json j = good;
    j.erase(key);
    ExpectRefused(j, std::string("missing key '") + key + "'");
  }
  nlohmann::json j = good;
  j["phenotype"][4] = "stature";
  ExpectRefused(j, "phenotype[4]: expected \"height\"");
  j = good;
  j["betas_from_phenotype"][2].erase(6);
  ExpectRefused(j, "betas_from_phenotype[2]: 6 entries, expected 7");
  j = good;
  j["betas_from_phenotype"][0][3] = "x";
  ExpectRefused(j, "betas_from_phenotype[0][3]: expected a number");
  j = good;
  j["betas_from_phenotype"][1][0] = 1e300;
  ExpectRefused(j, "betas_from_phenotype[1][0]");
  ExpectRefused(good, "betas_from_phenotype: 3 entries, expected 1 to 2", 2);  // more betas than the model has
  j = good;
  j["betas_from_phenotype"] = nlohmann::json::array();
  ExpectRefused(j, "betas_from_phenotype: 0 entries");
  j = good;
  j["sampled_range"][4] = {0.7, 0.3};
  ExpectRefused(j, "sampled_range[4] (height): expected 0 <= lo <= hi <= 1");
  j = good;
  j["sampled_range"].erase(5);
  ExpectRefused(j, "sampled_range: 5 entries, expected 6");
  MakeHumanPhenotype p;
  p.age = 1.5;
  EXPECT_THROW(BetasOf(PhenotypeMapFromJson(good, 10, "map.json"), p), Error);
}

struct Imported {
  MakeHumanModel model;
  PhenotypeMap map;
};

const Imported& MakeHuman() {
  static const Imported i = [] {
    const std::string dir = testing::SharedDataPath("makehuman");
    EXPECT_TRUE(std::filesystem::exists(dir + "/base.obj"))
        << "missing test data " << dir << ": this test needs ../shared/data beside the repository (see README)";
    Imported out{ImportMakeHuman(dir), {}};
    out.map = PhenotypeMapFromJson(PhenotypeMapJson(out.model.space), 10, "mh.phenotype.json");
    return out;
  }();
  return i;
}

// A requested stature and mass are met on the imported body, by the
// sliders' own values; the others stay as given; the body is plausible
// (the neutral MakeHuman body: 1.70 m, 59 kg).
TEST(MakeHumanPhenotype, ARequestedStatureAndMassAreMet) {
  const Imported& mh = MakeHuman();
  const model::BodyModel& m = mh.model.model;
  const RestBodySize neutral = MeasureRestBody(m, BetasOf(mh.map, MakeHumanPhenotype()), 1010);
  std::printf("neutral phenotype: stature %.3f m, volume %.1f l, mass %.1f kg\n", neutral.stature_m, neutral.volume_l,
              neutral.mass_kg);
  EXPECT_NEAR(neutral.stature_m, 1.70, 0.05);
  EXPECT_GT(neutral.mass_kg, 45);
  EXPECT_LT(neutral.mass_kg, 80);
  BodyRequest request;
  request.phenotype.gender = 1;
  request.phenotype.muscle = 0.7;
  request.stature_m = 1.80;
  request.mass_kg = 75;
  const RequestedBody body = SolveBody(m, mh.map, request);
  std::printf("asked 1.80 m, 75 kg: height slider %.3f, weight slider %.3f, stature %.4f m, mass %.2f kg\n",
              body.phenotype.height, body.phenotype.weight, body.size.stature_m, body.size.mass_kg);
  EXPECT_NEAR(body.size.stature_m, 1.80, 1e-3);
  EXPECT_NEAR(body.size.mass_kg, 75, 0.1);
  EXPECT_EQ(body.phenotype.gender, 1);
  EXPECT_EQ(body.phenotype.muscle, 0.7);
  EXPECT_FALSE(body.extrapolated);
  EXPECT_EQ(body.betas.size(), 10);
  // Stature alone: the weight slider is left as given; a taller body is heavier.
  request.mass_kg = 0;
  request.stature_m = 1.60;
  const RequestedBody shorter = SolveBody(m, mh.map, request);
  EXPECT_NEAR(shorter.size.stature_m, 1.60, 1e-3);
  EXPECT_EQ(shorter.phenotype.weight, 0.5);
  EXPECT_LT(shorter.size.mass_kg, body.size.mass_kg);
  // Beyond the sampled heights (0.35 to 0.65): met, and said to be extrapolated.
  request.stature_m = 1.95;
  EXPECT_TRUE(SolveBody(m, mh.map, request).extrapolated);
}

TEST(MakeHumanPhenotype, RequestsOutOfRangeOrReachAreErrors) {
  const Imported& mh = MakeHuman();
  const model::BodyModel& m = mh.model.model;
  const auto message = [&](const BodyRequest& r) -> std::string {
    try {
      SolveBody(m, mh.map, r);
    } catch (const Error& e) {
      return e.what();
    }
    return "accepted";
  };
  BodyRequest r;
  r.stature_m = 2.45;
  EXPECT_NE(message(r).find("stature 2.450 m is out of this model's reach ("), std::string::npos) << message(r);
  r = BodyRequest();
  r.mass_kg = 250;
  EXPECT_NE(message(r).find("mass 250.0 kg is out of this model's reach ("), std::string::npos) << message(r);
  r = BodyRequest();
  r.stature_m = 3;
  EXPECT_NE(message(r).find("not in [0.5, 2.5] m"), std::string::npos) << message(r);
  r = BodyRequest();
  r.mass_kg = std::nan("");
  EXPECT_NE(message(r).find("not in [10, 300] kg"), std::string::npos) << message(r);
  r = BodyRequest();
  r.density_kg_m3 = 0;
  EXPECT_NE(message(r).find("density"), std::string::npos) << message(r);
  r = BodyRequest();
  r.phenotype.proportions = -0.1;
  EXPECT_NE(message(r).find("proportions"), std::string::npos) << message(r);
}

}  // namespace
}  // namespace resihmr::data
