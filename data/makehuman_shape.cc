#include "data/makehuman_shape.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <sstream>

#include "data/makehuman_files.h"
#include "model/error.h"

namespace resihmr::data {
namespace {

constexpr double kMetresPerUnit = 0.1;

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, '-');) out.push_back(part);
  return out;
}

// Tent weight of node `i` of `nodes` (increasing) at x.
double Tent(const std::vector<double>& nodes, size_t i, double x) {
  x = std::clamp(x, 0.0, 1.0);
  if (x == nodes[i]) return 1;
  if (x < nodes[i]) return i == 0 ? 0 : std::max(0.0, (x - nodes[i - 1]) / (nodes[i] - nodes[i - 1]));
  return i + 1 == nodes.size() ? 0 : std::max(0.0, (nodes[i + 1] - x) / (nodes[i + 1] - nodes[i]));
}

double Weight(const MakeHumanTargets::Target& t, const MakeHumanPhenotype& p) {
  static const std::vector<std::string> ages = {"baby", "child", "young", "old"}, levels = {"min", "average", "max"};
  const auto index = [](const std::vector<std::string>& names, const std::string& n) {
    return static_cast<size_t>(std::find(names.begin(), names.end(), n) - names.begin());
  };
  double w = t.gender == "female" ? 1 - std::clamp(p.gender, 0.0, 1.0) : std::clamp(p.gender, 0.0, 1.0);
  w *= Tent({0, 0.1875, 0.5, 1}, index(ages, t.age), p.age);
  w *= Tent({0, 0.5, 1}, index(levels, t.muscle), p.muscle);
  w *= Tent({0, 0.5, 1}, index(levels, t.weight), p.weight);
  const double h = std::clamp(p.height, 0.0, 1.0), q = std::clamp(p.proportions, 0.0, 1.0);
  if (t.modifier == "maxheight") w *= std::max(0.0, 2 * h - 1);
  if (t.modifier == "minheight") w *= std::max(0.0, 1 - 2 * h);
  if (t.modifier == "idealproportions") w *= std::max(0.0, 2 * q - 1);
  if (t.modifier == "uncommonproportions") w *= std::max(0.0, 1 - 2 * q);
  return w;
}

// Parses a macro target's file name into `t`, or throws naming it.
void ParseName(const std::string& path, bool universal, MakeHumanTargets::Target* t) {
  std::string name = std::filesystem::path(path).filename().string();
  const std::string suffix = ".target.gz";
  if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    throw Error(path + ": not a .target.gz file");
  }
  name.resize(name.size() - suffix.size());
  std::vector<std::string> parts = Split(name);
  if (universal) {
    if (parts.empty() || parts.front() != "universal") throw Error(path + ": expected universal-<gender>-<age>-<muscle>-<weight>");
    parts.erase(parts.begin());
  }
  const auto strip = [](std::string s, const std::string& end) {
    return s.size() > end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0 ? s.substr(0, s.size() - end.size()) : "";
  };
  const bool ok_count = parts.size() == (universal ? 4u : 5u);
  if (ok_count) {
    t->gender = parts[0];
    t->age = parts[1];
    t->muscle = strip(parts[2], "muscle");
    t->weight = strip(parts[3], "weight");
    t->modifier = universal ? "" : parts[4];
  }
  const auto in = [](const std::string& x, std::initializer_list<const char*> set) {
    return std::any_of(set.begin(), set.end(), [&](const char* s) { return x == s; });
  };
  if (!ok_count || !in(t->gender, {"female", "male"}) || !in(t->age, {"baby", "child", "young", "old"}) ||
      !in(t->muscle, {"min", "average", "max"}) || !in(t->weight, {"min", "average", "max"}) ||
      (!universal && !in(t->modifier, {"maxheight", "minheight", "idealproportions", "uncommonproportions"}))) {
    throw Error(path + ": not a macro target's name (<gender>-<age>-<min|average|max>muscle-<min|average|max>weight"
                       "[-<max|min>height|-<ideal|uncommon>proportions])");
  }
}

}  // namespace

