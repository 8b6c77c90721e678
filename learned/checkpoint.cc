#include "learned/checkpoint.h"

#include <map>
#include <sstream>
#include <vector>

#include "model/atomic_file.h"
#include "model/error.h"

namespace resihmr::learned {
namespace {

using Fields = std::map<std::string, double>;

Fields FieldsOf(const BpacNetConfig& c) {
  return {{"in_channels", c.in_channels}, {"image_size", c.image_size}, {"base_width", c.base_width},
          {"blocks0", c.blocks[0]},       {"blocks1", c.blocks[1]},         {"blocks2", c.blocks[2]},
          {"blocks3", c.blocks[3]},       {"cbam_reduction", c.cbam_reduction}, {"context_dim", c.context_dim},
          {"num_limbs", c.num_limbs},     {"num_classes", c.num_classes}};
}

Fields FieldsOf(const PoseTokenizerConfig& c) {
  return {{"joints", c.joints},
          {"tokens", c.tokens},
          {"codebook_size", c.codebook_size},
          {"code_dim", c.code_dim},
          {"hidden", c.hidden},
          {"reconstruction_weight", c.reconstruction_weight},
          {"commitment", c.commitment},
          {"amputee_codebook", c.amputee_codebook ? 1 : 0}};
}

Fields FieldsOf(const RegressorConfig& c) {
  return {{"image_size", c.image_size},       {"patch", c.patch},           {"vit_dim", c.vit_dim},
          {"vit_depth", c.vit_depth},         {"vit_heads", c.vit_heads},   {"decoder_dim", c.decoder_dim},
          {"decoder_layers", c.decoder_layers}, {"decoder_heads", c.decoder_heads}, {"context_dim", c.context_dim},
          {"tokens", c.tokens},               {"codebook_size", c.codebook_size}, {"betas", c.betas}};
}

void Save(const std::string& path, torch::nn::Module& module, const std::string& architecture, const Fields& fields) {
  torch::serialize::OutputArchive archive;
  module.save(archive);
  archive.write("resihmr.architecture", c10::IValue(architecture));
  for (const auto& [name, value] : fields) archive.write("resihmr.config." + name, c10::IValue(value));
  std::ostringstream bytes;
  archive.save_to(bytes);
  WriteFileAtomically(path, bytes.str());
}

// Opens the archive and checks its architecture; the config's fields come back.
Fields Open(const std::string& path, const std::string& architecture, const Fields& expected_names,
            torch::serialize::InputArchive* archive) {
  try {
    archive->load_from(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable LibTorch archive (" + std::string(e.what_without_backtrace()) + ")");
  }
  c10::IValue value;
  if (!archive->try_read("resihmr.architecture", value) || !value.isString()) {
    throw Error(path + ": no 'resihmr.architecture' record: not a resihmr checkpoint (a TorchScript file? see "
                       "LoadTorchScript / docs/learned.md)");
  }
  if (value.toStringRef() != architecture) {
    throw Error(path + ": a checkpoint of '" + value.toStringRef() + "', '" + architecture + "' expected");
  }
  Fields fields;
  for (const auto& [name, unused] : expected_names) {
    c10::IValue field;
    if (!archive->try_read("resihmr.config." + name, field) || !field.isDouble()) {
      throw Error(path + ": config field '" + name + "' missing or not a number");
    }
    fields[name] = field.toDouble();
  }
  return fields;
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

int Int(const Fields& f, const std::string& name) { return static_cast<int>(f.at(name)); }

}  // namespace

void SaveCheckpoint(const std::string& path, BpacNet& module) { Save(path, *module, "bpac_net", FieldsOf(module->config())); }
void SaveCheckpoint(const std::string& path, PoseTokenizer& module) {
  Save(path, *module, "pose_tokenizer", FieldsOf(module->config()));
}
void SaveCheckpoint(const std::string& path, Regressor& module) { Save(path, *module, "regressor", FieldsOf(module->config())); }

BpacNet LoadBpacNet(const std::string& path) {
  torch::serialize::InputArchive archive;
  const Fields f = Open(path, "bpac_net", FieldsOf(BpacNetConfig()), &archive);
  BpacNetConfig c;
  c.in_channels = Int(f, "in_channels");
  c.image_size = Int(f, "image_size");
  c.base_width = Int(f, "base_width");
  c.blocks = {Int(f, "blocks0"), Int(f, "blocks1"), Int(f, "blocks2"), Int(f, "blocks3")};
  c.cbam_reduction = Int(f, "cbam_reduction");
  c.context_dim = Int(f, "context_dim");
  c.num_limbs = Int(f, "num_limbs");
  c.num_classes = Int(f, "num_classes");
  BpacNet module(c);
  LoadWeights(path, module, archive);
  return module;
}

PoseTokenizer LoadPoseTokenizer(const std::string& path) {
  torch::serialize::InputArchive archive;
  const Fields f = Open(path, "pose_tokenizer", FieldsOf(PoseTokenizerConfig()), &archive);
  PoseTokenizerConfig c;
  c.joints = Int(f, "joints");
  c.tokens = Int(f, "tokens");
  c.codebook_size = Int(f, "codebook_size");
  c.code_dim = Int(f, "code_dim");
  c.hidden = Int(f, "hidden");
  c.reconstruction_weight = f.at("reconstruction_weight");
  c.commitment = f.at("commitment");
  c.amputee_codebook = f.at("amputee_codebook") != 0;
  PoseTokenizer module(c);
  LoadWeights(path, module, archive);
  return module;
}

Regressor LoadRegressor(const std::string& path) {
  torch::serialize::InputArchive archive;
  const Fields f = Open(path, "regressor", FieldsOf(RegressorConfig()), &archive);
  RegressorConfig c;
  c.image_size = Int(f, "image_size");
  c.patch = Int(f, "patch");
  c.vit_dim = Int(f, "vit_dim");
  c.vit_depth = Int(f, "vit_depth");
  c.vit_heads = Int(f, "vit_heads");
  c.decoder_dim = Int(f, "decoder_dim");
  c.decoder_layers = Int(f, "decoder_layers");
  c.decoder_heads = Int(f, "decoder_heads");
  c.context_dim = Int(f, "context_dim");
  c.tokens = Int(f, "tokens");
  c.codebook_size = Int(f, "codebook_size");
  c.betas = Int(f, "betas");
  Regressor module(c);
  LoadWeights(path, module, archive);
  return module;
}

torch::jit::script::Module LoadTorchScript(const std::string& path) {
  try {
    return torch::jit::load(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a loadable TorchScript module (" + std::string(e.what_without_backtrace()) + ")");
  }
}

}  // namespace resihmr::learned
