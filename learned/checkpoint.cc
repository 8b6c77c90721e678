#include "learned/checkpoint.h"

#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "model/atomic_file.h"
#include "model/error.h"

namespace resihmr::learned {
namespace {

// Each config field, by name: f(name, field) with field an int, double or
// bool member (stored as a double). Both saving and loading go through these.
template <typename F>
void VisitFields(BpacNetConfig& c, F&& f) {
  f("in_channels", c.in_channels);
  f("image_size", c.image_size);
  f("base_width", c.base_width);
  for (size_t i = 0; i < c.blocks.size(); ++i) f("blocks" + std::to_string(i), c.blocks[i]);
  f("cbam_reduction", c.cbam_reduction);
  f("context_dim", c.context_dim);
  f("num_limbs", c.num_limbs);
  f("num_classes", c.num_classes);
}

template <typename F>
void VisitFields(PoseTokenizerConfig& c, F&& f) {
  f("joints", c.joints);
  f("tokens", c.tokens);
  f("codebook_size", c.codebook_size);
  f("code_dim", c.code_dim);
  f("hidden", c.hidden);
  f("reconstruction_weight", c.reconstruction_weight);
  f("commitment", c.commitment);
  f("amputee_codebook", c.amputee_codebook);
}

template <typename F>
void VisitFields(RegressorConfig& c, F&& f) {
  f("image_size", c.image_size);
  f("patch", c.patch);
  f("vit_dim", c.vit_dim);
  f("vit_depth", c.vit_depth);
  f("vit_heads", c.vit_heads);
  f("decoder_dim", c.decoder_dim);
  f("decoder_layers", c.decoder_layers);
  f("decoder_heads", c.decoder_heads);
  f("context_dim", c.context_dim);
  f("tokens", c.tokens);
  f("codebook_size", c.codebook_size);
  f("betas", c.betas);
}

template <typename Config>
void WriteModule(torch::serialize::OutputArchive& archive, torch::nn::Module& module, const std::string& architecture,
                 Config config) {
  module.save(archive);
  archive.write("resihmr.architecture", c10::IValue(architecture));
  VisitFields(config, [&](const std::string& name, auto& field) {
    archive.write("resihmr.config." + name, c10::IValue(static_cast<double>(field)));
  });
}

void WriteArchive(const std::string& path, torch::serialize::OutputArchive& archive) {
  std::ostringstream bytes;
  archive.save_to(bytes);
  WriteFileAtomically(path, bytes.str());
}

template <typename Config>
void Save(const std::string& path, torch::nn::Module& module, const std::string& architecture, Config config) {
  torch::serialize::OutputArchive archive;
  WriteModule(archive, module, architecture, config);
  WriteArchive(path, archive);
}

void OpenFile(const std::string& path, torch::serialize::InputArchive* archive) {
  try {
    archive->load_from(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable LibTorch archive (" + std::string(e.what_without_backtrace()) + ")");
  }
}

// Checks the archive's architecture; `path` names it in messages.
void CheckArchitecture(const std::string& path, const std::string& architecture, torch::serialize::InputArchive& archive) {
  c10::IValue value;
  if (!archive.try_read("resihmr.architecture", value) || !value.isString()) {
    throw Error(path + ": no 'resihmr.architecture' record: not a resihmr checkpoint (a TorchScript file? see "
                       "LoadTorchScript / docs/learned.md)");
  }
  if (value.toStringRef() != architecture) {
    throw Error(path + ": a checkpoint of '" + value.toStringRef() + "', '" + architecture + "' expected");
  }
}

// LibTorch's loader replaces a tensor of another shape silently: the shapes
// are compared here, tensor by tensor.
template <typename ModuleHolder>
void LoadWeights(const std::string& path, ModuleHolder& module, torch::serialize::InputArchive& archive) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& item : module->named_parameters()) shapes[item.key()] = item.value().sizes().vec();
  for (const auto& item : module->named_buffers()) shapes[item.key()] = item.value().sizes().vec();
  try {
    module->load(archive);
  } catch (const c10::Error& e) {
    throw Error(path + ": weights do not fit the architecture its config describes (" +
                std::string(e.what_without_backtrace()) + ")");
  }
  const auto check = [&](const std::string& name, const torch::Tensor& t) {
    if (t.sizes().vec() != shapes[name]) {
      throw Error(path + ": weights do not fit the architecture its config describes: '" + name + "' is " +
                  c10::str(t.sizes()) + ", " + c10::str(c10::IntArrayRef(shapes[name])) + " expected");
    }
  };
  for (const auto& item : module->named_parameters()) check(item.key(), item.value());
  for (const auto& item : module->named_buffers()) check(item.key(), item.value());
}

// Builds the module from the archive's config and loads its weights.
template <typename Module, typename Config>
Module ReadModule(const std::string& path, const std::string& architecture, torch::serialize::InputArchive& archive) {
  CheckArchitecture(path, architecture, archive);
  Config config;
  VisitFields(config, [&](const std::string& name, auto& field) {
    c10::IValue value;
    if (!archive.try_read("resihmr.config." + name, value) || !value.isDouble()) {
      throw Error(path + ": config field '" + name + "' missing or not a number");
    }
    field = static_cast<std::decay_t<decltype(field)>>(value.toDouble());
  });
  Module module(config);
  LoadWeights(path, module, archive);
  return module;
}

template <typename Module, typename Config>
Module Load(const std::string& path, const std::string& architecture) {
  torch::serialize::InputArchive archive;
  OpenFile(path, &archive);
  return ReadModule<Module, Config>(path, architecture, archive);
}

}  // namespace

