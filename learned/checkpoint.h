// The project's own checkpoints of its learned modules: a LibTorch archive
// holding the module's parameters and buffers, its architecture's name and
// every field of its config, so that a checkpoint loads into a module of the
// same architecture and size built from that config, and any other
// checkpoint is refused with what was expected and what was found. Written
// whole or not at all (model/atomic_file.h). TorchScript modules exported
// elsewhere load with LoadTorchScript.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <string>

#include "learned/bpac_net.h"
#include "learned/pose_tokenizer.h"
#include "learned/regressor.h"
#include "learned/regressor_training.h"

namespace resihmr::learned {

void SaveCheckpoint(const std::string& path, BpacNet& module);
void SaveCheckpoint(const std::string& path, PoseTokenizer& module);
void SaveCheckpoint(const std::string& path, Regressor& module);

// Build the module from the checkpoint's config and load its weights; throws
// resihmr::Error naming the file when it is unreadable, of another
// architecture, or its tensors do not fit.
BpacNet LoadBpacNet(const std::string& path);
PoseTokenizer LoadPoseTokenizer(const std::string& path);
Regressor LoadRegressor(const std::string& path);

// The regressor with its tokenizer and (when it has one) BPAC-Net in one file,
// what `resihmr predict` and `resihmr fit --init regressor:` load. Loading
// checks that the parts fit each other (learned/regressor_training.h).
void SaveRegressorBundle(const std::string& path, RegressorBundle& bundle);
RegressorBundle LoadRegressorBundle(const std::string& path);

// A TorchScript module (torch.jit.save); throws resihmr::Error naming the file.
torch::jit::script::Module LoadTorchScript(const std::string& path);

}  // namespace resihmr::learned