MakeHumanTargets ReadMakeHumanTargets(const std::string& dir, const MakeHumanBody& body) {
  MakeHumanTargets out;
  out.num_vertices = static_cast<int>(body.vertices.rows());
  std::vector<int> skin_of_file;
  for (size_t i = 0; i < body.file_vertex.size(); ++i) {
    if (static_cast<size_t>(body.file_vertex[i]) >= skin_of_file.size()) skin_of_file.resize(body.file_vertex[i] + 1, -1);
    skin_of_file[static_cast<size_t>(body.file_vertex[i])] = static_cast<int>(i);
  }
  std::vector<std::pair<std::string, bool>> files;  // path, universal
  for (const char* sub : {"", "/height", "/proportions"}) {
    const std::string folder = dir + "/targets" + sub;
    if (!std::filesystem::is_directory(folder)) throw Error(folder + ": missing (a MakeHuman folder's targets)");
    for (const auto& e : std::filesystem::directory_iterator(folder)) {
      if (e.is_regular_file()) files.emplace_back(e.path().string(), std::string(sub).empty());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& [path, universal] : files) {
    MakeHumanTargets::Target t;
    t.file = path;
    ParseName(path, universal, &t);
    const MakeHumanTarget raw = ParseMakeHumanTarget(ReadGzipFile(path), path, body.file_vertex_count);
    for (size_t i = 0; i < raw.vertices.size(); ++i) {
      const int file_v = raw.vertices[i];
      const int v = static_cast<size_t>(file_v) < skin_of_file.size() ? skin_of_file[static_cast<size_t>(file_v)] : -1;
      if (v < 0) continue;  // a helper vertex
      t.offsets.emplace_back(v, kMetresPerUnit * (body.tpose_rotation[static_cast<size_t>(v)] * raw.offsets[i]));
    }
    out.targets.push_back(std::move(t));
  }
  if (out.targets.empty()) throw Error(dir + "/targets: no macro targets");
  return out;
}

Eigen::VectorXd PhenotypeOffsets(const MakeHumanTargets& targets, const MakeHumanPhenotype& phenotype) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3 * static_cast<Eigen::Index>(targets.num_vertices));
  for (const MakeHumanTargets::Target& t : targets.targets) {
    const double w = Weight(t, phenotype);
    if (w == 0) continue;
    for (const auto& [v, d] : t.offsets) x.segment<3>(3 * v) += w * d;
  }
  return x;
}

MakeHumanShapeSpace BuildMakeHumanShapeSpace(const MakeHumanTargets& targets, int num_betas, int samples, unsigned seed) {
  if (num_betas < 1 || samples <= num_betas) throw Error("makehuman shape space: need 1 <= betas < samples");
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  MakeHumanShapeSpace out;
  out.sampled_range << 0, 1, 0.5, 1, 0, 1, 0, 1, 0.35, 0.65, 0, 1;
  const auto draw = [&](int value) {
    return out.sampled_range(value, 0) + (out.sampled_range(value, 1) - out.sampled_range(value, 0)) * u(rng);
  };
  const Eigen::Index N = samples, D = 3 * static_cast<Eigen::Index>(targets.num_vertices);
  Eigen::MatrixXd X(D, N), phenotypes(N, 7);
  for (Eigen::Index n = 0; n < N; ++n) {
    MakeHumanPhenotype p;
    p.gender = draw(0);
    p.age = draw(1);          // adults, 25 to 90 years
    p.muscle = draw(2);
    p.weight = draw(3);
    p.height = draw(4);       // about 1.45 to 1.9 m
    p.proportions = draw(5);
    X.col(n) = PhenotypeOffsets(targets, p);
    phenotypes.row(n) << p.gender, p.age, p.muscle, p.weight, p.height, p.proportions, 1.0;
  }
  const Eigen::MatrixXd gram = X.transpose() * X;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
  const double total = gram.trace();
  out.shapedirs.resize(D, num_betas);
  out.explained.resize(num_betas);
  Eigen::MatrixXd betas(N, num_betas);
  for (int k = 0; k < num_betas; ++k) {
    const Eigen::Index e = N - 1 - k;  // eigenvalues ascend
    const Eigen::VectorXd v = eig.eigenvectors().col(e);
    out.shapedirs.col(k) = X * v / std::sqrt(static_cast<double>(N));
    out.explained[k] = eig.eigenvalues()[e] / total;
    betas.col(k) = v * std::sqrt(static_cast<double>(N));
  }
  out.phenotype_to_betas = phenotypes.colPivHouseholderQr().solve(betas).transpose();
  out.mapping_r2.resize(num_betas);
  const Eigen::MatrixXd fitted = phenotypes * out.phenotype_to_betas.transpose();
  for (int k = 0; k < num_betas; ++k) {
    const double ss = (betas.col(k).array() - betas.col(k).mean()).square().sum();
    out.mapping_r2[k] = 1 - (betas.col(k) - fitted.col(k)).squaredNorm() / ss;
  }
  return out;
}

}  // namespace resihmr::data
