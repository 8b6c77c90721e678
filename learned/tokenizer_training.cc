#include "learned/tokenizer_training.h"

#include <chrono>
#include <random>

#include "data/synthetic_people.h"
#include "learned/rotation_6d.h"
#include "learned/training_support.h"
#include "model/error.h"
#include "model/npz.h"

namespace resihmr::learned {

torch::Tensor LibraryPoses(const model::BodyModel& model, int n, unsigned seed) {
  std::mt19937 rng(seed);
  torch::Tensor aa = torch::zeros({n, 21, 3}, torch::kDouble);
  auto a = aa.accessor<double, 3>();
  for (int i = 0; i < n; ++i) {
    const model::BodyParams p = data::SampleLibraryPose(model, &rng);
    for (int j = 1; j <= 21; ++j) {
      for (int k = 0; k < 3; ++k) a[i][j - 1][k] = p.pose(j, k);
    }
  }
  return MatrixToRotation6d(AxisAngleToMatrix(aa)).to(torch::kFloat);
}

torch::Tensor PosesFromNpz(const std::string& path) {
  const model::NpzContents npz = model::ReadNpz(path);
  const model::NpyArray* array = nullptr;
  std::string key;
  for (const char* k : {"body_pose", "poses"}) {
    auto it = npz.arrays.find(k);
    if (it != npz.arrays.end()) {
      array = &it->second;
      key = k;
      break;
    }
  }
  if (!array) throw Error(path + ": no 'body_pose' or 'poses' array of body poses");
  const std::vector<int64_t>& s = array->shape;
  const std::vector<double> v = array->ToDoubles();
  const int64_t n = s.empty() ? 0 : s[0];
  torch::Tensor values = torch::tensor(v, torch::kDouble);
  torch::Tensor R;
  if (s.size() == 2 && (s[1] == 63 || s[1] == 69)) {
    R = AxisAngleToMatrix(values.view({n, s[1] / 3, 3}));
  } else if (s.size() == 3 && (s[1] == 21 || s[1] == 23) && s[2] == 3) {
    R = AxisAngleToMatrix(values.view({n, s[1], 3}));
  } else if (s.size() == 4 && (s[1] == 21 || s[1] == 23) && s[2] == 3 && s[3] == 3) {
    R = values.view({n, s[1], 3, 3});
  } else {
    throw Error(path + ": " + key + " has shape " + array->shape_string() +
                ", expected [N,63], [N,69], [N,21|23,3] (axis-angle) or [N,21|23,3,3] (rotation matrices)");
  }
  if (!torch::isfinite(R).all().item<bool>()) throw Error(path + ": " + key + ": non-finite values");
  return MatrixToRotation6d(R.narrow(1, 0, 21)).to(torch::kFloat);
}

TokenizerEpoch EvaluateTokenizer(PoseTokenizer& tokenizer, const torch::Tensor& poses) {
  torch::NoGradGuard no_grad;
  const bool was_training = tokenizer->is_training();
  tokenizer->eval();
  const torch::Device device = tokenizer->parameters().front().device();
  double sum = 0;
  int64_t count = 0;
  std::vector<torch::Tensor> indices;
  for (int64_t start = 0; start < poses.size(0); start += 1024) {
    const torch::Tensor x = poses.narrow(0, start, std::min<int64_t>(1024, poses.size(0) - start)).to(device);
    const PoseTokenizerOutput out = tokenizer->forward(x);
    sum += GeodesicAngle(Rotation6dToMatrix(out.pose6d), Rotation6dToMatrix(x)).sum().item<double>();
    count += x.size(0) * x.size(1);
    indices.push_back(out.indices.flatten().cpu());
  }
  tokenizer->train(was_training);
  TokenizerEpoch e;
  e.held_out_deg = count ? sum / static_cast<double>(count) * 180.0 / M_PI : 0;
  e.codes_used = indices.empty() ? 0 : static_cast<int>(std::get<0>(at::_unique(torch::cat(indices))).numel());
  return e;
}

void TrainTokenizer(PoseTokenizer& tokenizer, const torch::Tensor& poses, const TrainingOptions& options,
                    const std::function<void(const TokenizerEpoch&)>& on_epoch) {
  if (poses.dim() != 3 || poses.size(1) != tokenizer->config().joints || poses.size(2) != 6) {
    throw Error("tokenizer training: poses [N, " + std::to_string(tokenizer->config().joints) + ", 6] expected, got " +
                c10::str(poses.sizes()));
  }
  const torch::Device device = StartTraining(options, "tokenizer training");
  const HeldOutSplit split = SplitHeldOut(poses.size(0), options.held_out_fraction, options.batch, "poses");
  const torch::Tensor held_out = poses.index_select(0, split.held);
  const torch::Tensor train = poses.index_select(0, split.train).to(device);
  tokenizer->to(device);
  tokenizer->train();
  torch::optim::Adam adam(tokenizer->parameters(), torch::optim::AdamOptions(options.learning_rate));
  const auto start = std::chrono::steady_clock::now();
  int steps = 0;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const torch::Tensor shuffled =
        torch::randperm(train.size(0), torch::TensorOptions().dtype(torch::kLong).device(device));
    TokenizerEpoch e;
    int batches = 0;
    for (int64_t b = 0; b + options.batch <= train.size(0); b += options.batch) {
      PoseTokenizerOutput out;
      {
        const Bf16Autocast autocast(device);
        out = tokenizer->forward(train.index_select(0, shuffled.narrow(0, b, options.batch)));
      }
      adam.zero_grad();
      out.loss.backward();
      adam.step();
      e.loss += out.loss.item<double>();
      e.reconstruction += out.reconstruction_loss.item<double>();
      e.codebook += out.codebook_loss.item<double>();
      e.commitment += out.commitment_loss.item<double>();
      ++batches;
      ++steps;
    }
    const TokenizerEpoch measured = EvaluateTokenizer(tokenizer, held_out);
    e.epoch = epoch;
    e.steps = steps;
    e.loss /= batches;
    e.reconstruction /= batches;
    e.codebook /= batches;
    e.commitment /= batches;
    e.held_out_deg = measured.held_out_deg;
    e.codes_used = measured.codes_used;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    on_epoch(e);
  }
  tokenizer->to(torch::kCPU);
}

}  // namespace resihmr::learned
