#include "data/makehuman_shape.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "tests/support/shared_data.h"

namespace resihmr::data {
namespace {

struct Shared {
  MakeHumanBody body;
  MakeHumanTargets targets;
  MakeHumanShapeSpace space;
  double seconds = 0;
};

const Shared& Data() {
  static const Shared s = [] {
    const auto start = std::chrono::steady_clock::now();
    Shared d;
    d.body = ReadMakeHumanBody(testing::SharedDataPath("makehuman"));
    d.targets = ReadMakeHumanTargets(testing::SharedDataPath("makehuman"), d.body);
    d.space = BuildMakeHumanShapeSpace(d.targets);
    d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return d;
  }();
  return s;
}

double Height(const MakeHumanBody& body, const Eigen::VectorXd& offsets) {
  Eigen::VectorXd y(body.vertices.rows());
  for (Eigen::Index v = 0; v < body.vertices.rows(); ++v) y[v] = body.vertices(v, 1) + offsets[3 * v + 1];
  return y.maxCoeff() - y.minCoeff();
}

// Every macro target read and named; the phenotypes act as MakeHuman's
// sliders do: taller with height, heavier with weight, the neutral phenotype
// the base body.
TEST(MakeHumanShape, PhenotypesMoveTheBodyAsTheirNamesSay) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const Shared& d = Data();
  EXPECT_EQ(d.targets.targets.size(), 72u + 144u + 108u);
  EXPECT_LT(PhenotypeOffsets(d.targets, MakeHumanPhenotype()).norm(), 1e-12);
  MakeHumanPhenotype tall, short_;
  tall.height = 1;
  short_.height = 0;
  const double base = Height(d.body, Eigen::VectorXd::Zero(3 * d.body.vertices.rows()));
  const double t = Height(d.body, PhenotypeOffsets(d.targets, tall)), s = Height(d.body, PhenotypeOffsets(d.targets, short_));
  std::printf("height: base %.3f m, height 0 %.3f m, height 1 %.3f m; import %.1f s\n", base, s, t, d.seconds);
  EXPECT_GT(t, base + 0.05);
  EXPECT_LT(s, base - 0.05);
}

// The shape space: orthogonal directions (orthonormal once divided by their
// scale), most of the samples' variation in the first 10, betas 0 the base,
// and the phenotype map fitting the samples.
TEST(MakeHumanShape, ShapeDirectionsAreOrthogonalAndHoldTheVariation) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const Shared& d = Data();
  const Eigen::MatrixXd& S = d.space.shapedirs;
  ASSERT_EQ(S.cols(), 10);
  Eigen::MatrixXd unit = S;
  for (Eigen::Index k = 0; k < S.cols(); ++k) unit.col(k).normalize();
  EXPECT_LT((unit.transpose() * unit - Eigen::MatrixXd::Identity(10, 10)).cwiseAbs().maxCoeff(), 1e-9);
  for (Eigen::Index k = 1; k < S.cols(); ++k) EXPECT_LE(d.space.explained[k], d.space.explained[k - 1]);
  std::printf("explained by 10 directions: %.4f (first %.3f); phenotype map R^2 of beta 0..2: %.3f %.3f %.3f\n",
              d.space.explained.sum(), d.space.explained[0], d.space.mapping_r2[0], d.space.mapping_r2[1],
              d.space.mapping_r2[2]);
  EXPECT_GT(d.space.explained.sum(), 0.95);
  EXPECT_GT(d.space.mapping_r2[0], 0.8);
}

}  // namespace
}  // namespace resihmr::data

#include <filesystem>

#include "data/makehuman_model.h"
#include "data/makehuman_phenotype.h"
#include "model/body_model_npz.h"
#include "model/pose_body.h"

namespace resihmr::data {
namespace {

// The whole import: a finalised SMPL-layout model of 10 betas that survives
// its npz, within the import's 10 s, and the phenotype map: asking for a
// taller phenotype gives betas that pose a taller body.
TEST(MakeHumanModel, ImportIsAModelAndThePhenotypeMapWorks) {
  RESIHMR_SHARED_DATA_FILE(obj, "makehuman/base.obj");
  const MakeHumanModel imported = ImportMakeHuman(std::filesystem::path(obj).parent_path().string());
  const model::BodyModel& m = imported.model;
  EXPECT_EQ(m.num_joints(), 24);
  EXPECT_EQ(m.num_betas, 10);
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_makehuman_test.npz").string();
  model::SaveBodyModel(m, path, true);
  const model::BodyModel back = model::LoadBodyModel(path);
  std::filesystem::remove(path);
  EXPECT_LT((back.v_template - m.v_template).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((back.shapedirs - m.shapedirs).cwiseAbs().maxCoeff(), 1e-12);
  const auto height = [&](const MakeHumanPhenotype& p) {
    model::BodyParams params = model::BodyParams::Zero(m);
    params.betas = BetasOf(PhenotypeMapOf(imported.space), p);
    const model::PosedBody posed = model::PoseBody(m, params, true);
    return posed.vertices.col(1).maxCoeff() - posed.vertices.col(1).minCoeff();
  };
  MakeHumanPhenotype tall, small;
  tall.height = 0.65;
  small.height = 0.35;
  std::printf("phenotype map: height 0.35 -> %.3f m, 0.5 -> %.3f m, 0.65 -> %.3f m\n", height(small),
              height(MakeHumanPhenotype()), height(tall));
  EXPECT_GT(height(tall), height(MakeHumanPhenotype()) + 0.05);
  EXPECT_LT(height(small), height(MakeHumanPhenotype()) - 0.05);
}

}  // namespace
}  // namespace resihmr::data
