// Ceres's messages as the project quotes them: deterministic text. Ceres
// names parameter blocks by their memory address ("ParameterBlock:
// 0x7ffe..."), which changes from run to run; every hexadecimal address is
// replaced by "<address>", so that the same input always gives the same
// error text.
#pragma once

#include <string>

namespace resihmr::optim {

std::string DeterministicSolverMessage(const std::string& message);

}  // namespace resihmr::optim
