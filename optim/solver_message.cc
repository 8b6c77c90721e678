#include "optim/solver_message.h"

#include <regex>

namespace resihmr::optim {

std::string DeterministicSolverMessage(const std::string& message) {
  static const std::regex kAddress("0x[0-9a-fA-F]+");
  return std::regex_replace(message, kAddress, "<address>");
}

}  // namespace resihmr::optim
