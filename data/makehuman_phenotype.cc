#include "data/makehuman_phenotype.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "geometry/mesh_checks.h"
#include "model/error.h"

namespace resihmr::data {
namespace {

const char* const kValueNames[6] = {"gender", "age", "muscle", "weight", "height", "proportions"};

double Finite(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number()) throw Error(where + ": expected a number, got " + std::string(v.type_name()));
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw Error(where + ": non-finite number");
  return x;
}

const nlohmann::json& Array(const nlohmann::json& v, size_t min, size_t max, const std::string& where) {
  if (!v.is_array()) throw Error(where + ": expected an array");
  if (v.size() < min || v.size() > max) {
    throw Error(where + ": " + std::to_string(v.size()) + " entries, expected " + std::to_string(min) +
                (min == max ? "" : " to " + std::to_string(max)));
  }
  return v;
}

Eigen::Matrix<double, 7, 1> Values(const MakeHumanPhenotype& p) {
  Eigen::Matrix<double, 7, 1> x;
  x << p.gender, p.age, p.muscle, p.weight, p.height, p.proportions, 1.0;
  return x;
}

std::string Fixed(double x, int digits) {
  std::ostringstream s;
  s.precision(digits);
  s << std::fixed << x;
  return s.str();
}

// The slider value in [0, 1] where the increasing `measure` meets `target`,
// by bisection; an error naming `what` when it is out of reach.
double SolveSlider(const std::function<double(double)>& measure, double target, const std::string& what,
                   const std::string& unit, int digits) {
  const double lo = measure(0), hi = measure(1);
  if (!(lo < hi)) throw Error("phenotype: " + what + " does not rise with its slider on this model");
  if (target < lo || target > hi) {
    throw Error("phenotype: " + what + " " + Fixed(target, digits) + " " + unit + " is out of this model's reach (" +
                Fixed(lo, digits) + " to " + Fixed(hi, digits) + " " + unit + " with the other values given)");
  }
  double a = 0, b = 1;
  for (int it = 0; it < 48; ++it) {
    const double m = 0.5 * (a + b);
    (measure(m) < target ? a : b) = m;
  }
  return 0.5 * (a + b);
}

}  // namespace

PhenotypeMap PhenotypeMapOf(const MakeHumanShapeSpace& space) {
  return {space.phenotype_to_betas, space.sampled_range};
}

std::string PhenotypeMapPathFor(const std::string& model_path) {
  std::string path = model_path;
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".npz") == 0) path.resize(path.size() - 4);
  return path + ".phenotype.json";
}

PhenotypeMap PhenotypeMapFromJson(const nlohmann::json& json, int num_betas, const std::string& what) {
  if (!json.is_object()) throw Error(what + ": expected a JSON object (a model.phenotype.json of resihmr make-model)");
  for (const char* key : {"phenotype", "betas_from_phenotype", "sampled_range"}) {
    if (!json.contains(key)) throw Error(what + ": missing key '" + key + "'");
  }
  const nlohmann::json& names = Array(json["phenotype"], 7, 7, what + ": phenotype");
  for (int k = 0; k < 7; ++k) {
    const std::string expected = k < 6 ? kValueNames[k] : "1";
    if (!names[k].is_string() || names[k].get<std::string>() != expected) {
      throw Error(what + ": phenotype[" + std::to_string(k) + "]: expected \"" + expected + "\", got " + names[k].dump());
    }
  }
  PhenotypeMap map;
  const std::string rows_key = what + ": betas_from_phenotype";
  const nlohmann::json& rows = Array(json["betas_from_phenotype"], 1, static_cast<size_t>(std::max(num_betas, 1)), rows_key);
  map.betas_from_phenotype.resize(static_cast<Eigen::Index>(rows.size()), 7);
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string where = rows_key + "[" + std::to_string(r) + "]";
    const nlohmann::json& row = Array(rows[r], 7, 7, where);
    for (int c = 0; c < 7; ++c) {
      const double x = Finite(row[c], where + "[" + std::to_string(c) + "]");
      if (std::abs(x) > 1e6) throw Error(where + "[" + std::to_string(c) + "]: " + row[c].dump() + " is beyond 1e6");
      map.betas_from_phenotype(static_cast<Eigen::Index>(r), c) = x;
    }
  }
  const nlohmann::json& range = Array(json["sampled_range"], 6, 6, what + ": sampled_range");
  for (int k = 0; k < 6; ++k) {
    const std::string where = what + ": sampled_range[" + std::to_string(k) + "] (" + kValueNames[k] + ")";
    const nlohmann::json& pair = Array(range[k], 2, 2, where);
    const double lo = Finite(pair[0], where), hi = Finite(pair[1], where);
    if (!(0 <= lo && lo <= hi && hi <= 1)) throw Error(where + ": expected 0 <= lo <= hi <= 1, got " + pair.dump());
    map.sampled_range(k, 0) = lo;
    map.sampled_range(k, 1) = hi;
  }
  return map;
}

PhenotypeMap ReadPhenotypeMap(const std::string& path, int num_betas) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON: " + e.what());
  }
  return PhenotypeMapFromJson(json, num_betas, path);
}

