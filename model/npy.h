// NumPy's .npy array format (version 1, 2 and 3 headers): parsing an array
// from bytes and serialising one back. Supports the dtypes body-model files
// use: floats (f4, f8), signed and unsigned integers (1-8 bytes), booleans,
// fixed-width unicode (U) and byte strings (S), either byte order, C or
// Fortran order (Fortran arrays are reordered to C order on reading). Object
// arrays (dtype 'O', pickled Python objects) are recognised and reported as
// such, never unpickled. Every read is bounds-checked against the buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace resihmr::model {

struct NpyArray {
  char kind = 'f';          // 'f' float, 'i' signed, 'u' unsigned, 'b' bool, 'U', 'S', 'O'
  int itemsize = 8;         // bytes per element (U: 4 bytes per character)
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // C order, little-endian (converted on read)

  int64_t size() const;     // number of elements
  bool is_numeric() const { return kind == 'f' || kind == 'i' || kind == 'u' || kind == 'b'; }
  std::string dtype() const;  // e.g. "<f8", "<U16"
  std::string shape_string() const;  // e.g. "(6890, 3)"

  // Element values converted to double / int64 (numeric arrays only).
  std::vector<double> ToDoubles() const;
  std::vector<int64_t> ToInt64s() const;
  // Elements of a 'U' or 'S' array as UTF-8 strings, trailing NULs removed.
  std::vector<std::string> ToStrings() const;

  static NpyArray FromDoubles(std::vector<int64_t> shape, const std::vector<double>& values);
  static NpyArray FromInt64s(std::vector<int64_t> shape, const std::vector<int64_t>& values);
  static NpyArray FromStrings(const std::vector<std::string>& values);  // 1-D '<U' array
};

// An .npy header: the array's dtype and shape (no data yet), where its data
// starts and how many bytes it takes (shape x itemsize). Headers longer than
// 64 KiB are refused.
inline constexpr size_t kMaxNpyHeaderBytes = 65536;
struct NpyHeader {
  NpyArray array;           // kind, itemsize, shape; data empty
  bool fortran_order = false;
  bool big_endian = false;
  size_t data_offset = 0;   // bytes before the data
  uint64_t data_bytes = 0;  // 0 for object arrays (unknown)
};
NpyHeader ParseNpyHeader(const uint8_t* bytes, size_t size, const std::string& what);

// Parses .npy bytes. Throws resihmr::Error naming `what` (e.g. "model.npz:
// shapedirs.npy") on malformed input: bad magic, truncated header or data,
// unknown dtype, size mismatch. Object arrays parse to kind 'O' with no data.
NpyArray ParseNpy(const uint8_t* bytes, size_t size, const std::string& what);

// Serialises to .npy version 1.0 bytes (little-endian, C order).
std::vector<uint8_t> SerializeNpy(const NpyArray& array);

}  // namespace resihmr::model
