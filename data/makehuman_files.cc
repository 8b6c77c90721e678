#include "data/makehuman_files.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "model/error.h"

namespace resihmr::data {
namespace {

using nlohmann::json;
constexpr size_t kMaxText = size_t{256} << 20, kMaxUnpacked = size_t{64} << 20;
constexpr int kMaxVertices = 10000000;
constexpr double kMaxCoordinate = 1e6;

std::vector<std::string_view> Tokens(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool Number(std::string_view s, double* x) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *x);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(*x) && std::abs(*x) <= kMaxCoordinate;
}

bool Integer(std::string_view s, long long* x) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *x);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Calls f(line number, line) for every line of `text`.
template <typename F>
void ForEachLine(const std::string& text, const F& f) {
  size_t start = 0, number = 1;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    f(number++, std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
}

int VertexIndex(const json& v, int count, const std::string& where) {
  if (!v.is_number_integer()) throw Error(where + ": expected a vertex index (an integer)");
  const int64_t i = v.get<int64_t>();
  if (i < 0 || i >= count) {
    throw Error(where + ": vertex " + std::to_string(i) + " is outside 0.." + std::to_string(count - 1));
  }
  return static_cast<int>(i);
}

MakeHumanBoneEnd ParseEnd(const json& e, const std::string& where, const MakeHumanMesh& mesh) {
  if (!e.is_object()) throw Error(where + ": expected an object");
  MakeHumanBoneEnd end;
  if (!e.contains("strategy") || !e["strategy"].is_string()) throw Error(where + ".strategy: expected MEAN or CUBE");
  end.strategy = e["strategy"].get<std::string>();
  const int V = static_cast<int>(mesh.vertices.rows());
  if (end.strategy == "MEAN") {
    if (!e.contains("vertex_indices") || !e["vertex_indices"].is_array() || e["vertex_indices"].empty() ||
        e["vertex_indices"].size() > 100000) {
      throw Error(where + ".vertex_indices: expected 1 to 100000 vertex indices (a bone end without helper vertices)");
    }
    for (size_t i = 0; i < e["vertex_indices"].size(); ++i) {
      end.vertices.push_back(VertexIndex(e["vertex_indices"][i], V, where + ".vertex_indices[" + std::to_string(i) + "]"));
    }
  } else if (end.strategy == "CUBE") {
    if (!e.contains("cube_name") || !e["cube_name"].is_string()) throw Error(where + ".cube_name: expected a group name");
    end.cube_name = e["cube_name"].get<std::string>();
    const auto g = mesh.group_vertices.find(end.cube_name);
    if (g == mesh.group_vertices.end() || g->second.empty()) {
      throw Error(where + ".cube_name: '" + end.cube_name + "' is no group of the mesh with vertices");
    }
    end.vertices = g->second;
  } else {
    throw Error(where + ".strategy: '" + end.strategy + "' is not MEAN or CUBE");
  }
  if (e.contains("default_position")) {
    const json& p = e["default_position"];
    if (!p.is_array() || p.size() != 3) throw Error(where + ".default_position: expected 3 numbers");
    for (int c = 0; c < 3; ++c) {
      if (!p[c].is_number() || !std::isfinite(p[c].get<double>())) throw Error(where + ".default_position: expected 3 finite numbers");
      end.default_position[c] = p[c].get<double>();
    }
  }
  return end;
}

json ParseJson(const std::string& text, const std::string& what) {
  if (text.size() > kMaxText) throw Error(what + ": larger than 256 MiB");
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw Error(what + ": not valid JSON: " + e.what());
  }
}

}  // namespace

MakeHumanMesh ParseMakeHumanObj(const std::string& text, const std::string& what) {
  if (text.size() > kMaxText) throw Error(what + ": larger than 256 MiB");
  MakeHumanMesh out;
  std::vector<Eigen::Vector3d> vertices;
  std::vector<std::pair<std::string, std::vector<int>>> faces;  // group, face
  std::string group;
  ForEachLine(text, [&](size_t number, std::string_view line) {
    const std::string where = what + ": line " + std::to_string(number);
    const std::vector<std::string_view> t = Tokens(line);
    if (t.empty() || t[0][0] == '#') return;
    if (t[0] == "v") {
      Eigen::Vector3d p;
      if (t.size() < 4 || !Number(t[1], &p.x()) || !Number(t[2], &p.y()) || !Number(t[3], &p.z())) {
        throw Error(where + ": v: expected 3 finite coordinates within 1e6");
      }
      if (vertices.size() >= static_cast<size_t>(kMaxVertices)) throw Error(where + ": more than 10000000 vertices");
      vertices.push_back(p);
    } else if (t[0] == "g") {
      group = t.size() > 1 ? std::string(t[1]) : "";
    } else if (t[0] == "f") {
      if (t.size() != 4 && t.size() != 5) throw Error(where + ": f: expected 3 or 4 vertices, got " + std::to_string(t.size() - 1));
      if (faces.size() >= static_cast<size_t>(kMaxVertices)) throw Error(where + ": more than 10000000 faces");
      std::vector<int> face;
      for (size_t k = 1; k < t.size(); ++k) {
        long long i = 0;
        if (!Integer(t[k].substr(0, t[k].find('/')), &i) || i < 1 || i > static_cast<long long>(vertices.size())) {
          throw Error(where + ": f: vertex '" + std::string(t[k]) + "' is not one of the " + std::to_string(vertices.size()) +
                      " vertices given before it (positive 1-based indices)");
        }
        face.push_back(static_cast<int>(i - 1));
      }
      faces.emplace_back(group, face);
    }
  });
  out.vertices.resize(static_cast<Eigen::Index>(vertices.size()), 3);
  for (size_t i = 0; i < vertices.size(); ++i) out.vertices.row(static_cast<Eigen::Index>(i)) = vertices[i].transpose();
  for (auto& [g, face] : faces) {
    std::vector<int>& members = out.group_vertices[g];
    members.insert(members.end(), face.begin(), face.end());
    if (g == "body") out.body_faces.push_back(std::move(face));
  }
  for (auto& [g, members] : out.group_vertices) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
  }
  if (out.body_faces.empty()) throw Error(what + ": no faces in group 'body' (the skin)");
  return out;
}

