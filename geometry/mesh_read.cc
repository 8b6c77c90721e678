#include "geometry/mesh_read.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/error.h"

namespace resihmr::geometry {
namespace {

using std::string_view;

[[noreturn]] void Fail(const std::string& what, const std::string& message) { throw Error(what + ": " + message); }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Collects vertices and triangles, checking each as it comes.
class MeshBuilder {
 public:
  MeshBuilder(const std::string& what, const MeshReadLimits& limits) : what_(what), limits_(limits) {}

  void Reserve(int64_t vertices, int64_t faces) {
    try {
      xyz_.reserve(static_cast<size_t>(3 * vertices));
      tri_.reserve(static_cast<size_t>(3 * faces));
    } catch (const std::bad_alloc&) {
      Fail(what_, "cannot allocate memory for " + std::to_string(vertices) + " vertices and " + std::to_string(faces) +
                      " faces");
    }
  }

  // `where()` names the element in messages, e.g. "vertex 12" or "line 40";
  // it is called only to report an error, so reading builds no strings.
  template <typename Where>
  void AddVertex(double x, double y, double z, const Where& where) {
    for (double c : {x, y, z}) {
      if (!std::isfinite(c)) Fail(what_, where() + ": non-finite coordinate");
      if (std::abs(c) > limits_.max_abs_coordinate) {
        Fail(what_, where() + ": coordinate " + Number(c) + " outside the accepted range [-" +
                        Number(limits_.max_abs_coordinate) + ", " + Number(limits_.max_abs_coordinate) + "]");
      }
    }
    if (num_vertices() >= limits_.max_vertices) Fail(what_, "more than " + std::to_string(limits_.max_vertices) + " vertices");
    xyz_.insert(xyz_.end(), {x, y, z});
  }

  // Corner indices are 0-based; a polygon becomes a fan of triangles.
  template <typename Where>
  void AddPolygon(const std::vector<int64_t>& corners, const Where& where) {
    if (corners.size() < 3) Fail(what_, where() + ": " + std::to_string(corners.size()) + " corners, a face needs at least 3");
    for (int64_t c : corners) {
      if (c < 0 || c >= num_vertices()) {
        Fail(what_, where() + ": vertex index " + std::to_string(c) + " outside [0, " + std::to_string(num_vertices()) + ")");
      }
    }
    for (size_t k = 1; k + 1 < corners.size(); ++k) {
      if (num_faces() >= limits_.max_faces) Fail(what_, "more than " + std::to_string(limits_.max_faces) + " faces");
      if (corners[0] == corners[k] || corners[k] == corners[k + 1] || corners[0] == corners[k + 1]) {
        ++degenerate_;  // two corners on one vertex: no area, no edge of its own
        continue;
      }
      tri_.insert(tri_.end(), {static_cast<int>(corners[0]), static_cast<int>(corners[k]), static_cast<int>(corners[k + 1])});
    }
  }

  int64_t num_vertices() const { return static_cast<int64_t>(xyz_.size() / 3); }
  int64_t num_faces() const { return static_cast<int64_t>(tri_.size() / 3); }

  void Finish(RowMatrixX3d* vertices, RowMatrixX3i* faces, std::vector<std::string>* notes) const {
    if (num_faces() == 0) Fail(what_, "the mesh has no faces");
    if (degenerate_ > 0 && notes) {
      notes->push_back(what_ + ": " + std::to_string(degenerate_) +
                       " degenerate triangles (two corners on one vertex, no area) left out");
    }
    *vertices = Eigen::Map<const RowMatrixX3d>(xyz_.data(), num_vertices(), 3);
    *faces = Eigen::Map<const RowMatrixX3i>(tri_.data(), num_faces(), 3);
  }

  static std::string Number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
  }

 private:
  std::string what_;
  MeshReadLimits limits_;
  std::vector<double> xyz_;
  std::vector<int> tri_;
  int64_t degenerate_ = 0;
};

// ---------------------------------------------------------------- text input

// Whitespace-separated tokens of one line at a time, with line numbers.
class LineReader {
 public:
  explicit LineReader(string_view text) : text_(text) {}

