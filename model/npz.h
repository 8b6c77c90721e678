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

// Limits, checked before anything is allocated: each array's uncompressed
// size (the zip entry's declared size, which must equal what its npy header
// declares, shape x dtype) at most 512 MiB, all arrays together at most
// 2 GiB. SMPL-X's largest array, posedirs in float64, is 122 MB.
inline constexpr uint64_t kMaxNpzMemberBytes = uint64_t{512} << 20;
inline constexpr uint64_t kMaxNpzTotalBytes = uint64_t{2} << 30;

struct NpzContents {
  std::map<std::string, NpyArray> arrays;  // key (file name without ".npy") -> array
  std::vector<std::string> skipped;        // keys of object arrays, not loaded
};

// Reads an .npz file. Throws resihmr::Error naming the file (and the key)
// when the file is missing, not a zip archive, truncated, corrupt (every
// member's CRC-32 is checked), over the limits above, or holds a malformed
// array.
NpzContents ReadNpz(const std::string& path);

// Same, from bytes in memory; `what` names the source in error messages.
NpzContents ReadNpzFromMemory(const uint8_t* bytes, size_t size, const std::string& what);

// Writes arrays to `path` as a deflate-compressed .npz, every entry dated
// 2000-01-01 so that the same arrays always give the same bytes.
void WriteNpz(const std::string& path, const std::map<std::string, NpyArray>& arrays);

}  // namespace resihmr::model
