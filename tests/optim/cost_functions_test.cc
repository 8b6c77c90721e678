#include <ceres/ceres.h>
#include <ceres/gradient_checker.h>
#include <ceres/rotation.h>
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <memory>

#include <filesystem>
#include <map>
#include <random>

#include "data/keypoint_layout.h"
#include "model/forward_pass.h"
#include "optim/intact_fit.h"
#include "optim/keypoint_reprojection_cost.h"
#include "optim/prior_costs.h"
#include "optim/segment_endpoint_cost.h"
#include "optim/split_pose_cost.h"
#include "model/error.h"
#include "model/npz.h"
#include "tests/support/synthetic_person.h"
#include "tests/support/test_models.h"

namespace resihmr::optim {
namespace {

// The data term written with the templated forward pass, for ceres::Jet:
// `to_camera(X, P)` carries a model point from the body's frame into the camera's.
template <typename T, typename ToCamera>
void KeypointResiduals(const model::BodyModel& m, const model::PinholeCamera& camera,
                       const std::vector<FittedKeypoint>& keypoints, double rho, double lambda, const T* orient,
                       const T* body, const T* betas, const T* transl, const ToCamera& to_camera, T* r) {
  const int J = m.num_joints();
  std::vector<T> pose(3 * J), joints(3 * J), vkp(3 * m.vertex_keypoints.size());
  for (int i = 0; i < 3; ++i) pose[i] = orient[i];
  for (int i = 0; i < 3 * (J - 1); ++i) pose[3 + i] = body[i];
  model::PoseJoints(m, betas, pose.data(), transl, static_cast<const uint8_t*>(nullptr), joints.data(), vkp.data());
  for (size_t i = 0; i < keypoints.size(); ++i) {
    const FittedKeypoint& k = keypoints[i];
    const T* X = k.point_index < J ? &joints[3 * k.point_index] : &vkp[3 * (k.point_index - J)];
    T P[3];
    to_camera(X, P);
    T uv[2];
    camera.Project(P, uv);
    const double obs[2] = {k.x, k.y};
    for (int c = 0; c < 2; ++c) {
      const T e = uv[c] - obs[c];
      r[2 * i + c] = std::sqrt(2.0) * lambda * k.weight * rho * e / sqrt(e * e + rho * rho);
    }
  }
}

// Through a fixed camera pose (R, t).
struct KeypointFunctor {
  const model::BodyModel* m;
  model::PinholeCamera camera;
  std::vector<FittedKeypoint> keypoints;
  double rho, lambda;
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();  // world -> camera (a view of several)
  Eigen::Vector3d t = Eigen::Vector3d::Zero();
  template <typename T>
  bool operator()(const T* orient, const T* body, const T* betas, const T* transl, T* r) const {
    const auto to_camera = [&](const T* X, T* P) {
      for (int c = 0; c < 3; ++c) P[c] = T(R(c, 0)) * X[0] + T(R(c, 1)) * X[1] + T(R(c, 2)) * X[2] + T(t[c]);
    };
    KeypointResiduals(*m, camera, keypoints, rho, lambda, orient, body, betas, transl, to_camera, r);
    return true;
  }
};

TEST(KeypointReprojectionCost, AnalyticJacobianEqualsAutodiff) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(3);
  for (int trial = 0; trial < 6; ++trial) {
    // Trials 3..5: the body in a world frame, seen through a camera pose (R, t).
    const bool posed = trial >= 3;
    const Eigen::Matrix3d R =
        posed ? Eigen::AngleAxisd(0.1 * trial, Eigen::Vector3d(0.2, 1, 0.1).normalized()).toRotationMatrix()
              : Eigen::Matrix3d::Identity();
    const Eigen::Vector3d t = posed ? Eigen::Vector3d(0.1, -0.2, 0.05) : Eigen::Vector3d::Zero();
    const testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 30.0, &rng);
    std::vector<FittedKeypoint> keypoints;
    const std::vector<int> targets = ModelPointsOfLayout(m, data::Coco17Layout());
    for (int k = 0; k < 17; ++k) {
      keypoints.push_back({k, targets[static_cast<size_t>(k)], person.observation.points(k, 0) + 40 * (k % 3),
                           person.observation.points(k, 1), 0.5 + 0.1 * k});
    }
    const auto analytic = posed ? std::make_unique<KeypointReprojectionCost>(m, camera, R, t, keypoints, 100.0, 1.7)
                                : std::make_unique<KeypointReprojectionCost>(m, camera, keypoints, 100.0, 1.7);
    ceres::AutoDiffCostFunction<KeypointFunctor, 34, 3, 69, 10, 3> automatic(
        new KeypointFunctor{&m, camera, keypoints, 100.0, 1.7, R, t});
    // Evaluate at a perturbed pose so that nothing sits at a special point.
    std::vector<double> orient(person.params.pose.data(), person.params.pose.data() + 3);
    std::vector<double> body(person.params.pose.data() + 3, person.params.pose.data() + 72);
    for (double& v : body) v += 0.05;
    std::vector<double> betas(person.params.betas.data(), person.params.betas.data() + 10);
    std::vector<double> transl(person.params.transl.data(), person.params.transl.data() + 3);
    const double* params[] = {orient.data(), body.data(), betas.data(), transl.data()};
    std::vector<double> ra(34), rb(34), ja0(34 * 3), ja1(34 * 69), ja2(34 * 10), ja3(34 * 3), jb0(34 * 3),
        jb1(34 * 69), jb2(34 * 10), jb3(34 * 3);
    double* ja[] = {ja0.data(), ja1.data(), ja2.data(), ja3.data()};
    double* jb[] = {jb0.data(), jb1.data(), jb2.data(), jb3.data()};
    ASSERT_TRUE(analytic->Evaluate(params, ra.data(), ja));
    ASSERT_TRUE(automatic.Evaluate(params, rb.data(), jb));
    for (int i = 0; i < 34; ++i) EXPECT_NEAR(ra[static_cast<size_t>(i)], rb[static_cast<size_t>(i)], 1e-9);
    const std::vector<std::pair<std::vector<double>*, std::vector<double>*>> blocks = {
        {&ja0, &jb0}, {&ja1, &jb1}, {&ja2, &jb2}, {&ja3, &jb3}};
    for (const auto& [a, b] : blocks) {
      for (size_t i = 0; i < a->size(); ++i) EXPECT_NEAR((*a)[i], (*b)[i], 1e-7 * (1 + std::abs((*b)[i]))) << i;
    }
  }
}

