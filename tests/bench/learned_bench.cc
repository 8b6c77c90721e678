// CPU inference throughput of the learned modules at full size (issue 9):
// BPAC-Net (ResNet-34 + CBAM, 15 x 256 x 256 crops) and the regressor (ViT-B
// backbone, 6-layer 1280-d decoder), batches of 8, eval mode, no gradients,
// LibTorch on 2 threads. docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include "learned/bpac_net.h"
#include "learned/regressor.h"

namespace {

using namespace resihmr::learned;

void BM_BpacNetCpu(benchmark::State& state) {
  torch::set_num_threads(2);
  torch::NoGradGuard no_grad;
  BpacNet net;
  net->eval();
  const torch::Tensor x = torch::randn({8, 15, 256, 256});
  for (auto _ : state) benchmark::DoNotOptimize(net->forward(x).logits.data_ptr());
  state.SetItemsProcessed(state.iterations() * 8);
}

void BM_RegressorCpu(benchmark::State& state) {
  torch::set_num_threads(2);
  torch::NoGradGuard no_grad;
  Regressor net;
  net->eval();
  const torch::Tensor image = torch::randn({8, 3, 256, 256}), context = torch::randn({8, 1280});
  for (auto _ : state) benchmark::DoNotOptimize(net->forward(image, context).token_logits.data_ptr());
  state.SetItemsProcessed(state.iterations() * 8);
}

BENCHMARK(BM_BpacNetCpu)->Unit(benchmark::kMillisecond)->MinTime(5.0);
BENCHMARK(BM_RegressorCpu)->Unit(benchmark::kMillisecond)->MinTime(5.0);

}  // namespace

BENCHMARK_MAIN();