  // The next line's tokens; false at the end of the text.
  bool Next(std::vector<string_view>* tokens) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == string_view::npos) end = text_.size();
    const string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_number_;
    tokens->clear();
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && IsSpace(line[i])) ++i;
      size_t j = i;
      while (j < line.size() && !IsSpace(line[j])) ++j;
      if (j > i) tokens->push_back(line.substr(i, j - i));
      i = j;
    }
    return true;
  }

  int64_t line() const { return line_number_; }
  size_t offset() const { return pos_; }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
  string_view text_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
};

bool ParseDouble(string_view token, double* out) {
  if (!token.empty() && token[0] == '+') token.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), *out);
  if (ec == std::errc::result_out_of_range) {
    *out = std::numeric_limits<double>::infinity();  // refused as non-finite by the caller
    return ptr == token.data() + token.size();
  }
  return ec == std::errc() && ptr == token.data() + token.size();
}

bool ParseInteger(string_view token, int64_t* out) {
  if (!token.empty() && token[0] == '+') token.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), *out);
  return ec == std::errc() && ptr == token.data() + token.size();
}

// `where()` names the element, called only to report an error.
template <typename Where>
double Coordinate(string_view token, const std::string& what, const Where& where) {
  double x = 0;
  if (!ParseDouble(token, &x)) Fail(what, where() + ": '" + std::string(token.substr(0, 40)) + "' is not a number");
  return x;
}

// ---------------------------------------------------------------- STL

void ParseBinaryStl(const std::string& bytes, uint32_t count, const std::string& what,
                    std::vector<std::array<double, 3>>* corners) {
  corners->reserve(static_cast<size_t>(count) * 3);
  for (uint32_t f = 0; f < count; ++f) {
    const char* p = bytes.data() + 84 + 50 * static_cast<size_t>(f) + 12;  // past the normal
    for (int k = 0; k < 3; ++k) {
      float xyz[3];
      std::memcpy(xyz, p + 12 * k, 12);
      for (float c : xyz) {
        if (!std::isfinite(c)) Fail(what, "facet " + std::to_string(f) + ": non-finite coordinate");
      }
      corners->push_back({xyz[0], xyz[1], xyz[2]});
    }
  }
}

void ParseAsciiStl(const std::string& bytes, const std::string& what, std::vector<std::array<double, 3>>* corners) {
  LineReader lines(bytes);
  std::vector<string_view> t;
  enum class State { kOutside, kSolid, kFacet, kLoop, kEndLoop } state = State::kOutside;
  int in_loop = 0;
  int64_t facet = 0;
  const auto where = [&] { return "line " + std::to_string(lines.line()); };
  const auto expect = [&](bool ok, const char* expected) {
    if (!ok) Fail(what, where() + ": expected " + std::string(expected));
  };
  while (lines.Next(&t)) {
    if (t.empty()) continue;
    const string_view key = t[0];
    switch (state) {
      case State::kOutside:
        expect(key == "solid", "'solid'");
        state = State::kSolid;
        break;
      case State::kSolid:
        if (key == "endsolid") {
          state = State::kOutside;
          break;
        }
        expect(key == "facet" && t.size() == 5 && t[1] == "normal", "'facet normal nx ny nz' or 'endsolid'");
        for (int i = 2; i < 5; ++i) {
          Coordinate(t[static_cast<size_t>(i)], what, [&] { return where() + " (facet " + std::to_string(facet) + " normal)"; });
        }
        state = State::kFacet;
        break;
      case State::kFacet:
        expect(key == "outer" && t.size() == 2 && t[1] == "loop", "'outer loop'");
        state = State::kLoop;
        in_loop = 0;
        break;
      case State::kLoop:
        expect(key == "vertex" && t.size() == 4, "'vertex x y z'");
        {
          const auto at = [&] { return where() + " (facet " + std::to_string(facet) + ")"; };
          const double x = Coordinate(t[1], what, at), y = Coordinate(t[2], what, at), z = Coordinate(t[3], what, at);
          if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z)) Fail(what, at() + ": non-finite coordinate");
          corners->push_back({x, y, z});
        }
        if (++in_loop == 3) state = State::kEndLoop;
        break;
      case State::kEndLoop:
        if (key == "endloop" && t.size() == 1) break;
        expect(key == "endfacet" && t.size() == 1, "'endloop' then 'endfacet' after 3 vertices");
        ++facet;
        state = State::kSolid;
        break;
    }
  }
  if (state != State::kOutside) Fail(what, "the file ends inside a solid (no 'endsolid')");
}