Eigen::VectorXd BetasOf(const PhenotypeMap& map, const MakeHumanPhenotype& phenotype) {
  const Eigen::Matrix<double, 7, 1> x = Values(phenotype);
  for (int k = 0; k < 6; ++k) {
    if (!(x[k] >= 0 && x[k] <= 1)) {
      throw Error("phenotype: " + std::string(kValueNames[k]) + " " + std::to_string(x[k]) + " is not in [0, 1]");
    }
  }
  return map.betas_from_phenotype * x;
}

RestBodySize MeasureRestBody(const model::BodyModel& m, const Eigen::VectorXd& betas, double density_kg_m3) {
  if (betas.size() > m.num_betas) {
    throw Error("phenotype: " + std::to_string(betas.size()) + " betas for a model with " + std::to_string(m.num_betas));
  }
  const Eigen::Index V = m.v_template.rows();
  Eigen::VectorXd flat = Eigen::Map<const Eigen::VectorXd>(m.v_template.data(), 3 * V);
  if (betas.size() > 0) flat.noalias() += m.shapedirs.leftCols(betas.size()) * betas;
  const model::RowMatrixX3d vertices = Eigen::Map<const model::RowMatrixX3d>(flat.data(), V, 3);
  RestBodySize out;
  out.stature_m = vertices.col(1).maxCoeff() - vertices.col(1).minCoeff();
  out.volume_l = 1000 * geometry::SignedVolume(vertices, m.faces);
  out.mass_kg = out.volume_l / 1000 * density_kg_m3;
  return out;
}

RequestedBody SolveBody(const model::BodyModel& m, const PhenotypeMap& map, const BodyRequest& request) {
  if (request.stature_m != 0 && !(request.stature_m >= 0.5 && request.stature_m <= 2.5)) {
    throw Error("phenotype: stature " + std::to_string(request.stature_m) + " m is not in [0.5, 2.5] m");
  }
  if (request.mass_kg != 0 && !(request.mass_kg >= 10 && request.mass_kg <= 300)) {
    throw Error("phenotype: mass " + std::to_string(request.mass_kg) + " kg is not in [10, 300] kg");
  }
  if (!(request.density_kg_m3 >= 900 && request.density_kg_m3 <= 1200)) {
    throw Error("phenotype: density " + std::to_string(request.density_kg_m3) + " kg/m^3 is not in [900, 1200]");
  }
  if (map.betas_from_phenotype.rows() > m.num_betas) {
    throw Error("phenotype: the map gives " + std::to_string(map.betas_from_phenotype.rows()) +
                " betas, the model has " + std::to_string(m.num_betas) + " (a map of another model?)");
  }
  RequestedBody out;
  out.phenotype = request.phenotype;
  BetasOf(map, out.phenotype);  // checks every value is in [0, 1]
  const auto size_with = [&](double height, double weight) {
    MakeHumanPhenotype p = out.phenotype;
    p.height = height;
    p.weight = weight;
    return MeasureRestBody(m, BetasOf(map, p), request.density_kg_m3);
  };
  if (request.mass_kg > 0 && !(size_with(out.phenotype.height, 0.5).volume_l > 0)) {
    throw Error("phenotype: the model's skin has no positive volume (not a closed mesh), so it has no mass");
  }
  // Height mostly sets stature and weight mostly sets mass; each is solved
  // with the other held, in turn, until both hold (a few rounds).
  for (int round = 0; round < 30; ++round) {
    if (request.stature_m > 0) {
      out.phenotype.height = SolveSlider([&](double h) { return size_with(h, out.phenotype.weight).stature_m; },
                                         request.stature_m, "stature", "m", 3);
    }
    if (request.mass_kg > 0) {
      out.phenotype.weight = SolveSlider([&](double w) { return size_with(out.phenotype.height, w).mass_kg; },
                                         request.mass_kg, "mass", "kg", 1);
    }
    const RestBodySize s = size_with(out.phenotype.height, out.phenotype.weight);
    const bool stature_met = request.stature_m <= 0 || std::abs(s.stature_m - request.stature_m) < 5e-4;
    const bool mass_met = request.mass_kg <= 0 || std::abs(s.mass_kg - request.mass_kg) < 0.05;
    if (stature_met && mass_met) break;
    if (round == 29) throw Error("phenotype: stature and mass could not be met together on this model");
  }
  out.betas = BetasOf(map, out.phenotype);
  out.size = MeasureRestBody(m, out.betas, request.density_kg_m3);
  const Eigen::Matrix<double, 7, 1> x = Values(out.phenotype);
  for (int k = 0; k < 6; ++k) {
    out.extrapolated = out.extrapolated || x[k] < map.sampled_range(k, 0) || x[k] > map.sampled_range(k, 1);
  }
  return out;
}

nlohmann::json RequestedBodyJson(const RequestedBody& body) {
  const Eigen::Matrix<double, 7, 1> x = Values(body.phenotype);
  nlohmann::json phenotype;
  for (int k = 0; k < 6; ++k) phenotype[kValueNames[k]] = x[k];
  return {{"betas", std::vector<double>(body.betas.data(), body.betas.data() + body.betas.size())},
          {"phenotype", phenotype},
          {"stature_m", body.size.stature_m},
          {"volume_l", body.size.volume_l},
          {"mass_kg", body.size.mass_kg},
          {"extrapolated", body.extrapolated}};
}

}  // namespace resihmr::data
