// A strict reader of the small YAML files that OpenCV's cv::FileStorage
// writes for cameras (EasyMocap's intri.yml and extri.yml).
//
// OpenCV 4.6's own YAML reader loops for ever on some malformed text (three
// such inputs were found by fuzzing: tests/fuzz/regressions/camera_rig_yaml),
// so these files are read here instead, as the subset FileStorage writes:
// printable ASCII lines; "%YAML:1.x" (or "%YAML 1.x") first, then "---";
// whole-line comments; an optional "..." at the end; at the top level, one
// entry per key (a letter or '_' first, then letters, digits, '_', '-', '.';
// each key once), each "key: value" with the value
//   - a number, a word or a quoted word (a scalar),
//   - a flow list "[a, b, ...]" of scalars, which may run over indented lines,
//   - nothing, then block items "- scalar" on the lines that follow, or
//   - "!!opencv-matrix", then the indented fields rows, cols (integers 1 to
//     64), dt (d, f or i) and data (a flow list of rows x cols numbers).
// Anything else throws resihmr::Error naming the file and the line. Nothing
// is allocated beyond the text's own size; at most 4096 entries and 4096
// values per list.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace resihmr::data {

struct OpenCvYamlValue {
  enum class Kind { kScalar, kList, kMatrix };
  Kind kind = Kind::kScalar;
  int line = 0;                     // 1-based line of its key
  std::string scalar;               // kScalar: the text, quotes removed
  std::vector<std::string> items;   // kList: the scalars in order
  int rows = 0, cols = 0;           // kMatrix: its shape
  std::vector<double> data;         // kMatrix: rows x cols values, row-major
};

// Top-level keys and their values.
using OpenCvYaml = std::map<std::string, OpenCvYamlValue>;

// Parses `text`; `name` names the file in errors.
OpenCvYaml ParseOpenCvYaml(const std::string& text, const std::string& name);

// A scalar read as a number (the whole text, finite) or an integer; false if
// it is not one.
bool YamlNumber(const std::string& scalar, double* value);
bool YamlInteger(const std::string& scalar, long long* value);

}  // namespace resihmr::data