void ParseStl(const std::string& bytes, const std::string& what, MeshBuilder* mesh) {
  std::vector<std::array<double, 3>> corners;
  bool binary = false;
  uint32_t count = 0;
  if (bytes.size() >= 84) {
    std::memcpy(&count, bytes.data() + 80, 4);
    binary = bytes.size() == 84 + 50 * static_cast<uint64_t>(count);
  }
  const bool ascii_start = bytes.compare(0, 5, "solid") == 0;
  if (binary) {
    if (count == 0) Fail(what, "binary STL with 0 facets: the mesh has no faces");
    ParseBinaryStl(bytes, count, what, &corners);
  } else if (ascii_start) {
    ParseAsciiStl(bytes, what, &corners);
  } else if (bytes.size() < 84) {
    Fail(what, "not an STL file: " + std::to_string(bytes.size()) + " bytes, a binary STL has at least 84 and an ASCII one starts with 'solid'");
  } else {
    Fail(what, "binary STL declares " + std::to_string(count) + " facets, which need 84 + 50 x " + std::to_string(count) +
                   " = " + std::to_string(84 + 50 * static_cast<uint64_t>(count)) + " bytes; the file has " +
                   std::to_string(bytes.size()));
  }
  // Repeated corners become one vertex (exactly equal coordinates).
  struct Hash {
    size_t operator()(const std::array<double, 3>& p) const {
      size_t h = 0;
      for (double c : p) {
        uint64_t bits;
        std::memcpy(&bits, &c, 8);
        h = h * 1000003u ^ std::hash<uint64_t>()(bits);
      }
      return h;
    }
  };
  std::unordered_map<std::array<double, 3>, int64_t, Hash> index;
  mesh->Reserve(static_cast<int64_t>(corners.size()) / 2, static_cast<int64_t>(corners.size()) / 3);
  std::vector<int64_t> tri(3);
  for (size_t f = 0; f + 2 < corners.size(); f += 3) {
    for (size_t k = 0; k < 3; ++k) {
      const std::array<double, 3>& p = corners[f + k];
      auto [it, added] = index.emplace(p, mesh->num_vertices());
      const auto facet = [f] { return "facet " + std::to_string(f / 3); };
      if (added) mesh->AddVertex(p[0], p[1], p[2], facet);
      tri[k] = it->second;
    }
    mesh->AddPolygon(tri, [f] { return "facet " + std::to_string(f / 3); });
  }
}

// ---------------------------------------------------------------- OBJ

