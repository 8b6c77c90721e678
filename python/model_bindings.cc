// resihmr.BodyModel: loading, posing, topology and names.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

#include "data/keypoint_layout.h"
#include "data/makehuman_model.h"
#include "data/makehuman_phenotype.h"
#include "model/body_model.h"
#include "model/body_model_npz.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "pipeline/model_source.h"
#include "python/bindings.h"
#include "python/convert.h"

namespace resihmr::python {
namespace {

using model::BodyModel;

// Joint indices from names or integers.
std::vector<int> JointIndices(const BodyModel& m, const py::handle& joints) {
  std::vector<int> out;
  for (const py::handle& j : joints) {
    if (py::isinstance<py::str>(j)) {
      const std::string name = j.cast<std::string>();
      const int index = m.JointIndex(name);
      if (index < 0) throw Error("zeroed_joints: the model has no joint '" + name + "'");
      out.push_back(index);
    } else {
      out.push_back(j.cast<int>());
    }
  }
  return out;
}

Eigen::VectorXd Vector(const py::handle& x, const std::string& what) {
  const RowMatrixXd m = ToMatrix(x, -1, what);
  return Eigen::Map<const Eigen::VectorXd>(m.data(), m.size());
}

py::tuple Pose(const BodyModel& m, const py::object& betas, const py::object& pose, const py::object& transl,
               const py::object& zeroed_joints, const py::object& expression, const py::object& left_hand_pose,
               const py::object& right_hand_pose) {
  model::BodyParams p = model::BodyParams::Zero(m);
  if (!betas.is_none()) p.betas = Vector(betas, "betas");
  if (!pose.is_none()) {
    const RowMatrixXd flat = ToMatrix(pose, -1, "pose");
    if (flat.size() != 3 * m.num_joints()) {
      throw Error("pose: expected " + std::to_string(m.num_joints()) + " x 3 axis-angle values (or " +
                  std::to_string(3 * m.num_joints()) + " in a row), got " + std::to_string(flat.size()));
    }
    p.pose = Eigen::Map<const model::RowMatrixX3d>(flat.data(), m.num_joints(), 3);
  }
  if (!transl.is_none()) {
    const Eigen::VectorXd t = Vector(transl, "transl");
    if (t.size() != 3) throw Error("transl: expected 3 values (metres)");
    p.transl = t;
  }
  if (!expression.is_none()) p.expression = Vector(expression, "expression");
  if (!left_hand_pose.is_none()) p.left_hand_pose = Vector(left_hand_pose, "left_hand_pose");
  if (!right_hand_pose.is_none()) p.right_hand_pose = Vector(right_hand_pose, "right_hand_pose");
  if (!zeroed_joints.is_none()) p.zeroed_joints = JointIndices(m, zeroed_joints);
  model::PosedBody posed;
  {
    py::gil_scoped_release release;
    posed = model::PoseBody(m, p, true, "pose");
  }
  return py::make_tuple(ToArray(posed.vertices), ToArray(posed.joints));
}

py::object PhenotypeBody(const BodyModel& b, const py::object& phenotype_map, double stature_m, double mass_kg,
                         double gender, double age, double muscle, double weight, double height, double proportions,
                         double density) {
  const std::string path =
      phenotype_map.is_none() ? data::PhenotypeMapPathFor(b.source) : phenotype_map.cast<std::string>();
  data::BodyRequest request;
  request.phenotype = {gender, age, muscle, weight, height, proportions};
  request.stature_m = stature_m;
  request.mass_kg = mass_kg;
  request.density_kg_m3 = density;
  nlohmann::json out;
  {
    py::gil_scoped_release release;
    out = data::RequestedBodyJson(data::SolveBody(b, data::ReadPhenotypeMap(path, b.num_betas), request));
  }
  return JsonToPython(out);
}

std::shared_ptr<BodyModel> ImportMakeHuman(const std::string& folder, const std::string& out) {
  py::gil_scoped_release release;
  data::MakeHumanModel imported = data::ImportMakeHuman(folder);
  pipeline::SaveMakeHumanModel(imported, out);
  imported.model.source = out;
  return std::make_shared<BodyModel>(std::move(imported.model));
}

}  // namespace

void BindModel(py::module_& m) {
  py::class_<BodyModel, std::shared_ptr<BodyModel>>(m, "BodyModel", R"doc(
A skinned body model with a linear shape space: SMPL (24 joints), SMPL+H (52),
SMPL-X (55), or the embedded open model (SMPL's 24 joints, its own mesh).
Units are the file's: metres for the official models and the embedded one.)doc")
      .def_static("load", [](const std::string& path) { return std::make_shared<BodyModel>(model::LoadBodyModel(path)); },
                  py::arg("path"), R"doc(
Loads a model .npz in the SMPL layout (SMPL, SMPL+H, SMPL-X converted with
scripts/smpl_pkl_to_npz.py, or one written by `resihmr make-model`). Raises
resihmr.Error (a ValueError) naming the file and key when it is not one.)doc")
      .def_static("embedded", [] { return std::make_shared<BodyModel>(pipeline::LoadModelOrEmbedded("")); }, R"doc(
The embedded open body model, made by the project's own code (no licence needed).)doc")
      .def("save", [](const BodyModel& b, const std::string& path) { model::SaveBodyModel(b, path); }, py::arg("path"),
           R"doc(
Writes the model as an .npz in SMPL's layout (v_template, shapedirs,
posedirs, J_regressor, weights, kintree_table, f; float64), which np.load
reads: the arrays a NumPy forward pass needs.)doc")
      .def("pose", &Pose, py::arg("betas") = py::none(), py::arg("pose") = py::none(), py::arg("transl") = py::none(),
           py::arg("zeroed_joints") = py::none(), py::arg("expression") = py::none(),
           py::arg("left_hand_pose") = py::none(), py::arg("right_hand_pose") = py::none(), R"doc(
Poses the model: SMPL's forward pass (shape blend, joint regression, pose
blend, linear blend skinning, translation).

  betas            (B,) shape coefficients, B <= num_betas (missing: 0)
  pose             (J, 3) or (3J,) axis-angle per joint, radians, root first
                   (as a Result's params: concatenate global_orient and
                   body_pose, and for SMPL+H / SMPL-X the jaw, eyes and hands)
  transl           (3,) metres, added after skinning
  zeroed_joints    joint names or indices whose rotation matrix is zeroed
                   (AJAHR's amputation)
  expression       (E,) SMPL-X expression coefficients
  left_hand_pose, right_hand_pose   (C,) hand PCA coefficients

Returns (vertices (V, 3), joints (J, 3)), float64, model units.)doc")
      .def_property_readonly("faces", [](const BodyModel& b) { return b.faces; }, "(F, 3) int32 vertex indices, counter-clockwise from outside")
      .def_property_readonly("v_template", [](const BodyModel& b) { return ToArray(b.v_template); }, "(V, 3) rest vertices")
      .def_property_readonly("joint_names", [](const BodyModel& b) { return b.joint_names; }, "the J joint names, in order")
      .def_property_readonly("parents", [](const BodyModel& b) { return b.parents; }, "(J,) parent joint index, -1 for the root")
      .def_property_readonly("num_vertices", &BodyModel::num_vertices)
      .def_property_readonly("num_joints", &BodyModel::num_joints)
      .def_property_readonly("num_betas", [](const BodyModel& b) { return b.num_betas; })
      .def_property_readonly("num_expression", [](const BodyModel& b) { return b.num_expression; })
      .def_property_readonly("kind", [](const BodyModel& b) { return model::ModelKindName(b.kind); }, "smpl, smplh or smplx")
      .def_property_readonly("source", [](const BodyModel& b) { return b.source; }, "the file, or 'embedded'")
      .def("__repr__", [](const BodyModel& b) {
        return "<resihmr.BodyModel " + model::ModelKindName(b.kind) + " '" + b.source + "': " +
               std::to_string(b.num_vertices()) + " vertices, " + std::to_string(b.num_joints()) + " joints>";
      });
  m.def("import_makehuman", &ImportMakeHuman, py::arg("folder"), py::arg("out"), R"doc(
Imports a MakeHuman body (CC0; e.g. ../shared/data/makehuman: base.obj,
rig.openpose.json, weights.openpose.json, targets/) as `resihmr make-model
--from-makehuman` does (docs/model.md): writes `out` (.npz, SMPL layout, 24
joints, 10 betas) and beside it the phenotype-to-betas map
(out.phenotype.json), and returns the model. Raises resihmr.Error naming the
file and entry of a bad folder.)doc");
  m.def("phenotype_body", &PhenotypeBody, py::arg("model"), py::arg("phenotype_map") = py::none(),
        py::arg("stature_m") = 0.0, py::arg("mass_kg") = 0.0, py::arg("gender") = 0.5, py::arg("age") = 0.5,
        py::arg("muscle") = 0.5, py::arg("weight") = 0.5, py::arg("height") = 0.5, py::arg("proportions") = 0.5,
        py::arg("density") = 1010.0, R"doc(
The betas of an imported MakeHuman body for a phenotype, a stature and a
mass, as `resihmr phenotype` (docs/model.md). MakeHuman's sliders gender (0
female, 1 male), age (0.5 = 25 years, 1 = 90), muscle, weight (0.5 average),
height and proportions (0.5 neutral), each in [0, 1]; stature_m > 0 solves
the height slider for that stature (sole to crown in the rest pose, metres),
mass_kg > 0 the weight slider for that mass (the closed skin's volume times
density, kg/m^3; an unclothed body). phenotype_map: the map beside the model
(None: model.source with .phenotype.json for .npz). Returns {betas (10,),
phenotype {gender, ..., proportions} as solved, stature_m, volume_l,
mass_kg, extrapolated (a value outside the phenotypes the map was fitted
on)}. Raises resihmr.Error naming a bad map's key, a value out of range, or
a stature or mass out of the model's reach with the range it reaches.)doc");
  m.def("keypoint_layouts", [] {
    py::dict out;
    for (const data::KeypointLayout* l : {&data::Coco17Layout(), &data::LdPose25Layout(), &data::Body25Layout()}) {
      out[py::str(l->name)] = l->names;
    }
    return out;
  }, R"doc(
The keypoint layouts a Person can have, as {name: [keypoint names in order]}:
coco17 (COCO), ldpose25 (LDPose-LimbLoss: COCO-17 and eight residual-limb
endpoints) and body25 (OpenPose BODY_25).)doc");
}

}  // namespace resihmr::python
