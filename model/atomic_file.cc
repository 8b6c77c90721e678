#include "model/atomic_file.h"

#include <filesystem>
#include <fstream>

#include "model/error.h"

namespace resihmr {

void WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string temp = path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary);
    if (!out) throw Error(path + ": cannot create file");
    out << bytes;
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

}  // namespace resihmr
