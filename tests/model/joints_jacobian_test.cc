#include "model/joints_jacobian.h"

#include <ceres/jet.h>
#include <gtest/gtest.h>

#include <random>

#include "model/ajahr_regions.h"
#include "model/forward_pass.h"
#include "tests/support/test_models.h"

namespace resihmr::model {
namespace {

// The same derivatives through ceres::Jet and the templated forward pass.
void JetJacobian(const BodyModel& m, const Eigen::VectorXd& shape, const RowMatrixX3d& pose,
                 const Eigen::Vector3d& transl, const uint8_t* zeroed, RowMatrixXd* d_pose, RowMatrixXd* d_shape,
                 RowMatrixXd* points) {
  constexpr int N = 3 * 24 + 10 + 3;
  using Jet = ceres::Jet<double, N>;
  const int J = m.num_joints(), K = static_cast<int>(m.vertex_keypoints.size()), S = m.num_shape();
  std::vector<Jet> p(3 * J), b(S), t(3), out(3 * (J + K));
  for (int i = 0; i < 3 * J; ++i) p[static_cast<size_t>(i)] = Jet(pose.data()[i], i);
  for (int i = 0; i < S; ++i) b[static_cast<size_t>(i)] = Jet(shape[i], 3 * J + i);
  for (int i = 0; i < 3; ++i) t[static_cast<size_t>(i)] = Jet(transl[i], 3 * J + S + i);
  PoseJoints(m, b.data(), p.data(), t.data(), zeroed, out.data(), out.data() + 3 * J);
  d_pose->resize(3 * (J + K), 3 * J);
  d_shape->resize(3 * (J + K), S);
  points->resize(J + K, 3);
  for (int r = 0; r < 3 * (J + K); ++r) {
    (*points)(r / 3, r % 3) = out[static_cast<size_t>(r)].a;
    for (int c = 0; c < 3 * J; ++c) (*d_pose)(r, c) = out[static_cast<size_t>(r)].v[c];
    for (int c = 0; c < S; ++c) (*d_shape)(r, c) = out[static_cast<size_t>(r)].v[3 * J + c];
    for (int c = 0; c < 3; ++c) EXPECT_DOUBLE_EQ(out[static_cast<size_t>(r)].v[3 * J + S + c], r % 3 == c ? 1.0 : 0.0);
  }
}

void ExpectMatchesJets(const BodyModel& m, unsigned seed, double pose_scale, const std::vector<int>& zeroed_joints) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0, 1);
  Eigen::VectorXd shape(m.num_shape());
  for (Eigen::Index i = 0; i < shape.size(); ++i) shape[i] = n(rng);
  RowMatrixX3d pose(m.num_joints(), 3);
  for (Eigen::Index i = 0; i < pose.size(); ++i) pose.data()[i] = pose_scale * n(rng);
  const Eigen::Vector3d transl(0.1, -0.3, 2.5);
  std::vector<uint8_t> zeroed(static_cast<size_t>(m.num_joints()), 0);
  for (int j : zeroed_joints) zeroed[static_cast<size_t>(j)] = 1;
  JointsWithJacobian analytic;
  PoseJointsWithJacobian(m, shape.data(), pose.data(), transl.data(), zeroed.data(), &analytic);
  RowMatrixXd d_pose, d_shape, points;
  JetJacobian(m, shape, pose, transl, zeroed.data(), &d_pose, &d_shape, &points);
  EXPECT_LT((analytic.points - points).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((analytic.d_pose - d_pose).cwiseAbs().maxCoeff(), 1e-9) << "seed " << seed;
  EXPECT_LT((analytic.d_shape - d_shape).cwiseAbs().maxCoeff(), 1e-9) << "seed " << seed;
}

TEST(JointsJacobian, MatchesAutodiffOnTheEmbeddedModel) {
  const BodyModel& m = testing::EmbeddedModel();
  for (unsigned seed = 0; seed < 4; ++seed) ExpectMatchesJets(m, seed, 0.6, {});
  ExpectMatchesJets(m, 9, 0.0, {});     // zero pose: the small-angle branch
  ExpectMatchesJets(m, 10, 1e-7, {});   // nearly zero
  ExpectMatchesJets(m, 11, 0.6, AjahrZeroedJoints(m, AjahrRegionFromName("right_knee")));
}

TEST(JointsJacobian, MatchesAutodiffWithPoseCorrectives) {
  const BodyModel m = testing::RandomBodyModel({});  // dense random posedirs
  for (unsigned seed = 0; seed < 3; ++seed) ExpectMatchesJets(m, seed, 0.8, {});
  ExpectMatchesJets(m, 5, 0.8, AjahrZeroedJoints(m, AjahrRegionFromName("left_elbow")));
}

}  // namespace
}  // namespace resihmr::model
