// Speed of one complete intact fit (camera stage + all stages) of one person
// from COCO-17 keypoints on the embedded model (issue 5 target: median
// <= 10 ms on one core), and persons per second with 2 threads. Results:
// docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <random>

#include "data/keypoint_layout.h"
#include "optim/intact_fit.h"
#include "optim/person_fit.h"
#include "tests/support/synthetic_person.h"
#include "tests/support/test_models.h"

namespace {

using namespace resihmr;

// 16 synthetic people (2 px noise), fitted in turn.
const std::vector<testing::SyntheticPerson>& People() {
  static const std::vector<testing::SyntheticPerson> people = [] {
    std::mt19937 rng(21);
    std::vector<testing::SyntheticPerson> out;
    const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
    for (int i = 0; i < 16; ++i) {
      out.push_back(testing::MakeSyntheticPerson(testing::EmbeddedModel(), camera, data::Coco17Layout(), 2.0, &rng));
    }
    return out;
  }();
  return people;
}

void BM_IntactFit(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  const auto& people = People();
  size_t i = static_cast<size_t>(state.thread_index()) * 7;
  int iterations = 0;
  for (auto _ : state) {
    const optim::FitResult r = optim::FitIntact(m, people[i++ % people.size()].observation, camera, optim::FitOptions());
    for (const optim::StageReport& s : r.stages) iterations += s.iterations;
    benchmark::DoNotOptimize(r.mean_error_px);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["solver_iterations"] = benchmark::Counter(iterations, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_IntactFit)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IntactFit)->Unit(benchmark::kMillisecond)->Threads(2)->UseRealTime();

// Stage 1 (topology-adaptive) + RAFO for one person with one residual limb
// (below the left knee, lambda 0.4), LDPose-25 keypoints (issue 6 target: median <= 10 ms).
void BM_ResiHMRFitOneResidualLimb(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  std::vector<data::Observation> people;
  std::mt19937 rng(8);
  for (int i = 0; i < 16; ++i) {
    testing::SyntheticPerson p = testing::MakeSyntheticPerson(m, camera, data::LdPose25Layout(), 2.0, &rng);
    data::Observation& o = p.observation;
    const data::KeypointLayout& l = data::LdPose25Layout();
    for (const char* name : {"left_ankle"}) o.confidence[l.Index(name)] = 0;
    const Eigen::Vector3d knee = p.joints.row(m.JointIndex("left_knee")), ankle = p.joints.row(m.JointIndex("left_ankle"));
    const Eigen::Vector3d end = ankle + 0.4 * (knee - ankle);
    double uv[2];
    camera.Project(end.data(), uv);
    const int k = l.Index("below_left_knee_end");
    o.points.row(k) << uv[0], uv[1];
    o.confidence[k] = 1;
    o.visibility[k] = 2;
    people.push_back(o);
  }
  optim::PersonFitOptions options;
  size_t i = 0;
  for (auto _ : state) {
    const optim::PersonFit fit = optim::FitPerson(m, people[i++ % people.size()], camera, options);
    benchmark::DoNotOptimize(fit.residual_limbs.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResiHMRFitOneResidualLimb)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
