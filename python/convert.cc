#include "python/convert.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "model/error.h"
#include "pipeline/parallel.h"

namespace resihmr::python {

RowMatrixXd ToMatrix(const py::handle& object, Eigen::Index cols, const std::string& what, bool allow_nonfinite) {
  py::array_t<double, py::array::c_style | py::array::forcecast> a;
  try {
    a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(object);
  } catch (const py::error_already_set&) {
    a = py::array_t<double, py::array::c_style | py::array::forcecast>();
  }
  if (!a) throw Error(what + ": expected a numeric array");
  if (a.ndim() > 2) throw Error(what + ": expected a 1-D or 2-D array, got " + std::to_string(a.ndim()) + " dimensions");
  const Eigen::Index rows = a.ndim() == 0 ? 1 : a.shape(0);
  const Eigen::Index have_cols = a.ndim() == 2 ? a.shape(1) : 1;
  if (cols >= 0 && have_cols != cols) {
    throw Error(what + ": expected shape (n, " + std::to_string(cols) + "), got " + std::to_string(have_cols) + " columns");
  }
  RowMatrixXd m(rows, have_cols);
  const double* data = a.data();
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    if (!allow_nonfinite && !std::isfinite(data[i])) throw Error(what + ": element " + std::to_string(i) + " is not finite");
    m.data()[i] = data[i];
  }
  return m;
}

py::array_t<double> ToArray(const RowMatrixXd& m) {
  py::array_t<double> a({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  std::copy(m.data(), m.data() + m.size(), a.mutable_data());
  return a;
}

py::array_t<double> ToVector(const Eigen::VectorXd& v) {
  py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
  std::copy(v.data(), v.data() + v.size(), a.mutable_data());
  return a;
}

int ThreadsOrAllCores(int threads, const std::string& what) {
  if (threads < 0 || threads > pipeline::kMaxThreads) throw Error(what + ": threads must be 0 (all cores) or 1..256");
  if (threads > 0) return threads;
  return static_cast<int>(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1u, pipeline::kMaxThreads));
}

py::object JsonToPython(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(j.get<double>());
    case nlohmann::json::value_t::string: return py::str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& x : j) out.append(JsonToPython(x));
      return std::move(out);
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (auto it = j.begin(); it != j.end(); ++it) out[py::str(it.key())] = JsonToPython(it.value());
      return std::move(out);
    }
    default: return py::none();
  }
}

py::object NpyToPython(const model::NpyArray& a) {
  if (a.kind == 'U' || a.kind == 'S') {
    py::list out;
    for (const std::string& s : a.ToStrings()) out.append(py::str(s));
    return std::move(out);
  }
  std::vector<py::ssize_t> shape(a.shape.begin(), a.shape.end());
  if (a.kind == 'f') {
    py::array_t<double> out(shape);
    const std::vector<double> v = a.ToDoubles();
    std::copy(v.begin(), v.end(), out.mutable_data());
    return std::move(out);
  }
  py::array_t<int64_t> out(shape);
  const std::vector<int64_t> v = a.ToInt64s();
  std::copy(v.begin(), v.end(), out.mutable_data());
  return std::move(out);
}

optim::FitConfig FitConfigFromPython(const py::object& config) {
  optim::FitConfig out = optim::FitConfig::Default();
  if (config.is_none()) return out;
  if (py::isinstance<py::dict>(config)) {
    const std::string text = py::module_::import("json").attr("dumps")(config).cast<std::string>();
    optim::ApplyFitConfigJson(nlohmann::json::parse(text), "config", &out);
    return out;
  }
  return optim::ReadFitConfig(config.cast<std::string>());
}

}  // namespace resihmr::python
