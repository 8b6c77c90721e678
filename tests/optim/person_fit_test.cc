#include "optim/person_fit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "data/keypoint_layout.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "tests/support/synthetic_person.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

// A person with a below-left-knee residual limb (ankle absent, endpoint present).
data::Observation BelowKneePerson(std::mt19937* rng, const model::PinholeCamera& camera) {
  const model::BodyModel& m = testing::EmbeddedModel();
  testing::SyntheticPerson p = testing::MakeSyntheticPerson(m, camera, data::LdPose25Layout(), 1.0, rng);
  data::Observation& o = p.observation;
  const data::KeypointLayout& l = data::LdPose25Layout();
  o.confidence[l.Index("left_ankle")] = 0;
  o.visibility[l.Index("left_ankle")] = 0;
  const Eigen::Vector3d knee = p.joints.row(m.JointIndex("left_knee")), ankle = p.joints.row(m.JointIndex("left_ankle"));
  const Eigen::Vector3d end = ankle + 0.4 * (knee - ankle);
  double uv[2];
  camera.Project(end.data(), uv);
  const int k = l.Index("below_left_knee_end");
  o.points.row(k) << uv[0], uv[1];
  o.confidence[k] = 1;
  o.visibility[k] = 2;
  return o;
}

TEST(PersonFit, DistalKeypointsNeverEnterAnyCost) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(4);
  const data::Observation clean = BelowKneePerson(&rng, camera);
  data::Observation absurd = clean;
  const int ankle = data::LdPose25Layout().Index("left_ankle");
  absurd.points.row(ankle) << -1e5, 3e5;  // labelled, and absurd
  absurd.confidence[ankle] = 1;
  absurd.visibility[ankle] = 2;
  PersonFitOptions options;
  options.limbs_given = true;  // the topology is given: the ankle is not there whatever the file says
  options.limbs = {{model::Limb::kLeftLeg, model::LossLevel::kBelowKnee}};
  const PersonFit a = FitPerson(m, clean, camera, options);
  const PersonFit b = FitPerson(m, absurd, camera, options);
  ASSERT_TRUE(a.fit.ok && b.fit.ok);
  EXPECT_EQ(a.fit.params.pose, b.fit.params.pose);
  EXPECT_EQ(a.fit.params.betas, b.fit.params.betas);
  EXPECT_EQ(a.fit.params.transl, b.fit.params.transl);
  ASSERT_EQ(b.residual_limbs.size(), 1u);
  EXPECT_EQ(a.residual_limbs[0].lambda, b.residual_limbs[0].lambda);
  EXPECT_TRUE(b.residual_limbs[0].accepted);
  EXPECT_FALSE(std::isfinite(b.fit.keypoints_2d(ankle, 0)));  // no prediction for a removed joint
  // The intact method does use the absurd ankle: the check above can fail.
  options.method = Method::kIntact;
  EXPECT_NE(FitPerson(m, clean, camera, options).fit.params.pose, FitPerson(m, absurd, camera, options).fit.params.pose);
}

TEST(PersonFit, LimbStatesDriveTheTopologyAndMethodsShareTheSchema) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(5);
  const data::Observation o = BelowKneePerson(&rng, camera);
  for (Method method : {Method::kResiHMR, Method::kIntact, Method::kAjahrZero}) {
    PersonFitOptions options;
    options.method = method;
    const PersonFit fit = FitPerson(m, o, camera, options);
    ASSERT_TRUE(fit.fit.ok) << MethodName(method);
    ASSERT_EQ(fit.residual_limbs.size(), 1u) << MethodName(method);
    const ResidualLimbResult& r = fit.residual_limbs[0];
    EXPECT_EQ(r.limb.level, model::LossLevel::kBelowKnee);
    EXPECT_TRUE(r.observed);
    EXPECT_TRUE(std::isfinite(r.reprojection_error_px));
    const int end = data::LdPose25Layout().Index("below_left_knee_end");
    EXPECT_TRUE(fit.fit.keypoints_2d.row(end).allFinite());
    if (method == Method::kAjahrZero) {
      EXPECT_DOUBLE_EQ(r.lambda, 1.0);
      EXPECT_EQ(fit.fit.params.zeroed_joints, (std::vector<int>{4, 7, 10}));  // AJAHR's left-knee region
    }
    if (method == Method::kIntact) {
      EXPECT_DOUBLE_EQ(r.lambda, 0.5);
    }
    if (method == Method::kResiHMR) {
      EXPECT_LT(r.reprojection_error_px, 15);
    }
  }
}

