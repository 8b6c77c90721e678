#include "data/opencv_yaml.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "model/error.h"

namespace resihmr::data {
namespace {

constexpr size_t kMaxEntries = 4096;
constexpr size_t kMaxValues = 4096;
constexpr int kMaxMatrixSide = 64;

bool IsKeyStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsKeyChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }
bool IsWordChar(char c) { return IsKeyChar(c) || c == '+'; }

struct Line {
  int number = 0;
  size_t indent = 0;
  std::string text;  // without the indent and trailing blanks
};

class Parser {
 public:
  Parser(const std::string& text, const std::string& name) : name_(name) { Split(text); }

  OpenCvYaml Parse() {
    if (lines_.empty()) throw Error(name_ + ": empty (an OpenCV FileStorage YAML file expected)");
    const std::string& d = lines_[0].text;
    const bool version = lines_[0].indent == 0 && d.size() == 9 && d.rfind("%YAML", 0) == 0 && (d[5] == ':' || d[5] == ' ') &&
                         d[6] == '1' && d[7] == '.' && std::isdigit(static_cast<unsigned char>(d[8]));
    if (!version) Fail(lines_[0], "the directive %YAML:1.0 must come first");
    if (lines_.size() < 2 || lines_[1].text != "---" || lines_[1].indent != 0) {
      Fail(lines_.size() < 2 ? lines_[0] : lines_[1], "\"---\" must follow the %YAML directive");
    }
    next_ = 2;
    OpenCvYaml out;
    while (next_ < lines_.size()) {
      const Line& line = lines_[next_++];
      if (line.text == "..." && line.indent == 0) {
        if (next_ < lines_.size()) Fail(lines_[next_], "text after the document's end \"...\"");
        break;
      }
      if (line.indent != 0) Fail(line, "a top-level \"key: value\" expected, not an indented line");
      size_t j = 0;
      if (!IsKeyStart(line.text[0])) Fail(line, "a key (a letter or '_' first) expected");
      while (j < line.text.size() && IsKeyChar(line.text[j])) ++j;
      if (j >= line.text.size() || line.text[j] != ':' || (j + 1 < line.text.size() && line.text[j + 1] != ' ' && line.text[j + 1] != '\t')) {
        Fail(line, "\"key: value\" expected");
      }
      const std::string key = line.text.substr(0, j);
      if (out.count(key)) Fail(line, key + ": the key appears twice");
      if (out.size() >= kMaxEntries) Fail(line, "more than " + std::to_string(kMaxEntries) + " entries");
      OpenCvYamlValue& value = out[key];
      value.line = line.number;
      Value(line, key, Trim(line.text.substr(j + 1)), &value);
    }
    return out;
  }

 private:
  [[noreturn]] void Fail(const Line& line, const std::string& why) const {
    throw Error(name_ + ": line " + std::to_string(line.number) + ": " + why + " (an OpenCV FileStorage YAML file expected)");
  }

  static std::string Trim(const std::string& s) {
    const size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t") - a + 1);
  }

