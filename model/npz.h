// NumPy's .npz archive: a zip container of .npy arrays, one per key. Reading
// and writing go through libzip (the zip container is never parsed by hand);
// the arrays inside through model/npy.h. Object arrays are listed in
// `skipped` rather than returned. Writing goes to a temporary file that
// replaces the target only when complete, so a failed write leaves nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/npy.h"

namespace resihmr::model {

struct NpzContents {
  std::map<std::string, NpyArray> arrays;  // key (file name without ".npy") -> array
  std::vector<std::string> skipped;        // keys of object arrays, not loaded
};

// Reads an .npz file. Throws resihmr::Error naming the file (and the key)
// when the file is missing, not a zip archive, truncated, or holds a
// malformed array.
NpzContents ReadNpz(const std::string& path);

// Same, from bytes in memory; `what` names the source in error messages.
NpzContents ReadNpzFromMemory(const uint8_t* bytes, size_t size, const std::string& what);

// Writes arrays to `path` as a deflate-compressed .npz.
void WriteNpz(const std::string& path, const std::map<std::string, NpyArray>& arrays);

}  // namespace resihmr::model