void ParseObj(const std::string& bytes, const std::string& what, const MeshReadLimits& limits, MeshBuilder* mesh) {
  LineReader lines(bytes);
  std::vector<string_view> t;
  std::vector<int64_t> corners;
  const auto where = [&] { return "line " + std::to_string(lines.line()); };
  while (lines.Next(&t)) {
    if (t.empty() || t[0][0] == '#') continue;
    const string_view key = t[0];
    if (key == "v") {
      if (t.size() != 4 && t.size() != 5 && t.size() != 7) {
        Fail(what, where() + ": 'v' needs x y z (and optionally w, or r g b): " + std::to_string(t.size() - 1) + " values");
      }
      const auto vertex = [&] { return where() + " (vertex " + std::to_string(mesh->num_vertices() + 1) + ")"; };
      double xyz[3];
      for (int c = 0; c < 3; ++c) xyz[c] = Coordinate(t[static_cast<size_t>(c + 1)], what, vertex);
      for (size_t c = 4; c < t.size(); ++c) Coordinate(t[c], what, vertex);
      mesh->AddVertex(xyz[0], xyz[1], xyz[2], vertex);
    } else if (key == "f") {
      if (static_cast<int>(t.size()) - 1 > limits.max_polygon_corners) {
        Fail(what, where() + ": a face with " + std::to_string(t.size() - 1) + " corners (at most " +
                       std::to_string(limits.max_polygon_corners) + ")");
      }
      corners.clear();
      for (size_t i = 1; i < t.size(); ++i) {
        const string_view corner = t[i].substr(0, t[i].find('/'));
        int64_t index = 0;
        if (!ParseInteger(corner, &index) || index == 0) {
          Fail(what, where() + ": face corner '" + std::string(t[i].substr(0, 40)) + "' is not a vertex index (1-based, or negative)");
        }
        const int64_t n = mesh->num_vertices();
        const int64_t zero_based = index > 0 ? index - 1 : n + index;
        if (zero_based < 0 || zero_based >= n) {
          Fail(what, where() + ": face index " + std::to_string(index) + " refers to no vertex (" + std::to_string(n) +
                         " defined so far)");
        }
        corners.push_back(zero_based);
      }
      mesh->AddPolygon(corners, [&] { return where() + " (face " + std::to_string(mesh->num_faces()) + ")"; });
    } else if (key == "vt" || key == "vn" || key == "vp" || key == "o" || key == "g" || key == "s" || key == "l" ||
               key == "p" || key == "usemtl" || key == "mtllib") {
      continue;
    } else {
      Fail(what, where() + ": unknown statement '" + std::string(key.substr(0, 40)) + "'");
    }
  }
}

// ---------------------------------------------------------------- PLY

enum class PlyFormat { kAscii, kBinaryLittle, kBinaryBig };

struct PlyProperty {
  std::string name;
  int type_size = 0;  // bytes of the value (or of the list's items)
  char type_kind = 'f';  // 'i' signed, 'u' unsigned, 'f' float
  bool is_list = false;
  int count_size = 0;
  char count_kind = 'u';
};

struct PlyElement {
  std::string name;
  int64_t count = 0;
  std::vector<PlyProperty> properties;
};

bool PlyType(string_view name, int* size, char* kind) {
  static const std::map<string_view, std::pair<int, char>> kTypes = {
      {"char", {1, 'i'}},  {"int8", {1, 'i'}},    {"uchar", {1, 'u'}},  {"uint8", {1, 'u'}},   {"short", {2, 'i'}},
      {"int16", {2, 'i'}}, {"ushort", {2, 'u'}},  {"uint16", {2, 'u'}}, {"int", {4, 'i'}},     {"int32", {4, 'i'}},
      {"uint", {4, 'u'}},  {"uint32", {4, 'u'}},  {"float", {4, 'f'}},  {"float32", {4, 'f'}}, {"double", {8, 'f'}},
      {"float64", {8, 'f'}}};
  auto it = kTypes.find(name);
  if (it == kTypes.end()) return false;
  *size = it->second.first;
  *kind = it->second.second;
  return true;
}

// Reads binary values with bounds checks.
class BinaryCursor {
 public:
  BinaryCursor(const std::string& bytes, size_t offset, bool big, const std::string& what)
      : bytes_(bytes), pos_(offset), big_(big), what_(what) {}

