#include "apps/json_file.h"

#include "model/atomic_file.h"

namespace resihmr::apps {

void WriteJsonFile(const std::string& path, const nlohmann::json& json) { WriteTextFile(path, json.dump(2) + "\n"); }

void WriteTextFile(const std::string& path, const std::string& text) { WriteFileAtomically(path, text); }

}  // namespace resihmr::apps
