// Speed of one complete intact fit (camera stage + all stages) of one person
// from COCO-17 keypoints on the embedded model (issue 5 target: median
// <= 10 ms on one core), and persons per second with 2 threads. Results:
// docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <random>

#include "data/keypoint_layout.h"
#include "data/synthetic_people.h"
#include "data/synthetic_video.h"
#include "data/synthetic_views.h"
#include "optim/multi_view_fit.h"
#include "optim/intact_fit.h"
#include "optim/person_fit.h"
#include "optim/silhouette_cost.h"
#include "optim/video_fit.h"
#include "pipeline/person_mesh.h"
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

// The whole resihmr fit of `resihmr synth`'s people (seed 2026, 2 px noise,
// LDPose-25 keypoints, rendered masks; 70% with residual limbs), with the
// silhouette stage (arg 1) or without (0), alternately in one run (issue 17
// targets: the stage <= 15 ms, the whole fit <= 30 ms per person).
const std::vector<data::Observation>& SynthPeople() {
  static const std::vector<data::Observation> people = [] {
    data::SynthOptions o;
    o.seed = 2026;
    std::vector<data::Observation> out;
    for (int i = 0; i < 16; ++i) out.push_back(data::MakeSynthPerson(testing::EmbeddedModel(), o, i).observation);
    return out;
  }();
  return people;
}

