// Conversions between the library's values and Python's for the bindings:
// NumPy arrays (float64 and int64, C order, copied) to and from Eigen
// matrices with their shapes checked, the library's JSON values as Python
// objects (dict, list, float, int, bool, str, None), and npz arrays as NumPy
// arrays (strings as lists of str), and a `config` argument as a FitConfig.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <Eigen/Core>
#include <nlohmann/json.hpp>
#include <string>

#include "model/npy.h"
#include "optim/fit_config.h"

namespace resihmr::python {

namespace py = pybind11;

using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A float64 copy of `array` with `cols` columns (-1: any); a 1-D array of
// length n is n x 1. Throws resihmr::Error "<what>: expected shape ..." otherwise,
// or (unless allow_nonfinite) when a value is not finite.
RowMatrixXd ToMatrix(const py::handle& array, Eigen::Index cols, const std::string& what, bool allow_nonfinite = false);

// The float64 array of `m` ((rows, cols)).
py::array_t<double> ToArray(const RowMatrixXd& m);
// A 1-D float64 array.
py::array_t<double> ToVector(const Eigen::VectorXd& v);

py::object JsonToPython(const nlohmann::json& j);

// A call's `threads` argument: 0 means all cores; else 1..256, or resihmr::Error naming `what`.
int ThreadsOrAllCores(int threads, const std::string& what);
py::object NpyToPython(const model::NpyArray& a);

// A call's `config` argument: None (the defaults), a JSON file's path, or a
// dict of the same keys (docs/output.md); resihmr::Error on a bad key or value.
optim::FitConfig FitConfigFromPython(const py::object& config);

}  // namespace resihmr::python
