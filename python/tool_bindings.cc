// resihmr.measure, measure_file, synth, fit_views, fit_video, evaluate, evaluate_views, evaluate_video and
// merge_reports: thin
// calls into pipeline/ that return what the commands write, as Python values.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <thread>

#include "model/error.h"
#include "pipeline/evaluate_dataset.h"
#include "pipeline/evaluate_video.h"
#include "pipeline/evaluate_views.h"
#include "pipeline/measure_scan.h"
#include "pipeline/model_source.h"
#include "pipeline/multi_view.h"
#include "pipeline/parallel.h"
#include "pipeline/synth_dataset.h"
#include "pipeline/video.h"
#include "python/bindings.h"
#include "python/convert.h"

namespace resihmr::python {
namespace {

std::shared_ptr<model::BodyModel> ModelOrEmbedded(const std::shared_ptr<model::BodyModel>& m) {
  return m ? m : std::make_shared<model::BodyModel>(pipeline::LoadModelOrEmbedded(""));
}

py::object Measure(const py::object& vertices, const py::object& faces, const std::string& units, const std::string& axis) {
  const RowMatrixXd v = ToMatrix(vertices, 3, "measure: vertices");
  const RowMatrixXd f = ToMatrix(faces, 3, "measure: faces");
  geometry::RowMatrixX3i fi(f.rows(), 3);
  for (Eigen::Index i = 0; i < f.size(); ++i) {
    const double x = f.data()[i];
    if (x != static_cast<double>(static_cast<int>(x))) throw Error("measure: faces: element " + std::to_string(i) + " is not an integer");
    fi.data()[i] = static_cast<int>(x);
  }
  const geometry::RowMatrixX3d v3 = v;
  nlohmann::json j;
  {
    py::gil_scoped_release release;
    j = pipeline::MeasureScanMesh(v3, fi, units, axis, "mesh");
  }
  return JsonToPython(j);
}

py::object Synth(const std::string& out, int n, unsigned seed, double noise_px, double amputee_fraction,
                 const std::pair<int, int>& image_size, double occlusion, double outliers, bool meshes, int crop_size,
                 int threads, const std::shared_ptr<model::BodyModel>& model, int views, int frames) {
  pipeline::SynthDatasetOptions o;
  o.views = views;
  o.frames = frames;
  o.n = n;
  o.people.seed = seed;
  o.people.noise_px = noise_px;
  o.people.amputee_fraction = amputee_fraction;
  o.people.width = image_size.first;
  o.people.height = image_size.second;
  o.people.occlusion = occlusion;
  o.people.outliers = outliers;
  o.meshes = meshes;
  o.crop_size = crop_size;
  o.threads = ThreadsOrAllCores(threads, "synth");
  o.model_name = model ? model->source : "embedded";
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  pipeline::SynthDatasetSummary s;
  {
    py::gil_scoped_release release;
    s = pipeline::WriteSynthDataset(*m, o, out);
  }
  py::dict d;
  d["people"] = s.people;
  d["amputees"] = s.amputees;
  d["residual_limbs"] = s.residual_limbs;
  d["folder"] = out;
  return std::move(d);
}

py::object FitViews(const std::vector<std::string>& views, const py::object& cameras,
                    const std::shared_ptr<model::BodyModel>& model, const py::object& limbs, const py::object& config,
                    int threads, const std::string& extrinsics) {
  if (extrinsics != "given" && extrinsics != "estimate") {
    throw Error("fit_views: extrinsics: 'given' or 'estimate' expected, got '" + extrinsics + "'");
  }
  const bool estimate = extrinsics == "estimate";
  if (cameras.is_none() && !estimate) throw Error("fit_views: cameras are needed unless extrinsics='estimate'");
  const std::string cameras_path = cameras.is_none() ? std::string() : cameras.cast<std::string>();
  optim::PersonFitOptions options;
  if (!limbs.is_none()) {
    options.limbs = optim::ParseLimbList(limbs.cast<std::string>());
    options.limbs_given = true;
  }
  options.fit.config = FitConfigFromPython(config);
  const int workers = ThreadsOrAllCores(threads, "fit_views");
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  std::vector<nlohmann::json> results;
  {
    py::gil_scoped_release release;
    const data::CameraRig rig = cameras_path.empty() ? data::CameraRig{} : data::ReadCameraRig(cameras_path);
    const pipeline::MultiViewDataset dataset = pipeline::ReadMultiViewDataset(views, rig, estimate);
    results.resize(dataset.persons.size());
    pipeline::ParallelFor(dataset.persons.size(), workers, [&](size_t i, int) {
      const optim::MultiViewFit fit = optim::FitMultiView(*m, dataset.persons[i].views, options);
      if (fit.ok) {
        const pipeline::MultiViewMesh mesh = pipeline::BuildMultiViewMesh(*m, fit);
        results[i] = pipeline::MultiViewResultJson(dataset.persons[i], fit, &mesh);
      } else {
        results[i] = pipeline::MultiViewResultJson(dataset.persons[i], fit);
      }
      if (i == 0) {
        for (const std::string& w : dataset.warnings) results[i]["warnings"].push_back(w);
      }
    });
  }
  py::list out;
  for (const nlohmann::json& r : results) out.append(JsonToPython(r));
  return std::move(out);
}

py::object FitVideo(const std::string& video, const std::shared_ptr<model::BodyModel>& model, const py::object& limbs,
                    const py::object& config, double focal, const py::object& image_size, int threads) {
  optim::VideoFitOptions options;
  if (!limbs.is_none()) {
    options.person.limbs = optim::ParseLimbList(limbs.cast<std::string>());
    options.person.limbs_given = true;
  }
  options.person.fit.config = FitConfigFromPython(config);
  if (!(focal >= 0 && focal <= 1e6)) throw Error("fit_video: focal " + std::to_string(focal) + " is outside 0..1e6 px");
  pipeline::VideoReadOptions read;
  if (!image_size.is_none()) {
    const auto size = image_size.cast<std::pair<int, int>>();
    if (size.first < 16 || size.second < 16 || size.first > 100000 || size.second > 100000) {
      throw Error("fit_video: image_size: each side 16..100000 px expected");
    }
    read.image_width = size.first;
    read.image_height = size.second;
  }
  const int workers = ThreadsOrAllCores(threads, "fit_video");
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  std::vector<nlohmann::json> results;
  {
    py::gil_scoped_release release;
    const pipeline::VideoDataset dataset = pipeline::ReadVideo(video, read);
    const model::PinholeCamera camera = model::DefaultCamera(dataset.image_width, dataset.image_height, focal);
    results.resize(dataset.tracks.size());
    pipeline::ParallelFor(dataset.tracks.size(), workers, [&](size_t i, int) {
      const optim::VideoFit fit = optim::FitVideo(*m, dataset.tracks[i].frames, camera, options);
      pipeline::MultiViewMesh mesh;
      if (fit.ok) mesh = pipeline::ReferenceFrameMesh(*m, fit);
      results[i] = pipeline::VideoResultJson(dataset.tracks[i], fit, fit.ok ? pipeline::StumpsOf(fit, mesh)
                                                                            : std::vector<const geometry::StumpOutcome*>());
      if (i == 0) {
        for (const std::string& w : dataset.warnings) results[i]["warnings"].push_back(w);
      }
    });
  }
  py::list out;
  for (const nlohmann::json& r : results) out.append(JsonToPython(r));
  return std::move(out);
}

py::object EvaluateVideo(const std::string& dataset, const std::vector<int>& frames,
                         const std::shared_ptr<model::BodyModel>& model, int threads, const py::object& config) {
  pipeline::VideoEvalOptions o;
  o.frame_counts = frames;
  o.config = FitConfigFromPython(config);
  o.threads = ThreadsOrAllCores(threads, "evaluate_video");
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  pipeline::EvalReport r;
  {
    py::gil_scoped_release release;
    r = pipeline::EvaluateVideo(*m, dataset, o);
  }
  return JsonToPython(r.report);
}

py::object Evaluate(const std::string& dataset, const std::vector<std::string>& methods,
                    const std::shared_ptr<model::BodyModel>& model, int threads, const py::object& shard,
                    const std::string& silhouette, const py::object& masks, const py::object& config, bool strict) {
  pipeline::EvalOptions o;
  o.strict = strict;
  o.silhouette = pipeline::ParseSilhouetteChoice(silhouette);
  o.masks_dir = masks.is_none() ? std::string() : masks.cast<std::string>();
  o.config = FitConfigFromPython(config);
  o.methods.clear();
  for (const std::string& name : methods) {
    optim::Method method;
    if (!optim::ParseMethod(name, &method)) throw Error("evaluate: unknown method '" + name + "' (expected intact, ajahr-zero, resihmr)");
    o.methods.push_back(method);
  }
  o.threads = ThreadsOrAllCores(threads, "evaluate");
  if (!shard.is_none()) pipeline::ParseShard(shard.cast<std::string>(), &o.shard, &o.shards);
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  pipeline::EvalReport r;
  {
    py::gil_scoped_release release;
    r = pipeline::EvaluateDataset(*m, dataset, o);
  }
  return JsonToPython(r.report);
}

py::object EvaluateViews(const std::string& dataset, const std::vector<int>& views, const std::string& extrinsics,
                         const std::shared_ptr<model::BodyModel>& model, int threads, const py::object& config) {
  if (extrinsics != "given" && extrinsics != "estimate") {
    throw Error("evaluate_views: extrinsics: 'given' or 'estimate' expected, got '" + extrinsics + "'");
  }
  pipeline::ViewsEvalOptions o;
  o.view_counts = views;
  o.estimate_extrinsics = extrinsics == "estimate";
  o.config = FitConfigFromPython(config);
  o.threads = ThreadsOrAllCores(threads, "evaluate_views");
  const std::shared_ptr<model::BodyModel> m = ModelOrEmbedded(model);
  pipeline::EvalReport r;
  {
    py::gil_scoped_release release;
    r = pipeline::EvaluateViews(*m, dataset, o);
  }
  return JsonToPython(r.report);
}

}  // namespace

void BindTools(py::module_& m) {
  m.def("measure", &Measure, py::arg("vertices"), py::arg("faces"), py::arg("units") = "mm", py::arg("axis") = "auto",
        R"doc(
Measures a residual-limb surface as `resihmr measure` does: vertices (V, 3)
in `units` (mm or m), faces (F, 3) vertex indices, open at its proximal end
or closed; axis auto, x, y or z. Returns the dict the command writes:
measurements (length_mm, volume_ml, surface_area_mm2, circumference_mm and
cross_section_mm2 at every 10%), open, holes, axis, plane_point, warnings.)doc");
  m.def("measure_file", [](const std::string& path, const std::string& units, const std::string& axis) {
    nlohmann::json j;
    {
      py::gil_scoped_release release;
      j = pipeline::MeasureScanFile(path, units, axis);
    }
    return JsonToPython(j);
  }, py::arg("path"), py::arg("units") = "mm", py::arg("axis") = "auto", R"doc(
measure() on a scan file: binary or ASCII STL, OBJ, or ASCII or binary PLY.
Raises resihmr.Error naming the file and element when it is malformed.)doc");
  m.def("synth", &Synth, py::arg("out"), py::arg("n") = 20, py::arg("seed") = 0, py::arg("noise_px") = 2.0,
        py::arg("amputee_fraction") = 0.7, py::arg("image_size") = std::make_pair(1280, 960), py::arg("occlusion") = 0.05,
        py::arg("outliers") = 0.02, py::arg("meshes") = false, py::arg("crop_size") = 0, py::arg("threads") = 0,
        py::arg("model") = nullptr, py::arg("views") = 0, py::arg("frames") = 0, R"doc(
Writes a synthetic benchmark folder as `resihmr synth` does (images/, masks/,
keypoints.json, ground_truth.json; meshes/ and crops/ on request; with
views=N (2..16) also views/: per person N calibrated cameras around them and
one keypoint file per camera, listed in views.json, as `synth --views`; with
frames=T (1..1000) also video/: per person a walk of T frames from one
camera, keypoints.json with frame ids and truth.npz, as `synth --frames`); the
same seed gives the same files. model: the body that makes the people (None:
the embedded model; fit them with another, evaluate(model=...), for the
cross-model benchmark of docs/evaluation.md). Returns {people, amputees,
residual_limbs, folder}.)doc");
  m.def("fit_views", &FitViews, py::arg("views"), py::arg("cameras") = py::none(), py::arg("model") = nullptr,
        py::arg("limbs") = py::none(), py::arg("config") = py::none(), py::arg("threads") = 0,
        py::arg("extrinsics") = "given", R"doc(
Fits each person seen by several cameras, as `resihmr fit --views --cameras
[--extrinsics]` does (docs/multiview.md). views: one keypoint file per
camera, its camera the one named as its folder, else as its stem; persons
matched by annotation id. cameras: an EasyMocap folder (intri.yml,
extri.yml) or a JSON file; X_cam = R X_world + t, metres. extrinsics:
"given" (the cameras' R, t) or "estimate" (each view's pose fitted with the
body; cameras then give only intrinsics and may be None: the default camera
of each image's size; the world is the first view fitted alone). limbs:
"left_leg=below_knee,..." for everyone, else the views' LDPose limb states.
Returns one dict per person: status, params and joints_3d (world frame,
metres), views (per view: name, used, note, mean/median 2D error,
keypoints_2d_pred, error_px, extrinsics "given"/"estimated", R, t),
residual_limbs (world frame, reference_view, views_used, each accepted
stump's measurements), mesh, warnings, time_ms.
Raises resihmr.Error naming the file, camera and field on bad input.)doc");
  m.def("fit_video", &FitVideo, py::arg("video"), py::arg("model") = nullptr, py::arg("limbs") = py::none(),
        py::arg("config") = py::none(), py::arg("focal") = 0.0, py::arg("image_size") = py::none(),
        py::arg("threads") = 0, R"doc(
Fits each person of a video from one camera, as `resihmr fit --video` does
(docs/video.md). video: a COCO / LDPose file with images[].frame_id and
annotations[].track_id, or a folder of OpenPose JSON files, one per frame
(image_size=(width, height) is then needed). The camera: focal (px; 0: the
image diagonal) and the image size. Shape and each residual limb's lambda
are shared by the frames; pose and translation per frame with a
constant-velocity prior. Returns one dict per track: status, track_id,
frames (per frame: frame, fitted, note, params (pose [J][3], transl),
joints_3d, median_error_px, residual_limbs), residual_limbs (lambda,
lambda_sigma, length_mm, length_sigma_mm, frames_seen, and each accepted
stump's measurements on the reference frame), reference_frame, betas,
median_error_px, keyframes, fitted_frames, warnings, time_ms. Camera frame,
metres. Raises resihmr.Error naming the file and frame on bad input.)doc");
  m.def("evaluate_video", &EvaluateVideo, py::arg("dataset"), py::arg("frames") = std::vector<int>{},
        py::arg("model") = nullptr, py::arg("threads") = 0, py::arg("config") = py::none(), R"doc(
Scores a `resihmr synth --frames T` folder against the number of frames, as
`resihmr eval --frames` does (docs/video.md): each person fitted over the
first c frames of its walk for each count c in frames (empty: 1, 10, 30,
60 where the walks are long enough). Returns the report as a dict: rows
(per count: length_err_mm_median, lambda_err_median, endpoint3d_mm_median,
accepted_limbs, residual_limbs, mpjpe3d_mm_median, volume_err_pct_median,
ms_per_frame_median, n_failed) and persons.)doc");
  m.def("evaluate", &Evaluate, py::arg("dataset"),
        py::arg("methods") = std::vector<std::string>{"intact", "ajahr-zero", "resihmr"}, py::arg("model") = nullptr,
        py::arg("threads") = 0, py::arg("shard") = py::none(), py::arg("silhouette") = "auto",
        py::arg("masks") = py::none(), py::arg("config") = py::none(), py::arg("strict") = false, R"doc(
Runs the methods on a dataset (a synth folder, or an annotation file) and
scores them as `resihmr eval` does. Returns its report as a dict:
methods.<name>.<metric> (e.g. mpjpe3d_mm, pa_mpjpe3d_mm, limb_mpjpe3d_mm: the
intact limb joints about the hips' midpoint, comparable across body models;
length_err_mm_median, miou) and persons.<name>[...]. model: the fitter. shard "i/n" takes every
n-th person from the i-th. silhouette: each method without the silhouette
stage ("<method>"), with it ("<method>+silhouette"), or both ("off", "on",
"both"; "auto": both when the dataset has masks). masks: a folder of mask
PNGs (as `eval --masks`). config: None, a JSON file or a dict of the fit's
settings for every method. strict: a person or mask that fails its checks
raises resihmr.Error (as `eval --strict`) instead of a warning.)doc");
  m.def("evaluate_views", &EvaluateViews, py::arg("dataset"), py::arg("views") = std::vector<int>{},
        py::arg("extrinsics") = "given", py::arg("model") = nullptr, py::arg("threads") = 0,
        py::arg("config") = py::none(), R"doc(
Scores a `resihmr synth --views N` folder against the number of views, as
`resihmr eval --views` does (docs/multiview.md): each person fitted over its
first c views for each count c in views (empty: 1..N), the cameras' poses
given or estimated ("estimate"). Returns the report as a dict: rows (per
count: length_err_mm_median, lambda_err_median, endpoint3d_mm_median,
accepted_limbs, residual_limbs, mpjpe3d_mm_median, n_failed and, estimated,
rotation_err_deg_median / _p90) and persons.<count>[...].)doc");
  m.def("merge_reports", [](const std::vector<std::string>& paths) { return JsonToPython(pipeline::MergeReports(paths)); },
        py::arg("paths"), "The merged report of shard reports (JSON files) of one dataset, as `eval --merge`.");
}

}  // namespace resihmr::python
