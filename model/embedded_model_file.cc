#include "model/embedded_model_file.h"

#include <dlfcn.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/body_model_npz.h"
#include "model/embedded_body_model.h"
#include "model/embedded_model_crc.h"
#include "model/error.h"
#include "model/npz.h"

namespace resihmr::model {
namespace {

// The file's bytes when it is the one the build wrote, else empty.
std::vector<uint8_t> ReadIfIntact(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return {};
  if (std::filesystem::file_size(path, ec) != generated::kEmbeddedModelBytes) return {};
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (crc32(0L, bytes.data(), static_cast<uInt>(bytes.size())) != generated::kEmbeddedModelCrc) return {};
  return bytes;
}

// Beside the program or shared object that holds this code (the resihmr
// executable, or the installed Python module).
std::string BesideThisCode() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&ReadIfIntact), &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? std::string() : (self.parent_path() / "resihmr_embedded_model.npz").string();
}

}  // namespace

const char* EmbeddedModelFilePath() { return RESIHMR_EMBEDDED_MODEL_FILE; }

BodyModel EmbeddedBodyModel() {
  for (const std::string& path : {std::string(RESIHMR_EMBEDDED_MODEL_FILE), BesideThisCode()}) {
    const std::vector<uint8_t> bytes = ReadIfIntact(path);
    if (bytes.empty()) continue;
    BodyModel m = BodyModelFromNpz(ReadNpzFromMemory(bytes.data(), bytes.size(), path), path);
    m.source = "embedded";
    return m;
  }
  return MakeEmbeddedBodyModel(0);
}

}  // namespace resihmr::model