  template <typename Where>
  double Read(int size, char kind, const Where& where) {
    if (bytes_.size() - pos_ < static_cast<size_t>(size)) Fail(what_, where() + ": the file ends early");
    uint8_t raw[8];
    std::memcpy(raw, bytes_.data() + pos_, static_cast<size_t>(size));
    pos_ += static_cast<size_t>(size);
    if (big_) std::reverse(raw, raw + size);
    switch (kind) {
      case 'f':
        if (size == 4) {
          float v;
          std::memcpy(&v, raw, 4);
          return v;
        } else {
          double v;
          std::memcpy(&v, raw, 8);
          return v;
        }
      case 'i':
        if (size == 1) return static_cast<int8_t>(raw[0]);
        if (size == 2) { int16_t v; std::memcpy(&v, raw, 2); return v; }
        { int32_t v; std::memcpy(&v, raw, 4); return v; }
      default:
        if (size == 1) return raw[0];
        if (size == 2) { uint16_t v; std::memcpy(&v, raw, 2); return v; }
        { uint32_t v; std::memcpy(&v, raw, 4); return v; }
    }
  }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  const std::string& bytes_;
  size_t pos_;
  bool big_;
  const std::string& what_;
};

// Tokens of the ASCII body, across lines.
class AsciiCursor {
 public:
  AsciiCursor(const std::string& bytes, size_t offset, const std::string& what) : bytes_(bytes), pos_(offset), what_(what) {}

  template <typename Where>
  double Read(char kind, const Where& where) {
    while (pos_ < bytes_.size() && std::isspace(static_cast<unsigned char>(bytes_[pos_]))) ++pos_;
    if (pos_ >= bytes_.size()) Fail(what_, where() + ": the file ends early");
    size_t end = pos_;
    while (end < bytes_.size() && !std::isspace(static_cast<unsigned char>(bytes_[end]))) ++end;
    const string_view token(bytes_.data() + pos_, end - pos_);
    pos_ = end;
    if (kind == 'f') {
      double v = 0;
      if (!ParseDouble(token, &v)) Fail(what_, where() + ": '" + std::string(token.substr(0, 40)) + "' is not a number");
      return v;
    }
    int64_t v = 0;
    if (!ParseInteger(token, &v)) Fail(what_, where() + ": '" + std::string(token.substr(0, 40)) + "' is not an integer");
    return static_cast<double>(v);
  }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  const std::string& bytes_;
  size_t pos_;
  const std::string& what_;
};

std::vector<PlyElement> ParsePlyHeader(const std::string& bytes, const std::string& what, PlyFormat* format,
                                       size_t* body) {
  constexpr size_t kMaxHeader = 64 * 1024;
  const size_t end = bytes.find("end_header", 0);
  if (bytes.compare(0, 3, "ply") != 0) Fail(what, "not a PLY file (it must start with 'ply')");
  if (end == std::string::npos || end > kMaxHeader) Fail(what, "PLY header without 'end_header' in its first 64 KiB");
  size_t after = end + 10;
  if (after < bytes.size() && bytes[after] == '\r') ++after;
  if (after >= bytes.size() || bytes[after] != '\n') {
    if (after != bytes.size()) Fail(what, "PLY header: 'end_header' must end its line");
  } else {
    ++after;
  }
  *body = after;
  LineReader lines(string_view(bytes).substr(0, end));
  std::vector<string_view> t;
  std::vector<PlyElement> elements;
  bool have_format = false;
  lines.Next(&t);  // "ply"
  if (t.size() != 1 || t[0] != "ply") Fail(what, "line 1: expected 'ply'");
  while (lines.Next(&t)) {
    const std::string where = "PLY header line " + std::to_string(lines.line());
    if (t.empty() || t[0] == "comment" || t[0] == "obj_info") continue;
    if (t[0] == "format") {
      if (t.size() != 3 || t[2] != "1.0") Fail(what, where + ": expected 'format ascii|binary_little_endian|binary_big_endian 1.0'");
      if (t[1] == "ascii") *format = PlyFormat::kAscii;
      else if (t[1] == "binary_little_endian") *format = PlyFormat::kBinaryLittle;
      else if (t[1] == "binary_big_endian") *format = PlyFormat::kBinaryBig;
      else Fail(what, where + ": unknown format '" + std::string(t[1].substr(0, 40)) + "'");
      have_format = true;
    } else if (t[0] == "element") {
      int64_t count = 0;
      if (t.size() != 3 || !ParseInteger(t[2], &count) || count < 0) Fail(what, where + ": expected 'element NAME COUNT' (COUNT >= 0)");
      elements.push_back({std::string(t[1]), count, {}});
    } else if (t[0] == "property") {
      if (elements.empty()) Fail(what, where + ": a property before any element");
      PlyProperty p;
      if (t.size() == 5 && t[1] == "list") {
        p.is_list = true;
        if (!PlyType(t[2], &p.count_size, &p.count_kind) || p.count_kind == 'f' || !PlyType(t[3], &p.type_size, &p.type_kind)) {
          Fail(what, where + ": expected 'property list COUNT_TYPE ITEM_TYPE NAME' with an integer COUNT_TYPE");
        }
        p.name = std::string(t[4]);
      } else if (t.size() == 3 && PlyType(t[1], &p.type_size, &p.type_kind)) {
        p.name = std::string(t[2]);
      } else {
        Fail(what, where + ": expected 'property TYPE NAME' or 'property list COUNT_TYPE ITEM_TYPE NAME'");
      }
      elements.back().properties.push_back(p);
    } else {
      Fail(what, where + ": unknown keyword '" + std::string(t[0].substr(0, 40)) + "'");
    }
  }
  if (!have_format) Fail(what, "PLY header has no 'format' line");
  return elements;
}