std::vector<MakeHumanBone> ParseMakeHumanRig(const std::string& text, const std::string& what, const MakeHumanMesh& mesh) {
  const json root = ParseJson(text, what);
  if (!root.is_object() || !root.contains("bones") || !root["bones"].is_object()) {
    throw Error(what + ": bones: expected an object of bones");
  }
  if (root["bones"].empty() || root["bones"].size() > 256) throw Error(what + ": bones: expected 1 to 256 bones");
  std::vector<MakeHumanBone> bones;
  std::set<std::string> names;
  for (const auto& [name, b] : root["bones"].items()) {
    const std::string where = what + ": bones." + name;
    if (!b.is_object()) throw Error(where + ": expected an object");
    MakeHumanBone bone;
    bone.name = name;
    if (b.contains("parent")) {
      if (!b["parent"].is_string()) throw Error(where + ".parent: expected a bone name or \"\"");
      bone.parent = b["parent"].get<std::string>();
    }
    if (!b.contains("head") || !b.contains("tail")) throw Error(where + ": head and tail are needed");
    bone.head = ParseEnd(b["head"], where + ".head", mesh);
    bone.tail = ParseEnd(b["tail"], where + ".tail", mesh);
    names.insert(name);
    bones.push_back(std::move(bone));
  }
  for (const MakeHumanBone& b : bones) {
    if (!b.parent.empty() && !names.count(b.parent)) {
      throw Error(what + ": bones." + b.name + ".parent: '" + b.parent + "' is not a bone of the rig");
    }
  }
  return bones;
}

std::map<std::string, std::vector<std::pair<int, double>>> ParseMakeHumanWeights(const std::string& text,
                                                                                 const std::string& what,
                                                                                 const std::vector<MakeHumanBone>& bones,
                                                                                 int vertex_count) {
  const json root = ParseJson(text, what);
  if (!root.is_object() || !root.contains("weights") || !root["weights"].is_object()) {
    throw Error(what + ": weights: expected an object of bones");
  }
  std::set<std::string> known;
  for (const MakeHumanBone& b : bones) known.insert(b.name);
  std::map<std::string, std::vector<std::pair<int, double>>> out;
  for (const auto& [name, list] : root["weights"].items()) {
    const std::string where = what + ": weights." + name;
    if (!known.count(name)) throw Error(where + ": not a bone of the rig");
    if (!list.is_array()) throw Error(where + ": expected a list of [vertex, weight] pairs");
    std::vector<std::pair<int, double>>& pairs = out[name];
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      const json& p = list[i];
      if (!p.is_array() || p.size() != 2) throw Error(at + ": expected [vertex, weight]");
      const int v = VertexIndex(p[0], vertex_count, at);
      if (!p[1].is_number() || !std::isfinite(p[1].get<double>()) || p[1].get<double>() < 0 || p[1].get<double>() > 1) {
        throw Error(at + ": weight: expected a finite number in [0, 1]");
      }
      pairs.emplace_back(v, p[1].get<double>());
    }
  }
  return out;
}

MakeHumanTarget ParseMakeHumanTarget(const std::string& text, const std::string& what, int vertex_count) {
  if (text.size() > kMaxUnpacked) throw Error(what + ": larger than 64 MiB");
  MakeHumanTarget out;
  std::vector<uint8_t> seen(static_cast<size_t>(std::max(vertex_count, 0)), 0);
  ForEachLine(text, [&](size_t number, std::string_view line) {
    const std::vector<std::string_view> t = Tokens(line);
    if (t.empty() || t[0][0] == '#') return;
    const std::string where = what + ": line " + std::to_string(number);
    long long index = 0;
    Eigen::Vector3d d;
    if (t.size() != 4 || !Integer(t[0], &index) || !Number(t[1], &d.x()) || !Number(t[2], &d.y()) || !Number(t[3], &d.z())) {
      throw Error(where + ": expected 'index dx dy dz' (an integer and 3 finite numbers within 1e6)");
    }
    if (index < 0 || index >= vertex_count) {
      throw Error(where + ": vertex " + std::to_string(index) + " is outside 0.." + std::to_string(vertex_count - 1));
    }
    if (seen[static_cast<size_t>(index)]++) throw Error(where + ": vertex " + std::to_string(index) + " is moved twice");
    out.vertices.push_back(static_cast<int>(index));
    out.offsets.push_back(d);
  });
  return out;
}

std::string ReadGzipFile(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw Error(path + ": cannot open");
  std::string out;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) {
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > kMaxUnpacked) {
      gzclose(f);
      throw Error(path + ": more than 64 MiB unpacked");
    }
  }
  int code = Z_OK;
  const char* message = n < 0 ? gzerror(f, &code) : nullptr;
  const std::string error = message ? message : "";
  gzclose(f);
  if (n < 0) throw Error(path + ": not a readable gzip file (" + error + ")");
  return out;
}

}  // namespace resihmr::data
