// Orientation and posture measures (model/posture.h): the geodesic angle of
// known rotations, the body's up axis, and the trunk's lean of a body whose
// root is turned by a known angle towards, away from and across the camera.
#include "model/posture.h"

#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

Eigen::Vector3d AxisAngle(const Eigen::AngleAxisd& r) { return r.angle() * r.axis(); }

TEST(Posture, RotationAngleIsTheGeodesicAngle) {
  const Eigen::Matrix3d a = Eigen::AngleAxisd(0.3, Eigen::Vector3d(1, 2, 3).normalized()).toRotationMatrix();
  for (double deg : {0.0, 1e-4, 5.0, 90.0, 179.0}) {
    const Eigen::Matrix3d turn = Eigen::AngleAxisd(deg * M_PI / 180, Eigen::Vector3d(0.3, -1, 0.2).normalized()).toRotationMatrix();
    EXPECT_NEAR(RotationAngleDeg(a, a * turn), deg, 1e-6 + 1e-9 * deg) << deg;
    EXPECT_NEAR(RotationAngleDeg(turn * a, a), deg, 1e-6) << deg;
  }
  EXPECT_NEAR(AngleDeg(Eigen::Vector3d(1, 0, 0), Eigen::Vector3d(1, 1e-7, 0)), 1e-7 * 180 / M_PI, 1e-12);
  EXPECT_NEAR(AngleDeg(Eigen::Vector3d(1, 0, 0), Eigen::Vector3d(-2, 0, 0)), 180.0, 1e-12);
}

TEST(Posture, UpAxisAndTrunkLeanFollowTheRoot) {
  const BodyModel& m = testing::EmbeddedModel();
  BodyParams p = BodyParams::Zero(m);
  p.transl = Eigen::Vector3d(0, 0, 4);
  // Upright before a level camera: the rest pose's +Y turned by pi about x (camera y is down).
  const Eigen::AngleAxisd upright(M_PI, Eigen::Vector3d::UnitX());
  struct Case {
    Eigen::AngleAxisd lean;  // applied in the camera frame after `upright`
    double toward, sideways;
  };
  // A turn by +a about camera x takes up (-y) towards the camera (-z); about camera z, towards +x (image right).
  const std::vector<Case> cases = {{Eigen::AngleAxisd(0, Eigen::Vector3d::UnitX()), 0, 0},
                                   {Eigen::AngleAxisd(20 * M_PI / 180, Eigen::Vector3d::UnitX()), 20, 0},
                                   {Eigen::AngleAxisd(-15 * M_PI / 180, Eigen::Vector3d::UnitX()), -15, 0},
                                   {Eigen::AngleAxisd(10 * M_PI / 180, Eigen::Vector3d::UnitZ()), 0, 10}};
  for (const Case& c : cases) {
    const Eigen::Matrix3d R = c.lean.toRotationMatrix() * upright.toRotationMatrix();
    p.pose.row(0) = AxisAngle(Eigen::AngleAxisd(R)).transpose();
    const Eigen::Vector3d up = BodyUpAxis(p);
    EXPECT_NEAR(AngleDeg(up, Eigen::Vector3d(0, -1, 0)), std::abs(c.toward) + std::abs(c.sideways), 1e-6);
    const TrunkLean t = TrunkLeanOf(m, PoseBody(m, p, false).joints);
    // The rest pose's trunk is itself not exactly vertical: compare with the unturned body's.
    BodyParams level = p;
    level.pose.row(0) = AxisAngle(upright).transpose();
    const TrunkLean rest = TrunkLeanOf(m, PoseBody(m, level, false).joints);
    EXPECT_NEAR(t.toward_camera_deg - rest.toward_camera_deg, c.toward, 0.5) << c.toward << " " << c.sideways;
    EXPECT_NEAR(t.sideways_deg - rest.sideways_deg, c.sideways, 0.5) << c.toward << " " << c.sideways;
    EXPECT_LT(rest.lean_deg, 10.0);
  }
  BodyModel unnamed = m;
  for (std::string& name : unnamed.joint_names) name = "j";
  EXPECT_TRUE(std::isnan(TrunkLeanOf(unnamed, PoseBody(m, p, false).joints).lean_deg));
}

}  // namespace
}  // namespace resihmr::model
