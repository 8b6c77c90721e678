#include "data/synthetic_people.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgproc.hpp>

#include "geometry/mesh_io.h"
#include "geometry/mesh_read.h"
#include "geometry/mesh_render.h"
#include "tests/support/test_models.h"

namespace resihmr::data {
namespace {

// The mask is the silhouette of the ground-truth mesh as written to disk.
TEST(SyntheticPeople, MasksMatchTheirMeshes) {
  const model::BodyModel& m = testing::EmbeddedModel();
  SynthOptions o;
  o.seed = 4;
  o.amputee_fraction = 1.0;
  o.width = 640;
  o.height = 480;
  for (int i = 0; i < 3; ++i) {
    const SynthPerson p = MakeSynthPerson(m, o, i);
    ASSERT_FALSE(p.limbs.empty());
    EXPECT_TRUE(p.mesh.watertight());
    const std::string path = (std::filesystem::temp_directory_path() / "resihmr_synth_mesh.ply").string();
    geometry::WriteMesh(path, p.mesh.vertices, p.mesh.faces, {}, p.mesh.residual);
    geometry::RowMatrixX3d v;
    geometry::RowMatrixX3i f;
    geometry::ReadMesh(path, &v, &f);
    std::filesystem::remove(path);
    const cv::Mat again = geometry::RenderSilhouette(v, f, p.camera);
    const double inter = cv::countNonZero(again & p.observation.mask), uni = cv::countNonZero(again | p.observation.mask);
    EXPECT_GT(inter / uni, 0.995) << "person " << i;
    EXPECT_GT(uni, 1000);
    // Every residual limb's ground truth is consistent.
    for (const SynthLimbTruth& t : p.limbs) {
      EXPECT_GE(t.cut.lambda, 0.0);  // 0.15 to 0.85, or moved distally by the stump by at most 0.15
      EXPECT_LE(t.cut.lambda, 0.85);
      EXPECT_NEAR(t.length_mm, 1000 * (1 - t.cut.lambda) * (t.cut.joint_a - t.cut.joint_t).norm(), 1e-6);
      EXPECT_GT(t.volume_ml, 10);
    }
  }
}

// Every person lies wholly inside the image: each noise-free keypoint, and a
// mask that does not touch the image's border.
TEST(SyntheticPeople, PeopleLieInsideTheImage) {
  const model::BodyModel& m = testing::EmbeddedModel();
  SynthOptions o;
  o.seed = 2026;
  for (int i = 0; i < 40; ++i) {
    const SynthPerson p = MakeSynthPerson(m, o, i);
    for (Eigen::Index k = 0; k < p.keypoints.rows(); ++k) {
      if (!p.keypoints.row(k).allFinite()) continue;
      EXPECT_GT(p.keypoints(k, 0), 0) << "person " << i << " keypoint " << k;
      EXPECT_GT(p.keypoints(k, 1), 0) << "person " << i << " keypoint " << k;
      EXPECT_LT(p.keypoints(k, 0), o.width) << "person " << i << " keypoint " << k;
      EXPECT_LT(p.keypoints(k, 1), o.height) << "person " << i << " keypoint " << k;
    }
    const cv::Rect box = cv::boundingRect(p.observation.mask);
    EXPECT_GT(box.x, 0) << "person " << i;
    EXPECT_GT(box.y, 0) << "person " << i;
    EXPECT_LT(box.x + box.width, o.width) << "person " << i;
    EXPECT_LT(box.y + box.height, o.height) << "person " << i;
  }
}

TEST(SyntheticPeople, SamePersonForTheSameSeedAndIndex) {
  const model::BodyModel& m = testing::EmbeddedModel();
  SynthOptions o;
  o.render = false;
  const SynthPerson a = MakeSynthPerson(m, o, 7), b = MakeSynthPerson(m, o, 7), c = MakeSynthPerson(m, o, 8);
  EXPECT_EQ(a.params.pose, b.params.pose);
  EXPECT_EQ(a.observation.points, b.observation.points);
  EXPECT_NE(a.params.pose, c.params.pose);
}

}  // namespace
}  // namespace resihmr::data
