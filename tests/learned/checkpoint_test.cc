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

// A regressor bundle (regressor, tokenizer, BPAC-Net) round-trips as one
// file, and its parts must fit each other.
TEST(Checkpoint, RegressorBundlesRoundTripAndTheirPartsMustFit) {
  torch::manual_seed(2);
  RegressorConfig rc = TinyRegressor();
  BpacNetConfig bc = TinyBpacNet();
  rc.image_size = bc.image_size = 32;
  rc.context_dim = bc.context_dim;
  PoseTokenizerConfig tc = TinyPoseTokenizer();
  rc.tokens = tc.tokens;
  rc.codebook_size = tc.codebook_size;
  RegressorBundle bundle{Regressor(rc), PoseTokenizer(tc), BpacNet(bc)};
  bundle.bpac->eval();
  bundle.tokenizer->eval();
  const torch::Tensor images = torch::randint(0, 256, {2, 3, 32, 32}).to(torch::kUInt8);
  const torch::Tensor keypoints = torch::rand({2, 17, 2}) * 32;
  const torch::Tensor visible = torch::ones({2, 17}, torch::kBool);
  SaveRegressorBundle(TempPath("bundle.pt"), bundle);
  RegressorBundle loaded = LoadRegressorBundle(TempPath("bundle.pt"));
  ASSERT_TRUE(loaded.bpac);
  loaded.bpac->eval();
  loaded.tokenizer->eval();
  const RegressorRun a = RunRegressor(bundle, images, keypoints, visible);
  const RegressorRun b = RunRegressor(loaded, images, keypoints, visible);
  EXPECT_TRUE(torch::equal(a.out.token_logits, b.out.token_logits));
  EXPECT_TRUE(torch::equal(a.bpac_logits, b.bpac_logits));
  const torch::Tensor codes = torch::randint(0, tc.codebook_size, {2, tc.tokens}, torch::kLong);
  EXPECT_TRUE(torch::equal(bundle.tokenizer->Decode(codes), loaded.tokenizer->Decode(codes)));

  // Without BPAC-Net the bundle loads without it.
  RegressorBundle plain{bundle.regressor, bundle.tokenizer, BpacNet(nullptr)};
  SaveRegressorBundle(TempPath("plain.pt"), plain);
  EXPECT_FALSE(LoadRegressorBundle(TempPath("plain.pt")).bpac);

  // Parts that do not fit: another token count, another context size.
  PoseTokenizerConfig other = tc;
  other.tokens = tc.tokens + 1;
  RegressorBundle mismatched{bundle.regressor, PoseTokenizer(other), BpacNet(nullptr)};
  EXPECT_THROW(CheckBundle(mismatched, 0), Error);
  BpacNetConfig wide = bc;
  wide.context_dim = bc.context_dim * 2;
  RegressorBundle wrong_context{bundle.regressor, bundle.tokenizer, BpacNet(wide)};
  EXPECT_THROW(CheckBundle(wrong_context, 0), Error);
  EXPECT_THROW(CheckBundle(bundle, 64), Error);  // crops of another size
  // A single module's checkpoint is not a bundle.
  SaveCheckpoint(TempPath("r.pt"), bundle.regressor);
  EXPECT_THROW(LoadRegressorBundle(TempPath("r.pt")), Error);
}

}  // namespace
}  // namespace resihmr::learned
