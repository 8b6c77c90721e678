#include "optim/multi_view_fit.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <random>

#include "data/keypoint_layout.h"
#include "data/synthetic_people.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// synth's people as keypoints only: no rendering, no occluded keypoints, no outliers.
data::SynthOptions KeypointsOnly(unsigned seed) {
  data::SynthOptions so;
  so.seed = seed;
  so.render = false;
  so.occlusion = 0;
  so.outliers = 0;
  return so;
}

// The same, everyone with a residual limb and no self-occlusion.
data::SynthOptions AmputeesOnly(unsigned seed) {
  data::SynthOptions so = KeypointsOnly(seed);
  so.amputee_fraction = 1.0;
  so.self_occlusion = false;
  return so;
}

// View `azimuth` (radians) of synth's person: its camera turned about the
// vertical through the pelvis, the world frame being synth's camera frame;
// the keypoints labelled there projected anew (the endpoint from its true 3D
// point), with `noise_px` Gaussian noise.
CalibratedView ViewOf(const model::BodyModel& m, const data::SynthPerson& p, double azimuth, double noise_px,
                      std::mt19937* rng) {
  CalibratedView v;
  v.name = std::to_string(static_cast<int>(std::lround(azimuth * 180 / M_PI)));
  v.camera = p.camera;
  const Eigen::Vector3d pelvis = p.joints.row(0).transpose();
  v.R = Eigen::AngleAxisd(-azimuth, Eigen::Vector3d::UnitY()).toRotationMatrix();
  v.t = pelvis - v.R * pelvis;
  v.person = p.observation;
  const data::KeypointLayout& layout = *v.person.layout;
  const model::PosedBody posed = model::PoseBody(m, p.params, false);
  const std::vector<int> targets = data::ModelPointsOfLayout(m, layout);
  std::normal_distribution<double> noise(0, noise_px);
  for (int k = 0; k < layout.size(); ++k) {
    if (!v.person.present(k)) continue;
    Eigen::Vector3d X;
    const int t = targets[static_cast<size_t>(k)];
    if (t >= 0) {
      X = t < m.num_joints() ? Eigen::Vector3d(posed.joints.row(t)) : Eigen::Vector3d(posed.keypoints.row(t - m.num_joints()));
    } else {
      bool found = false;
      for (const data::SynthLimbTruth& l : p.limbs) {
        if (EndpointIndex(layout, l.cut.limb) == k) X = l.endpoint_3d, found = true;
      }
      if (!found) {
        v.person.confidence[k] = 0;
        continue;
      }
    }
    const Eigen::Vector3d P = v.R * X + v.t;
    Eigen::Vector2d uv;
    v.camera.Project(P.data(), uv.data());
    v.person.points.row(k) << uv.x() + noise(*rng), uv.y() + noise(*rng);
  }
  return v;
}

// Synth's people (2 px noise) seen by 1, 2 and 4 cameras around them
// (azimuths 0, 90, 180, 270 degrees): the residual length error falls with
// the views, because two views triangulate the endpoint that one view sees
// only along its ray.
TEST(MultiViewFit, MoreViewsGiveTheResidualLengthBetter) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const data::SynthOptions so = AmputeesOnly(2026);
  std::mt19937 rng(7);
  const std::vector<double> azimuths = {0, M_PI / 2, M_PI, 3 * M_PI / 2};
  std::vector<double> errors[3], pelvis[3], joint_t[3];
  const int counts[3] = {1, 2, 4};
  for (int i = 0; i < 16; ++i) {
    const data::SynthPerson p = data::MakeSynthPerson(m, so, i);
    std::vector<CalibratedView> all;
    for (double a : azimuths) all.push_back(ViewOf(m, p, a, 2.0, &rng));
    for (int c = 0; c < 3; ++c) {
      const std::vector<CalibratedView> views(all.begin(), all.begin() + counts[c]);
      PersonFitOptions options;
      const MultiViewFit fit = FitMultiView(m, views, options);
      ASSERT_TRUE(fit.ok) << i << " with " << counts[c] << " views: " << fit.error;
      ASSERT_EQ(fit.views.size(), views.size());
      const model::PosedBody posed = model::PoseBody(m, fit.params, false);
      pelvis[c].push_back(1000 * (posed.joints.row(0) - p.joints.row(0)).norm());
      for (const ResidualLimbResult& r : fit.residual_limbs) {
        for (const data::SynthLimbTruth& l : p.limbs) {
          if (l.cut.limb.limb != r.limb.limb || !r.accepted) continue;
          errors[c].push_back(std::abs(r.length_mm - l.length_mm));
          joint_t[c].push_back(1000 * (r.joint_t - l.cut.joint_t).norm());
        }
      }
    }
  }
  for (int c = 0; c < 3; ++c) {
    std::printf("%d view(s): residual length error median %.1f mm over %zu limbs; J_t 3D error median %.0f mm; "
                "pelvis 3D error median %.0f mm\n",
                counts[c], Median(errors[c]), errors[c].size(), Median(joint_t[c]), Median(pelvis[c]));
  }
  EXPECT_LT(Median(errors[1]), Median(errors[0]));
  EXPECT_LT(Median(errors[2]), Median(errors[0]));
  EXPECT_LT(Median(pelvis[2]), Median(pelvis[0]));
}

