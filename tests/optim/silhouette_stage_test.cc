// The silhouette stage on `resihmr synth`'s people (embedded model, 2 px
// noise, rendered masks): it raises the IoU of the fitted body with the mask
// at a small cost in keypoint error, measures a dilated mask's margin, holds
// the translation and the lost parts, and does not run without a mask.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "data/synthetic_people.h"
#include "geometry/mesh_render.h"
#include "model/pose_body.h"
#include "optim/person_fit.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

double Iou(const cv::Mat& a, const cv::Mat& b) {
  const double both = cv::countNonZero(a & b), either = cv::countNonZero(a | b);
  return either > 0 ? both / either : 0;
}

// The fitted body's silhouette (all of it: the persons here have four limbs).
cv::Mat FittedSilhouette(const model::BodyModel& m, const FitResult& fit) {
  const model::PosedBody posed = model::PoseBody(m, fit.params, true);
  return geometry::RenderSilhouette(posed.vertices, m.faces, fit.camera);
}

const StageReport* SilhouetteReport(const FitResult& fit) {
  for (const StageReport& s : fit.stages) {
    if (s.name == "silhouette") return &s;
  }
  return nullptr;
}

std::vector<data::SynthPerson> People(double amputee_fraction, int n) {
  data::SynthOptions o;
  o.seed = 2026;
  o.amputee_fraction = amputee_fraction;
  o.outliers = 0;
  o.mask_dilation_px = 0;  // exact masks: the stage's own behaviour (one test dilates them itself)
  o.self_occlusion = false;
  std::vector<data::SynthPerson> out;
  for (int i = 0; i < n; ++i) out.push_back(data::MakeSynthPerson(testing::EmbeddedModel(), o, i));
  return out;
}

TEST(SilhouetteStage, RaisesTheIouAtASmallKeypointCost) {
  const model::BodyModel& m = testing::EmbeddedModel();
  double iou_off = 0, iou_on = 0, px_off = 0, px_on = 0;
  const std::vector<data::SynthPerson> people = People(0.0, 8);
  for (const data::SynthPerson& p : people) {
    PersonFitOptions off, on;
    off.silhouette = false;
    const PersonFit a = FitPerson(m, p.observation, p.camera, off);
    const PersonFit b = FitPerson(m, p.observation, p.camera, on);
    ASSERT_TRUE(a.fit.ok && b.fit.ok);
    EXPECT_EQ(SilhouetteReport(a.fit), nullptr);
    ASSERT_NE(SilhouetteReport(b.fit), nullptr);
    EXPECT_EQ(a.fit.params.transl, b.fit.params.transl);  // the camera (translation) is held
    iou_off += Iou(FittedSilhouette(m, a.fit), p.observation.mask) / people.size();
    iou_on += Iou(FittedSilhouette(m, b.fit), p.observation.mask) / people.size();
    px_off += a.fit.mean_error_px / people.size();
    px_on += b.fit.mean_error_px / people.size();
  }
  std::cout << "mean IoU " << iou_off << " -> " << iou_on << ", mean 2D error " << px_off << " -> " << px_on << " px\n";
  EXPECT_GT(iou_on, iou_off + 0.02);
  EXPECT_LT(px_on, px_off + 0.5);
}

TEST(SilhouetteStage, MeasuresADilatedMasksMargin) {
  const model::BodyModel& m = testing::EmbeddedModel();
  double iou_on = 0, iou_off = 0;
  const int n = 3;
  for (data::SynthPerson& p : People(0.0, n)) {
    const cv::Mat exact = p.observation.mask.clone();
    cv::dilate(exact, p.observation.mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(17, 17)));
    const PersonFit fit = FitPerson(m, p.observation, p.camera, PersonFitOptions());
    const StageReport* s = SilhouetteReport(fit.fit);
    ASSERT_NE(s, nullptr);
    const size_t at = s->message.find("mask margin ");
    ASSERT_NE(at, std::string::npos) << s->message;
    const double margin = std::stod(s->message.substr(at + 12));
    EXPECT_GT(margin, 4.0) << s->message;  // dilated by 8 px
    EXPECT_LT(margin, 12.0) << s->message;
    PersonFitOptions off;
    off.silhouette = false;
    const PersonFit plain = FitPerson(m, p.observation, p.camera, off);
    iou_on += Iou(FittedSilhouette(m, fit.fit), exact) / n;
    iou_off += Iou(FittedSilhouette(m, plain.fit), exact) / n;
  }
  // Against the persons' true outlines, the fit to the dilated masks is on
  // average no worse than none. (Per person it may be: one of the three lost
  // 0.018 in the sanitizer build once the keypoint fit was upright, issue 20.)
  std::cout << "mean IoU against the exact masks: " << iou_off << " without, " << iou_on << " with the dilated masks\n";
  EXPECT_GT(iou_on, iou_off - 0.01);
}

TEST(SilhouetteStage, HoldsTheLostPartsAndNeedsAMask) {
  const model::BodyModel& m = testing::EmbeddedModel();
  int amputees = 0;
  for (data::SynthPerson& p : People(1.0, 4)) {
    const PersonFit fit = FitPerson(m, p.observation, p.camera, PersonFitOptions());
    PersonFitOptions off;
    off.silhouette = false;
    const PersonFit plain = FitPerson(m, p.observation, p.camera, off);
    ASSERT_TRUE(fit.fit.ok && plain.fit.ok);
    ASSERT_NE(SilhouetteReport(fit.fit), nullptr);
    std::vector<model::ResidualLimb> limbs;
    for (const ResidualLimbResult& r : fit.residual_limbs) limbs.push_back(r.limb);
    const std::vector<uint8_t> lost = model::DistalJoints(m, limbs);
    for (int j = 1; j < m.num_joints(); ++j) {  // held at their start by every stage
      if (lost[static_cast<size_t>(j)]) {
        EXPECT_EQ(fit.fit.params.pose.row(j), plain.fit.params.pose.row(j)) << m.joint_names[j];
      }
    }
    amputees += !limbs.empty();
    // A mask of another size than the image is not used, with a warning; without a mask, no stage runs.
    p.observation.mask = cv::Mat(p.camera.height / 2, p.camera.width / 2, CV_8UC1, cv::Scalar(255));
    const PersonFit wrong = FitPerson(m, p.observation, p.camera, PersonFitOptions());
    EXPECT_EQ(SilhouetteReport(wrong.fit), nullptr);
    ASSERT_FALSE(wrong.fit.warnings.empty());
    EXPECT_NE(wrong.fit.warnings.back().find("no silhouette stage"), std::string::npos) << wrong.fit.warnings.back();
    p.observation.mask = cv::Mat();
    EXPECT_EQ(SilhouetteReport(FitPerson(m, p.observation, p.camera, PersonFitOptions()).fit), nullptr);
  }
  EXPECT_EQ(amputees, 4);
}

}  // namespace
}  // namespace resihmr::optim
