// Cut + cap + checks + measurements for one residual limb on the embedded
// model (~9k vertices), issue 7 target: median <= 5 ms. docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include "geometry/stump_mesh.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "tests/support/test_models.h"

namespace {

using namespace resihmr;

void StumpFor(benchmark::State& state, model::Limb limb, model::LossLevel level) {
  const model::BodyModel& m = testing::EmbeddedModel();
  model::BodyParams p = model::BodyParams::Zero(m);
  p.pose(m.JointIndex("left_shoulder"), 2) = -0.75;
  p.pose(m.JointIndex("right_shoulder"), 2) = 0.75;
  p.pose(m.JointIndex("left_knee"), 0) = 0.3;
  const model::PosedBody posed = model::PoseBody(m, p, true);
  const model::ResidualLimb r{limb, level};
  const model::ResidualSegment seg = model::SegmentOf(m, r);
  const std::vector<geometry::ResidualLimbCut> cuts = {
      {r, posed.joints.row(seg.joint_t).transpose(), posed.joints.row(seg.joint_a).transpose(), 0.45}};
  for (auto _ : state) {
    const geometry::StumpMesh s = geometry::BuildStumpMesh(m, posed.vertices, cuts);
    if (!s.limbs[0].ok || !s.watertight()) state.SkipWithError("stump failed");
    benchmark::DoNotOptimize(s.limbs[0].measurements.volume_ml);
  }
}

void BM_StumpBelowKnee(benchmark::State& state) { StumpFor(state, model::Limb::kLeftLeg, model::LossLevel::kBelowKnee); }
void BM_StumpAboveKnee(benchmark::State& state) { StumpFor(state, model::Limb::kRightLeg, model::LossLevel::kAboveKnee); }
void BM_StumpAboveElbow(benchmark::State& state) { StumpFor(state, model::Limb::kLeftArm, model::LossLevel::kAboveElbow); }
BENCHMARK(BM_StumpBelowKnee)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StumpAboveKnee)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StumpAboveElbow)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
