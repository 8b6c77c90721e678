// Writing JSON and text files whole or not at all (temporary file, then
// rename), and the one way numbers that may not be finite enter them.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace resihmr::pipeline {

// `v`, or null where it is not finite (JSON has no NaN or infinity).
inline nlohmann::json NumberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// The text of a JSON file as the project writes it (2-space indent, newline at the end).
std::string JsonText(const nlohmann::json& json);

// Throws resihmr::Error naming the file when it cannot be written.
void WriteJsonFile(const std::string& path, const nlohmann::json& json);
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace resihmr::pipeline