void ParsePly(const std::string& bytes, const std::string& what, const MeshReadLimits& limits, MeshBuilder* mesh) {
  PlyFormat format = PlyFormat::kAscii;
  size_t body = 0;
  const std::vector<PlyElement> elements = ParsePlyHeader(bytes, what, &format, &body);
  // Declared counts against the bytes present, before anything is allocated.
  const uint64_t available = bytes.size() - body;
  uint64_t needed = 0;
  int64_t vertices = 0, faces = 0;
  for (const PlyElement& e : elements) {
    uint64_t record = 0;  // the fewest bytes one record can take
    for (const PlyProperty& p : e.properties) {
      record += format == PlyFormat::kAscii ? 2 : static_cast<uint64_t>(p.is_list ? p.count_size : p.type_size);
    }
    if (record == 0 && e.count > 0) Fail(what, "element '" + e.name + "' has records but no properties");
    if (record > 0 && static_cast<uint64_t>(e.count) > (available - std::min(available, needed)) / record + 1) {
      Fail(what, "element '" + e.name + "' declares " + std::to_string(e.count) + " records of at least " +
                     std::to_string(record) + " bytes, more than the " + std::to_string(available) +
                     " bytes after the header hold");
    }
    needed += record * static_cast<uint64_t>(e.count);
    if (e.name == "vertex") vertices = e.count;
    if (e.name == "face") faces = e.count;
  }
  if (vertices > limits.max_vertices) Fail(what, "declares " + std::to_string(vertices) + " vertices, more than " + std::to_string(limits.max_vertices));
  if (faces > limits.max_faces) Fail(what, "declares " + std::to_string(faces) + " faces, more than " + std::to_string(limits.max_faces));
  mesh->Reserve(vertices, faces);

  BinaryCursor binary(bytes, body, format == PlyFormat::kBinaryBig, what);
  AsciiCursor ascii(bytes, body, what);
  const auto read = [&](int size, char kind, const auto& where) {
    return format == PlyFormat::kAscii ? ascii.Read(kind, where) : binary.Read(size, kind, where);
  };
  bool vertex_seen = false;
  std::vector<int64_t> corners;
  for (const PlyElement& e : elements) {
    const bool is_vertex = e.name == "vertex", is_face = e.name == "face";
    int xi = -1, yi = -1, zi = -1, fi = -1;
    for (size_t i = 0; i < e.properties.size(); ++i) {
      const PlyProperty& p = e.properties[i];
      if (is_vertex && !p.is_list && p.name == "x") xi = static_cast<int>(i);
      if (is_vertex && !p.is_list && p.name == "y") yi = static_cast<int>(i);
      if (is_vertex && !p.is_list && p.name == "z") zi = static_cast<int>(i);
      if (is_face && p.is_list && (p.name == "vertex_indices" || p.name == "vertex_index")) fi = static_cast<int>(i);
    }
    if (is_vertex && (xi < 0 || yi < 0 || zi < 0)) Fail(what, "element 'vertex' lacks scalar properties x, y and z");
    if (is_face && fi < 0) Fail(what, "element 'face' lacks the list property vertex_indices");
    if (is_face && !vertex_seen) Fail(what, "element 'face' comes before element 'vertex'");
    if (is_face && e.properties[static_cast<size_t>(fi)].type_kind == 'f') Fail(what, "face vertex_indices must be integers");
    vertex_seen = vertex_seen || is_vertex;
    double xyz[3] = {0, 0, 0};
    for (int64_t r = 0; r < e.count; ++r) {
      const auto where = [&] { return e.name + " " + std::to_string(r); };
      for (size_t i = 0; i < e.properties.size(); ++i) {
        const PlyProperty& p = e.properties[i];
        if (!p.is_list) {
          const double v = read(p.type_size, p.type_kind, [&] { return where() + " (" + p.name + ")"; });
          if (static_cast<int>(i) == xi) xyz[0] = v;
          if (static_cast<int>(i) == yi) xyz[1] = v;
          if (static_cast<int>(i) == zi) xyz[2] = v;
          continue;
        }
        const double n = read(p.count_size, p.count_kind, [&] { return where() + " (" + p.name + " count)"; });
        if (n < 0 || n > limits.max_polygon_corners) {
          Fail(what, where() + ": list " + p.name + " has " + MeshBuilder::Number(n) + " items (expected 0.." +
                         std::to_string(limits.max_polygon_corners) + ")");
        }
        if (static_cast<int>(i) == fi) corners.clear();
        for (int k = 0; k < static_cast<int>(n); ++k) {
          const double v = read(p.type_size, p.type_kind, [&] { return where() + " (" + p.name + "[" + std::to_string(k) + "])"; });
          if (static_cast<int>(i) == fi) corners.push_back(static_cast<int64_t>(v));
        }
      }
      if (is_vertex) mesh->AddVertex(xyz[0], xyz[1], xyz[2], where);
      if (is_face) mesh->AddPolygon(corners, where);
    }
  }
}

}  // namespace

