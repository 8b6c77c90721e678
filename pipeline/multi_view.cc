#include "pipeline/multi_view.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "model/error.h"
#include "geometry/mesh_io.h"
#include "model/pose_body.h"
#include "pipeline/json_file.h"
#include "pipeline/multi_view_pictures.h"
#include "pipeline/person_pictures.h"
#include "pipeline/result_json.h"

namespace resihmr::pipeline {
namespace {

// The rig camera of a view's keypoint file: named as its folder, else as its stem.
const data::RigCamera& CameraOf(const std::string& file, const data::CameraRig& rig) {
  const std::filesystem::path p(file);
  const std::string folder = p.parent_path().filename().string(), stem = p.stem().string();
  if (const data::RigCamera* c = rig.Find(folder)) return *c;
  if (const data::RigCamera* c = rig.Find(stem)) return *c;
  std::string names;
  for (const data::RigCamera& c : rig.cameras) names += (names.empty() ? "" : ", ") + c.name;
  throw Error(file + ": no camera named '" + folder + "' (its folder) or '" + stem + "' (its stem) in the cameras (" +
              names + ")");
}

// Cameras for views without a calibration: named by stem (else folder), the
// default camera of the file's image size.
data::CameraRig DefaultRig(const std::vector<std::string>& view_files) {
  std::set<std::string> stems;
  bool stems_unique = true;
  for (const std::string& f : view_files) stems_unique = stems.insert(std::filesystem::path(f).stem().string()).second && stems_unique;
  data::CameraRig rig;
  for (const std::string& f : view_files) {
    const std::filesystem::path p(f);
    data::RigCamera c;
    c.name = stems_unique ? p.stem().string() : p.parent_path().filename().string();
    c.intrinsics.width = c.intrinsics.height = 0;  // the default camera of the file's image size, below
    rig.cameras.push_back(c);
  }
  return rig;
}

}  // namespace

MultiViewDataset ReadMultiViewDataset(const std::vector<std::string>& view_files, const data::CameraRig& given_rig,
                                      bool estimate_extrinsics) {
  if (view_files.empty()) throw Error("--views: no keypoint files");
  if (given_rig.cameras.empty() && !estimate_extrinsics) throw Error("--views: no cameras");
  const bool defaulted = given_rig.cameras.empty();
  const data::CameraRig rig = defaulted ? DefaultRig(view_files) : given_rig;
  MultiViewDataset out;
  std::set<std::string> seen;
  std::map<int64_t, size_t> index;
  for (const std::string& file : view_files) {
    const data::RigCamera& camera = CameraOf(file, rig);
    if (!seen.insert(camera.name).second) throw Error(file + ": a second view of camera '" + camera.name + "'");
    out.camera_names.push_back(camera.name);
    out.files.push_back(data::ReadAnnotations(file));
  }
  for (size_t v = 0; v < out.files.size(); ++v) {
    const data::AnnotationFile& file = out.files[v];
    const data::RigCamera& camera = *rig.Find(out.camera_names[v]);
    for (const std::string& w : file.warnings) out.warnings.push_back(w);
    if (file.persons.empty()) out.warnings.push_back(file.path + ": no person in view '" + camera.name + "'");
    for (const data::Observation& person : file.persons) {
      optim::CalibratedView view;
      view.name = camera.name;
      view.camera = camera.intrinsics;
      if (view.camera.width == 0) {
        view.camera.width = person.image_width;
        view.camera.height = person.image_height;
      }
      if (view.camera.width <= 0 || view.camera.height <= 0) {
        throw Error(file.path + ": view '" + camera.name + "', annotation " + std::to_string(person.annotation_id) +
                    ": the image size is known neither from the cameras (H_, W_ / width, height) nor from the file");
      }
      if (defaulted) view.camera = model::DefaultCamera(view.camera.width, view.camera.height);
      view.extrinsics_known = !estimate_extrinsics;
      if (person.image_width > 0 && (person.image_width != view.camera.width || person.image_height != view.camera.height)) {
        out.warnings.push_back(file.path + ": annotation " + std::to_string(person.annotation_id) + ": image " +
                               std::to_string(person.image_width) + "x" + std::to_string(person.image_height) +
                               ", camera '" + camera.name + "' " + std::to_string(view.camera.width) + "x" +
                               std::to_string(view.camera.height) + ": the camera's size is used");
      }
      view.R = camera.R;
      view.t = camera.t;
      view.person = person;
      for (int k = 0; k < person.layout->size(); ++k) {
        if (!person.present(k)) continue;
        const Eigen::Vector2d u = data::UndistortPixel(camera, person.points.row(k).transpose());
        view.person.points.row(k) = u.transpose();
      }
      auto [it, added] = index.emplace(person.annotation_id, out.persons.size());
      if (added) {
        out.persons.emplace_back();
        out.persons.back().annotation_id = person.annotation_id;
      }
      MultiViewPerson& target = out.persons[it->second];
      bool repeated = false;
      for (const optim::CalibratedView& other : target.views) repeated = repeated || other.name == view.name;
      if (repeated) {
        throw Error(file.path + ": annotation " + std::to_string(person.annotation_id) + " appears twice in view '" +
                    camera.name + "'");
      }
      target.views.push_back(std::move(view));
    }
  }
  for (MultiViewPerson& p : out.persons) {
    std::string absent;
    for (const std::string& name : out.camera_names) {
      bool found = false;
      for (const optim::CalibratedView& v : p.views) found = found || v.name == name;
      if (!found) absent += (absent.empty() ? "" : ", ") + name;
    }
    if (!absent.empty()) p.warnings.push_back("annotation " + std::to_string(p.annotation_id) + " is absent from view(s) " + absent);
  }
  return out;
}

std::vector<ViewFrame> ListViewFolder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a folder");
  std::map<std::string, std::map<std::string, std::string>> frames;  // frame -> camera -> file
  std::set<std::string> cameras;
  for (const fs::directory_entry& camera : fs::directory_iterator(dir, ec)) {
    if (!camera.is_directory(ec)) continue;
    bool any = false;
    for (const fs::directory_entry& f : fs::directory_iterator(camera.path(), ec)) {
      if (!f.is_regular_file(ec) || f.path().extension() != ".json") continue;
      any = true;
      frames[f.path().stem().string()][camera.path().filename().string()] = f.path().string();
      if (frames.size() > 100000) throw Error(dir + ": more than 100000 frames");
    }
    if (any) cameras.insert(camera.path().filename().string());
    if (cameras.size() > 64) throw Error(dir + ": more than 64 camera folders");
  }
  if (ec) throw Error(dir + ": cannot be listed (" + ec.message() + ")");
  if (cameras.empty()) throw Error(dir + ": no camera folder holding keypoint files (<camera>/<frame>.json expected)");
  std::vector<ViewFrame> out;
  for (const auto& [frame, by_camera] : frames) {
    ViewFrame f;
    f.frame = frame;
    for (const auto& [camera, file] : by_camera) f.files.push_back(file);
    out.push_back(std::move(f));
  }
  return out;
}

