// Forward-pass speed (Google Benchmark). Targets (issue 3): joints-only with
// the full Jacobian for a 24-joint model <= 50 us (analytic; the autodiff
// variants are kept for comparison); full mesh of a
// 6,890-vertex model <= 2 ms; the imported MakeHuman body (13,380
// vertices, ../shared/data/makehuman) <= 2 ms (issue 19); one core.
// Results: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <ceres/ceres.h>

#include <random>

#include "data/makehuman_model.h"
#include "model/forward_pass.h"
#include "model/joints_jacobian.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace {

using resihmr::model::BodyModel;
using resihmr::model::BodyParams;

BodyParams RandomParams(const BodyModel& m) {
  std::mt19937 rng(5);
  std::normal_distribution<double> n(0, 1);
  BodyParams p = BodyParams::Zero(m);
  for (Eigen::Index i = 0; i < p.betas.size(); ++i) p.betas[i] = n(rng);
  for (Eigen::Index i = 0; i < p.pose.size(); ++i) p.pose.data()[i] = 0.4 * n(rng);
  p.transl << 0.1, 0.2, 3.0;
  return p;
}

// Joints (24 x 3) and, optionally, the vertex keypoints of the model.
template <bool kWithKeypoints>
struct JointsFunctor {
  const BodyModel* m;
  template <typename T>
  bool operator()(const T* pose, const T* betas, const T* transl, T* out) const {
    if (kWithKeypoints) {
      resihmr::model::PoseJoints(*m, betas, pose, transl, static_cast<const uint8_t*>(nullptr), out, out + 72);
    } else {
      resihmr::model::PoseJoints(*m, betas, pose, transl, static_cast<const uint8_t*>(nullptr), out,
                                 static_cast<T*>(nullptr));
    }
    return true;
  }
};

template <bool kWithKeypoints, int kResiduals>
void JointsWithJacobian(benchmark::State& state) {
  const BodyModel& m = resihmr::testing::EmbeddedModel();
  ceres::AutoDiffCostFunction<JointsFunctor<kWithKeypoints>, kResiduals, 72, 10, 3> cost(
      new JointsFunctor<kWithKeypoints>{&m});
  BodyParams p = RandomParams(m);
  const double* params[] = {p.pose.data(), p.betas.data(), p.transl.data()};
  std::vector<double> residuals(kResiduals), j_pose(kResiduals * 72), j_betas(kResiduals * 10), j_transl(kResiduals * 3);
  double* jacobians[] = {j_pose.data(), j_betas.data(), j_transl.data()};
  for (auto _ : state) {
    cost.Evaluate(params, residuals.data(), jacobians);
    benchmark::DoNotOptimize(residuals.data());
  }
}
void BM_JointsOnly24WithJacobian(benchmark::State& state) { JointsWithJacobian<false, 72>(state); }
void BM_JointsAndKeypointsWithJacobian(benchmark::State& state) { JointsWithJacobian<true, 72 + 39>(state); }
BENCHMARK(BM_JointsOnly24WithJacobian)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JointsAndKeypointsWithJacobian)->Unit(benchmark::kMicrosecond);

// The analytic Jacobian (model/joints_jacobian.h): 24 joints + 13 keypoints
// with derivatives by pose (72), shape (10) and translation.
void BM_JointsAndKeypointsAnalyticJacobian(benchmark::State& state) {
  const BodyModel& m = resihmr::testing::EmbeddedModel();
  const BodyParams p = RandomParams(m);
  resihmr::model::JointsWithJacobian out;
  for (auto _ : state) {
    resihmr::model::PoseJointsWithJacobian(m, p.betas.data(), p.pose.data(), p.transl.data(),
                                           static_cast<const uint8_t*>(nullptr), &out);
    benchmark::DoNotOptimize(out.d_pose.data());
  }
}
BENCHMARK(BM_JointsAndKeypointsAnalyticJacobian)->Unit(benchmark::kMicrosecond);

void BM_JointsAndKeypointsDouble(benchmark::State& state) {
  const BodyModel& m = resihmr::testing::EmbeddedModel();
  const BodyParams p = RandomParams(m);
  std::vector<double> joints(72), keypoints(3 * m.vertex_keypoints.size());
  for (auto _ : state) {
    resihmr::model::PoseJoints(m, p.betas.data(), p.pose.data(), p.transl.data(), static_cast<const uint8_t*>(nullptr),
                               joints.data(), keypoints.data());
    benchmark::DoNotOptimize(joints.data());
  }
}
BENCHMARK(BM_JointsAndKeypointsDouble)->Unit(benchmark::kMicrosecond);

void FullMesh(benchmark::State& state, const BodyModel& m) {
  const BodyParams p = RandomParams(m);
  std::vector<double> vertices(3 * static_cast<size_t>(m.num_vertices()));
  for (auto _ : state) {
    resihmr::model::PoseMesh(m, p.betas.data(), p.pose.data(), p.transl.data(), static_cast<const uint8_t*>(nullptr),
                             vertices.data(), static_cast<double*>(nullptr));
    benchmark::DoNotOptimize(vertices.data());
  }
  state.counters["vertices"] = m.num_vertices();
}

void BM_FullMeshEmbedded(benchmark::State& state) { FullMesh(state, resihmr::testing::EmbeddedModel()); }
BENCHMARK(BM_FullMeshEmbedded)->Unit(benchmark::kMillisecond);

// The MakeHuman body as make-model --from-makehuman imports it: 13,380
// vertices, 10 betas, no pose correctives, at most 4 influences.
void BM_FullMeshMakeHuman(benchmark::State& state) {
  static const BodyModel m =
      resihmr::data::ImportMakeHuman(std::string(RESIHMR_SOURCE_DIR) + "/../shared/data/makehuman").model;
  FullMesh(state, m);
}
BENCHMARK(BM_FullMeshMakeHuman)->Unit(benchmark::kMillisecond);

// SMPL-sized: 6890 vertices, 10 betas, dense pose correctives, 4 influences.
void BM_FullMeshSmplSized(benchmark::State& state) {
  resihmr::testing::RandomModelOptions o;
  o.num_vertices = 6890;
  o.random_posedirs = state.range(0) != 0;
  static const BodyModel with = resihmr::testing::RandomBodyModel(o);
  o.random_posedirs = false;
  static const BodyModel without = resihmr::testing::RandomBodyModel(o);
  FullMesh(state, state.range(0) ? with : without);
  state.SetLabel(state.range(0) ? "dense posedirs" : "zero posedirs");
}
BENCHMARK(BM_FullMeshSmplSized)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
