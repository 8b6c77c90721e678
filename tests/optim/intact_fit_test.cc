#include "optim/intact_fit.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>

#include "data/keypoint_layout.h"
#include "model/pose_body.h"
#include "tests/support/synthetic_person.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

// MPJPE after a similarity Procrustes alignment (Umeyama), metres.
double PaMpjpe(const Eigen::MatrixX3d& predicted, const Eigen::MatrixX3d& truth) {
  const Eigen::Matrix3Xd p = predicted.transpose(), t = truth.transpose();
  const Eigen::Matrix4d T = Eigen::umeyama(p, t, true);
  const Eigen::Matrix3Xd aligned = (T.topLeftCorner<3, 3>() * p).colwise() + T.topRightCorner<3, 1>();
  return (aligned - t).colwise().norm().mean();
}

struct Stats {
  double mean_error = 0, worst_error = 0, pa_mpjpe = 0, time_ms = 0;
};

Stats RoundTrip(double noise_px, int cases, unsigned seed) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(seed);
  Stats s;
  for (int i = 0; i < cases; ++i) {
    const testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), noise_px, &rng);
    const FitResult r = FitIntact(m, person.observation, camera, FitOptions());
    EXPECT_TRUE(r.ok) << r.error;
    s.mean_error += r.mean_error_px / cases;
    s.worst_error = std::max(s.worst_error, r.mean_error_px);
    s.time_ms += r.time_ms / cases;
    const model::PosedBody posed = model::PoseBody(m, r.params, false);
    s.pa_mpjpe += PaMpjpe(posed.joints.topRows(22), person.joints.topRows(22)) / cases;
  }
  return s;
}

TEST(IntactFit, RecoversNoiseFreeKeypointsToUnderOnePixel) {
  const Stats s = RoundTrip(0.0, 10, 1);
  std::printf("noise 0: mean 2D error %.3f px (worst %.3f), PA-MPJPE %.1f mm, %.1f ms per fit\n", s.mean_error,
              s.worst_error, 1000 * s.pa_mpjpe, s.time_ms);
  EXPECT_LT(s.mean_error, 1.0);
}

TEST(IntactFit, NoisyKeypointsFitToWithinSigmaPlusOnePixel) {
  const double sigma = 2.0;
  const Stats s = RoundTrip(sigma, 10, 2);
  std::printf("noise %.0f px: mean 2D error %.3f px (worst %.3f), PA-MPJPE %.1f mm, %.1f ms per fit\n", sigma,
              s.mean_error, s.worst_error, 1000 * s.pa_mpjpe, s.time_ms);
  EXPECT_LT(s.mean_error, sigma + 1.0);
}

}  // namespace
}  // namespace resihmr::optim

namespace resihmr::optim {
namespace {

// Random poses, noise, dropped keypoints, outliers and degenerate inputs:
// every fit reports a status, and no output is ever non-finite.
TEST(IntactFit, ThousandRandomFitsNeverGiveNonFiniteOutput) {
  const model::BodyModel& m = testing::EmbeddedModel();
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  int ok = 0, failed = 0, ordinary = 0, ordinary_ok = 0;
  for (int i = 0; i < 1000; ++i) {
    const model::PinholeCamera camera = model::DefaultCamera(640 + 64 * (i % 10), 480 + 48 * (i % 7));
    const double noise = 5 * u(rng);
    testing::SyntheticPerson person =
        testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), noise, &rng, 0.2 + 0.8 * u(rng));
    data::Observation& o = person.observation;
    for (int k = 0; k < 17; ++k) {
      const double draw = u(rng);
      if (draw < 0.15) {
        o.confidence[k] = 0;  // dropped
      } else if (draw < 0.2) {
        o.points.row(k) << camera.width * u(rng), camera.height * u(rng);  // outlier
      } else {
        o.confidence[k] = 0.3 + 0.7 * u(rng);
      }
    }
    if (i % 50 == 7) o.points.rowwise() = o.points.row(0);                    // every point on one pixel
    if (i % 50 == 13) o.points.col(1).setConstant(100);                        // all on a line
    if (i % 50 == 21) o.points *= 1e6;                                         // absurd coordinates
    if (i % 50 == 29) o.points(5, 0) = std::numeric_limits<double>::quiet_NaN();  // non-finite input
    if (i % 50 == 37) o.confidence.setZero();                                  // nothing labelled
    const FitResult r = FitIntact(m, o, camera, FitOptions());
    const bool degenerate = i % 50 == 7 || i % 50 == 13 || i % 50 == 21 || i % 50 == 29 || i % 50 == 37;
    if (i % 50 == 29 || i % 50 == 37) {
      EXPECT_FALSE(r.ok) << i << ": non-finite or unlabelled input was fitted";
    }
    if (!degenerate) {
      ++ordinary;
      ordinary_ok += r.ok;
      if (!r.ok) {
        std::printf("ordinary case %d failed: %s\n", i, r.error.c_str());
        for (const StageReport& st : r.stages) {
          std::printf("   %s %g -> %g, %d iterations, %s: %s\n", st.name.c_str(), st.cost_initial, st.cost_final,
                      st.iterations, st.termination.c_str(), st.message.c_str());
        }
      }
    }
    if (r.ok) {
      ++ok;
      ASSERT_TRUE(r.params.pose.allFinite() && r.params.betas.allFinite() && r.params.transl.allFinite()) << i;
      ASSERT_TRUE(std::isfinite(r.mean_error_px)) << i;
      for (Eigen::Index k = 0; k < 17; ++k) {
        if (o.present(static_cast<int>(k))) {
          ASSERT_TRUE(r.keypoints_2d.row(k).allFinite()) << i;
        }
      }
    } else {
      ++failed;
      ASSERT_FALSE(r.error.empty()) << i;
    }
  }
  std::printf("1000 random fits: %d ok, %d failed with a reason; of %d ordinary ones %d ok\n", ok, failed, ordinary,
              ordinary_ok);
  // Ordinary cases fail only when dropping took the torso points needed to start.
  EXPECT_GT(ordinary_ok, 0.95 * ordinary);
}

// beta_bound holds every shape coefficient within the bound (Ceres bounds),
// where the unbounded fit of the same people leaves it.
TEST(IntactFit, BetaBoundHoldsTheShapeWithinIt) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(640, 480);
  std::mt19937 rng(8);
  double widest_free = 0, widest_bounded = 0;
  for (int i = 0; i < 4; ++i) {
    const testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 2, &rng);
    FitOptions free;
    FitOptions bounded;
    bounded.config.beta_bound = 0.25;
    const FitResult a = FitIntact(m, person.observation, camera, free);
    const FitResult b = FitIntact(m, person.observation, camera, bounded);
    ASSERT_TRUE(a.ok && b.ok) << a.error << b.error;
    widest_free = std::max(widest_free, a.params.betas.cwiseAbs().maxCoeff());
    widest_bounded = std::max(widest_bounded, b.params.betas.cwiseAbs().maxCoeff());
  }
  std::printf("widest shape coefficient: %.3f unbounded, %.3f with beta_bound 0.25\n", widest_free, widest_bounded);
  EXPECT_GT(widest_free, 0.25);
  EXPECT_LE(widest_bounded, 0.25 + 1e-12);
}

TEST(IntactFit, FailsClearlyWithoutTorsoPoints) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(640, 480);
  std::mt19937 rng(5);
  testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 0, &rng);
  for (int k : {5, 6, 11, 12}) person.observation.confidence[k] = 0;
  const FitResult r = FitIntact(m, person.observation, camera, FitOptions());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("torso"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace resihmr::optim
