// Writing JSON and text files whole or not at all (temporary file, then rename).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace resihmr::pipeline {

// The text of a JSON file as the project writes it (2-space indent, newline at the end).
std::string JsonText(const nlohmann::json& json);

// Throws resihmr::Error naming the file when it cannot be written.
void WriteJsonFile(const std::string& path, const nlohmann::json& json);
void WriteTextFile(const std::string& path, const std::string& text);

}  // namespace resihmr::pipeline
