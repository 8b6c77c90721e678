#include "model/npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "model/error.h"

namespace resihmr::model {
namespace {

std::vector<uint8_t> NpyBytes(const std::string& header_dict, const std::vector<uint8_t>& data) {
  std::string header = header_dict;
  while ((10 + header.size() + 1) % 16 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + '\x01' + '\x00' + static_cast<char>(header.size() & 0xFF) +
                    static_cast<char>(header.size() >> 8) + header;
  std::vector<uint8_t> bytes(out.begin(), out.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

template <typename T>
std::vector<uint8_t> Raw(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

TEST(Npy, RoundTripDoubles) {
  const NpyArray a = NpyArray::FromDoubles({2, 3}, {1, 2, 3, 4, 5, -6.5});
  const std::vector<uint8_t> bytes = SerializeNpy(a);
  const NpyArray b = ParseNpy(bytes.data(), bytes.size(), "test");
  EXPECT_EQ(b.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(b.ToDoubles(), (std::vector<double>{1, 2, 3, 4, 5, -6.5}));
  EXPECT_EQ(b.dtype(), "<f8");
}

TEST(Npy, HeaderIsPaddedTo64Bytes) {
  const std::vector<uint8_t> bytes = SerializeNpy(NpyArray::FromDoubles({1}, {1.0}));
  EXPECT_EQ((bytes.size() - 8) % 64, 0u);
}

TEST(Npy, Float32AndIntegers) {
  const auto f = NpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", Raw<float>({1.5f, -2.f, 3.f}));
  EXPECT_EQ(ParseNpy(f.data(), f.size(), "f").ToDoubles(), (std::vector<double>{1.5, -2, 3}));
  const auto u = NpyBytes("{'descr': '<u4', 'fortran_order': False, 'shape': (2,), }", Raw<uint32_t>({4294967295u, 7}));
  EXPECT_EQ(ParseNpy(u.data(), u.size(), "u").ToInt64s(), (std::vector<int64_t>{4294967295LL, 7}));
  const auto i = NpyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", Raw<int64_t>({-1, 5}));
  EXPECT_EQ(ParseNpy(i.data(), i.size(), "i").ToInt64s(), (std::vector<int64_t>{-1, 5}));
}

TEST(Npy, BigEndianIsConverted) {
  std::vector<uint8_t> data = Raw<double>({1.25, -3.0});
  for (size_t k = 0; k < data.size(); k += 8) std::reverse(data.begin() + k, data.begin() + k + 8);
  const auto b = NpyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", data);
  EXPECT_EQ(ParseNpy(b.data(), b.size(), "be").ToDoubles(), (std::vector<double>{1.25, -3.0}));
}

TEST(Npy, FortranOrderIsReorderedToC) {
  // The 2x3 matrix [[1,2,3],[4,5,6]] stored column by column.
  const auto b = NpyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", Raw<double>({1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(ParseNpy(b.data(), b.size(), "F").ToDoubles(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(Npy, UnicodeStrings) {
  const NpyArray a = NpyArray::FromStrings({"nose", "left_big_toe"});
  EXPECT_EQ(a.dtype(), "<U12");
  const std::vector<uint8_t> bytes = SerializeNpy(a);
  EXPECT_EQ(ParseNpy(bytes.data(), bytes.size(), "U").ToStrings(), (std::vector<std::string>{"nose", "left_big_toe"}));
}

TEST(Npy, ObjectArraysAreRecognisedNotRead) {
  const auto b = NpyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (), }", {0x80, 0x02, 0x4e, 0x2e});
  EXPECT_EQ(ParseNpy(b.data(), b.size(), "O").kind, 'O');
}

TEST(Npy, BadInputIsAnErrorNamingTheSource) {
  const auto good = NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", Raw<double>({1, 2, 3, 4}));
  auto expect_error = [](const std::vector<uint8_t>& bytes, const std::string& needle) {
    try {
      ParseNpy(bytes.data(), bytes.size(), "file.npz: key");
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("file.npz: key"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated");
  expect_error(std::vector<uint8_t>(good.begin(), good.begin() + 20), "truncated");
  std::vector<uint8_t> bad_magic = good;
  bad_magic[1] = 'X';
  expect_error(bad_magic, "magic");
  expect_error(NpyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", Raw<double>({1, 2})), "not supported");
  expect_error(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", {}), "shape");
  expect_error(NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000, 4000000000), }", {}),
               "too large");
  expect_error(NpyBytes("{'descr': '<f8', 'shape': (1,), }", Raw<double>({1})), "fortran_order");
  expect_error(NpyBytes("{'fortran_order': False, 'shape': (1,), }", Raw<double>({1})), "descr");
}

}  // namespace
}  // namespace resihmr::model
