// `resihmr train bpac|tokenizer`: trains BPAC-Net on `resihmr synth --crops`
// renderings, or the pose tokenizer on the synthetic pose library or a
// user's poses, with progress, a checkpoint after every epoch and a metrics
// log.
#include <gflags/gflags.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "apps/command.h"
#include "apps/flags.h"
#include "pipeline/parallel.h"
#include "pipeline/model_source.h"
#include "learned/bpac_training.h"
#include "learned/checkpoint.h"
#include "learned/regressor_training.h"
#include "learned/tokenizer_training.h"
#include "model/atomic_file.h"
#include "model/error.h"

DEFINE_int32(n, 20, "train tokenizer: poses drawn from the synthetic pose library");
DEFINE_string(data, "", "train: training data (bpac: a `resihmr synth --crops` folder; tokenizer: an .npz of body poses, empty: the synthetic pose library)");
DEFINE_string(device, "cpu", "train: cpu or cuda");
DEFINE_int32(epochs, 10, "train: passes over the training data");
DEFINE_int32(batch, 0, "train: mini-batch size (0: 64 for bpac, 256 for tokenizer)");
DEFINE_double(lr, 0, "train: Adam's learning rate (0: 1e-3 for bpac, 2e-4 for tokenizer)");
DEFINE_int32(base_width, 64, "train bpac: channels of the first ResNet stage (ResNet-34: 64)");
DEFINE_string(blocks, "3,4,6,3", "train bpac: basic blocks per ResNet stage (ResNet-34: 3,4,6,3)");
DEFINE_string(tokenizer, "", "train regressor: the trained pose tokenizer whose codes are the targets");
DEFINE_string(bpac, "", "train regressor: a trained BPAC-Net whose context the regressor reads (optional)");
DEFINE_int32(vit_dim, 768, "train regressor: ViT width (ViT-B 768, ViT-H 1280)");
DEFINE_int32(vit_depth, 12, "train regressor: ViT layers");
DEFINE_int32(vit_heads, 12, "train regressor: ViT attention heads");
DEFINE_int32(patch, 16, "train regressor: ViT patch size, pixels");
DEFINE_int32(decoder_dim, 1280, "train regressor: transformer decoder width");
DEFINE_int32(decoder_layers, 6, "train regressor: transformer decoder layers");
DEFINE_int32(tokens, 160, "train tokenizer: tokens per pose (AJAHR: 160 or 320)");
DEFINE_int32(codebook, 2048, "train tokenizer: codebook size");
DEFINE_int32(code_dim, 256, "train tokenizer: code dimension");
DEFINE_int32(hidden, 256, "train tokenizer: hidden channels");

