// The parts of the `resihmr` Python module, each defined in its own file:
// body models (model_bindings.cc), persons and keypoint files
// (person_bindings.cc), fitting and its results (fit_bindings.cc), and the
// measure, synth and evaluate calls (tool_bindings.cc). Every function is a
// thin call into pipeline/ and the libraries below it.
#pragma once

#include <pybind11/pybind11.h>

namespace resihmr::python {

void BindModel(pybind11::module_& m);
void BindPerson(pybind11::module_& m);
void BindFit(pybind11::module_& m);
void BindTools(pybind11::module_& m);

}  // namespace resihmr::python