// The same with the view's pose a parameter block (omega, t): the free camera
// of a view whose extrinsics are estimated.
struct FreeCameraKeypointFunctor {
  const model::BodyModel* m;
  model::PinholeCamera camera;
  std::vector<FittedKeypoint> keypoints;
  double rho, lambda;
  template <typename T>
  bool operator()(const T* orient, const T* body, const T* betas, const T* transl, const T* pose6, T* r) const {
    const auto to_camera = [&](const T* X, T* P) {
      ceres::AngleAxisRotatePoint(pose6, X, P);
      for (int c = 0; c < 3; ++c) P[c] += pose6[3 + c];
    };
    KeypointResiduals(*m, camera, keypoints, rho, lambda, orient, body, betas, transl, to_camera, r);
    return true;
  }
};

TEST(KeypointReprojectionCost, FreeCameraJacobianEqualsAutodiff) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(5);
  for (int trial = 0; trial < 3; ++trial) {
    const testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 30.0, &rng);
    std::vector<FittedKeypoint> keypoints;
    const std::vector<int> targets = ModelPointsOfLayout(m, data::Coco17Layout());
    for (int k = 0; k < 17; ++k) {
      keypoints.push_back({k, targets[static_cast<size_t>(k)], person.observation.points(k, 0) + 30 * (k % 4),
                           person.observation.points(k, 1) - 10 * (k % 3), 0.4 + 0.1 * k});
    }
    std::unique_ptr<KeypointReprojectionCost> analytic(
        KeypointReprojectionCost::WithFreeCamera(m, camera, keypoints, 100.0, 1.3));
    ASSERT_EQ(analytic->parameter_block_sizes().size(), 5u);
    ceres::AutoDiffCostFunction<FreeCameraKeypointFunctor, 34, 3, 69, 10, 3, 6> automatic(
        new FreeCameraKeypointFunctor{&m, camera, keypoints, 100.0, 1.3});
    std::vector<double> orient(person.params.pose.data(), person.params.pose.data() + 3);
    std::vector<double> body(person.params.pose.data() + 3, person.params.pose.data() + 72);
    for (double& v : body) v -= 0.04;
    std::vector<double> betas(person.params.betas.data(), person.params.betas.data() + 10);
    std::vector<double> transl(person.params.transl.data(), person.params.transl.data() + 3);
    // A small turn and shift of the camera (trial 0: none, the identity).
    std::vector<double> cam = {0.05 * trial, -0.08 * trial, 0.03 * trial, 0.02 * trial, -0.05, 0.1 * trial};
    const double* params[] = {orient.data(), body.data(), betas.data(), transl.data(), cam.data()};
    std::vector<std::vector<double>> ja = {std::vector<double>(34 * 3), std::vector<double>(34 * 69),
                                           std::vector<double>(34 * 10), std::vector<double>(34 * 3),
                                           std::vector<double>(34 * 6)};
    std::vector<std::vector<double>> jb = ja;
    std::vector<double> ra(34), rb(34);
    double* pa[] = {ja[0].data(), ja[1].data(), ja[2].data(), ja[3].data(), ja[4].data()};
    double* pb[] = {jb[0].data(), jb[1].data(), jb[2].data(), jb[3].data(), jb[4].data()};
    ASSERT_TRUE(analytic->Evaluate(params, ra.data(), pa));
    ASSERT_TRUE(automatic.Evaluate(params, rb.data(), pb));
    for (int i = 0; i < 34; ++i) EXPECT_NEAR(ra[static_cast<size_t>(i)], rb[static_cast<size_t>(i)], 1e-9);
    for (size_t b = 0; b < ja.size(); ++b) {
      for (size_t i = 0; i < ja[b].size(); ++i) EXPECT_NEAR(ja[b][i], jb[b][i], 1e-7 * (1 + std::abs(jb[b][i]))) << b << " " << i;
    }
    // Residuals only (no Jacobians) agree too.
    ASSERT_TRUE(analytic->Evaluate(params, ra.data(), nullptr));
    for (int i = 0; i < 34; ++i) EXPECT_NEAR(ra[static_cast<size_t>(i)], rb[static_cast<size_t>(i)], 1e-9);
  }
}

