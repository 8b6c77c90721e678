#include "learned/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/error.h"
#include "tests/learned/tiny_configs.h"

namespace resihmr::learned {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("resihmr_checkpoint_test_" + name)).string();
}

TEST(Checkpoint, RoundTripsGiveIdenticalOutputs) {
  torch::manual_seed(0);
  BpacNetConfig bc = TinyBpacNet();
  bc.blocks = {1, 2, 1, 1};  // not the default, to see it come back
  BpacNet bpac(bc);
  // Make the batch-norm statistics non-trivial, then compare in eval mode.
  bpac->train();
  bpac->forward(torch::randn({4, 15, 64, 64}));
  bpac->eval();
  const torch::Tensor x = torch::randn({2, 15, 64, 64});
  SaveCheckpoint(TempPath("bpac.pt"), bpac);
  BpacNet loaded = LoadBpacNet(TempPath("bpac.pt"));
  loaded->eval();
  EXPECT_EQ(loaded->config().blocks, bc.blocks);
  EXPECT_TRUE(torch::equal(loaded->forward(x).logits, bpac->forward(x).logits));
  EXPECT_TRUE(torch::equal(loaded->forward(x).context, bpac->forward(x).context));

  PoseTokenizerConfig tc = TinyPoseTokenizer();
  tc.amputee_codebook = true;
  PoseTokenizer tokenizer(tc);
  const torch::Tensor poses = torch::randn({3, 21, 6});
  SaveCheckpoint(TempPath("tokenizer.pt"), tokenizer);
  PoseTokenizer t2 = LoadPoseTokenizer(TempPath("tokenizer.pt"));
  tokenizer->eval();  // training mode restarts unused codes
  t2->eval();
  EXPECT_TRUE(t2->config().amputee_codebook);
  EXPECT_TRUE(torch::equal(t2->forward(poses).pose6d, tokenizer->forward(poses).pose6d));

  Regressor regressor(TinyRegressor());
  const torch::Tensor image = torch::randn({2, 3, 32, 32});
  SaveCheckpoint(TempPath("regressor.pt"), regressor);
  Regressor r2 = LoadRegressor(TempPath("regressor.pt"));
  EXPECT_TRUE(torch::equal(r2->forward(image).token_logits, regressor->forward(image).token_logits));
  EXPECT_TRUE(torch::equal(r2->forward(image).camera, regressor->forward(image).camera));
}

TEST(Checkpoint, OtherArchitecturesSizesAndFilesAreRefused) {
  torch::manual_seed(1);
  const PoseTokenizerConfig tc = TinyPoseTokenizer();
  PoseTokenizer tokenizer(tc);
  SaveCheckpoint(TempPath("t.pt"), tokenizer);
  const auto message = [](const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { LoadBpacNet(TempPath("t.pt")); }).find("a checkpoint of 'pose_tokenizer', 'bpac_net' expected"),
            std::string::npos);
  // A checkpoint whose weights do not fit its own config (a larger codebook saved under a smaller one's config).
  {
    torch::serialize::OutputArchive archive;
    PoseTokenizerConfig bigger = tc;
    bigger.codebook_size = 2 * tc.codebook_size;
    PoseTokenizer(bigger)->save(archive);
    archive.write("resihmr.architecture", c10::IValue(std::string("pose_tokenizer")));
    const std::map<std::string, double> fields = {
        {"joints", tc.joints},   {"tokens", tc.tokens},
        {"codebook_size", tc.codebook_size}, {"code_dim", tc.code_dim},
        {"hidden", tc.hidden},   {"reconstruction_weight", tc.reconstruction_weight},
        {"commitment", tc.commitment},       {"amputee_codebook", 0}};
    for (const auto& [k, v] : fields) archive.write("resihmr.config." + k, c10::IValue(v));
    archive.save_to(TempPath("mismatch.pt"));
  }
  EXPECT_NE(message([&] { LoadPoseTokenizer(TempPath("mismatch.pt")); }).find("weights do not fit"), std::string::npos);
  std::ofstream(TempPath("garbage.pt")) << "not a checkpoint";
  EXPECT_NE(message([&] { LoadRegressor(TempPath("garbage.pt")); }).find("not a readable LibTorch archive"),
            std::string::npos);
  EXPECT_NE(message([&] { LoadTorchScript(TempPath("garbage.pt")); }).find("not a loadable TorchScript"),
            std::string::npos);
  EXPECT_NE(message([&] { LoadBpacNet(TempPath("missing.pt")); }).find("missing.pt"), std::string::npos);
}

}  // namespace
}  // namespace resihmr::learned
