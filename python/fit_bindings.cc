// resihmr.fit and resihmr.Result: the pipeline of pipeline/reconstruct_person.h
// on a list of persons, the GIL released while it runs.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "data/init_params.h"
#include "model/error.h"
#include "optim/fit_config.h"
#include "geometry/mesh_io.h"
#include "pipeline/fit_result_npz.h"
#include "pipeline/json_file.h"
#include "pipeline/parallel.h"
#include "pipeline/person_pictures.h"
#include "pipeline/reconstruct_person.h"
#include "pipeline/result_files.h"
#include "pipeline/result_json.h"
#include "python/bindings.h"
#include "python/convert.h"

namespace resihmr::python {
namespace {

struct Mesh {
  geometry::RowMatrixX3d vertices;
  geometry::RowMatrixX3i faces;
  std::vector<bool> residual;
  bool watertight = false;
};

struct Result {
  std::shared_ptr<const model::BodyModel> model;
  data::Observation person;
  pipeline::PersonResult result;
  std::string method, model_name;

  const optim::FitResult& fit() const { return result.result(); }
  nlohmann::json json() const { return pipeline::PersonResultJson(person, result, method, model_name); }
};

const char* const kParamKeys[] = {"global_orient", "body_pose", "left_hand_pose", "right_hand_pose", "jaw_pose",
                                  "leye_pose",     "reye_pose", "expression",     "betas",           "transl",
                                  "zeroed_joints"};

py::object Params(const Result& r) {
  if (!r.fit().ok) return py::none();
  const auto arrays = pipeline::FitResultArrays(*r.model, r.fit(), r.result.fit.residual_limbs);
  py::dict out;
  for (const char* key : kParamKeys) {
    const auto it = arrays.find(key);
    if (it != arrays.end()) out[key] = NpyToPython(it->second);
  }
  return std::move(out);
}

py::dict Camera(const Result& r) {
  const model::PinholeCamera& c = r.fit().camera;
  Eigen::Matrix3d K;
  K << c.fx, 0, c.cx, 0, c.fy, c.cy, 0, 0, 1;
  py::dict out;
  out["K"] = ToArray(K);
  out["R"] = ToArray(Eigen::Matrix3d::Identity());
  out["t"] = ToVector(Eigen::Vector3d::Zero());
  out["focal_length"] = py::make_tuple(c.fx, c.fy);
  out["principal_point"] = py::make_tuple(c.cx, c.cy);
  out["image_size"] = py::make_tuple(c.width, c.height);
  out["convention"] = "OpenCV: x right, y down, z forward; R, t map the body's frame to the camera's (identity, zero)";
  return out;
}

py::object ResultMesh(const Result& r) {
  if (!r.fit().ok) return py::none();
  const geometry::StumpMesh& s = r.result.mesh.mesh;
  Mesh mesh{s.vertices, s.faces, std::vector<bool>(s.residual.begin(), s.residual.end()), s.watertight()};
  return py::cast(mesh);
}

py::dict Measurements(const Result& r) {
  py::dict out;
  for (size_t i = 0; i < r.result.fit.residual_limbs.size(); ++i) {
    const geometry::StumpOutcome* stump = r.result.stump_of(i);
    if (!stump || !stump->ok) continue;
    out[py::str(model::LimbName(r.result.fit.residual_limbs[i].limb.limb))] =
        JsonToPython(pipeline::StumpMeasurementsJson(*stump, r.result.profile_of(i)));
  }
  return out;
}

pipeline::ReconstructOptions Options(const std::string& method, const py::object& focal, const py::object& limbs,
                                     const py::object& config, bool silhouette) {
  pipeline::ReconstructOptions options;
  if (!optim::ParseMethod(method, &options.fit.method)) {
    throw Error("fit: method '" + method + "' is unknown (expected resihmr, intact or ajahr-zero)");
  }
  if (!focal.is_none()) {
    options.focal_px = focal.cast<double>();
    if (!(options.focal_px > 0 && options.focal_px <= 1e6)) throw Error("fit: focal must be in (0, 1e6] pixels, or None");
  }
  if (!limbs.is_none()) {
    std::string text;
    if (py::isinstance<py::dict>(limbs)) {
      for (const auto& [limb, level] : limbs.cast<py::dict>()) {
        text += (text.empty() ? "" : ",") + limb.cast<std::string>() + "=" + level.cast<std::string>();
      }
    } else {
      text = limbs.cast<std::string>();
    }
    options.fit.limbs = optim::ParseLimbList(text);
    options.fit.limbs_given = true;
  }
  options.fit.fit.config = FitConfigFromPython(config);
  options.fit.silhouette = silhouette;
  return options;
}

std::vector<Result> Fit(const std::shared_ptr<model::BodyModel>& model, const py::object& persons_object,
                        const std::string& method, const py::object& focal, const py::object& limbs,
                        const py::object& init, int threads, const py::object& config, bool silhouette) {
  if (!model) throw Error("fit: model is None");
  std::vector<data::Observation> persons;
  if (py::isinstance<data::Observation>(persons_object)) {
    persons.push_back(persons_object.cast<data::Observation>());
  } else {
    persons = persons_object.cast<std::vector<data::Observation>>();
  }
  pipeline::ReconstructOptions options = Options(method, focal, limbs, config, silhouette);
  const int n_threads = ThreadsOrAllCores(threads, "fit");
  const std::string init_path = init.is_none() ? std::string() : init.cast<std::string>();
  data::InitFile starts;
  std::vector<pipeline::PersonResult> results;
  {
    py::gil_scoped_release release;
    if (!init_path.empty()) {
      starts = data::ReadInitParams(init_path, *model);
      pipeline::PrepareInitStarts(*model, persons.size(), "fit: " + init_path, "the persons given", &starts);
      options.init = &starts;
    }
    results = pipeline::ReconstructPersons(*model, persons, options, n_threads);
  }
  std::vector<Result> out;
  for (size_t i = 0; i < results.size(); ++i) {
    out.push_back({model, persons[i], std::move(results[i]), optim::MethodName(options.fit.method),
                   model->source.empty() ? "python" : model->source});
  }
  return out;
}

}  // namespace

void BindFit(py::module_& m) {
  py::class_<Mesh>(m, "Mesh", "A fitted person's mesh: camera frame, metres (x right, y down, z forward).")
      .def_readonly("vertices", &Mesh::vertices, "(V, 3) float64")
      .def_readonly("faces", &Mesh::faces, "(F, 3) int32, counter-clockwise from outside")
      .def_property_readonly("residual", [](const Mesh& mesh) {
        py::array_t<bool> a(static_cast<py::ssize_t>(mesh.residual.size()));
        std::copy(mesh.residual.begin(), mesh.residual.end(), a.mutable_data());
        return a;
      }, "(V,) bool, True on a residual limb (the stump)")
      .def_readonly("watertight", &Mesh::watertight, "closed and 2-manifold (checked by code)")
      .def("save", [](const Mesh& mesh, const std::string& path) {
        std::vector<uint8_t> residual(mesh.residual.begin(), mesh.residual.end());
        geometry::MeshWriteOptions options;
        options.binary_ply = true;
        const bool glb = path.size() >= 4 && path.compare(path.size() - 4, 4, ".glb") == 0;
        geometry::WriteMesh(path, glb ? pipeline::GltfAxes(mesh.vertices) : mesh.vertices, mesh.faces,
                            pipeline::ResidualColours(residual), residual, options);
      }, py::arg("path"), R"doc(
Writes the mesh as .ply (binary, vertex colours and the property `residual`),
.obj, or .glb (glTF's axes: y up, the camera at +z; the residual limb red).)doc");

  py::class_<Result>(m, "Result", "One person's fit, residual limbs, stump mesh and measurements.")
      .def_property_readonly("status", [](const Result& r) { return r.fit().status(); }, "ok, suspect or failed")
      .def_property_readonly("ok", [](const Result& r) { return r.fit().ok; }, "the fit finished (status ok or suspect)")
      .def_property_readonly("error", [](const Result& r) { return r.fit().error; }, "why the fit failed ('' when it did not)")
      .def_property_readonly("suspect_reasons", [](const Result& r) { return r.fit().suspect; })
      .def_property_readonly("warnings", [](const Result& r) { return r.result.warnings; })
      .def_property_readonly("person", [](const Result& r) { return r.person; })
      .def_property_readonly("params", &Params, R"doc(
The parameters in smplx's naming (None when the fit failed), float64 arrays:
global_orient (3,), body_pose (69,) for SMPL and the embedded model, (63,)
for SMPL+H / SMPL-X, left_hand_pose, right_hand_pose (45,), jaw_pose,
leye_pose, reye_pose (3,) and expression for SMPL-X, betas (B,), transl
(3,) metres, zeroed_joints (int64 joint indices). As in <name>.npz.)doc")
      .def_property_readonly("camera", &Camera, "K (3, 3) pixels, R (3, 3), t (3,), focal_length, principal_point, image_size; OpenCV's axes")
      .def_property_readonly("keypoints_2d", [](const Result& r) { return ToArray(r.fit().keypoints_2d); },
                             "(K, 2) the fitted model's keypoints in pixels, layout order (NaN without a model point)")
      .def_property_readonly("keypoint_errors_px", [](const Result& r) { return ToVector(r.fit().error_px); },
                             "(K,) 2D error per keypoint in pixels (NaN where absent or not fitted)")
      .def_property_readonly("mean_error_px", [](const Result& r) { return r.fit().mean_error_px; })
      .def_property_readonly("time_ms", [](const Result& r) { return r.fit().time_ms; })
      .def_property_readonly("stages", [](const Result& r) { return JsonToPython(r.json().value("stages", nlohmann::json::array())); })
      .def_property_readonly("posture", [](const Result& r) { return JsonToPython(r.json().value("posture", nlohmann::json())); },
                             "trunk_lean_deg, trunk_toward_camera_deg, trunk_sideways_deg (degrees, against the camera's "
                             "vertical) and body_up_axis (camera frame); None when the fit failed (docs/output.md)")
      .def_property_readonly("residual_limbs", [](const Result& r) {
        return JsonToPython(r.json().value("residual_limbs", nlohmann::json::array()));
      }, "one dict per residual limb with every field of the result JSON (docs/output.md)")
      .def_property_readonly("mesh", &ResultMesh, "the Mesh (None when the fit failed)")
      .def_property_readonly("measurements", &Measurements,
                             "{limb: measurements} of each stump built: length_mm, volume_ml, surface_area_mm2, "
                             "circumference_mm and cross_section_mm2 at 0, 10, ..., 100%, watertight, and profile: the stump's own "
                             "profile fitted to the mask (end_ratio, taper, tissue_mm, roundness and their sigma), or "
                             "{fitted: False, note} where the convex cap was kept (docs/stump.md)")
      .def("to_json", [](const Result& r) { return pipeline::JsonText(r.json()); },
           "the text that `resihmr fit` writes as <image stem>_<annotation id>.json")
      .def("save", [](const Result& r, const std::string& folder, bool ascii_ply, bool glb) {
        pipeline::ResultFileOptions options;
        options.ascii_ply = ascii_ply;
        options.glb = glb;
        options.method = r.method;
        options.model_name = r.model_name;
        py::gil_scoped_release release;
        pipeline::WritePersonResultFiles(*r.model, r.person, r.result, folder, options);
      }, py::arg("folder"), py::arg("ascii_ply") = false, py::arg("glb") = false, R"doc(
Writes the files `resihmr fit` writes for this person into `folder` (which
must exist): <stem>.json, and for a finished fit <stem>.npz, <stem>.ply and
with glb=True <stem>.glb.)doc")
      .def("__repr__", [](const Result& r) {
        return "<resihmr.Result " + pipeline::PersonFileStem(r.person) + ": " + r.fit().status() + ">";
      });

  m.def("fit", &Fit, py::arg("model"), py::arg("persons"), py::arg("method") = "resihmr", py::arg("focal") = py::none(),
        py::arg("limbs") = py::none(), py::arg("init") = py::none(), py::arg("threads") = 0,
        py::arg("config") = py::none(), py::arg("silhouette") = true, R"doc(
Fits the model to each person, as `resihmr fit` does, and returns one Result
per person in order (the same results on any number of threads).

  model     a BodyModel
  persons   a Person or a list of them (each needs its image size)
  method    resihmr (RAFO and stumps), intact (SMPLify-X) or ajahr-zero
  focal     focal length in pixels; None: the image diagonal
  limbs     residual limbs of every person, overriding the LDPose limb
            states: "left_leg=below_knee,right_arm=above_elbow" or a dict
  init      None, or an .npz of starting parameters (as `fit --init`)
  threads   worker threads; 0: all cores
  config    None, a JSON file or a dict overriding the fit's weights
  silhouette  True: a person with a mask is also fitted to it after the
            keypoint stages (`fit --silhouette on`, docs/fitting.md; the
            stage "silhouette" in Result.stages); False: keypoints only. Other
            persons of the same image (same source, image and image id) are
            ignored where their masks lie

A person that cannot be fitted gets a Result with status "failed" and its
error; bad arguments raise resihmr.Error (a ValueError). The GIL is released
while fitting.)doc");
}

}  // namespace resihmr::python