// The residual endpoints' term with the templated forward pass, for ceres::Jet.
struct SegmentEndpointFunctor {
  const model::BodyModel* m;
  model::PinholeCamera camera;
  std::vector<SegmentEndpoint> endpoints;
  double rho, lambda;
  template <typename T>
  bool operator()(const T* orient, const T* body, const T* betas, const T* transl, const T* lambdas, T* r) const {
    const int J = m->num_joints();
    std::vector<T> pose(3 * J), joints(3 * J), vkp(3 * m->vertex_keypoints.size());
    for (int i = 0; i < 3; ++i) pose[i] = orient[i];
    for (int i = 0; i < 3 * (J - 1); ++i) pose[3 + i] = body[i];
    model::PoseJoints(*m, betas, pose.data(), transl, static_cast<const uint8_t*>(nullptr), joints.data(), vkp.data());
    for (size_t i = 0; i < endpoints.size(); ++i) {
      const SegmentEndpoint& e = endpoints[i];
      T P[3], uv[2];
      for (int c = 0; c < 3; ++c) {
        P[c] = joints[3 * e.joint_a + c] + lambdas[e.limb] * (joints[3 * e.joint_t + c] - joints[3 * e.joint_a + c]);
      }
      camera.Project(P, uv);
      const double obs[2] = {e.x, e.y};
      for (int c = 0; c < 2; ++c) {
        const T d = uv[c] - obs[c];
        r[2 * i + c] = std::sqrt(2.0) * lambda * e.weight * rho * d / sqrt(d * d + rho * rho);
      }
    }
    return true;
  }
};

