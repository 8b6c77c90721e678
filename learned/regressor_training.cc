#include "learned/regressor_training.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "learned/rotation_6d.h"
#include "learned/training_support.h"
#include "model/error.h"

namespace resihmr::learned {
namespace {

constexpr int64_t kEvalBatch = 32;
constexpr double kBetasWeight = 0.1;

torch::Tensor Pose6d(const torch::Tensor& axis_angle) { return MatrixToRotation6d(AxisAngleToMatrix(axis_angle)); }

torch::Tensor Loss(const RegressorOutput& out, const torch::Tensor& codes, const CropSet& truth, int64_t betas) {
  const torch::Tensor logits = out.token_logits.to(torch::kFloat);
  torch::Tensor loss = torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(2)}), codes.reshape({-1}));
  loss = loss + (out.global_orient.to(torch::kFloat) - Pose6d(truth.global_orient)).pow(2).sum(1).mean();
  loss = loss + (out.camera.to(torch::kFloat) - truth.camera).pow(2).sum(1).mean();
  const int64_t b = std::min<int64_t>(betas, truth.betas.size(1));
  if (b > 0) {
    loss = loss + kBetasWeight * (out.betas.to(torch::kFloat).narrow(1, 0, b) - truth.betas.narrow(1, 0, b)).pow(2).sum(1).mean();
  }
  return loss;
}

CropSet Rows(const CropSet& set, const torch::Tensor& rows, const torch::Device& device) {
  CropSet s = set.Select(rows);
  for (torch::Tensor* t : {&s.images, &s.keypoints, &s.visible, &s.bpac_classes, &s.global_orient, &s.body_pose,
                           &s.betas, &s.camera}) {
    *t = t->to(device);
  }
  return s;
}

}  // namespace

void CheckBundle(const RegressorBundle& bundle, int crop_size) {
  const RegressorConfig& r = bundle.regressor->config();
  const PoseTokenizerConfig& t = bundle.tokenizer->config();
  if (r.tokens != t.tokens || r.codebook_size != t.codebook_size) {
    throw Error("regressor of " + std::to_string(r.tokens) + " tokens over " + std::to_string(r.codebook_size) +
                " codes, tokenizer of " + std::to_string(t.tokens) + " over " + std::to_string(t.codebook_size) +
                ": they must agree");
  }
  if (crop_size && r.image_size != crop_size) {
    throw Error("regressor takes " + std::to_string(r.image_size) + " px crops, the data has " + std::to_string(crop_size));
  }
  if (bundle.bpac) {
    const BpacNetConfig& b = bundle.bpac->config();
    if (b.context_dim != r.context_dim) {
      throw Error("BPAC-Net's context is " + std::to_string(b.context_dim) + "-d, the regressor reads " +
                  std::to_string(r.context_dim) + "-d");
    }
    if (b.image_size != r.image_size) {
      throw Error("BPAC-Net takes " + std::to_string(b.image_size) + " px crops, the regressor " +
                  std::to_string(r.image_size) + ": they must agree");
    }
    if (crop_size && b.image_size != crop_size) {
      throw Error("BPAC-Net takes " + std::to_string(b.image_size) + " px crops, the data has " + std::to_string(crop_size));
    }
  }
}

RegressorRun RunRegressor(RegressorBundle& bundle, const torch::Tensor& images, const torch::Tensor& keypoints,
                          const torch::Tensor& visible) {
  RegressorRun run;
  torch::Tensor context;
  if (bundle.bpac) {
    torch::NoGradGuard no_grad;
    const BpacNetOutput b = bundle.bpac->forward(BpacInput(images, keypoints, visible));
    context = b.context.to(torch::kFloat);
    run.bpac_logits = b.logits.to(torch::kFloat);
  }
  run.out = bundle.regressor->forward(NormalizedRgb(images), context);
  return run;
}

