#include "model/npy.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <sstream>

#include "model/error.h"

namespace resihmr::model {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

[[noreturn]] void Fail(const std::string& what, const std::string& message) {
  throw Error(what + ": " + message);
}

// Finds the value text that follows 'key': in a header dictionary.
std::string DictValue(const std::string& header, const std::string& key, const std::string& what) {
  const std::string quoted1 = "'" + key + "'";
  const std::string quoted2 = "\"" + key + "\"";
  size_t pos = header.find(quoted1);
  size_t len = quoted1.size();
  if (pos == std::string::npos) {
    pos = header.find(quoted2);
    len = quoted2.size();
  }
  if (pos == std::string::npos) Fail(what, "npy header has no '" + key + "' entry");
  size_t colon = header.find(':', pos + len);
  if (colon == std::string::npos) Fail(what, "npy header entry '" + key + "' has no value");
  size_t start = header.find_first_not_of(" \t", colon + 1);
  if (start == std::string::npos) Fail(what, "npy header entry '" + key + "' has no value");
  if (header[start] == '(') {
    size_t end = header.find(')', start);
    if (end == std::string::npos) Fail(what, "npy header shape tuple is not closed");
    return header.substr(start, end - start + 1);
  }
  if (header[start] == '\'' || header[start] == '"') {
    size_t end = header.find(header[start], start + 1);
    if (end == std::string::npos) Fail(what, "npy header string for '" + key + "' is not closed");
    return header.substr(start + 1, end - start - 1);
  }
  size_t end = header.find_first_of(",}", start);
  if (end == std::string::npos) Fail(what, "npy header entry '" + key + "' is not terminated");
  std::string value = header.substr(start, end - start);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  return value;
}

std::vector<int64_t> ParseShape(const std::string& tuple, const std::string& what) {
  std::vector<int64_t> shape;
  std::string body = tuple.substr(1, tuple.size() - 2);
  std::stringstream stream(body);
  std::string item;
  while (std::getline(stream, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    if (item.empty()) continue;
    size_t end = item.find_last_not_of(" \tL");
    item = item.substr(0, end + 1);
    if (item.empty() || item.size() > 18 ||
        !std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      Fail(what, "npy header shape " + tuple + " is not a tuple of non-negative integers");
    }
    shape.push_back(std::stoll(item));
  }
  return shape;
}

int64_t CheckedProduct(const std::vector<int64_t>& shape, int64_t itemsize, const std::string& what) {
  int64_t product = itemsize;
  for (int64_t dim : shape) {
    if (dim != 0 && product > std::numeric_limits<int64_t>::max() / dim) {
      Fail(what, "npy shape is too large");
    }
    product *= dim;
  }
  return product;
}

bool HostIsLittleEndian() {
  const uint16_t probe = 1;
  uint8_t first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

template <typename T>
T LoadLittle(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

}  // namespace

int64_t NpyArray::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string NpyArray::dtype() const {
  if (kind == 'b') return "|b1";
  if (kind == 'S') return "|S" + std::to_string(itemsize);
  if (kind == 'U') return "<U" + std::to_string(itemsize / 4);
  if (kind == 'O') return "|O";
  if (itemsize == 1) return std::string("|") + kind + "1";
  return std::string("<") + kind + std::to_string(itemsize);
}

std::string NpyArray::shape_string() const {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

std::vector<double> NpyArray::ToDoubles() const {
  if (!is_numeric()) throw Error("array of dtype " + dtype() + " is not numeric");
  const int64_t n = size();
  std::vector<double> out(static_cast<size_t>(n));
  const uint8_t* p = data.data();
  for (int64_t i = 0; i < n; ++i, p += itemsize) {
    double v = 0;
    if (kind == 'f') {
      if (itemsize == 4) v = LoadLittle<float>(p);
      else if (itemsize == 8) v = LoadLittle<double>(p);
    } else if (kind == 'i') {
      if (itemsize == 1) v = LoadLittle<int8_t>(p);
      else if (itemsize == 2) v = LoadLittle<int16_t>(p);
      else if (itemsize == 4) v = LoadLittle<int32_t>(p);
      else v = static_cast<double>(LoadLittle<int64_t>(p));
    } else {  // 'u' or 'b'
      if (itemsize == 1) v = LoadLittle<uint8_t>(p);
      else if (itemsize == 2) v = LoadLittle<uint16_t>(p);
      else if (itemsize == 4) v = LoadLittle<uint32_t>(p);
      else v = static_cast<double>(LoadLittle<uint64_t>(p));
    }
    out[static_cast<size_t>(i)] = v;
  }
  return out;
}

std::vector<int64_t> NpyArray::ToInt64s() const {
  if (!is_numeric()) throw Error("array of dtype " + dtype() + " is not numeric");
  const int64_t n = size();
  std::vector<int64_t> out(static_cast<size_t>(n));
  const uint8_t* p = data.data();
  for (int64_t i = 0; i < n; ++i, p += itemsize) {
    int64_t v = 0;
    if (kind == 'f') {
      const double d = itemsize == 4 ? LoadLittle<float>(p) : LoadLittle<double>(p);
      if (!(d >= -9.2e18 && d <= 9.2e18) || d != static_cast<double>(static_cast<int64_t>(d))) {
        throw Error("element " + std::to_string(i) + " is not an integer");
      }
      v = static_cast<int64_t>(d);
    } else if (kind == 'i') {
      if (itemsize == 1) v = LoadLittle<int8_t>(p);
      else if (itemsize == 2) v = LoadLittle<int16_t>(p);
      else if (itemsize == 4) v = LoadLittle<int32_t>(p);
      else v = LoadLittle<int64_t>(p);
    } else {
      if (itemsize == 1) v = LoadLittle<uint8_t>(p);
      else if (itemsize == 2) v = LoadLittle<uint16_t>(p);
      else if (itemsize == 4) v = LoadLittle<uint32_t>(p);
      else {
        const uint64_t u = LoadLittle<uint64_t>(p);
        // Files store the root's junk parent as 2^32-1 or 2^64-1: keep it representable.
        v = u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ? -1 : static_cast<int64_t>(u);
      }
    }
    out[static_cast<size_t>(i)] = v;
  }
  return out;
}

std::vector<std::string> NpyArray::ToStrings() const {
  if (kind != 'U' && kind != 'S') throw Error("array of dtype " + dtype() + " is not a string array");
  const int64_t n = size();
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* p = data.data() + i * itemsize;
    std::string s;
    if (kind == 'S') {
      for (int k = 0; k < itemsize && p[k] != 0; ++k) s.push_back(static_cast<char>(p[k]));
    } else {
      for (int k = 0; k < itemsize / 4; ++k) {
        const uint32_t cp = LoadLittle<uint32_t>(p + 4 * k);
        if (cp == 0) break;
        if (cp < 0x80) {
          s.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x110000) {
          s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
          s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          throw Error("element " + std::to_string(i) + " holds an invalid unicode code point");
        }
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

NpyArray NpyArray::FromDoubles(std::vector<int64_t> shape, const std::vector<double>& values) {
  NpyArray a;
  a.kind = 'f';
  a.itemsize = 8;
  a.shape = std::move(shape);
  if (a.size() != static_cast<int64_t>(values.size())) throw Error("FromDoubles: shape does not match value count");
  a.data.resize(values.size() * 8);
  std::memcpy(a.data.data(), values.data(), a.data.size());
  return a;
}

NpyArray NpyArray::FromInt64s(std::vector<int64_t> shape, const std::vector<int64_t>& values) {
  NpyArray a;
  a.kind = 'i';
  a.itemsize = 8;
  a.shape = std::move(shape);
  if (a.size() != static_cast<int64_t>(values.size())) throw Error("FromInt64s: shape does not match value count");
  a.data.resize(values.size() * 8);
  std::memcpy(a.data.data(), values.data(), a.data.size());
  return a;
}

NpyArray NpyArray::FromStrings(const std::vector<std::string>& values) {
  size_t width = 1;
  for (const std::string& s : values) width = std::max(width, s.size());
  NpyArray a;
  a.kind = 'U';
  a.itemsize = static_cast<int>(4 * width);
  a.shape = {static_cast<int64_t>(values.size())};
  a.data.assign(values.size() * a.itemsize, 0);
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t k = 0; k < values[i].size(); ++k) {
      const uint32_t cp = static_cast<unsigned char>(values[i][k]);
      if (cp >= 0x80) throw Error("FromStrings: only ASCII names are supported");
      std::memcpy(a.data.data() + i * a.itemsize + 4 * k, &cp, 4);
    }
  }
  return a;
}

NpyHeader ParseNpyHeader(const uint8_t* bytes, size_t size, const std::string& what) {
  if (size < kMagicSize + 4 || std::memcmp(bytes, kMagic, kMagicSize) != 0) {
    Fail(what, "not a .npy array (bad magic string)");
  }
  const uint8_t major = bytes[6];
  size_t header_len = 0;
  size_t offset = 0;
  if (major == 1) {
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) Fail(what, "truncated .npy header");
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8) | (static_cast<size_t>(bytes[10]) << 16) |
                 (static_cast<size_t>(bytes[11]) << 24);
    offset = 12;
  } else {
    Fail(what, "unsupported .npy format version " + std::to_string(major));
  }
  if (header_len > kMaxNpyHeaderBytes) {
    Fail(what, "npy header of " + std::to_string(header_len) + " bytes, more than the accepted 65536");
  }
  if (header_len > size - offset) Fail(what, "truncated .npy header");
  const std::string header(reinterpret_cast<const char*>(bytes + offset), header_len);
  offset += header_len;

  const std::string descr = DictValue(header, "descr", what);
  const std::string fortran = DictValue(header, "fortran_order", what);
  const std::string shape_text = DictValue(header, "shape", what);
  if (shape_text.empty() || shape_text.front() != '(') Fail(what, "npy header shape is not a tuple");

  NpyHeader h;
  NpyArray& array = h.array;
  array.shape = ParseShape(shape_text, what);
  if (array.shape.size() > 32) Fail(what, "npy shape has more than 32 dimensions");
  if (fortran != "True" && fortran != "False") Fail(what, "npy header fortran_order is neither True nor False");
  h.fortran_order = fortran == "True";

  if (descr.size() < 2) Fail(what, "npy dtype '" + descr + "' is not understood");
  const char order = descr[0];
  array.kind = descr[1];
  const std::string width_text = descr.substr(2);
  if (order != '<' && order != '>' && order != '|' && order != '=') {
    Fail(what, "npy dtype '" + descr + "' has an unknown byte order");
  }
  h.data_offset = offset;
  if (array.kind == 'O') {
    array.itemsize = 0;
    return h;  // pickled objects: recognised, never unpickled
  }
  if (width_text.empty() || width_text.size() > 6 ||
      !std::all_of(width_text.begin(), width_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    Fail(what, "npy dtype '" + descr + "' is not supported");
  }
  const int width = std::stoi(width_text);
  switch (array.kind) {
    case 'f':
      if (width != 4 && width != 8) Fail(what, "npy dtype '" + descr + "': only float32 and float64 are supported");
      array.itemsize = width;
      break;
    case 'i':
    case 'u':
      if (width != 1 && width != 2 && width != 4 && width != 8) Fail(what, "npy dtype '" + descr + "' is not supported");
      array.itemsize = width;
      break;
    case 'b':
      if (width != 1) Fail(what, "npy dtype '" + descr + "' is not supported");
      array.itemsize = 1;
      break;
    case 'U':
      if (width < 1 || width > 4096) Fail(what, "npy dtype '" + descr + "': string width outside 1..4096");
      array.itemsize = 4 * width;
      break;
    case 'S':
      if (width < 1 || width > 16384) Fail(what, "npy dtype '" + descr + "': string width outside 1..16384");
      array.itemsize = width;
      break;
    default:
      Fail(what, "npy dtype '" + descr + "' is not supported (expected f, i, u, b, U, S or O)");
  }
  h.big_endian = order == '>' || (order == '=' && !HostIsLittleEndian());
  h.data_bytes = static_cast<uint64_t>(CheckedProduct(array.shape, array.itemsize, what));
  return h;
}

NpyArray ParseNpy(const uint8_t* bytes, size_t size, const std::string& what) {
  NpyHeader h = ParseNpyHeader(bytes, size, what);
  NpyArray array = std::move(h.array);
  if (array.kind == 'O') return array;
  const size_t offset = h.data_offset;
  const std::string descr = array.dtype();
  const bool fortran_order = h.fortran_order;
  const uint64_t bytes_needed = h.data_bytes;
  if (bytes_needed > size - offset) {
    Fail(what, "truncated .npy data: shape " + array.shape_string() + " of " + descr + " needs " +
                   std::to_string(bytes_needed) + " bytes, " + std::to_string(size - offset) + " present");
  }
  try {
    array.data.assign(bytes + offset, bytes + offset + bytes_needed);
  } catch (const std::bad_alloc&) {
    Fail(what, "cannot allocate " + std::to_string(bytes_needed) + " bytes for shape " + array.shape_string());
  }

  // Byte order: convert to little-endian (U elements are 4-byte code units).
  const int unit = array.kind == 'U' ? 4 : (array.kind == 'S' ? 1 : array.itemsize);
  const bool big = h.big_endian;
  if (big && unit > 1) {
    for (size_t i = 0; i + unit <= array.data.size(); i += unit) {
      std::reverse(array.data.begin() + i, array.data.begin() + i + unit);
    }
  }

  // Fortran order: reorder to C order.
  if (fortran_order && array.shape.size() > 1 && array.size() > 0) {
    const size_t ndim = array.shape.size();
    std::vector<uint8_t> c_order(array.data.size());
    std::vector<int64_t> index(ndim, 0);
    const int64_t n = array.size();
    for (int64_t c = 0; c < n; ++c) {
      // index is the multi-index of C-order element c; find its Fortran offset.
      int64_t f = 0, stride = 1;
      for (size_t d = 0; d < ndim; ++d) {
        f += index[d] * stride;
        stride *= array.shape[d];
      }
      std::memcpy(c_order.data() + c * array.itemsize, array.data.data() + f * array.itemsize, array.itemsize);
      for (size_t d = ndim; d-- > 0;) {
        if (++index[d] < array.shape[d]) break;
        index[d] = 0;
      }
    }
    array.data.swap(c_order);
  }
  return array;
}

std::vector<uint8_t> SerializeNpy(const NpyArray& array) {
  if (array.kind == 'O') throw Error("cannot serialise an object array");
  std::string header = "{'descr': '" + array.dtype() + "', 'fortran_order': False, 'shape': " +
                       array.shape_string() + ", }";
  // Pad so that magic + version + length + header is a multiple of 64 bytes, ending in '\n'.
  const size_t preamble = kMagicSize + 2 + 2;
  size_t total = preamble + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  if (header.size() > 65535) throw Error("npy header too long");
  std::string bytes(kMagic, kMagicSize);
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xFF);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  std::vector<uint8_t> out(bytes.begin(), bytes.end());
  out.insert(out.end(), array.data.begin(), array.data.end());
  return out;
}

}  // namespace resihmr::model
