#include "pipeline/json_file.h"

#include "model/atomic_file.h"

namespace resihmr::pipeline {

std::string JsonText(const nlohmann::json& json) { return json.dump(2) + "\n"; }

void WriteJsonFile(const std::string& path, const nlohmann::json& json) { WriteTextFile(path, JsonText(json)); }

void WriteTextFile(const std::string& path, const std::string& text) { WriteFileAtomically(path, text); }

}  // namespace resihmr::pipeline