// SegmentEndpointCost, and the same through SplitPoseCost (the pose block as
// one block per joint), against ceres::Jet.
TEST(SegmentEndpointCost, AnalyticJacobianEqualsAutodiff) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::mt19937 rng(11);
  const testing::SyntheticPerson person = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 30.0, &rng);
  const std::vector<SegmentEndpoint> ends = {{0, m.JointIndex("left_knee"), m.JointIndex("left_ankle"), 500, 700, 0.8},
                                             {1, m.JointIndex("right_elbow"), m.JointIndex("right_wrist"), 700, 400, 1.0},
                                             {1, m.JointIndex("right_elbow"), m.JointIndex("right_wrist"), 900, 100, 0.5}};
  SegmentEndpointCost analytic(m, camera, ends, 2, 100.0, 1.3);
  ceres::AutoDiffCostFunction<SegmentEndpointFunctor, 6, 3, 69, 10, 3, 2> automatic(
      new SegmentEndpointFunctor{&m, camera, ends, 100.0, 1.3});
  std::vector<double> orient(person.params.pose.data(), person.params.pose.data() + 3);
  std::vector<double> body(person.params.pose.data() + 3, person.params.pose.data() + 72);
  for (double& v : body) v += 0.05;
  std::vector<double> betas(person.params.betas.data(), person.params.betas.data() + 10);
  std::vector<double> transl(person.params.transl.data(), person.params.transl.data() + 3);
  std::vector<double> lambdas = {0.3, 0.7};
  const double* params[] = {orient.data(), body.data(), betas.data(), transl.data(), lambdas.data()};
  const int sizes[] = {3, 69, 10, 3, 2};
  std::vector<std::vector<double>> ja(5), jb(5);
  double *pa[5], *pb[5];
  for (int b = 0; b < 5; ++b) {
    ja[b].assign(6 * sizes[b], 0), jb[b].assign(6 * sizes[b], 0);
    pa[b] = ja[b].data(), pb[b] = jb[b].data();
  }
  std::vector<double> ra(6), rb(6);
  ASSERT_TRUE(analytic.Evaluate(params, ra.data(), pa));
  ASSERT_TRUE(automatic.Evaluate(params, rb.data(), pb));
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(ra[i], rb[i], 1e-9);
  for (int b = 0; b < 5; ++b) {
    for (size_t i = 0; i < ja[b].size(); ++i) EXPECT_NEAR(ja[b][i], jb[b][i], 1e-7 * (1 + std::abs(jb[b][i]))) << b << " " << i;
  }
  // Split: blocks orient, 23 joints, betas, transl, lambdas.
  SplitPoseCost split(new SegmentEndpointCost(m, camera, ends, 2, 100.0, 1.3), 1);
  ASSERT_EQ(split.parameter_block_sizes().size(), 27u);
  std::vector<const double*> sp = {orient.data()};
  std::vector<std::vector<double>> sj(27);
  std::vector<double*> spj;
  for (int j = 0; j < 23; ++j) sp.push_back(&body[3 * j]);
  sp.insert(sp.end(), {betas.data(), transl.data(), lambdas.data()});
  for (int b = 0; b < 27; ++b) {
    sj[b].assign(6 * split.parameter_block_sizes()[b], 0);
    spj.push_back(sj[b].data());
  }
  std::vector<double> rs(6);
  ASSERT_TRUE(split.Evaluate(sp.data(), rs.data(), spj.data()));
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(rs[i], rb[i], 1e-9);
  for (int j = 0; j < 23; ++j) {
    for (int r = 0; r < 6; ++r) {
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(sj[1 + j][r * 3 + c], jb[1][r * 69 + 3 * j + c], 1e-7 * (1 + std::abs(jb[1][r * 69 + 3 * j + c])));
    }
  }
  for (size_t i = 0; i < sj[26].size(); ++i) EXPECT_NEAR(sj[26][i], jb[4][i], 1e-7 * (1 + std::abs(jb[4][i])));
}

