#include "apps/json_file.h"

#include <filesystem>
#include <fstream>

#include "model/error.h"

namespace resihmr::apps {

void WriteJsonFile(const std::string& path, const nlohmann::json& json) { WriteTextFile(path, json.dump(2) + "\n"); }

void WriteTextFile(const std::string& path, const std::string& text) {
  const std::string temp = path + ".partial";
  {
    std::ofstream out(temp);
    if (!out) throw Error(path + ": cannot create file");
    out << text;
    if (!out) {
      out.close();
      std::filesystem::remove(temp);
      throw Error(path + ": cannot write file");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp);
    throw Error(path + ": cannot write file: " + ec.message());
  }
}

}  // namespace resihmr::apps