RegressorEvaluation EvaluateRegressor(RegressorBundle& bundle, const CropSet& set) {
  torch::NoGradGuard no_grad;
  const bool was_training = bundle.regressor->is_training();
  bundle.regressor->eval();
  bundle.tokenizer->eval();
  if (bundle.bpac) bundle.bpac->eval();
  const torch::Device device = bundle.regressor->parameters().front().device();
  RegressorEvaluation e;
  double tokens_right = 0, tokens = 0, pose = 0, joints = 0, orient = 0, scale = 0, betas = 0, beta_count = 0;
  for (int64_t start = 0; start < set.size(); start += kEvalBatch) {
    const int64_t n = std::min(kEvalBatch, set.size() - start);
    const CropSet b = Rows(set, torch::arange(start, start + n, torch::kLong), device);
    RegressorRun run;
    {
      const Bf16Autocast autocast(device);
      run = RunRegressor(bundle, b.images, b.keypoints, b.visible);
    }
    const torch::Tensor truth6d = Pose6d(b.body_pose);
    const torch::Tensor codes = bundle.tokenizer->Encode(truth6d);
    const torch::Tensor predicted = run.out.token_logits.argmax(2);
    tokens_right += (predicted == codes).sum().item<double>();
    tokens += static_cast<double>(codes.numel());
    const torch::Tensor decoded = bundle.tokenizer->Decode(predicted);
    pose += GeodesicAngle(Rotation6dToMatrix(decoded), AxisAngleToMatrix(b.body_pose)).sum().item<double>();
    joints += static_cast<double>(n * b.body_pose.size(1));
    orient += GeodesicAngle(Rotation6dToMatrix(run.out.global_orient.to(torch::kFloat)), AxisAngleToMatrix(b.global_orient))
                  .sum()
                  .item<double>();
    scale += ((run.out.camera.select(1, 0).to(torch::kFloat) - b.camera.select(1, 0)).abs() / b.camera.select(1, 0))
                 .sum()
                 .item<double>();
    const int64_t nb = std::min<int64_t>(run.out.betas.size(1), b.betas.size(1));
    if (nb > 0) {
      betas += (run.out.betas.narrow(1, 0, nb).to(torch::kFloat) - b.betas.narrow(1, 0, nb)).pow(2).sum().item<double>();
      beta_count += static_cast<double>(n * nb);
    }
  }
  bundle.regressor->train(was_training);
  const double deg = 180.0 / M_PI, persons = static_cast<double>(std::max<int64_t>(1, set.size()));
  e.token_accuracy = tokens_right / std::max(1.0, tokens);
  e.pose_deg = pose / std::max(1.0, joints) * deg;
  e.orient_deg = orient / persons * deg;
  e.camera_scale_err = scale / persons;
  e.betas_rmse = beta_count > 0 ? std::sqrt(betas / beta_count) : 0;
  return e;
}

torch::Tensor TrainRegressor(RegressorBundle& bundle, const CropSet& set, const TrainingOptions& options,
                             const std::function<void(const RegressorEpoch&)>& on_epoch) {
  CheckBundle(bundle, set.crop_size);
  const torch::Device device = StartTraining(options, "regressor training");
  const HeldOutSplit split = SplitHeldOut(set.size(), options.held_out_fraction, options.batch, "crops");
  const CropSet held_out = set.Select(split.held);
  const CropSet train = set.Select(split.train);
  bundle.regressor->to(device);
  bundle.tokenizer->to(device);
  bundle.tokenizer->eval();
  for (torch::Tensor& p : bundle.tokenizer->parameters()) p.set_requires_grad(false);
  if (bundle.bpac) {
    bundle.bpac->to(device);
    bundle.bpac->eval();
    for (torch::Tensor& p : bundle.bpac->parameters()) p.set_requires_grad(false);
  }
  // The targets' codes: the tokenizer is fixed, so they are encoded once, not every epoch.
  std::vector<torch::Tensor> code_parts;
  {
    torch::NoGradGuard no_grad;
    for (int64_t start = 0; start < train.size(); start += 1024) {
      const int64_t n = std::min<int64_t>(1024, train.size() - start);
      code_parts.push_back(bundle.tokenizer->Encode(Pose6d(train.body_pose.narrow(0, start, n).to(device))).cpu());
    }
  }
  const torch::Tensor train_codes = torch::cat(code_parts);
  bundle.regressor->train();
  torch::optim::Adam adam(bundle.regressor->parameters(), torch::optim::AdamOptions(options.learning_rate));
  const auto start = std::chrono::steady_clock::now();
  int steps = 0;
  const int64_t total_steps = options.epochs * (train.size() / options.batch);
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const torch::Tensor shuffled = torch::randperm(train.size(), torch::TensorOptions().dtype(torch::kLong));
    RegressorEpoch e;
    int batches = 0;
    for (int64_t b = 0; b + options.batch <= train.size(); b += options.batch) {
      const torch::Tensor rows = shuffled.narrow(0, b, options.batch);
      const CropSet batch = Rows(train, rows, device);
      const torch::Tensor codes = train_codes.index_select(0, rows).to(device);
      torch::Tensor loss;
      {
        const Bf16Autocast autocast(device);
        const RegressorRun run = RunRegressor(bundle, batch.images, batch.keypoints, batch.visible);
        loss = Loss(run.out, codes, batch, bundle.regressor->config().betas);
      }
      CosineAdamStep(adam, loss, options.learning_rate, steps, total_steps);
      e.loss += loss.item<double>();
      ++batches;
      ++steps;
    }
    e.held_out = EvaluateRegressor(bundle, held_out);
    e.epoch = epoch;
    e.steps = steps;
    e.loss /= batches;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    on_epoch(e);
  }
  bundle.regressor->to(torch::kCPU);
  bundle.tokenizer->to(torch::kCPU);
  if (bundle.bpac) bundle.bpac->to(torch::kCPU);
  return split.held;
}

}  // namespace resihmr::learned