TEST(PriorCosts, JacobiansPassTheGradientChecker) {
  const model::BodyModel& m = testing::EmbeddedModel();
  StageWeights weights{"test", 3.0, 2.0, 1.0, 0.7, 10};
  std::vector<uint8_t> fixed(24, 0);
  fixed[static_cast<size_t>(m.JointIndex("right_knee"))] = 1;
  JointLimitPrior joint_limits(m, fixed, &weights);
  BendingPrior bending(m, fixed, &weights);
  ShapePrior shape(10, &weights);
  EXPECT_EQ(bending.num_residuals(), 3);  // right knee held fixed
  std::mt19937 rng(4);
  std::normal_distribution<double> n(0, 1.2);  // wide: many values beyond the limits
  std::vector<double> pose(69), betas(10);
  for (double& v : pose) v = n(rng);
  for (double& v : betas) v = n(rng);
  // Central differences with a step far smaller than any value's distance to
  // a limit (the hinge terms are piecewise linear; a wide step crosses the kink).
  const auto check = [](const ceres::CostFunction& cost, std::vector<double> x) {
    const int params_n = static_cast<int>(x.size()), residuals_m = cost.num_residuals();
    std::vector<double> r(static_cast<size_t>(residuals_m)), rp(static_cast<size_t>(residuals_m)), rm(static_cast<size_t>(residuals_m)),
        jac(static_cast<size_t>(residuals_m * params_n));
    const double* params[] = {x.data()};
    double* jacobians[] = {jac.data()};
    ASSERT_TRUE(cost.Evaluate(params, r.data(), jacobians));
    for (int c = 0; c < params_n; ++c) {
      const double h = 1e-7, keep = x[static_cast<size_t>(c)];
      x[static_cast<size_t>(c)] = keep + h;
      cost.Evaluate(params, rp.data(), nullptr);
      x[static_cast<size_t>(c)] = keep - h;
      cost.Evaluate(params, rm.data(), nullptr);
      x[static_cast<size_t>(c)] = keep;
      for (int i = 0; i < residuals_m; ++i) {
        const double numeric = (rp[static_cast<size_t>(i)] - rm[static_cast<size_t>(i)]) / (2 * h);
        EXPECT_NEAR(jac[static_cast<size_t>(i * params_n + c)], numeric, 1e-5 * (1 + std::abs(numeric)))
            << "residual " << i << ", parameter " << c;
      }
    }
  };
  check(joint_limits, pose);
  check(bending, pose);
  ceres::NumericDiffOptions numeric;
  const std::vector<const ceres::Manifold*>* none = nullptr;
  ceres::GradientChecker checker(&shape, none, numeric);
  ceres::GradientChecker::ProbeResults results;
  const double* params[] = {betas.data()};
  EXPECT_TRUE(checker.Probe(params, 1e-7, &results)) << results.error_log;
}

}  // namespace
}  // namespace resihmr::optim

namespace resihmr::optim {
namespace {

// A user-supplied GMM pose prior: two components in 69 dimensions; the
// residual follows the nearer (max-mixture) component and its Jacobian is L'.
TEST(PriorCosts, GmmPriorFromNpz) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const int D = 69;
  std::vector<double> means(2 * D, 0.0), covars(2 * D * D, 0.0), weights = {0.7, 0.3};
  for (int d = 0; d < D; ++d) {
    means[static_cast<size_t>(D + d)] = 0.5;            // second component centred at 0.5
    covars[static_cast<size_t>(d * D + d)] = 0.04;      // sigma 0.2
    covars[static_cast<size_t>(D * D + d * D + d)] = 0.09;
  }
  std::map<std::string, model::NpyArray> arrays;
  arrays["means"] = model::NpyArray::FromDoubles({2, D}, means);
  arrays["covars"] = model::NpyArray::FromDoubles({2, D, D}, covars);
  arrays["weights"] = model::NpyArray::FromDoubles({2}, weights);
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_gmm_test.npz").string();
  model::WriteNpz(path, arrays);
  StageWeights w{"test", 2.0, 0, 0, 0, 10};
  GmmPosePrior prior(path, m, &w, 1.0);
  std::filesystem::remove(path);
  EXPECT_EQ(prior.dimension(), D);
  std::vector<double> pose(static_cast<size_t>(D), 0.48), r(static_cast<size_t>(D)), jac(static_cast<size_t>(D * D));
  const double* params[] = {pose.data()};
  double* jacobians[] = {jac.data()};
  ASSERT_TRUE(prior.Evaluate(params, r.data(), jacobians));
  // Near 0.5 the second component wins: r = 2 (0.48 - 0.5) / 0.3.
  EXPECT_NEAR(r[0], 2.0 * (0.48 - 0.5) / 0.3, 1e-9);
  EXPECT_NEAR(jac[0], 2.0 / 0.3, 1e-9);
  std::fill(pose.begin(), pose.end(), 0.02);
  ASSERT_TRUE(prior.Evaluate(params, r.data(), nullptr));
  EXPECT_NEAR(r[5], 2.0 * 0.02 / 0.2, 1e-9);  // the first component near 0
  // A file that is not a GMM is a clear error.
  std::map<std::string, model::NpyArray> bad;
  bad["means"] = model::NpyArray::FromDoubles({1, 5}, std::vector<double>(5, 0.0));
  bad["covars"] = model::NpyArray::FromDoubles({1, 5, 5}, std::vector<double>(25, 0.0));
  bad["weights"] = model::NpyArray::FromDoubles({1}, {1.0});
  model::WriteNpz(path, bad);
  EXPECT_THROW(GmmPosePrior(path, m, &w, 1.0), Error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace resihmr::optim
