#include "optim/solver_message.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>

#include "model/rotation.h"

namespace resihmr::optim {
namespace {

TEST(SolverMessage, AddressesAreReplacedSoThatTextsRepeat) {
  EXPECT_EQ(DeterministicSolverMessage("ParameterBlock: 0x7ffe3a2b10c0, local_size: 3, has NaN"),
            "ParameterBlock: <address>, local_size: 3, has NaN");
  EXPECT_EQ(DeterministicSolverMessage("Function tolerance reached."), "Function tolerance reached.");
}

TEST(CanonicalAxisAngle, SameRotationWithAngleAtMostPi) {
  for (const Eigen::Vector3d& aa : {Eigen::Vector3d(-23.6, 0.1, 0.2), Eigen::Vector3d(0, 4.0, 0),
                                    Eigen::Vector3d(1, 2, 2), Eigen::Vector3d(0.1, 0, 0)}) {
    Eigen::Vector3d c = aa;
    model::CanonicalAxisAngle(c.data());
    EXPECT_LE(c.norm(), M_PI + 1e-12);
    double Ra[9], Rc[9];
    model::AxisAngleToRotation(aa.data(), Ra);
    model::AxisAngleToRotation(c.data(), Rc);
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(Ra[i], Rc[i], 1e-12);
  }
}

}  // namespace
}  // namespace resihmr::optim
