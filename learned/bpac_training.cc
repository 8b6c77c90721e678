#include "learned/bpac_training.h"

#include <chrono>

#include "learned/training_support.h"
#include "model/error.h"

namespace resihmr::learned {
namespace {

constexpr int64_t kEvalBatch = 64;

}  // namespace

BpacEvaluation EvaluateBpacNet(BpacNet& net, const CropSet& set) {
  torch::NoGradGuard no_grad;
  const bool was_training = net->is_training();
  net->eval();
  const torch::Device device = net->parameters().front().device();
  BpacEvaluation e;
  std::array<int64_t, 4> right{};
  for (int64_t start = 0; start < set.size(); start += kEvalBatch) {
    const int64_t b = std::min(kEvalBatch, set.size() - start);
    const torch::Tensor x = BpacInput(set.images.narrow(0, start, b).to(device), set.keypoints.narrow(0, start, b).to(device),
                                      set.visible.narrow(0, start, b).to(device));
    torch::Tensor predicted;
    {
      const Bf16Autocast autocast(device);
      predicted = net->forward(x).logits.argmax(2).cpu();
    }
    const torch::Tensor truth = set.bpac_classes.narrow(0, start, b);
    auto p = predicted.accessor<int64_t, 2>();
    auto t = truth.accessor<int64_t, 2>();
    for (int64_t i = 0; i < b; ++i) {
      for (int h = 0; h < 4; ++h) {
        right[static_cast<size_t>(h)] += p[i][h] == t[i][h];
        ++e.confusion[static_cast<size_t>(t[i][h])][static_cast<size_t>(p[i][h])];
      }
    }
  }
  net->train(was_training);
  const double n = static_cast<double>(std::max<int64_t>(1, set.size()));
  for (size_t h = 0; h < 4; ++h) {
    e.accuracy[h] = static_cast<double>(right[h]) / n;
    e.mean_accuracy += e.accuracy[h] / 4;
  }
  return e;
}

torch::Tensor TrainBpacNet(BpacNet& net, const CropSet& set, const TrainingOptions& options,
                           const std::function<void(const BpacEpoch&)>& on_epoch) {
  if (set.crop_size != net->config().image_size) {
    throw Error("BPAC-Net training: crops of " + std::to_string(set.crop_size) + " px, the network takes " +
                std::to_string(net->config().image_size) + " px (--image-size, or `resihmr synth --crops " +
                std::to_string(net->config().image_size) + "`)");
  }
  const torch::Device device = StartTraining(options, "BPAC-Net training");
  const HeldOutSplit split = SplitHeldOut(set.size(), options.held_out_fraction, options.batch, "crops");
  const CropSet held_out = set.Select(split.held);
  const CropSet train = set.Select(split.train);
  net->to(device);
  net->train();
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(options.learning_rate));
  const auto start = std::chrono::steady_clock::now();
  int steps = 0;
  const int64_t total_steps = options.epochs * (train.size() / options.batch);
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const torch::Tensor shuffled = torch::randperm(train.size(), torch::TensorOptions().dtype(torch::kLong));
    BpacEpoch e;
    int batches = 0;
    for (int64_t b = 0; b + options.batch <= train.size(); b += options.batch) {
      const torch::Tensor rows = shuffled.narrow(0, b, options.batch);
      const torch::Tensor x = BpacInput(train.images.index_select(0, rows).to(device),
                                        train.keypoints.index_select(0, rows).to(device),
                                        train.visible.index_select(0, rows).to(device));
      const torch::Tensor y = train.bpac_classes.index_select(0, rows).to(device);
      torch::Tensor loss;
      {
        const Bf16Autocast autocast(device);
        const torch::Tensor logits = net->forward(x).logits;  // [B, 4, 4]
        loss = torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(2)}).to(torch::kFloat), y.reshape({-1})) *
               static_cast<double>(logits.size(1));
      }
      CosineAdamStep(adam, loss, options.learning_rate, steps, total_steps);
      e.loss += loss.item<double>();
      ++batches;
      ++steps;
    }
    const BpacEvaluation measured = EvaluateBpacNet(net, held_out);
    e.epoch = epoch;
    e.steps = steps;
    e.loss /= batches;
    e.held_out_accuracy = measured.accuracy;
    e.held_out_mean_accuracy = measured.mean_accuracy;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    on_epoch(e);
  }
  net->to(torch::kCPU);
  return split.held;
}

}  // namespace resihmr::learned