  void Split(const std::string& text) {
    size_t start = 0;
    int number = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string raw = text.substr(start, end - start);
      start = end + 1;
      ++number;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      Line line;
      line.number = number;
      for (char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 ? c != '\t' : u > 0x7e) Fail(line, "a character that is not printable ASCII");
      }
      while (line.indent < raw.size() && raw[line.indent] == ' ') ++line.indent;
      if (line.indent < raw.size() && raw[line.indent] == '\t') Fail(line, "a tab in the indentation");
      line.text = Trim(raw);
      if (line.text.empty() || line.text[0] == '#') continue;
      lines_.push_back(std::move(line));
    }
  }

  // One scalar, the whole of `t`: a quoted word (letters, digits, spaces and
  // '_', '-', '.', '+') or a bare one.
  std::string Scalar(const Line& line, const std::string& t) const {
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
      for (size_t i = 1; i + 1 < t.size(); ++i) {
        if (!IsWordChar(t[i]) && t[i] != ' ') Fail(line, "a quoted word may hold only letters, digits, spaces, '_', '-', '.', '+'");
      }
      return t.substr(1, t.size() - 2);
    }
    if (t.empty()) Fail(line, "a value expected");
    for (char c : t) {
      if (!IsWordChar(c)) Fail(line, "a number or a word expected, got '" + t + "'");
    }
    return t;
  }

  // A flow list; `rest` follows its "[". Runs over indented lines until "]".
  std::vector<std::string> FlowList(const Line& first, std::string rest) {
    std::vector<std::string> items;
    bool need_separator = false, comma = false;
    const Line* line = &first;
    for (;;) {
      size_t i = 0;
      while (i < rest.size()) {
        const char c = rest[i];
        if (c == ' ' || c == '\t') {
          ++i;
        } else if (c == ',') {
          if (!need_separator) Fail(*line, "an empty list entry");
          need_separator = false;
          comma = true;
          ++i;
        } else if (c == ']') {
          if (!need_separator && comma) Fail(*line, "an empty list entry before \"]\"");
          if (!Trim(rest.substr(i + 1)).empty()) Fail(*line, "text after a list's \"]\"");
          return items;
        } else {
          if (need_separator) Fail(*line, "',' expected between list entries");
          size_t j = i;
          if (c == '"') {
            j = rest.find('"', i + 1);
            if (j == std::string::npos) Fail(*line, "a quote that is never closed");
            ++j;
          } else {
            while (j < rest.size() && IsWordChar(rest[j])) ++j;
            if (j == i) Fail(*line, std::string("unexpected '") + c + "' in a list");
          }
          if (items.size() >= kMaxValues) Fail(*line, "more than " + std::to_string(kMaxValues) + " list entries");
          items.push_back(Scalar(*line, rest.substr(i, j - i)));
          need_separator = true;
          i = j;
        }
      }
      if (next_ >= lines_.size() || lines_[next_].indent == 0) Fail(*line, "a list \"[\" that is never closed");
      line = &lines_[next_++];
      rest = line->text;
    }
  }

  void Value(const Line& line, const std::string& key, const std::string& text, OpenCvYamlValue* value) {
    if (text.empty()) {  // block items, or nothing
      value->kind = OpenCvYamlValue::Kind::kList;
      const size_t indent = next_ < lines_.size() ? lines_[next_].indent : 0;
      while (next_ < lines_.size() && lines_[next_].indent == indent && lines_[next_].text.rfind("- ", 0) == 0) {
        const Line& item = lines_[next_++];
        if (value->items.size() >= kMaxValues) Fail(item, key + ": more than " + std::to_string(kMaxValues) + " list entries");
        value->items.push_back(Scalar(item, Trim(item.text.substr(2))));
      }
      if (next_ < lines_.size() && lines_[next_].indent != 0) Fail(lines_[next_], key + ": \"- item\" lines of one indent expected");
    } else if (text == "!!opencv-matrix") {
      Matrix(line, key, value);
    } else if (text[0] == '[') {
      value->kind = OpenCvYamlValue::Kind::kList;
      value->items = FlowList(line, text.substr(1));
    } else {
      value->scalar = Scalar(line, text);
    }
  }

  void Matrix(const Line& head, const std::string& key, OpenCvYamlValue* value) {
    value->kind = OpenCvYamlValue::Kind::kMatrix;
    std::map<std::string, std::vector<std::string>> fields;
    const size_t indent = next_ < lines_.size() ? lines_[next_].indent : 0;
    if (indent == 0) Fail(head, key + ": indented rows, cols, dt and data expected after !!opencv-matrix");
    while (next_ < lines_.size() && lines_[next_].indent != 0) {
      const Line& line = lines_[next_++];
      if (line.indent != indent) Fail(line, key + ": the matrix's fields must share one indent");
      const size_t colon = line.text.find(':');
      const std::string field = line.text.substr(0, colon);
      if (colon == std::string::npos || (field != "rows" && field != "cols" && field != "dt" && field != "data")) {
        Fail(line, key + ": rows, cols, dt or data expected");
      }
      if (fields.count(field)) Fail(line, key + ": " + field + " appears twice");
      const std::string text = Trim(line.text.substr(colon + 1));
      if (field == "data") {
        if (text.empty() || text[0] != '[') Fail(line, key + ": data: a list \"[...]\" expected");
        fields[field] = FlowList(line, text.substr(1));
      } else {
        fields[field] = {Scalar(line, text)};
      }
    }
    for (const char* f : {"rows", "cols", "dt", "data"}) {
      if (!fields.count(f)) Fail(head, key + ": " + f + " missing from the opencv-matrix");
    }
    long long rows = 0, cols = 0;
    if (!YamlInteger(fields["rows"][0], &rows) || rows < 1 || rows > kMaxMatrixSide ||
        !YamlInteger(fields["cols"][0], &cols) || cols < 1 || cols > kMaxMatrixSide) {
      Fail(head, key + ": rows and cols: integers 1 to " + std::to_string(kMaxMatrixSide) + " expected");
    }
    const std::string& dt = fields["dt"][0];
    if (dt.size() != 1 || std::string("ucwsifd").find(dt[0]) == std::string::npos) Fail(head, key + ": dt: one of u, c, w, s, i, f, d expected");
    const std::vector<std::string>& data = fields["data"];
    if (data.size() != static_cast<size_t>(rows * cols)) {
      Fail(head, key + ": data holds " + std::to_string(data.size()) + " values, rows x cols = " + std::to_string(rows * cols));
    }
    value->rows = static_cast<int>(rows);
    value->cols = static_cast<int>(cols);
    for (const std::string& s : data) {
      double v = 0;
      if (!YamlNumber(s, &v)) Fail(head, key + ": data: finite numbers expected, got '" + s + "'");
      value->data.push_back(v);
    }
  }

  std::string name_;
  std::vector<Line> lines_;
  size_t next_ = 0;
};

}  // namespace

bool YamlNumber(const std::string& scalar, double* value) {
  const char* begin = scalar.data();
  const char* end = begin + scalar.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end) return false;
  const auto [ptr, ec] = std::from_chars(begin, end, *value);
  return ec == std::errc() && ptr == end && std::isfinite(*value);
}

bool YamlInteger(const std::string& scalar, long long* value) {
  const char* begin = scalar.data();
  const char* end = begin + scalar.size();
  if (begin != end && *begin == '+') ++begin;
  if (begin == end) return false;
  const auto [ptr, ec] = std::from_chars(begin, end, *value);
  return ec == std::errc() && ptr == end;
}

OpenCvYaml ParseOpenCvYaml(const std::string& text, const std::string& name) { return Parser(text, name).Parse(); }

}  // namespace resihmr::data
