// The `resihmr` Python module (pybind11): body models, persons, fitting,
// measurements, synthetic datasets and evaluation; docs/python.md.
#include <pybind11/pybind11.h>

#include "model/error.h"
#include "python/bindings.h"

PYBIND11_MODULE(resihmr, m) {
  m.doc() = R"doc(
resihmr: 3D human meshes of people with limb loss from 2D keypoints.

  model = resihmr.BodyModel.embedded()
  persons = resihmr.read_keypoints("keypoints.json")
  results = resihmr.fit(model, persons, method="resihmr", threads=2)
  for r in results:
      print(r.status, [(l["limb"], l["length_mm"]) for l in r.residual_limbs])

Errors from the library are resihmr.Error, a subclass of ValueError, with the
command line's message. docs/python.md has a worked example.)doc";
  m.attr("__version__") = RESIHMR_VERSION;
  pybind11::register_exception<resihmr::Error>(m, "Error", PyExc_ValueError);
  resihmr::python::BindModel(m);
  resihmr::python::BindPerson(m);
  resihmr::python::BindFit(m);
  resihmr::python::BindTools(m);
}
