// Writing a file whole or not at all: the bytes go to a temporary file
// beside the target, which is renamed over it only when complete, so that a
// failed write never leaves a half-written output.
#pragma once

#include <string>

namespace resihmr {

// Throws resihmr::Error naming the file when it cannot be written.
void WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace resihmr
