#include "optim/joints_fit.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <cstdio>
#include <random>

#include "data/synthetic_people.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

// Library poses at any facing and place: the fitted joints land on the targets
// and the root's rotation is recovered, whatever the start.
TEST(JointsFit, RecoversPosedJointsAtAnyFacing) {
  const model::BodyModel& m = testing::EmbeddedModel();
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  double worst_rms = 0, worst_root_deg = 0;
  for (int i = 0; i < 12; ++i) {
    model::BodyParams truth = data::SampleLibraryPose(m, &rng);
    const Eigen::Vector3d axis = Eigen::Vector3d(u(rng), u(rng), u(rng)).normalized();
    const double angle = M_PI * (0.5 * u(rng) + 0.5);  // up to pi: facing away, upside down
    truth.pose.row(0) = (angle * axis).transpose();
    truth.transl << u(rng), u(rng), 4 + u(rng);
    for (Eigen::Index b = 0; b < truth.betas.size(); ++b) truth.betas[b] = 0.5 * u(rng);
    const model::PosedBody posed = model::PoseBody(m, truth, false);
    // Half the people with their shape given, half with it fitted too.
    const JointsFit fit = FitBodyToJoints(m, posed.joints, i % 2 ? truth.betas : Eigen::VectorXd());
    worst_rms = std::max(worst_rms, fit.rms_error_m);
    const Eigen::Matrix3d Rt = Eigen::AngleAxisd(angle, axis).toRotationMatrix();
    const Eigen::Vector3d r = fit.params.pose.row(0).transpose();
    const Eigen::Matrix3d Rf = r.norm() > 0 ? Eigen::AngleAxisd(r.norm(), r.normalized()).toRotationMatrix()
                                            : Eigen::Matrix3d::Identity();
    worst_root_deg = std::max(worst_root_deg, Eigen::AngleAxisd(Rf.transpose() * Rt).angle() * 180 / M_PI);
  }
  std::printf("worst joint RMS %.2e m, worst root rotation error %.3f deg\n", worst_rms, worst_root_deg);
  EXPECT_LT(worst_rms, 0.002) << "metres";
  EXPECT_LT(worst_root_deg, 10.0);
}

TEST(JointsFit, TooFewOrNonFiniteJointsAreRefused) {
  const model::BodyModel& m = testing::EmbeddedModel();
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> few = Eigen::MatrixXd::Zero(3, 3);
  EXPECT_THROW(FitBodyToJoints(m, few), Error);
  Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> bad = Eigen::MatrixXd::Ones(10, 3);
  bad(4, 1) = NAN;
  EXPECT_THROW(FitBodyToJoints(m, bad), Error);
}

}  // namespace
}  // namespace resihmr::optim
