// The .glb writer: a file any glTF 2.0 reader accepts (tinygltf's loader,
// which checks the header, the chunks and the accessors against the
// buffer), with the vertices, faces, colours and residual labels read back.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#define TINYGLTF_NO_INCLUDE_JSON
#define TINYGLTF_NO_STB_IMAGE
#define TINYGLTF_NO_STB_IMAGE_WRITE
#define TINYGLTF_NO_EXTERNAL_IMAGE
#include <tiny_gltf.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "geometry/mesh_io.h"

namespace resihmr::geometry {
namespace {

template <typename T>
std::vector<T> Read(const tinygltf::Model& m, int accessor_index, int width) {
  const tinygltf::Accessor& a = m.accessors.at(static_cast<size_t>(accessor_index));
  const tinygltf::BufferView& view = m.bufferViews.at(static_cast<size_t>(a.bufferView));
  const std::vector<unsigned char>& data = m.buffers.at(static_cast<size_t>(view.buffer)).data;
  std::vector<T> out(a.count * static_cast<size_t>(width));
  const size_t start = view.byteOffset + a.byteOffset;
  EXPECT_LE(start + out.size() * sizeof(T), data.size());
  std::memcpy(out.data(), data.data() + start, out.size() * sizeof(T));
  return out;
}

TEST(MeshGlb, ReadsBackAsGltf2WithTheSameMesh) {
  RowMatrixX3d v(5, 3);
  v << 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0.25, -0.5, 2.5;
  RowMatrixX3i f(4, 3);
  f << 0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2;
  RowMatrixX3d colours = RowMatrixX3d::Constant(5, 3, 0.5);
  colours.row(4) << 0.85, 0.15, 0.15;
  const std::vector<uint8_t> residual = {0, 0, 1, 0, 1};
  const std::string path = (std::filesystem::temp_directory_path() / "resihmr_mesh_glb_test.glb").string();
  WriteMesh(path, v, f, colours, residual);

  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 20u);
  EXPECT_EQ(bytes.substr(0, 4), "glTF");
  uint32_t version = 0, length = 0;
  std::memcpy(&version, bytes.data() + 4, 4);
  std::memcpy(&length, bytes.data() + 8, 4);
  EXPECT_EQ(version, 2u);
  EXPECT_EQ(length, bytes.size());
  EXPECT_EQ(length % 4, 0u);

  tinygltf::Model m;
  tinygltf::TinyGLTF loader;
  std::string error, warning;
  ASSERT_TRUE(loader.LoadBinaryFromFile(&m, &error, &warning, path)) << error;
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(m.asset.version, "2.0");
  ASSERT_EQ(m.meshes.size(), 1u);
  const tinygltf::Primitive& p = m.meshes[0].primitives.at(0);
  EXPECT_EQ(p.mode, TINYGLTF_MODE_TRIANGLES);
  const std::vector<float> position = Read<float>(m, p.attributes.at("POSITION"), 3);
  const std::vector<uint32_t> index = Read<uint32_t>(m, p.indices, 1);
  const std::vector<float> colour = Read<float>(m, p.attributes.at("COLOR_0"), 3);
  const std::vector<float> label = Read<float>(m, p.attributes.at("_RESIDUAL"), 1);
  ASSERT_EQ(position.size(), 15u);
  ASSERT_EQ(index.size(), 12u);
  for (int i = 0; i < 5; ++i) {
    for (int c = 0; c < 3; ++c) {
      EXPECT_FLOAT_EQ(position[static_cast<size_t>(3 * i + c)], static_cast<float>(v(i, c)));
      EXPECT_FLOAT_EQ(colour[static_cast<size_t>(3 * i + c)], static_cast<float>(colours(i, c)));
    }
    EXPECT_EQ(label[static_cast<size_t>(i)], residual[static_cast<size_t>(i)] ? 1.0f : 0.0f);
  }
  for (int i = 0; i < 12; ++i) EXPECT_EQ(index[static_cast<size_t>(i)], static_cast<uint32_t>(f(i / 3, i % 3)));
  const tinygltf::Accessor& a = m.accessors[static_cast<size_t>(p.attributes.at("POSITION"))];
  EXPECT_EQ(a.minValues, (std::vector<double>{0, -0.5, 0}));
  EXPECT_EQ(a.maxValues, (std::vector<double>{1, 1, 2.5}));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace resihmr::geometry