void SaveCheckpoint(const std::string& path, BpacNet& module) { Save(path, *module, "bpac_net", module->config()); }
void SaveCheckpoint(const std::string& path, PoseTokenizer& module) {
  Save(path, *module, "pose_tokenizer", module->config());
}
void SaveCheckpoint(const std::string& path, Regressor& module) { Save(path, *module, "regressor", module->config()); }

BpacNet LoadBpacNet(const std::string& path) { return Load<BpacNet, BpacNetConfig>(path, "bpac_net"); }
PoseTokenizer LoadPoseTokenizer(const std::string& path) {
  return Load<PoseTokenizer, PoseTokenizerConfig>(path, "pose_tokenizer");
}
Regressor LoadRegressor(const std::string& path) { return Load<Regressor, RegressorConfig>(path, "regressor"); }

// A bundle: three nested archives; "bpac" only when it has BPAC-Net.
void SaveRegressorBundle(const std::string& path, RegressorBundle& bundle) {
  torch::serialize::OutputArchive archive, regressor, tokenizer, bpac;
  archive.write("resihmr.architecture", c10::IValue(std::string("regressor_bundle")));
  WriteModule(regressor, *bundle.regressor, "regressor", bundle.regressor->config());
  WriteModule(tokenizer, *bundle.tokenizer, "pose_tokenizer", bundle.tokenizer->config());
  archive.write("regressor", regressor);
  archive.write("tokenizer", tokenizer);
  if (bundle.bpac) {
    WriteModule(bpac, *bundle.bpac, "bpac_net", bundle.bpac->config());
    archive.write("bpac", bpac);
  }
  WriteArchive(path, archive);
}

RegressorBundle LoadRegressorBundle(const std::string& path) {
  torch::serialize::InputArchive archive, part;
  OpenFile(path, &archive);
  CheckArchitecture(path, "regressor_bundle", archive);
  RegressorBundle bundle;
  for (const char* key : {"regressor", "tokenizer"}) {
    if (!archive.try_read(key, part)) throw Error(path + ": the bundle has no '" + std::string(key) + "'");
    if (std::string(key) == "regressor") {
      bundle.regressor = ReadModule<Regressor, RegressorConfig>(path + " [regressor]", "regressor", part);
    } else {
      bundle.tokenizer = ReadModule<PoseTokenizer, PoseTokenizerConfig>(path + " [tokenizer]", "pose_tokenizer", part);
    }
  }
  if (archive.try_read("bpac", part)) bundle.bpac = ReadModule<BpacNet, BpacNetConfig>(path + " [bpac]", "bpac_net", part);
  CheckBundle(bundle, 0);
  return bundle;
}

torch::jit::script::Module LoadTorchScript(const std::string& path) {
  try {
    return torch::jit::load(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a loadable TorchScript module (" + std::string(e.what_without_backtrace()) + ")");
  }
}

}  // namespace resihmr::learned
