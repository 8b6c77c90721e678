// Each stump's profile fitted to a mask (optim/stump_profile_fit.h), on the
// true bodies and cuts of `resihmr synth`'s people (seed 2026), so that only
// the profile is under test: it recovers a profile of its own family from
// the exact silhouette, it brings the volume of the benchmark's independent
// stump family closer than the convex cap does, and it keeps the convex cap,
// saying why, where the mask is too loose or does not show the stump.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <opencv2/imgproc.hpp>

#include "data/synthetic_people.h"
#include "geometry/mesh_render.h"
#include "geometry/stump_profile.h"
#include "model/pose_body.h"
#include "optim/stump_profile_fit.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

std::vector<data::SynthPerson> People(int n) {
  data::SynthOptions o;
  o.seed = 2026;
  o.amputee_fraction = 1.0;
  o.mask_dilation_px = 0;
  o.self_occlusion = false;
  std::vector<data::SynthPerson> out;
  for (int i = 0; i < n; ++i) out.push_back(data::MakeSynthPerson(testing::EmbeddedModel(), o, i));
  return out;
}

std::vector<geometry::ResidualLimbCut> Cuts(const data::SynthPerson& p) {
  std::vector<geometry::ResidualLimbCut> cuts;
  for (const data::SynthLimbTruth& l : p.limbs) cuts.push_back(l.cut);
  return cuts;
}

StumpToFit Stump(const geometry::ResidualLimbCut& c, double lambda_used, const geometry::RowMatrixX3i& faces,
                 const std::vector<uint8_t>& limb, geometry::RowMatrixX3d* vertices) {
  StumpToFit s;
  s.vertices = vertices;
  s.faces = &faces;
  s.limb = &limb;
  s.joint_t = c.joint_t;
  s.axis = (c.joint_a - c.joint_t).normalized();
  s.length = (1 - lambda_used) * (c.joint_a - c.joint_t).norm();
  return s;
}

// The person's true body, each stump given `profile`.
geometry::StumpMesh WithProfile(const data::SynthPerson& p, const geometry::StumpProfile& profile) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const std::vector<geometry::ResidualLimbCut> cuts = Cuts(p);
  const auto reshape = [&](size_t i, double lambda_used, const geometry::RowMatrixX3i& faces,
                           const std::vector<uint8_t>& limb, geometry::RowMatrixX3d* vertices, std::string*) {
    const StumpToFit s = Stump(cuts[i], lambda_used, faces, limb, vertices);
    geometry::ApplyStumpProfile(profile, s.joint_t, s.axis, s.length, limb, vertices);
    return true;
  };
  return geometry::BuildReshapedStumpMesh(m, model::PoseBody(m, p.params, true).vertices, cuts, reshape);
}

// The person's true body, each stump's profile fitted to `mask`.
geometry::StumpMesh Fitted(const data::SynthPerson& p, const cv::Mat& mask, double margin_px,
                           std::vector<StumpProfileFit>* fits) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const std::vector<geometry::ResidualLimbCut> cuts = Cuts(p);
  fits->assign(cuts.size(), StumpProfileFit());
  StumpView view;
  view.camera = &p.camera;
  view.mask = &mask;
  view.margin_px = margin_px;
  const auto reshape = [&](size_t i, double lambda_used, const geometry::RowMatrixX3i& faces,
                           const std::vector<uint8_t>& limb, geometry::RowMatrixX3d* vertices, std::string* why) {
    const StumpToFit s = Stump(cuts[i], lambda_used, faces, limb, vertices);
    (*fits)[i] = FitStumpProfile(view, s, FitConfig::Default());
    if (!(*fits)[i].fitted) {
      *why = (*fits)[i].note;
      return false;
    }
    geometry::ApplyStumpProfile((*fits)[i].profile, s.joint_t, s.axis, s.length, limb, vertices);
    return true;
  };
  return geometry::BuildReshapedStumpMesh(m, model::PoseBody(m, p.params, true).vertices, cuts, reshape);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

TEST(StumpProfileFit, RecoversItsOwnFamilyFromTheExactSilhouette) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const geometry::StumpProfile truth{0.6, 1.5, 0.03, 1.3};
  std::vector<double> volume_err, end_err, tissue_err_mm;
  int kept = 0;
  for (const data::SynthPerson& p : People(12)) {
    const geometry::StumpMesh shaped = WithProfile(p, truth);
    const cv::Mat mask = geometry::RenderSilhouette(shaped.vertices, shaped.faces, p.camera);
    std::vector<StumpProfileFit> fits;
    const geometry::StumpMesh fitted = Fitted(p, mask, 0, &fits);
    ASSERT_TRUE(fitted.watertight());
    for (size_t i = 0; i < fits.size(); ++i) {
      if (!shaped.limbs[i].reshaped) continue;
      if (!fits[i].fitted) {
        ++kept;
        EXPECT_FALSE(fits[i].note.empty());
        continue;
      }
      EXPECT_TRUE(fitted.limbs[i].measurements.watertight);
      const double v0 = shaped.limbs[i].measurements.volume_ml, v1 = fitted.limbs[i].measurements.volume_ml;
      volume_err.push_back(100 * std::abs(v1 - v0) / v0);
      end_err.push_back(std::abs(fits[i].profile.end_ratio - truth.end_ratio));
      tissue_err_mm.push_back(1000 * std::abs(fits[i].profile.tissue_m - truth.tissue_m));
      EXPECT_TRUE(std::isfinite(fits[i].sigma.end_ratio) && fits[i].sigma.end_ratio > 0);
      EXPECT_LT(fits[i].rms_px, 3.0);
    }
  }
  (void)m;
  std::cout << volume_err.size() << " stumps fitted, " << kept << " kept convex; median |volume error| "
            << Median(volume_err) << "%, |end ratio error| " << Median(end_err) << ", |tissue error| "
            << Median(tissue_err_mm) << " mm\n";
  ASSERT_GE(volume_err.size(), 8u);
  EXPECT_LT(Median(volume_err), 7.0);
  EXPECT_LT(Median(end_err), 0.1);
  EXPECT_LT(Median(tissue_err_mm), 12.0);
}