namespace resihmr::apps {
namespace {

// --epochs, --batch, --lr, --seed, --device; a module's own batch and rate
// where --batch or --lr is not given.
learned::TrainingOptions OptionsFromFlags(int default_batch, double default_learning_rate) {
  learned::TrainingOptions options;
  options.epochs = FLAGS_epochs;
  options.batch = FLAGS_batch ? FLAGS_batch : default_batch;
  options.learning_rate = FLAGS_lr > 0 ? FLAGS_lr : default_learning_rate;
  options.seed = FLAGS_seed;
  options.device = FLAGS_device;
  return options;
}

std::array<int, 4> ParseBlocks(const std::string& text) {
  std::vector<long long> counts;
  if (!ParseIntegers(text, ',', 4, 1, 64, &counts)) {
    throw Error("train: --blocks '" + text + "': four block counts 1..64 expected, e.g. 3,4,6,3");
  }
  return {static_cast<int>(counts[0]), static_cast<int>(counts[1]), static_cast<int>(counts[2]), static_cast<int>(counts[3])};
}

int TrainBpac() {
  if (FLAGS_data.empty()) throw Error("train bpac: --data is required (a folder written by `resihmr synth --crops S`)");
  const learned::CropSet set = learned::ReadCropSet(FLAGS_data);
  std::cout << "crops: " << set.size() << " of " << set.crop_size << " px from " << FLAGS_data << "\n";
  learned::BpacNetConfig config;
  config.image_size = set.crop_size;
  config.base_width = FLAGS_base_width;
  config.blocks = ParseBlocks(FLAGS_blocks);
  if (config.base_width < 4) throw Error("train bpac: --base-width must be at least 4");
  config.cbam_reduction = std::min(config.cbam_reduction, config.base_width / 2);
  learned::BpacNet net(config);
  const learned::TrainingOptions options = OptionsFromFlags(64, 1e-3);
  std::ostringstream log;
  log << "epoch,steps,seconds,loss,right_arm,left_arm,left_leg,right_leg,mean_accuracy\n";
  const std::string log_path = FLAGS_out + ".metrics.csv";
  const torch::Tensor held = learned::TrainBpacNet(net, set, options, [&](const learned::BpacEpoch& e) {
    log << e.epoch << "," << e.steps << "," << e.seconds << "," << e.loss;
    for (double a : e.held_out_accuracy) log << "," << a;
    log << "," << e.held_out_mean_accuracy << "\n";
    learned::SaveCheckpoint(FLAGS_out, net);
    WriteFileAtomically(log_path, log.str());
    std::printf("epoch %d/%d  %d steps  %.0f s  loss %.4f  held-out accuracy %.3f (arms %.3f %.3f, legs %.3f %.3f)\n",
                e.epoch, options.epochs, e.steps, e.seconds, e.loss, e.held_out_mean_accuracy, e.held_out_accuracy[0],
                e.held_out_accuracy[1], e.held_out_accuracy[2], e.held_out_accuracy[3]);
    std::fflush(stdout);
  });
  const learned::BpacEvaluation final = learned::EvaluateBpacNet(net, set.Select(held));
  std::printf("held-out confusion, all heads (rows: true class 0 hand/foot, 1 elbow/knee, 2 shoulder/hip, 3 intact):\n");
  for (size_t t = 0; t < 4; ++t) {
    std::printf("  %zu:", t);
    for (size_t p = 0; p < 4; ++p) std::printf(" %6lld", static_cast<long long>(final.confusion[t][p]));
    std::printf("\n");
  }
  std::cout << "checkpoint " << FLAGS_out << ", metrics " << log_path << "\n";
  return 0;
}

int TrainRegressor() {
  if (FLAGS_data.empty()) throw Error("train regressor: --data is required (a folder written by `resihmr synth --crops S`)");
  if (FLAGS_tokenizer.empty()) throw Error("train regressor: --tokenizer is required (from `resihmr train tokenizer`)");
  learned::RegressorBundle bundle;
  bundle.tokenizer = learned::LoadPoseTokenizer(FLAGS_tokenizer);
  if (!FLAGS_bpac.empty()) bundle.bpac = learned::LoadBpacNet(FLAGS_bpac);
  const learned::CropSet set = learned::ReadCropSet(FLAGS_data);
  std::cout << "crops: " << set.size() << " of " << set.crop_size << " px from " << FLAGS_data << "\n";
  learned::RegressorConfig config;
  config.image_size = set.crop_size;
  config.patch = FLAGS_patch;
  config.vit_dim = FLAGS_vit_dim;
  config.vit_depth = FLAGS_vit_depth;
  config.vit_heads = FLAGS_vit_heads;
  config.decoder_dim = FLAGS_decoder_dim;
  config.decoder_layers = FLAGS_decoder_layers;
  config.tokens = bundle.tokenizer->config().tokens;
  config.codebook_size = bundle.tokenizer->config().codebook_size;
  if (bundle.bpac) config.context_dim = bundle.bpac->config().context_dim;
  config.betas = static_cast<int>(set.betas.size(1));
  bundle.regressor = learned::Regressor(config);
  const learned::TrainingOptions options = OptionsFromFlags(64, 1e-4);
  std::ostringstream log;
  log << "epoch,steps,seconds,loss,token_accuracy,pose_deg,orient_deg,camera_scale_err,betas_rmse\n";
  const std::string log_path = FLAGS_out + ".metrics.csv";
  learned::TrainRegressor(bundle, set, options, [&](const learned::RegressorEpoch& e) {
    const learned::RegressorEvaluation& h = e.held_out;
    log << e.epoch << "," << e.steps << "," << e.seconds << "," << e.loss << "," << h.token_accuracy << "," << h.pose_deg
        << "," << h.orient_deg << "," << h.camera_scale_err << "," << h.betas_rmse << "\n";
    learned::SaveRegressorBundle(FLAGS_out, bundle);
    WriteFileAtomically(log_path, log.str());
    std::printf("epoch %d/%d  %d steps  %.0f s  loss %.4f  held-out: codes %.3f right, pose %.2f deg per joint, "
                "orientation %.1f deg, scale %.1f%% off\n",
                e.epoch, options.epochs, e.steps, e.seconds, e.loss, h.token_accuracy, h.pose_deg, h.orient_deg,
                100 * h.camera_scale_err);
    std::fflush(stdout);
  });
  std::cout << "checkpoint " << FLAGS_out << " (regressor, tokenizer" << (bundle.bpac ? ", BPAC-Net" : "")
            << "), metrics " << log_path << "\n";
  return 0;
}

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) throw Error("train: one of bpac, tokenizer, regressor expected (resihmr train tokenizer ...)");
  const std::string& what = args[0];
  if (what != "bpac" && what != "tokenizer" && what != "regressor") {
    throw Error("train: '" + what + "' is unknown (bpac, tokenizer or regressor expected)");
  }
  if (FLAGS_out.empty()) throw Error("train: --out is required (the checkpoint to write, e.g. " + what + ".pt)");
  const std::pair<const char*, std::array<double, 3>> ranges[] = {
      {"threads", {double(FLAGS_threads), 1, pipeline::kMaxThreads}},     {"epochs", {double(FLAGS_epochs), 1, 100000}},
      {"batch", {double(FLAGS_batch), 0, 65536}},       {"lr", {FLAGS_lr, 0, 10}},
      {"n", {double(FLAGS_n), 2, 10000000}},            {"base_width", {double(FLAGS_base_width), 1, 1024}},
      {"vit_dim", {double(FLAGS_vit_dim), 8, 4096}},    {"vit_depth", {double(FLAGS_vit_depth), 1, 64}},
      {"vit_heads", {double(FLAGS_vit_heads), 1, 64}},  {"patch", {double(FLAGS_patch), 1, 256}},
      {"decoder_dim", {double(FLAGS_decoder_dim), 8, 8192}}, {"decoder_layers", {double(FLAGS_decoder_layers), 1, 64}},
      {"tokens", {double(FLAGS_tokens), 1, 4096}},      {"codebook", {double(FLAGS_codebook), 2, 65536}},
      {"code_dim", {double(FLAGS_code_dim), 1, 4096}},  {"hidden", {double(FLAGS_hidden), 1, 8192}}};
  for (const auto& [flag, r] : ranges) RequireFlagInRange("train", flag, r[0], r[1], r[2]);
  torch::set_num_threads(FLAGS_threads);
  if (what == "bpac") return TrainBpac();
  if (what == "regressor") return TrainRegressor();
  torch::Tensor poses;
  if (!FLAGS_data.empty()) {
    poses = learned::PosesFromNpz(FLAGS_data);
    std::cout << "poses: " << poses.size(0) << " from " << FLAGS_data << "\n";
  } else {
    if (FLAGS_n < 2) throw Error("train: --n must be at least 2 (poses drawn from the synthetic pose library)");
    poses = learned::LibraryPoses(pipeline::LoadModelOrEmbedded(FLAGS_model), FLAGS_n, FLAGS_seed);
    std::cout << "poses: " << FLAGS_n << " from the synthetic pose library (seed " << FLAGS_seed << ")\n";
  }
  learned::PoseTokenizerConfig config;
  config.tokens = FLAGS_tokens;
  config.codebook_size = FLAGS_codebook;
  config.code_dim = FLAGS_code_dim;
  config.hidden = FLAGS_hidden;
  learned::PoseTokenizer tokenizer(config);
  const learned::TrainingOptions options = OptionsFromFlags(256, 2e-4);
  std::ostringstream log;
  log << "epoch,steps,seconds,loss,reconstruction,codebook,commitment,held_out_deg,codes_used\n";
  const std::string log_path = FLAGS_out + ".metrics.csv";
  learned::TrainTokenizer(tokenizer, poses, options, [&](const learned::TokenizerEpoch& e) {
    log << e.epoch << "," << e.steps << "," << e.seconds << "," << e.loss << "," << e.reconstruction << ","
        << e.codebook << "," << e.commitment << "," << e.held_out_deg << "," << e.codes_used << "\n";
    // Checkpoint and log after every epoch, each file whole or not at all.
    learned::SaveCheckpoint(FLAGS_out, tokenizer);
    WriteFileAtomically(log_path, log.str());
    std::printf("epoch %d/%d  %d steps  %.0f s  loss %.4f  held-out %.2f deg per joint  %d codes used\n", e.epoch,
                options.epochs, e.steps, e.seconds, e.loss, e.held_out_deg, e.codes_used);
    std::fflush(stdout);
  });
  std::cout << "checkpoint " << FLAGS_out << ", metrics " << log_path << "\n";
  return 0;
}

}  // namespace

