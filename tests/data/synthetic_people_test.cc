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
    const double inter = cv::countNonZero(again & p.exact_mask), uni = cv::countNonZero(again | p.exact_mask);
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

// The honest benchmark: varied stumps are applied, watertight and measured
// (their volumes differ from the convex caps' on the same people); input masks
// are dilated (never smaller than most of the exact one, at most 15 px plus
// their ragged edge out); some keypoints are self-occluded, labelled occluded.
// Convex, exact and no self-occlusion give the same people with the exact mask.
TEST(SyntheticPeople, HonestBenchmarkVariesStumpsMasksAndVisibility) {
  const model::BodyModel& m = testing::EmbeddedModel();
  SynthOptions varied, convex;
  varied.seed = convex.seed = 2026;
  varied.amputee_fraction = convex.amputee_fraction = 1.0;
  convex.stump_shapes = StumpShapes::kConvex;
  convex.mask_dilation_px = 0;
  convex.self_occlusion = false;
  int shaped = 0, limbs = 0, occluded = 0, occluded_total = 0;
  double growth = 0;
  for (int i = 0; i < 8; ++i) {
    const SynthPerson a = MakeSynthPerson(m, varied, i), b = MakeSynthPerson(m, convex, i);
    EXPECT_TRUE(a.mesh.watertight()) << "person " << i;
    ASSERT_EQ(a.limbs.size(), b.limbs.size());
    EXPECT_EQ(a.params.pose, b.params.pose);
    EXPECT_EQ(a.params.betas, b.params.betas);
    for (size_t l = 0; l < a.limbs.size(); ++l) {
      ++limbs;
      EXPECT_EQ(a.limbs[l].cut.lambda, b.limbs[l].cut.lambda);  // the bone ends where it did
      EXPECT_EQ(a.limbs[l].length_mm, b.limbs[l].length_mm);
      if (!a.limbs[l].shaped) {
        EXPECT_FALSE(a.limbs[l].stump_note.empty());
        continue;
      }
      ++shaped;
      EXPECT_GT(a.limbs[l].volume_ml, 10);
      EXPECT_NE(a.limbs[l].volume_ml, b.limbs[l].volume_ml);
    }
    EXPECT_GT(cv::countNonZero(a.exact_mask != a.observation.mask), 0);
    EXPECT_EQ(cv::countNonZero(b.exact_mask != b.observation.mask), 0);
    const double exact = cv::countNonZero(a.exact_mask), kept = cv::countNonZero(a.exact_mask & a.observation.mask);
    EXPECT_GT(kept / exact, 0.9) << "person " << i;
    growth += (cv::countNonZero(a.observation.mask) - exact) / exact / 8;
    cv::Mat far;
    cv::dilate(a.exact_mask, far, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * 30 + 1, 2 * 30 + 1)));
    EXPECT_EQ(cv::countNonZero(a.observation.mask & ~far), 0) << "person " << i;  // within 15 px + the ragged edge
    for (Eigen::Index k = 0; k < a.observation.visibility.size(); ++k) {
      if (a.observation.visibility[k] == 1) {
        ++occluded;
        EXPECT_EQ(a.observation.confidence[k], 0.5);
      }
    }
    EXPECT_EQ(b.self_occluded, 0);
    occluded_total += a.self_occluded;
  }
  EXPECT_GT(shaped, limbs / 2);
  EXPECT_GT(growth, 0.02);
  EXPECT_GT(occluded, 4);
  EXPECT_GE(occluded_total, occluded);  // some hidden points are also dropped at random
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
    const cv::Rect box = cv::boundingRect(p.exact_mask);
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