TEST(StumpProfileFit, BringsTheBenchmarksOwnShapesCloserThanTheConvexCap) {
  std::vector<double> convex_err, fitted_err;
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_family;  // convex, fitted
  for (const data::SynthPerson& p : People(24)) {
    std::vector<StumpProfileFit> fits;
    const geometry::StumpMesh fitted = Fitted(p, p.exact_mask, 0, &fits);
    const geometry::StumpMesh convex =
        geometry::BuildStumpMesh(testing::EmbeddedModel(), model::PoseBody(testing::EmbeddedModel(), p.params, true).vertices, Cuts(p));
    for (size_t i = 0; i < fits.size(); ++i) {
      if (!fits[i].fitted || !fitted.limbs[i].ok || !convex.limbs[i].ok || !p.limbs[i].shaped) continue;
      const double truth = p.limbs[i].volume_ml;
      convex_err.push_back(100 * std::abs(convex.limbs[i].measurements.volume_ml - truth) / truth);
      fitted_err.push_back(100 * std::abs(fitted.limbs[i].measurements.volume_ml - truth) / truth);
      auto& family = by_family[data::StumpFamilyName(p.limbs[i].shape.family)];
      family.first.push_back(convex_err.back());
      family.second.push_back(fitted_err.back());
    }
  }
  for (const auto& [name, errors] : by_family) {
    std::cout << "  " << name << " (" << errors.first.size() << "): convex " << Median(errors.first) << "%, fitted "
              << Median(errors.second) << "%\n";
  }
  std::cout << fitted_err.size() << " stumps of the varied family: median |volume error| convex cap "
            << Median(convex_err) << "%, fitted profile " << Median(fitted_err) << "%\n";
  ASSERT_GE(fitted_err.size(), 12u);
  EXPECT_LT(Median(fitted_err), 0.75 * Median(convex_err));
}

TEST(StumpProfileFit, KeepsTheConvexCapWhereTheMaskIsTooLoose) {
  int checked = 0;
  for (const data::SynthPerson& p : People(4)) {
    cv::Mat loose;
    cv::dilate(p.exact_mask, loose, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(25, 25)));
    std::vector<StumpProfileFit> fits;
    const geometry::StumpMesh mesh = Fitted(p, loose, 12, &fits);
    for (size_t i = 0; i < fits.size(); ++i) {
      if (!mesh.limbs[i].ok || fits[i].radius_px <= 0) continue;
      ++checked;
      EXPECT_FALSE(fits[i].fitted) << "margin " << fits[i].margin_px << " px, radius " << fits[i].radius_px << " px";
      EXPECT_NE(fits[i].note.find("margin"), std::string::npos) << fits[i].note;
      EXPECT_GT(fits[i].margin_px, 8.0);
      EXPECT_FALSE(mesh.limbs[i].reshaped);
      EXPECT_NE(mesh.limbs[i].note.find(fits[i].note), std::string::npos);
    }
  }
  EXPECT_GE(checked, 3);
}

TEST(StumpProfileFit, SaysWhyWhereTheMaskDoesNotShowTheStump) {
  const data::SynthPerson p = People(1)[0];
  ASSERT_FALSE(p.limbs.empty());
  // An empty mask: no outline at all.
  std::vector<StumpProfileFit> fits;
  const cv::Mat empty = cv::Mat::zeros(p.exact_mask.size(), CV_8UC1);
  geometry::StumpMesh mesh = Fitted(p, empty, 0, &fits);
  for (size_t i = 0; i < fits.size(); ++i) {
    if (!mesh.limbs[i].ok) continue;
    EXPECT_FALSE(fits[i].fitted);
    EXPECT_NE(fits[i].note.find("points of the stump's outline"), std::string::npos) << fits[i].note;
    EXPECT_TRUE(std::isnan(fits[i].sigma.end_ratio));
    EXPECT_EQ(fits[i].profile.end_ratio, 1.0);
  }
  // The stump outside the image.
  data::SynthPerson away = p;
  away.camera.cx += 4 * p.camera.width;
  mesh = Fitted(away, p.exact_mask, 0, &fits);
  for (size_t i = 0; i < fits.size(); ++i) {
    if (!mesh.limbs[i].ok) continue;
    EXPECT_FALSE(fits[i].fitted);
    EXPECT_NE(fits[i].note.find("outside the image"), std::string::npos) << fits[i].note;
  }
}

}  // namespace
}  // namespace resihmr::optim
