// Speed of one complete intact fit (camera stage + all stages) of one person
// from COCO-17 keypoints on the embedded model (issue 5 target: median
// <= 10 ms on one core), and persons per second with 2 threads. Results:
// docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <random>

#include "data/keypoint_layout.h"
#include "optim/intact_fit.h"
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

}  // namespace

BENCHMARK_MAIN();