// TiltInDepth turns the residual segment in depth only: the endpoint's pixel,
// J_t, the segment's length and every joint the fit used stay; the posed
// model's J_a follows; the knee never bends past its range.
TEST(PersonFit, TiltInDepthKeepsTheImageAndTheSegment) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(8);
  const data::Observation o = BelowKneePerson(&rng, camera);
  PersonFitOptions options;
  options.limbs_given = true;
  options.limbs = {{model::Limb::kLeftLeg, model::LossLevel::kBelowKnee}};
  const PersonFit fit = FitPerson(m, o, camera, options);
  ASSERT_TRUE(fit.fit.ok);
  ASSERT_TRUE(fit.residual_limbs[0].accepted);
  const ResidualLimbResult& before = fit.residual_limbs[0];
  const model::ResidualSegment seg = model::SegmentOf(m, before.limb);
  const model::PosedBody posed_before = model::PoseBody(m, fit.fit.params, false);
  const double L = (before.joint_a - before.joint_t).norm();
  const int knee = m.JointIndex("left_knee");
  int accepted = 0, refused = 0;
  for (int deg = -90; deg <= 90; deg += 5) {
    PersonFit tilted = fit;
    const double angle = deg * M_PI / 180.0;
    if (!TiltInDepth(m, 0, angle, &tilted)) {
      ++refused;
      EXPECT_EQ(tilted.fit.params.pose, fit.fit.params.pose) << deg;  // left as it was
      continue;
    }
    ++accepted;
    const ResidualLimbResult& r = tilted.residual_limbs[0];
    Eigen::Vector2d uv;
    camera.Project(r.endpoint_3d.data(), uv.data());
    EXPECT_LT((uv - before.endpoint_2d).norm(), 1e-6) << deg;
    EXPECT_EQ(r.joint_t, before.joint_t);
    EXPECT_NEAR((r.joint_a - r.joint_t).norm(), L, 1e-9) << deg;
    const double turned = std::acos(std::clamp((r.joint_a - r.joint_t).normalized().dot((before.joint_a - before.joint_t) / L), -1.0, 1.0));
    EXPECT_NEAR(turned, std::abs(angle), 1e-6) << deg;
    EXPECT_NEAR(r.depth_tilt_rad, angle, 1e-12);
    EXPECT_GE(r.lambda, 0.0);
    EXPECT_LE(r.lambda, 1.0);
    EXPECT_NEAR((r.joint_a + r.lambda * (r.joint_t - r.joint_a) - r.endpoint_3d).norm(), 0.0, 1e-9);
    EXPECT_NEAR(r.length_mm, 1000.0 * (r.endpoint_3d - r.joint_t).norm(), 1e-6);
    // The model follows: its ankle is J_a, its joints above the knee and the other limbs unchanged.
    const model::PosedBody posed = model::PoseBody(m, tilted.fit.params, false);
    EXPECT_LT((posed.joints.row(seg.joint_a).transpose() - r.joint_a).norm(), 0.01 * L) << deg;
    for (int j = 0; j < m.num_joints(); ++j) {
      bool below_knee = false;
      for (int k = j; k >= 0; k = m.parents[static_cast<size_t>(k)]) below_knee = below_knee || k == knee;
      if (!below_knee || j == knee) {
        EXPECT_LT((posed.joints.row(j) - posed_before.joints.row(j)).norm(), 1e-9) << deg;
      }
    }
    // The knee does not bend backwards (model/joint_limits: flexion about x from -0.05 rad).
    EXPECT_GT(model::FullPose(tilted.fit.params, m)(knee, 0), -0.05 - 0.15 - 1e-9) << deg;
  }
  EXPECT_GT(accepted, 5);
  EXPECT_GT(refused, 0);  // some tilts would bend the knee the wrong way or miss the ray
  PersonFit unchanged = fit;
  EXPECT_TRUE(TiltInDepth(m, 0, 0.0, &unchanged));
  EXPECT_NEAR((unchanged.residual_limbs[0].endpoint_3d - before.endpoint_3d).norm(), 0.0, 1e-9);
  EXPECT_FALSE(TiltInDepth(m, 1, 0.1, &unchanged));  // no such limb
}

