#include "optim/person_fit.h"

#include <gtest/gtest.h>

#include <random>

#include "data/keypoint_layout.h"
#include "model/error.h"
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