void BM_ResiHMRFitSynth(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const auto& people = SynthPeople();
  optim::PersonFitOptions options;
  options.silhouette = state.range(0) != 0;
  size_t i = 0;
  double silhouette_ms = 0;
  for (auto _ : state) {
    const data::Observation& o = people[i++ % people.size()];
    const optim::PersonFit fit = optim::FitPerson(m, o, model::DefaultCamera(o.image_width, o.image_height), options);
    for (const optim::StageReport& s : fit.fit.stages) {
      if (s.name == "silhouette") silhouette_ms += s.time_ms;
    }
    benchmark::DoNotOptimize(fit.residual_limbs.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["silhouette_ms"] = benchmark::Counter(silhouette_ms, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ResiHMRFitSynth)->Arg(0)->Arg(1)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The fit over several views (optim/multi_view_fit.h) of synth's people
// (seed 2026, 2 px noise) seen by `arg 0` cameras around them
// (data/synthetic_views.h), calibrated (arg 1: 0) or with every pose
// estimated with the body (1), one core (issue 18 target: 4 calibrated views
// <= 40 ms per person).
void BM_MultiViewFit(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  static const std::vector<std::vector<optim::CalibratedView>> people = [&] {
    data::SynthOptions o;
    o.seed = 2026;
    o.render = false;
    std::vector<std::vector<optim::CalibratedView>> out;
    for (int i = 0; i < 16; ++i) {
      const data::SynthPerson p = data::MakeSynthPerson(m, o, i);
      const data::SynthViews sv = data::MakeSynthViews(p, o, i, 4);
      std::vector<optim::CalibratedView> views;
      for (size_t v = 0; v < sv.rig.cameras.size(); ++v) {
        const data::RigCamera& c = sv.rig.cameras[v];
        views.push_back({c.name, sv.observations[v], c.intrinsics, c.R, c.t});
      }
      out.push_back(views);
    }
    return out;
  }();
  const size_t count = static_cast<size_t>(state.range(0));
  const bool estimated = state.range(1) != 0;
  size_t i = 0;
  for (auto _ : state) {
    const std::vector<optim::CalibratedView>& all = people[i++ % people.size()];
    std::vector<optim::CalibratedView> views(all.begin(), all.begin() + static_cast<long>(count));
    for (optim::CalibratedView& v : views) v.extrinsics_known = !estimated;
    const optim::MultiViewFit fit = optim::FitMultiView(m, views, optim::PersonFitOptions());
    benchmark::DoNotOptimize(fit.params.pose.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MultiViewFit)->Args({1, 0})->Args({2, 0})->Args({4, 0})->Args({4, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

// A video from one camera (issue 18 target: at most 3 ms per frame, one
// core, amortised over 60 frames): optim::FitVideo over the first arg(0)
// frames of `synth --frames`'s walks (seed 2026, the first 4 people, in
// turn); items are frames, so items_per_second is frames per second. Arg 1:
// the keyframe step (2, the default; 6 for comparison).
void BM_VideoFit(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  static const std::vector<std::pair<model::PinholeCamera, data::SynthVideo>> walks = [&] {
    data::SynthOptions o;
    o.seed = 2026;
    o.render = false;
    o.family = "walking";
    std::vector<std::pair<model::PinholeCamera, data::SynthVideo>> out;
    for (int i = 0; i < 4; ++i) {
      const data::SynthPerson p = data::MakeSynthPerson(m, o, i);
      out.emplace_back(p.camera, data::MakeSynthVideo(m, p, o, i, 60));
    }
    return out;
  }();
  const int count = static_cast<int>(state.range(0));
  optim::VideoFitOptions options;
  options.keyframe_step = static_cast<int>(state.range(1));
  size_t i = 0;
  for (auto _ : state) {
    const auto& [camera, video] = walks[i++ % walks.size()];
    std::vector<optim::VideoFrameInput> frames;
    for (int f = 0; f < count; ++f) {
      const data::SynthFrame& fr = video.frames[static_cast<size_t>(f)];
      frames.push_back({f, fr.present, fr.observation});
    }
    const optim::VideoFit fit = optim::FitVideo(m, frames, camera, options);
    benchmark::DoNotOptimize(fit.betas.data());
  }
  state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_VideoFit)->Args({60, 2})->Args({60, 6})->Args({10, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// One evaluation of the silhouette term (arg: rim vertices = contour
// matches), with the Jacobian (arg 1) or the residuals only (0), on a field
// of a synthetic person at its true parameters.
void BM_SilhouetteCostEvaluate(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const int n = static_cast<int>(state.range(0));
  const bool with_jacobian = state.range(1) != 0;
  std::mt19937 rng(5);
  const model::PinholeCamera camera = model::DefaultCamera(1280, 960);
  const testing::SyntheticPerson p = testing::MakeSyntheticPerson(m, camera, data::Coco17Layout(), 0.0, &rng);
  const optim::DistanceField field(std::vector<double>(320 * 320, 1.0), 320, 320, 0, 0, 0.25, 1280, 960);
  std::vector<int> rim;
  std::vector<optim::ContourMatch> matches;
  for (int i = 0; i < n; ++i) {
    rim.push_back(i * (m.num_vertices() / n));
    matches.push_back({i, 600.0, 400.0, 1.0, 0.0});
  }
  const optim::SilhouetteCost cost(m, camera, &field, rim, matches, 10.0, 1.0, 1.0);
  const int J = m.num_joints();
  std::vector<double> orient(p.params.pose.row(0).data(), p.params.pose.row(0).data() + 3), body_pose;
  for (int j = 1; j < J; ++j) {
    for (int a = 0; a < 3; ++a) body_pose.push_back(p.params.pose(j, a));
  }
  std::vector<double> betas(p.params.betas.data(), p.params.betas.data() + m.num_betas);
  const double* parameters[] = {orient.data(), body_pose.data(), betas.data(), p.params.transl.data()};
  std::vector<double> residuals(2 * static_cast<size_t>(n)), j0(6 * n), j1(2 * n * 3 * (J - 1)), j2(2 * n * m.num_betas),
      j3(6 * n);
  double* jacobians[] = {j0.data(), j1.data(), j2.data(), j3.data()};
  for (auto _ : state) {
    benchmark::DoNotOptimize(cost.Evaluate(parameters, residuals.data(), with_jacobian ? jacobians : nullptr));
  }
}
BENCHMARK(BM_SilhouetteCostEvaluate)->Args({50, 0})->Args({50, 1})->Args({150, 0})->Args({150, 1})->Unit(benchmark::kMicrosecond);

// The mesh of a fitted person (pose, cuts, caps, checks, measurements) without
// each stump's profile (arg 0), with it fitted to the synthetic input mask
// (1: dilated and ragged, where the margin test mostly keeps the convex cap)
// or to the exact mask (2: every visible stump fitted), alternately in one run.
// The people are `resihmr synth`'s first 16 with a residual limb (seed 2026,
// 2 px noise), fitted once beforehand with the silhouette stage on the same
// mask. Counters: the profile fits' time and how many stumps were fitted, per person.
struct FittedSynthPerson {
  optim::PersonFit fit;
  cv::Mat mask;
};

const std::vector<FittedSynthPerson>& FittedSynthPeople(bool exact_masks) {
  static const auto make = [](bool exact) {
    data::SynthOptions o;
    o.seed = 2026;
    std::vector<FittedSynthPerson> out;
    for (int i = 0; out.size() < 16; ++i) {
      data::SynthPerson p = data::MakeSynthPerson(testing::EmbeddedModel(), o, i);
      if (p.limbs.empty()) continue;
      if (exact) p.observation.mask = p.exact_mask;
      const data::Observation& obs = p.observation;
      FittedSynthPerson f;
      f.fit = optim::FitPerson(testing::EmbeddedModel(), obs, model::DefaultCamera(obs.image_width, obs.image_height),
                               optim::PersonFitOptions());
      f.mask = obs.mask;
      out.push_back(std::move(f));
    }
    return out;
  };
  static const std::vector<FittedSynthPerson> input = make(false), exact = make(true);
  return exact_masks ? exact : input;
}

void BM_PersonMeshSynth(benchmark::State& state) {
  const model::BodyModel& m = testing::EmbeddedModel();
  const int kind = static_cast<int>(state.range(0));
  const auto& people = FittedSynthPeople(kind == 2);
  size_t i = 0;
  double profile_ms = 0, fitted = 0;
  for (auto _ : state) {
    const FittedSynthPerson& p = people[i++ % people.size()];
    optim::PersonFit fit = p.fit;
    pipeline::StumpMasks masks;
    if (kind != 0) masks.mask = &p.mask;
    const pipeline::PersonMesh mesh = pipeline::BuildPersonMesh(m, optim::Method::kResiHMR, &fit, masks);
    for (const optim::StumpProfileFit& f : mesh.profiles) {
      profile_ms += f.time_ms;
      fitted += f.fitted;
    }
    benchmark::DoNotOptimize(mesh.mesh.vertices.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["profile_ms"] = benchmark::Counter(profile_ms, benchmark::Counter::kAvgIterations);
  state.counters["stumps_fitted"] = benchmark::Counter(fitted, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_PersonMeshSynth)->Arg(0)->Arg(1)->Arg(2)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