TEST(PersonFit, BadLimbInputGetsWarningsAndFallbacks) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(6);
  const data::KeypointLayout& l = data::LdPose25Layout();
  // Conflict: the ankle and the below-knee endpoint both labelled -> fitted as intact, with a warning.
  data::Observation conflict = BelowKneePerson(&rng, camera);
  conflict.confidence[l.Index("left_ankle")] = 1;
  const PersonFit a = FitPerson(m, conflict, camera, PersonFitOptions());
  ASSERT_TRUE(a.fit.ok);
  EXPECT_TRUE(a.residual_limbs.empty());
  ASSERT_FALSE(a.fit.warnings.empty());
  EXPECT_NE(a.fit.warnings.back().find("fitted as intact"), std::string::npos);
  // An endpoint on the wrong side of the body -> unresolved, with the reason.
  data::Observation wrong_side = BelowKneePerson(&rng, camera);
  const int end = l.Index("below_left_knee_end");
  wrong_side.points.row(end) = wrong_side.points.row(l.Index("right_shoulder")) + Eigen::RowVector2d(-80, -60);
  const PersonFit b = FitPerson(m, wrong_side, camera, PersonFitOptions());
  ASSERT_TRUE(b.fit.ok);
  ASSERT_EQ(b.residual_limbs.size(), 1u);
  EXPECT_FALSE(b.residual_limbs[0].accepted);
  EXPECT_NE(b.residual_limbs[0].reason.find("beyond the segment's reach"), std::string::npos) << b.residual_limbs[0].reason;
  // An endpoint whose upstream joint (the knee) is not labelled: RAFO still uses the fitted knee.
  data::Observation no_knee = BelowKneePerson(&rng, camera);
  no_knee.confidence[l.Index("left_knee")] = 0;
  const PersonFit c = FitPerson(m, no_knee, camera, PersonFitOptions());
  ASSERT_TRUE(c.fit.ok);
  ASSERT_EQ(c.residual_limbs.size(), 1u);
  EXPECT_TRUE(c.residual_limbs[0].accepted) << c.residual_limbs[0].reason;
  // A residual limb given without any endpoint keypoint (COCO) -> unresolved.
  PersonFitOptions given;
  given.limbs_given = true;
  given.limbs = {{model::Limb::kRightArm, model::LossLevel::kAboveElbow}};
  data::Observation coco_like = BelowKneePerson(&rng, camera);
  coco_like.confidence[end] = 0;
  const PersonFit d = FitPerson(m, coco_like, camera, given);
  ASSERT_TRUE(d.fit.ok);
  ASSERT_EQ(d.residual_limbs.size(), 1u);
  EXPECT_FALSE(d.residual_limbs[0].accepted);
  EXPECT_NE(d.residual_limbs[0].reason.find("no endpoint"), std::string::npos);
}

TEST(PersonFit, LimbListParsing) {
  const auto limbs = ParseLimbList("left_leg=below_knee,right_arm=above_elbow");
  ASSERT_EQ(limbs.size(), 2u);
  EXPECT_EQ(limbs[0].limb, model::Limb::kLeftLeg);
  EXPECT_EQ(limbs[1].level, model::LossLevel::kAboveElbow);
  EXPECT_THROW(ParseLimbList("left_leg=above_elbow"), Error);
  EXPECT_THROW(ParseLimbList("left_tail=below_knee"), Error);
  EXPECT_THROW(ParseLimbList("left_leg=below_knee,left_leg=above_knee"), Error);
  EXPECT_THROW(ParseLimbList("left_leg"), Error);
}

}  // namespace
}  // namespace resihmr::optim
