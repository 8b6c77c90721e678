// `resihmr train tokenizer`: trains the pose tokenizer on the synthetic pose
// library or a user's poses, with progress, a checkpoint after every epoch
// and a metrics log. BPAC-Net and the regressor are not trainable yet.
#include <gflags/gflags.h>

#include <cstdio>
#include <iostream>
#include <sstream>

#include "apps/command.h"
#include "apps/flags.h"
#include "apps/model_source.h"
#include "learned/checkpoint.h"
#include "learned/tokenizer_training.h"
#include "model/atomic_file.h"
#include "model/error.h"

DEFINE_int32(n, 20, "train tokenizer: poses drawn from the synthetic pose library");
DEFINE_string(data, "", "train: training data (tokenizer: an .npz of body poses; empty: the synthetic pose library)");
DEFINE_string(device, "cpu", "train: cpu or cuda");
DEFINE_int32(epochs, 10, "train: passes over the training data");
DEFINE_int32(batch, 256, "train: mini-batch size");
DEFINE_double(lr, 2e-4, "train: Adam's learning rate");
DEFINE_int32(tokens, 160, "train tokenizer: tokens per pose (AJAHR: 160 or 320)");
DEFINE_int32(codebook, 2048, "train tokenizer: codebook size");
DEFINE_int32(code_dim, 256, "train tokenizer: code dimension");
DEFINE_int32(hidden, 256, "train tokenizer: hidden channels");

namespace resihmr::apps {
namespace {

int Run(const std::vector<std::string>& args) {
  if (args.size() != 1) throw Error("train: one of bpac, tokenizer, regressor expected (resihmr train tokenizer ...)");
  const std::string& what = args[0];
  if (what == "bpac" || what == "regressor") {
    throw Error("train " + what + ": not available yet: it trains on person crops and heatmaps that `resihmr synth` "
                "does not write yet (docs/learned.md)");
  }
  if (what != "tokenizer") throw Error("train: '" + what + "' is unknown (bpac, tokenizer or regressor expected)");
  if (FLAGS_out.empty()) throw Error("train: --out is required (the checkpoint to write, e.g. tokenizer.pt)");
  if (FLAGS_threads < 1) throw Error("train: --threads must be at least 1");
  torch::set_num_threads(FLAGS_threads);
  torch::Tensor poses;
  if (!FLAGS_data.empty()) {
    poses = learned::PosesFromNpz(FLAGS_data);
    std::cout << "poses: " << poses.size(0) << " from " << FLAGS_data << "\n";
  } else {
    if (FLAGS_n < 2) throw Error("train: --n must be at least 2 (poses drawn from the synthetic pose library)");
    poses = learned::LibraryPoses(LoadModelOrEmbedded(FLAGS_model), FLAGS_n, FLAGS_seed);
    std::cout << "poses: " << FLAGS_n << " from the synthetic pose library (seed " << FLAGS_seed << ")\n";
  }
  learned::PoseTokenizerConfig config;
  config.tokens = FLAGS_tokens;
  config.codebook_size = FLAGS_codebook;
  config.code_dim = FLAGS_code_dim;
  config.hidden = FLAGS_hidden;
  learned::PoseTokenizer tokenizer(config);
  learned::TokenizerTrainingOptions options;
  options.epochs = FLAGS_epochs;
  options.batch = FLAGS_batch;
  options.learning_rate = FLAGS_lr;
  options.seed = FLAGS_seed;
  options.device = FLAGS_device;
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
          "usage: resihmr train tokenizer --out tokenizer.pt [--data poses.npz | --n N --seed S]\n"
          "                     [--epochs E] [--batch B] [--lr L] [--device cpu|cuda] [--threads T]\n"
          "                     [--tokens 160] [--codebook 2048] [--code-dim 256] [--hidden 256]\n"
          "\n"
          "Trains the VQ-VAE pose tokenizer (learned/pose_tokenizer.h; AJAHR's size by default)\n"
          "with Adam, printing each epoch's loss, the mean geodesic error per joint on a\n"
          "held-out tenth of the poses and the codes in use, and after every epoch writing\n"
          "the checkpoint (--out) and OUT.metrics.csv. bpac and regressor are not trainable\n"
          "yet (docs/learned.md).\n"
          "\n"
          "  --out       the checkpoint to write (required)\n"
          "  --data      an .npz of body poses: body_pose or poses, [N,63|69], [N,21|23,3]\n"
          "              axis-angle or [N,21|23,3,3] rotation matrices (default: --n poses of\n"
          "              the synthetic pose library, data/synthetic_people.h)\n"
          "  --n         poses drawn from the library (default 20)\n"
          "  --seed      random seed (poses, initialisation, batches)\n"
          "  --model     body model whose skeleton the library poses (default: the embedded one)\n"
          "  --epochs    passes over the training poses (default 10)\n"
          "  --batch     mini-batch size (default 256)\n"
          "  --lr        Adam's learning rate (default 2e-4)\n"
          "  --device    cpu (default) or cuda (a CUDA build of LibTorch)\n"
          "  --threads   CPU threads for LibTorch (default 1)\n"
          "  --tokens, --codebook, --code-dim, --hidden   the tokenizer's size\n",
          {"out", "data", "n", "seed", "model", "epochs", "batch", "lr", "device", "threads", "tokens", "codebook",
           "code_dim", "hidden"},
          nullptr, &Run};
}

}  // namespace resihmr::apps