// A view whose keypoints belong to someone else (shifted by a third of the
// image) is reported as an outlier and left out.
TEST(MultiViewFit, AViewThatDisagreesIsLeftOut) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const data::SynthOptions so = KeypointsOnly(5);
  std::mt19937 rng(3);
  const data::SynthPerson p = data::MakeSynthPerson(m, so, 0);
  std::vector<CalibratedView> views = {ViewOf(m, p, 0, 1.0, &rng), ViewOf(m, p, M_PI / 2, 1.0, &rng),
                                       ViewOf(m, p, M_PI, 1.0, &rng)};
  views[2].person.points.col(0).array() += p.camera.width / 3.0;
  const MultiViewFit fit = FitMultiView(m, views, PersonFitOptions());
  ASSERT_TRUE(fit.ok) << fit.error;
  EXPECT_TRUE(fit.views[0].used && fit.views[1].used);
  EXPECT_FALSE(fit.views[2].used) << fit.views[2].note;
  EXPECT_LT(fit.mean_error_px, 5.0);
}

double AngleDeg(const Eigen::Matrix3d& R) { return Eigen::AngleAxisd(R).angle() * 180 / M_PI; }

// Four views whose poses are not given (intrinsics known): each pose is
// estimated with the body. Persons 0-2 keep view 0's pose (the world), persons
// 3-5 give none (the world is then the first view fitted alone); the views'
// rotations relative to view 0 come out within a few degrees, and the
// residual length about as well as with the calibration.
TEST(MultiViewFit, UncalibratedViewsAreFoundWithTheBody) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const data::SynthOptions so = AmputeesOnly(2027);
  std::mt19937 rng(11);
  const std::vector<double> azimuths = {0, 1.3, M_PI, 4.4};
  std::vector<double> rotation, length_free, length_given;
  for (int i = 0; i < 6; ++i) {
    const data::SynthPerson p = data::MakeSynthPerson(m, so, i);
    std::vector<CalibratedView> views;
    for (double a : azimuths) views.push_back(ViewOf(m, p, a, 2.0, &rng));
    const MultiViewFit given = FitMultiView(m, views, PersonFitOptions());
    ASSERT_TRUE(given.ok) << given.error;
    std::vector<CalibratedView> free = views;
    for (size_t v = i < 3 ? 1 : 0; v < free.size(); ++v) {
      free[v].extrinsics_known = false;
      free[v].R = Eigen::Matrix3d::Identity();
      free[v].t = Eigen::Vector3d::Zero();
    }
    const MultiViewFit fit = FitMultiView(m, free, PersonFitOptions());
    ASSERT_TRUE(fit.ok) << i << ": " << fit.error;
    const ViewReport* reference = nullptr;
    for (const ViewReport& r : fit.views) {
      EXPECT_TRUE(r.used) << i << " " << r.name << ": " << r.note;
      if (!r.extrinsics_estimated) reference = &r;
    }
    ASSERT_NE(reference, nullptr);
    if (i < 3) {
      EXPECT_EQ(reference, &fit.views[0]);
      EXPECT_LT((fit.views[0].R - views[0].R).norm(), 1e-12);
    }
    const CalibratedView& truth_ref = views[static_cast<size_t>(reference - fit.views.data())];
    for (size_t v = 0; v < views.size(); ++v) {
      if (&fit.views[v] == reference) continue;
      const Eigen::Matrix3d fitted_rel = fit.views[v].R * reference->R.transpose();
      const Eigen::Matrix3d true_rel = views[v].R * truth_ref.R.transpose();
      rotation.push_back(AngleDeg(fitted_rel.transpose() * true_rel));
    }
    for (const auto& [f, out] : {std::pair{&fit, &length_free}, std::pair{&given, &length_given}}) {
      for (const ResidualLimbResult& r : f->residual_limbs) {
        for (const data::SynthLimbTruth& l : p.limbs) {
          if (l.cut.limb.limb == r.limb.limb && r.accepted) out->push_back(std::abs(r.length_mm - l.length_mm));
        }
      }
    }
  }
  std::printf("camera rotation error median %.2f, max %.2f deg over %zu views; residual length error median %.1f mm "
              "(%zu limbs), calibrated %.1f mm (%zu)\n",
              Median(rotation), *std::max_element(rotation.begin(), rotation.end()), rotation.size(),
              Median(length_free), length_free.size(), Median(length_given), length_given.size());
  EXPECT_LT(Median(rotation), 2.0);
  EXPECT_LT(*std::max_element(rotation.begin(), rotation.end()), 8.0);
  EXPECT_LT(Median(length_free), Median(length_given) + 5.0);
}

}  // namespace
}  // namespace resihmr::optim