void ParseMesh(const std::string& bytes, const std::string& format, const std::string& what, RowMatrixX3d* vertices,
               RowMatrixX3i* faces, const MeshReadLimits& limits, std::vector<std::string>* notes) {
  MeshBuilder mesh(what, limits);
  if (format == "stl") ParseStl(bytes, what, &mesh);
  else if (format == "obj") ParseObj(bytes, what, limits, &mesh);
  else if (format == "ply") ParsePly(bytes, what, limits, &mesh);
  else Fail(what, "unknown mesh format '" + format + "' (expected STL, OBJ or PLY)");
  mesh.Finish(vertices, faces, notes);
}

void ReadMesh(const std::string& path, RowMatrixX3d* vertices, RowMatrixX3i* faces, const MeshReadLimits& limits,
              std::vector<std::string>* notes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such file");
  std::string ext = Lower(std::filesystem::path(path).extension().string());
  if (ext != ".stl" && ext != ".obj" && ext != ".ply") {
    throw Error(path + ": unknown mesh format '" + ext + "' (expected .stl, .obj or .ply)");
  }
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read the file size");
  constexpr uintmax_t kMaxFileBytes = uintmax_t{2} << 30;
  if (size > kMaxFileBytes) throw Error(path + ": " + std::to_string(size) + " bytes, more than the 2 GiB a mesh may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::string bytes;
  try {
    bytes.resize(static_cast<size_t>(size));
  } catch (const std::bad_alloc&) {
    throw Error(path + ": cannot allocate " + std::to_string(size) + " bytes to read it");
  }
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) throw Error(path + ": cannot read the file");
  ParseMesh(bytes, ext.substr(1), path, vertices, faces, limits, notes);
}

}  // namespace resihmr::geometry
