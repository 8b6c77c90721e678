#include "model/npz.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/error.h"

namespace resihmr::model {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("resihmr_npz_test_" + name)).string();
}

TEST(Npz, RoundTrip) {
  const std::string path = TempPath("round.npz");
  std::map<std::string, NpyArray> arrays;
  arrays["a"] = NpyArray::FromDoubles({2, 2}, {1, 2, 3, 4});
  arrays["names"] = NpyArray::FromStrings({"x", "yz"});
  WriteNpz(path, arrays);
  const NpzContents read = ReadNpz(path);
  ASSERT_EQ(read.arrays.size(), 2u);
  EXPECT_EQ(read.arrays.at("a").ToDoubles(), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(read.arrays.at("names").ToStrings(), (std::vector<std::string>{"x", "yz"}));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  std::filesystem::remove(path);
}

TEST(Npz, MissingFileNonZipAndTruncatedFileAreErrors) {
  EXPECT_THROW(ReadNpz(TempPath("does_not_exist.npz")), Error);
  const std::string text = TempPath("text.npz");
  std::ofstream(text) << "this is not a zip archive";
  try {
    ReadNpz(text);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("zip"), std::string::npos);
  }
  // A real archive cut in half.
  const std::string whole = TempPath("whole.npz");
  std::map<std::string, NpyArray> arrays;
  arrays["a"] = NpyArray::FromDoubles({1000}, std::vector<double>(1000, 1.5));
  WriteNpz(whole, arrays);
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string half = TempPath("half.npz");
  std::ofstream(half, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THROW(ReadNpz(half), Error);
  // And from memory, at every cut length of a small archive: never a crash.
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    try {
      ReadNpzFromMemory(reinterpret_cast<const uint8_t*>(bytes.data()), cut, "memory");
    } catch (const Error&) {
    }
  }
  for (const std::string& p : {text, whole, half}) std::filesystem::remove(p);
}

}  // namespace
}  // namespace resihmr::model
