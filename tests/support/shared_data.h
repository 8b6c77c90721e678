// Paths to the third-party test data in ../shared/data (relative to the
// project root, where CTest runs the tests). A test that needs a file asks
// for it through SharedDataFile, which fails the test loudly when the file is
// missing instead of letting it pass or skip silently.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace resihmr::testing {

inline std::string SharedDataPath(const std::string& relative) {
  return (std::filesystem::path(RESIHMR_SOURCE_DIR) / ".." / "shared" / "data" / relative).lexically_normal().string();
}

#define RESIHMR_SHARED_DATA_FILE(var, relative)                                                                     \
  const std::string var = ::resihmr::testing::SharedDataPath(relative);                                             \
  ASSERT_TRUE(std::filesystem::exists(var)) << "missing test data " << var                                          \
                                            << ": this test needs ../shared/data beside the repository (see README)"

}  // namespace resihmr::testing
