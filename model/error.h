// The one exception type the libraries throw for failures a user can cause:
// a bad file, a missing key, a wrong shape, a non-finite number. Its message
// names the file and the key or field and says what was expected, so that a
// command-line front end can print it unchanged and exit non-zero. Library
// code never calls exit; programmer errors are assertions, not Errors.
#pragma once

#include <stdexcept>
#include <string>

namespace resihmr {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace resihmr