MultiViewMesh BuildMeshWithStumps(const model::BodyModel& model, const model::BodyParams& params,
                                  const std::vector<optim::ResidualLimbResult>& limbs) {
  MultiViewMesh out;
  std::vector<geometry::ResidualLimbCut> cuts;
  for (const optim::ResidualLimbResult& r : limbs) {
    out.cut_of_limb.push_back(r.accepted ? static_cast<int>(cuts.size()) : -1);
    if (r.accepted) cuts.push_back({r.limb, r.joint_t, r.joint_a, r.lambda});
  }
  out.mesh = geometry::BuildStumpMesh(model, model::PoseBody(model, params, true).vertices, cuts);
  return out;
}

MultiViewMesh BuildMultiViewMesh(const model::BodyModel& model, const optim::MultiViewFit& fit) {
  return BuildMeshWithStumps(model, fit.params, fit.residual_limbs);
}

nlohmann::json MultiViewResultJson(const MultiViewPerson& person, const optim::MultiViewFit& fit,
                                   const MultiViewMesh* mesh) {
  nlohmann::json j;
  j["status"] = fit.ok ? "ok" : "failed";
  if (!fit.ok) j["error"] = fit.error;
  j["annotation_id"] = person.annotation_id;
  bool estimated = false;
  for (const optim::ViewReport& r : fit.views) estimated = estimated || r.extrinsics_estimated;
  j["frame"] = estimated ? "world (the frame of the views with known extrinsics, else of the first view fitted alone; "
                           "metres; X_cam = R X_world + t)"
                         : "world (the cameras' calibration; metres; X_cam = R X_world + t)";
  nlohmann::json views = nlohmann::json::array();
  for (const optim::ViewReport& r : fit.views) {
    nlohmann::json points = nlohmann::json::array(), errors = nlohmann::json::array();
    for (Eigen::Index k = 0; k < r.keypoints_2d.rows(); ++k) {
      points.push_back(std::isfinite(r.keypoints_2d(k, 0)) ? nlohmann::json({r.keypoints_2d(k, 0), r.keypoints_2d(k, 1)})
                                                           : nlohmann::json(nullptr));
      errors.push_back(NumberOrNull(r.error_px[k]));
    }
    nlohmann::json view = {{"name", r.name}, {"used", r.used}, {"note", r.note}, {"mean_error_px", NumberOrNull(r.mean_error_px)},
                           {"median_error_px", NumberOrNull(r.median_error_px)}, {"keypoints_2d_pred", points}, {"error_px", errors}};
    const bool posed = std::isfinite(r.median_error_px) || r.extrinsics_estimated;
    view["extrinsics"] = r.extrinsics_estimated ? "estimated" : "given";
    if (posed) {
      view["R"] = {{r.R(0, 0), r.R(0, 1), r.R(0, 2)}, {r.R(1, 0), r.R(1, 1), r.R(1, 2)}, {r.R(2, 0), r.R(2, 1), r.R(2, 2)}};
      view["t"] = {r.t[0], r.t[1], r.t[2]};
    }
    views.push_back(view);
  }
  j["views"] = views;
  if (fit.ok) {
    nlohmann::json pose = nlohmann::json::array();
    for (Eigen::Index r = 0; r < fit.params.pose.rows(); ++r) {
      pose.push_back({fit.params.pose(r, 0), fit.params.pose(r, 1), fit.params.pose(r, 2)});
    }
    j["params"] = {{"betas", std::vector<double>(fit.params.betas.data(), fit.params.betas.data() + fit.params.betas.size())},
                   {"pose", pose},
                   {"transl", {fit.params.transl[0], fit.params.transl[1], fit.params.transl[2]}}};
    nlohmann::json joints = nlohmann::json::array();
    for (Eigen::Index r = 0; r < fit.joints.rows(); ++r) joints.push_back({fit.joints(r, 0), fit.joints(r, 1), fit.joints(r, 2)});
    j["joints_3d"] = joints;
    j["mean_error_px"] = fit.mean_error_px;
    std::vector<const geometry::StumpOutcome*> stumps;
    for (size_t i = 0; mesh && i < fit.residual_limbs.size(); ++i) stumps.push_back(mesh->stump_of(i));
    nlohmann::json limbs = ResidualLimbsJson(fit.residual_limbs, stumps);
    for (size_t i = 0; i < limbs.size() && i < fit.limb_views.size(); ++i) {
      limbs[i]["reference_view"] = fit.limb_views[i];
      limbs[i]["views_used"] = fit.limb_view_counts[i];
    }
    j["residual_limbs"] = limbs;
    if (mesh) {
      j["mesh"] = {{"file", "person_" + std::to_string(person.annotation_id) + ".ply"},
                   {"vertices", mesh->mesh.vertices.rows()},
                   {"watertight", mesh->mesh.watertight()}};
    }
  }
  std::vector<std::string> warnings = person.warnings;
  warnings.insert(warnings.end(), fit.warnings.begin(), fit.warnings.end());
  j["warnings"] = warnings;
  j["time_ms"] = fit.time_ms;
  return j;
}

std::vector<std::string> WriteMultiViewResultFiles(const model::BodyModel& model, const MultiViewPerson& person,
                                                   const optim::MultiViewFit& fit, const std::string& folder,
                                                   bool ascii_ply, const std::string& images) {
  const std::string stem = folder + "/person_" + std::to_string(person.annotation_id);
  if (!fit.ok) {
    WriteJsonFile(stem + ".json", MultiViewResultJson(person, fit));
    return {};
  }
  const MultiViewMesh mesh = BuildMultiViewMesh(model, fit);
  geometry::MeshWriteOptions ply;
  ply.binary_ply = !ascii_ply;
  geometry::WriteMesh(stem + ".ply", mesh.mesh.vertices, mesh.mesh.faces, ResidualColours(mesh.mesh.residual),
                      mesh.mesh.residual, ply);
  WriteJsonFile(stem + ".json", MultiViewResultJson(person, fit, &mesh));
  return images.empty() ? std::vector<std::string>() : WriteMultiViewOverlays(person, fit, mesh, images, folder);
}

}  // namespace resihmr::pipeline
