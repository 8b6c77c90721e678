#include "geometry/mesh_io.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "geometry/mesh_glb.h"
#include "model/atomic_file.h"
#include "model/error.h"

namespace resihmr::geometry {
namespace {

std::string Extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

unsigned char ToByte(double x) { return static_cast<unsigned char>(std::clamp(x, 0.0, 1.0) * 255.0 + 0.5); }

void AppendFloat(std::string* out, double x) {
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(static_cast<float>(x)));
  out->append(buffer, static_cast<size_t>(n));
}

std::string Ply(const RowMatrixX3d& v, const RowMatrixX3i& f, bool colors, const std::vector<uint8_t>& residual,
                bool binary) {
  std::string out = "ply\nformat ";
  out += binary ? "binary_little_endian" : "ascii";
  out += " 1.0\ncomment written by resihmr\nelement vertex " + std::to_string(v.rows()) +
         "\nproperty float x\nproperty float y\nproperty float z\n";
  if (colors) out += "property uchar red\nproperty uchar green\nproperty uchar blue\n";
  if (!residual.empty()) out += "property int residual\n";
  out += "element face " + std::to_string(f.rows()) + "\nproperty list uchar int vertex_indices\nend_header\n";
  out.reserve(out.size() + static_cast<size_t>(v.rows()) * (binary ? 19 : 48) + static_cast<size_t>(f.rows()) * (binary ? 13 : 24));
  return out;
}

// The body of a binary little-endian PLY: each vertex's x, y, z (float32),
// colour (3 uchar) and residual (int32) packed as the header declares them,
// then each face as a count (uchar 3) and three int32 indices; written into
// the string's bytes directly (no per-value append).
void AppendBinaryPly(std::string* out, const RowMatrixX3d& v, const RowMatrixX3i& f, const RowMatrixX3d* colors,
                     const std::vector<uint8_t>& residual) {
  const size_t vertex_bytes = 12 + (colors ? 3 : 0) + (residual.empty() ? 0 : 4);
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(v.rows()) * vertex_bytes + static_cast<size_t>(f.rows()) * 13);
  char* p = out->data() + start;
  for (Eigen::Index i = 0; i < v.rows(); ++i) {
    const float xyz[3] = {static_cast<float>(v(i, 0)), static_cast<float>(v(i, 1)), static_cast<float>(v(i, 2))};
    std::memcpy(p, xyz, 12);
    p += 12;
    if (colors) {
      for (int c = 0; c < 3; ++c) *p++ = static_cast<char>(ToByte((*colors)(i, c)));
    }
    if (!residual.empty()) {
      const int32_t label = residual[static_cast<size_t>(i)];
      std::memcpy(p, &label, 4);
      p += 4;
    }
  }
  for (Eigen::Index i = 0; i < f.rows(); ++i) {
    *p++ = 3;
    const int32_t index[3] = {f(i, 0), f(i, 1), f(i, 2)};
    std::memcpy(p, index, 12);
    p += 12;
  }
}

}  // namespace

void WriteMesh(const std::string& path, const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
               const RowMatrixX3d& colors, const std::vector<uint8_t>& residual, const MeshWriteOptions& options) {
  const std::string ext = Extension(path);
  if (ext != ".ply" && ext != ".obj" && ext != ".glb") {
    throw Error(path + ": unknown mesh format '" + ext + "', expected .ply, .obj or .glb");
  }
  const Eigen::Index V = vertices.rows();
  if (!vertices.allFinite()) throw Error(path + ": the mesh to write has non-finite vertices");
  if (faces.size() > 0 && (faces.minCoeff() < 0 || faces.maxCoeff() >= V)) {
    throw Error(path + ": a face index lies outside [0, " + std::to_string(V) + ")");
  }
  const bool with_colors = colors.rows() == V && V > 0;
  if (!residual.empty() && static_cast<Eigen::Index>(residual.size()) != V) {
    throw Error(path + ": residual labels do not match the vertex count");
  }
  std::string out;
  if (ext == ".glb") {
    out = GlbBytes(vertices, faces, with_colors ? colors : RowMatrixX3d(), residual);
  } else if (ext == ".obj") {
    out = "# written by resihmr\n";
    for (Eigen::Index i = 0; i < V; ++i) {
      out += "v ";
      for (int c = 0; c < 3; ++c) {
        if (c) out += ' ';
        AppendFloat(&out, vertices(i, c));
      }
      if (with_colors) {
        for (int c = 0; c < 3; ++c) {
          out += ' ';
          AppendFloat(&out, ToByte(colors(i, c)) / 255.0);
        }
      }
      out += '\n';
    }
    for (Eigen::Index i = 0; i < faces.rows(); ++i) {
      out += "f " + std::to_string(faces(i, 0) + 1) + " " + std::to_string(faces(i, 1) + 1) + " " +
             std::to_string(faces(i, 2) + 1) + "\n";
    }
  } else {
    const bool binary = options.binary_ply;
    out = Ply(vertices, faces, with_colors, residual, binary);
    if (binary) {
      AppendBinaryPly(&out, vertices, faces, with_colors ? &colors : nullptr, residual);
    } else {
      for (Eigen::Index i = 0; i < V; ++i) {
        for (int c = 0; c < 3; ++c) {
          if (c) out += ' ';
          AppendFloat(&out, vertices(i, c));
        }
        if (with_colors) {
          for (int c = 0; c < 3; ++c) out += " " + std::to_string(ToByte(colors(i, c)));
        }
        if (!residual.empty()) out += " " + std::to_string(residual[static_cast<size_t>(i)]);
        out += '\n';
      }
      for (Eigen::Index i = 0; i < faces.rows(); ++i) {
        out += "3 " + std::to_string(faces(i, 0)) + " " + std::to_string(faces(i, 1)) + " " + std::to_string(faces(i, 2)) + "\n";
      }
    }
  }
  WriteFileAtomically(path, out);
}

}  // namespace resihmr::geometry