Command TrainCommand() {
  return {"train", kTrainSummary,
          "usage: resihmr train bpac --data CROPS_DIR --out bpac.pt [--base-width 64] [--blocks 3,4,6,3]\n"
          "       resihmr train tokenizer --out tokenizer.pt [--data poses.npz | --n N --seed S]\n"
          "                     [--tokens 160] [--codebook 2048] [--code-dim 256] [--hidden 256]\n"
          "       resihmr train regressor --data CROPS_DIR --tokenizer tokenizer.pt [--bpac bpac.pt]\n"
          "                     --out regressor.pt [--vit-dim 768] [--vit-depth 12] [--vit-heads 12]\n"
          "                     [--patch 16] [--decoder-dim 1280] [--decoder-layers 6]\n"
          "   all three: [--epochs E] [--batch B] [--lr L] [--seed S] [--device cpu|cuda] [--threads T]\n"
          "\n"
          "Trains a learned module with Adam, a tenth of the data held out, printing each\n"
          "epoch's loss and held-out measure and after every epoch writing the checkpoint\n"
          "(--out) and OUT.metrics.csv, each whole or not at all. On CUDA the forward passes\n"
          "run under bf16 autocast. docs/learned.md has the measured runs.\n"
          "\n"
          "bpac: BPAC-Net (learned/bpac_net.h) on the crops of `resihmr synth --crops S`\n"
          "  (crops/ and crops.json; the heatmaps are drawn from the keypoints); the\n"
          "  measure is the accuracy per limb head; at the end the held-out confusion.\n"
          "tokenizer: the VQ-VAE pose tokenizer on the synthetic pose library or --data,\n"
          "  an .npz of body poses (body_pose or poses, [N,63|69], [N,21|23,3] axis-angle\n"
          "  or [N,21|23,3,3] matrices); the measure is the mean geodesic error per joint.\n"
          "regressor: the regressor (learned/regressor.h) on the same crops, its targets the\n"
          "  tokenizer's codes of the true pose, betas, orientation and camera; the\n"
          "  tokenizer (and BPAC-Net, whose context it reads) are fixed. --out holds all\n"
          "  three, what `resihmr predict` and `resihmr fit --init regressor:` load.\n"
          "\n"
          "  --out        the checkpoint to write (required)\n"
          "  --data       bpac, regressor: the crops folder (required); tokenizer: poses\n"
          "  --n          tokenizer: poses drawn from the library (default 20)\n"
          "  --model      tokenizer: body model whose skeleton the library poses\n"
          "  --epochs     passes over the training data (default 10)\n"
          "  --batch      mini-batch size (default 64 for bpac and regressor, 256 for tokenizer)\n"
          "  --lr         Adam's learning rate (default 1e-3 bpac, 2e-4 tokenizer, 1e-4 regressor)\n"
          "  --seed       random seed (split, initialisation, batches)\n"
          "  --device     cpu (default) or cuda (a CUDA build of LibTorch)\n"
          "  --threads    CPU threads for LibTorch (default 1)\n"
          "  --base-width, --blocks   BPAC-Net's size (ResNet-34: 64 and 3,4,6,3)\n"
          "  --tokens, --codebook, --code-dim, --hidden   the tokenizer's size\n"
          "  --tokenizer, --bpac   the regressor's fixed tokenizer and (optional) BPAC-Net\n"
          "  --vit-dim, --vit-depth, --vit-heads, --patch, --decoder-dim, --decoder-layers\n"
          "               the regressor's size (ViT-B and AJAHR's decoder by default)\n",
          {"out", "data", "n", "seed", "model", "epochs", "batch", "lr", "device", "threads", "tokens", "codebook",
           "code_dim", "hidden", "base_width", "blocks", "tokenizer", "bpac", "vit_dim", "vit_depth", "vit_heads", "patch",
           "decoder_dim", "decoder_layers"},
          nullptr, &Run};
}

}  // namespace resihmr::apps
