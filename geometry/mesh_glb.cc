#include "geometry/mesh_glb.h"

#include <cstring>
#include <sstream>

#define TINYGLTF_IMPLEMENTATION
#define TINYGLTF_NO_STB_IMAGE
#define TINYGLTF_NO_STB_IMAGE_WRITE
#define TINYGLTF_NO_EXTERNAL_IMAGE
#define TINYGLTF_NO_INCLUDE_JSON
#include <nlohmann/json.hpp>
#include <tiny_gltf.h>

#include "model/error.h"

namespace resihmr::geometry {
namespace {

// Appends `bytes` to the buffer (4-byte aligned), adds a buffer view and an
// accessor over it; returns the accessor's index.
int AddAccessor(tinygltf::Model* m, const std::vector<unsigned char>& bytes, int component, int type, size_t count,
                int target) {
  std::vector<unsigned char>& data = m->buffers[0].data;
  while (data.size() % 4) data.push_back(0);
  tinygltf::BufferView view;
  view.buffer = 0;
  view.byteOffset = data.size();
  view.byteLength = bytes.size();
  view.target = target;
  data.insert(data.end(), bytes.begin(), bytes.end());
  m->bufferViews.push_back(view);
  tinygltf::Accessor accessor;
  accessor.bufferView = static_cast<int>(m->bufferViews.size()) - 1;
  accessor.componentType = component;
  accessor.type = type;
  accessor.count = count;
  m->accessors.push_back(accessor);
  return static_cast<int>(m->accessors.size()) - 1;
}

template <typename T>
std::vector<unsigned char> Bytes(const std::vector<T>& values) {
  std::vector<unsigned char> out(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

}  // namespace

std::string GlbBytes(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const RowMatrixX3d& colors,
                     const std::vector<uint8_t>& residual) {
  tinygltf::Model m;
  m.asset.version = "2.0";
  m.asset.generator = "resihmr";
  m.buffers.resize(1);
  const size_t n = static_cast<size_t>(vertices.rows());
  std::vector<float> position(3 * n);
  for (size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) position[3 * i + c] = static_cast<float>(vertices(static_cast<Eigen::Index>(i), c));
  }
  tinygltf::Primitive primitive;
  primitive.mode = TINYGLTF_MODE_TRIANGLES;
  const int pos = AddAccessor(&m, Bytes(position), TINYGLTF_COMPONENT_TYPE_FLOAT, TINYGLTF_TYPE_VEC3, n,
                              TINYGLTF_TARGET_ARRAY_BUFFER);
  m.accessors[static_cast<size_t>(pos)].minValues = {0, 0, 0};
  m.accessors[static_cast<size_t>(pos)].maxValues = {0, 0, 0};
  if (n > 0) {
    for (int c = 0; c < 3; ++c) {  // the float32 values written, as the spec asks
      float lo = position[static_cast<size_t>(c)], hi = lo;
      for (size_t i = 0; i < n; ++i) {
        lo = std::min(lo, position[3 * i + c]);
        hi = std::max(hi, position[3 * i + c]);
      }
      m.accessors[static_cast<size_t>(pos)].minValues[static_cast<size_t>(c)] = lo;
      m.accessors[static_cast<size_t>(pos)].maxValues[static_cast<size_t>(c)] = hi;
    }
  }
  primitive.attributes["POSITION"] = pos;
  if (colors.rows() == vertices.rows() && n > 0) {
    std::vector<float> colour(3 * n);
    for (size_t i = 0; i < n; ++i) {
      for (int c = 0; c < 3; ++c) {
        colour[3 * i + c] = static_cast<float>(std::clamp(colors(static_cast<Eigen::Index>(i), c), 0.0, 1.0));
      }
    }
    primitive.attributes["COLOR_0"] = AddAccessor(&m, Bytes(colour), TINYGLTF_COMPONENT_TYPE_FLOAT, TINYGLTF_TYPE_VEC3, n,
                                                  TINYGLTF_TARGET_ARRAY_BUFFER);
  }
  if (residual.size() == n && n > 0) {
    std::vector<float> label(n);
    for (size_t i = 0; i < n; ++i) label[i] = residual[i] ? 1.0f : 0.0f;
    primitive.attributes["_RESIDUAL"] = AddAccessor(&m, Bytes(label), TINYGLTF_COMPONENT_TYPE_FLOAT, TINYGLTF_TYPE_SCALAR,
                                                    n, TINYGLTF_TARGET_ARRAY_BUFFER);
  }
  std::vector<uint32_t> index(static_cast<size_t>(faces.size()));
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int c = 0; c < 3; ++c) index[static_cast<size_t>(3 * f + c)] = static_cast<uint32_t>(faces(f, c));
  }
  primitive.indices = AddAccessor(&m, Bytes(index), TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT, TINYGLTF_TYPE_SCALAR,
                                  index.size(), TINYGLTF_TARGET_ELEMENT_ARRAY_BUFFER);
  tinygltf::Material material;  // unlit-looking grey base, the vertex colours on top
  material.name = "body";
  material.pbrMetallicRoughness.metallicFactor = 0.0;
  material.pbrMetallicRoughness.roughnessFactor = 0.8;
  material.doubleSided = false;
  m.materials.push_back(material);
  primitive.material = 0;
  tinygltf::Mesh mesh;
  mesh.name = "body";
  mesh.primitives.push_back(primitive);
  m.meshes.push_back(mesh);
  tinygltf::Node node;
  node.mesh = 0;
  node.name = "body";
  m.nodes.push_back(node);
  tinygltf::Scene scene;
  scene.nodes.push_back(0);
  m.scenes.push_back(scene);
  m.defaultScene = 0;
  std::ostringstream out;
  tinygltf::TinyGLTF writer;
  if (!writer.WriteGltfSceneToStream(&m, out, false, true)) throw Error("glTF: the scene could not be serialised");
  return out.str();
}

}  // namespace resihmr::geometry
