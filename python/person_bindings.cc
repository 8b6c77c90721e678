// resihmr.Person and resihmr.read_keypoints: the observations a fit takes.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "data/annotation_file.h"
#include "data/limb_state.h"
#include "data/observation.h"
#include "model/error.h"
#include "pipeline/person_from_arrays.h"
#include "python/bindings.h"
#include "python/convert.h"

namespace resihmr::python {
namespace {

using data::Observation;

cv::Mat MaskFromArray(const py::object& mask) {
  if (mask.is_none()) return cv::Mat();
  const auto a = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>::ensure(mask);
  if (!a || a.ndim() != 2) throw Error("person: mask: expected a 2-D (height, width) uint8 or bool array");
  cv::Mat out(static_cast<int>(a.shape(0)), static_cast<int>(a.shape(1)), CV_8UC1);
  std::copy(a.data(), a.data() + a.size(), out.data);
  return out;
}

py::object MaskToArray(const cv::Mat& mask) {
  if (mask.empty()) return py::none();
  py::array_t<uint8_t> a({static_cast<py::ssize_t>(mask.rows), static_cast<py::ssize_t>(mask.cols)});
  for (int r = 0; r < mask.rows; ++r) std::copy(mask.ptr<uint8_t>(r), mask.ptr<uint8_t>(r) + mask.cols, a.mutable_data(r, 0));
  return std::move(a);
}

// x, y and COCO's visibility (confidence for body25) per keypoint.
py::array_t<double> Keypoints(const Observation& o) {
  RowMatrixXd k(o.points.rows(), 3);
  const bool flags = o.layout->name != "body25";
  for (Eigen::Index i = 0; i < k.rows(); ++i) {
    k.row(i) << o.points(i, 0), o.points(i, 1), flags ? static_cast<double>(o.visibility[i]) : o.confidence[i];
  }
  return ToArray(k);
}

Observation FromArrays(const py::object& keypoints, const std::string& layout, const std::pair<int, int>& image_size,
                       const py::object& mask, const std::string& image, int64_t annotation_id) {
  pipeline::PersonArrays a;
  const RowMatrixXd k = ToMatrix(keypoints, 3, "person: keypoints", true);  // PersonFromArrays names a bad one
  a.keypoints = k;
  a.layout = layout;
  a.image_width = image_size.first;
  a.image_height = image_size.second;
  a.mask = MaskFromArray(mask);
  a.image = image;
  a.annotation_id = annotation_id;
  return pipeline::PersonFromArrays(a);
}

}  // namespace

void BindPerson(py::module_& m) {
  py::class_<Observation>(m, "Person", R"doc(
One annotated person: 2D keypoints in a layout (pixels, image y down), the
image size, optionally the person's mask, and the problems found while
reading that left the person usable (warnings).)doc")
      .def_static("from_arrays", &FromArrays, py::arg("keypoints"), py::arg("layout") = "ldpose25",
                  py::arg("image_size"), py::arg("mask") = py::none(), py::arg("image") = "image.png",
                  py::arg("annotation_id") = 0, R"doc(
Builds a person from NumPy arrays.

  keypoints      (K, 3): x, y in pixels and, for coco17 and ldpose25, COCO's
                 visibility (0 absent, 1 labelled occluded, 2 visible); for
                 body25 a confidence in [0, 1]. K is the layout's size
                 (resihmr.keypoint_layouts()). LDPose-25's residual-limb
                 states are read off the visibilities as in files.
  layout         coco17, ldpose25 (default) or body25
  image_size     (width, height) in pixels
  mask           None, or (height, width) uint8 / bool, nonzero inside the person
  image, annotation_id   name the result (its files are <image stem>_<id>.*)

Raises resihmr.Error (a ValueError) naming the keypoint and field out of range.)doc")
      .def_property_readonly("image", [](const Observation& o) { return o.image; })
      .def_property_readonly("annotation_id", [](const Observation& o) { return o.annotation_id; })
      .def_property_readonly("image_size", [](const Observation& o) { return std::make_pair(o.image_width, o.image_height); },
                             "(width, height) in pixels; (0, 0) when the file gives none")
      .def_property_readonly("layout", [](const Observation& o) { return o.layout->name; })
      .def_property_readonly("keypoints", &Keypoints, "(K, 3): x, y (pixels) and visibility (body25: confidence)")
      .def_property_readonly("mask", [](const Observation& o) { return MaskToArray(o.mask); },
                             "(height, width) uint8, 255 inside the person; None when the file has none")
      .def_property_readonly("warnings", [](const Observation& o) { return o.warnings; })
      .def_property_readonly("limb_states", [](const Observation& o) {
        py::dict out;
        for (const data::LimbStatus& s : data::LimbStates(o)) out[py::str(data::LimbName(s.limb))] = data::LimbStateName(s.state);
        return out;
      }, "{limb: intact | above_joint_loss | below_joint_loss | unknown}, read off the keypoints")
      .def("__repr__", [](const Observation& o) {
        return "<resihmr.Person " + o.image + " #" + std::to_string(o.annotation_id) + ", " + o.layout->name + ", " +
               std::to_string(o.num_present()) + " keypoints labelled>";
      });
  m.def("read_keypoints", [](const std::string& path, const py::object& masks, bool strict) {
    data::ReadOptions options;
    options.masks_dir = masks.is_none() ? std::string() : masks.cast<std::string>();
    options.strict = strict;
    data::AnnotationFile file;
    {
      py::gil_scoped_release release;
      file = data::ReadAnnotations(path, options);
    }
    // What the reader skipped or repaired, as Python warnings (the command line prints them).
    const py::object warn = py::module_::import("warnings").attr("warn");
    for (const std::string& w : file.warnings) warn(w, py::handle(PyExc_RuntimeWarning));
    return file.persons;
  }, py::arg("path"), py::arg("masks") = py::none(), py::arg("strict") = false, R"doc(
The persons of a keypoint file: COCO-17 or LDPose-25 COCO JSON (with
segmentation masks when present) or OpenPose BODY_25 JSON. Raises
resihmr.Error naming the file, record and field when the file is malformed;
a person the reader had to skip, or a repaired oddity, is a RuntimeWarning
naming the file and record (each usable person's own notes are in its
.warnings). masks: a folder of per-person mask PNGs, named as for
`resihmr fit --masks`; an annotation's "mask_file" is read in any case.
strict: every problem with a person (and with its mask) is an error.)doc");
}

}  // namespace resihmr::python
