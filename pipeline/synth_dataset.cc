#include "pipeline/synth_dataset.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "data/annotation_file.h"
#include "data/body_params_json.h"
#include "data/camera_rig.h"
#include "data/synthetic_video.h"
#include "data/synthetic_views.h"
#include "data/person_crop.h"
#include "geometry/mesh_io.h"
#include "model/ajahr_regions.h"
#include "model/error.h"
#include "model/limb_topology.h"
#include "model/npz.h"
#include "pipeline/json_file.h"
#include "pipeline/output_dir.h"
#include "pipeline/parallel.h"

namespace resihmr::pipeline {
namespace {

nlohmann::json Vec(const Eigen::Vector3d& v) { return {v.x(), v.y(), v.z()}; }

// BPAC-Net's class per head (model/limb_topology.h).
std::array<int, 4> BpacClasses(const data::SynthPerson& p) {
  std::array<int, 4> classes;
  classes.fill(model::kBpacIntact);
  for (const data::SynthLimbTruth& t : p.limbs) {
    classes[static_cast<size_t>(model::BpacHeadOf(t.cut.limb.limb))] = model::BpacClassOf(t.cut.limb.level);
  }
  return classes;
}

// One crops.json record: the crop and its box, the noisy COCO-17 keypoints
// in crop pixels with visibility, BPAC-Net's classes, and the regressor's
// targets (camera-frame root rotation and body joints 1..21 as axis-angle,
// betas, the crop's weak-perspective camera).
nlohmann::json CropRecord(const data::SynthPerson& p, const std::string& file, const data::CropBox& box, int size) {
  nlohmann::json keypoints = nlohmann::json::array();
  const Eigen::Matrix<double, 17, 3, Eigen::RowMajor> coco = data::Coco17InCrop(p.observation, box, size);
  for (int k = 0; k < 17; ++k) keypoints.push_back({coco(k, 0), coco(k, 1), coco(k, 2) > 0 ? 2 : 0});
  nlohmann::json body_pose = nlohmann::json::array();
  for (int j = 1; j <= 21; ++j) body_pose.push_back(Vec(p.params.pose.row(j).transpose()));
  const Eigen::Vector3d weak = data::WeakPerspectiveOfTranslation(p.params.transl, p.camera, box);
  return {{"crop", file}, {"image", p.observation.image}, {"box", {box.x0, box.y0, box.side}},
          {"keypoints_coco17", keypoints}, {"bpac_classes", BpacClasses(p)},
          {"global_orient", Vec(p.params.pose.row(0).transpose())}, {"body_pose", body_pose},
          {"betas", std::vector<double>(p.params.betas.data(), p.params.betas.data() + p.params.betas.size())},
          {"camera", Vec(weak)}, {"focal_length", p.camera.fx}};
}

void CheckOptions(const SynthDatasetOptions& options) {
  const data::SynthOptions& o = options.people;
  const auto range = [](const char* name, double value, double lo, double hi) {
    if (std::isfinite(value) && value >= lo && value <= hi) return;
    throw Error(std::string("synth: ") + name + " " + std::to_string(value) + " is outside " + std::to_string(lo) + ".." +
                std::to_string(hi));
  };
  range("n", options.n, 1, 1000000);
  range("noise_px", o.noise_px, 0, 100);
  range("amputee_fraction", o.amputee_fraction, 0, 1);
  range("occlusion", o.occlusion, 0, 1);
  range("outliers", o.outliers, 0, 1);
  range("mask_dilation_px", o.mask_dilation_px, 0, 100);
  range("tilt_deg", o.tilt_deg, 0, 45);
  range("image width", o.width, 64, 8192);
  range("image height", o.height, 64, 8192);
  range("threads", options.threads, 1, kMaxThreads);
  if (options.crop_size != 0) range("crop_size", options.crop_size, 32, 1024);
  if (options.views != 0) range("views", options.views, 2, 16);
  if (options.frames != 0) range("frames", options.frames, 1, 1000);
}

// views/<stem>/: the cameras in both forms and one keypoint file per camera.
void WriteViews(const data::SynthPerson& p, const data::SynthOptions& o, int index, int views, const std::string& dir) {
  const data::SynthViews sv = data::MakeSynthViews(p, o, index, views);
  std::filesystem::create_directories(dir);
  data::WriteEasyMocapCameras(sv.rig, dir);
  data::WriteCameraRigJson(sv.rig, dir + "/cameras.json");
  const std::string stem = std::filesystem::path(p.observation.image).stem().string();
  for (size_t v = 0; v < sv.rig.cameras.size(); ++v) {
    const std::string camera = sv.rig.cameras[v].name;
    std::filesystem::create_directories(dir + "/" + camera);
    data::AnnotationFile file;
    file.format = "coco";
    file.layout = &data::LdPose25Layout();
    data::Observation ob = sv.observations[v];
    ob.image = stem + "_" + camera + ".png";
    file.images.push_back({ob.image_id, ob.image, o.width, o.height});
    file.persons.push_back(ob);
    data::WriteCocoKeypoints(dir + "/" + camera + "/keypoints.json", file);
  }
}

// video/<stem>/: the walk's keypoints as one COCO file with frame and track
// ids, its camera, and the per-frame truth (truth.npz).
void WriteVideo(const model::BodyModel& m, const data::SynthPerson& p, const data::SynthOptions& o, int index, int frames,
                const std::string& dir) {
  const data::SynthVideo video = data::MakeSynthVideo(m, p, o, index, frames);
  std::filesystem::create_directories(dir);
  data::CameraRig rig;
  rig.cameras.push_back({"00", p.camera, Eigen::Matrix3d::Identity(), Eigen::Vector3d::Zero(), {}});
  data::WriteCameraRigJson(rig, dir + "/cameras.json");
  const std::string stem = std::filesystem::path(p.observation.image).stem().string();
  data::AnnotationFile file;
  file.format = "coco";
  file.layout = &data::LdPose25Layout();
  const int64_t F = frames, J = m.num_joints(), L = static_cast<int64_t>(p.limbs.size());
  std::vector<double> joints, endpoints, pose, transl;
  std::vector<int64_t> present;
  for (int f = 0; f < frames; ++f) {
    const data::SynthFrame& fr = video.frames[static_cast<size_t>(f)];
    char name[64];
    std::snprintf(name, sizeof name, "%s_%06d.png", stem.c_str(), f);
    file.images.push_back({f, name, o.width, o.height, f});
    if (fr.present) {
      data::Observation ob = fr.observation;
      ob.image = name;
      ob.image_id = f;
      ob.annotation_id = f;
      ob.track_id = 0;
      file.persons.push_back(ob);
    }
    present.push_back(fr.present);
    for (int64_t j = 0; j < J; ++j) {
      for (int c = 0; c < 3; ++c) joints.push_back(fr.joints(j, c)), pose.push_back(fr.params.pose(j, c));
    }
    for (const Eigen::Vector3d& e : fr.endpoints) endpoints.insert(endpoints.end(), {e.x(), e.y(), e.z()});
    for (int c = 0; c < 3; ++c) transl.push_back(fr.params.transl[c]);
  }
  data::WriteCocoKeypoints(dir + "/keypoints.json", file);
  model::WriteNpz(dir + "/truth.npz", {{"present", model::NpyArray::FromInt64s({F}, present)},
                                       {"joints", model::NpyArray::FromDoubles({F, J, 3}, joints)},
                                       {"endpoints", model::NpyArray::FromDoubles({F, L, 3}, endpoints)},
                                       {"pose", model::NpyArray::FromDoubles({F, J, 3}, pose)},
                                       {"transl", model::NpyArray::FromDoubles({F, 3}, transl)}});
}

}  // namespace

SynthDatasetSummary WriteSynthDataset(const model::BodyModel& m, const SynthDatasetOptions& options,
                                      const std::string& out_path) {
  CheckOptions(options);
  data::SynthOptions o = options.people;
  if (options.frames) o.family = "walking";  // the walk's person stands as in its cycle
  OutputDir out_dir(out_path);  // written whole, or left as it was when this fails
  const std::string out = out_dir.path();
  std::filesystem::create_directories(out + "/images");
  std::filesystem::create_directories(out + "/masks");
  if (options.meshes) std::filesystem::create_directories(out + "/meshes");
  if (options.crop_size) std::filesystem::create_directories(out + "/crops");
  std::vector<data::SynthPerson> people(static_cast<size_t>(options.n));
  std::vector<nlohmann::json> crops(options.crop_size ? static_cast<size_t>(options.n) : 0);
  const auto make_person = [&](size_t item, int) {
    const int i = static_cast<int>(item);
    data::SynthPerson p = data::MakeSynthPerson(m, o, i);
    char name[32];
    std::snprintf(name, sizeof(name), "synth_%06d", i);
    p.observation.image = std::string(name) + ".png";
    p.observation.image_id = i;
    p.observation.annotation_id = i;
    if (!cv::imwrite(out + "/images/" + name + ".png", p.image)) throw Error(out + "/images/" + name + ".png: cannot write");
    // masks/: the exact silhouettes (ground truth); keypoints.json carries the input masks.
    if (!cv::imwrite(out + "/masks/" + name + ".png", p.exact_mask)) throw Error(out + "/masks/: cannot write");
    p.exact_mask.release();
    geometry::MeshWriteOptions write;
    write.binary_ply = !options.ascii_ply;
    if (options.meshes) geometry::WriteMesh(out + "/meshes/" + name + ".ply", p.mesh.vertices, p.mesh.faces, {}, p.mesh.residual, write);
    if (options.crop_size) {
      const data::CropBox box = data::PersonCropBox(p.observation);
      const std::string file = std::string(name) + ".png";
      if (!cv::imwrite(out + "/crops/" + file, data::CutCrop(p.image, box, options.crop_size))) {
        throw Error(out + "/crops/" + file + ": cannot write");
      }
      crops[static_cast<size_t>(i)] = CropRecord(p, file, box, options.crop_size);
    }
    if (options.views) WriteViews(p, o, i, options.views, out + "/views/" + name);
    if (options.frames) WriteVideo(m, p, o, i, options.frames, out + "/video/" + name);
    p.image.release();
    p.mesh = geometry::StumpMesh();
    people[static_cast<size_t>(i)] = std::move(p);
  };
  ParallelFor(static_cast<size_t>(options.n), options.threads, make_person);
  data::AnnotationFile file;
  file.format = "coco";
  file.layout = &data::LdPose25Layout();
  nlohmann::json truth = {{"seed", o.seed}, {"n", options.n}, {"model", options.model_name},
                          {"options", {{"noise_px", o.noise_px}, {"amputee_fraction", o.amputee_fraction},
                                       {"image_size", {o.width, o.height}}, {"occlusion", o.occlusion},
                                       {"outliers", o.outliers},
                                       {"stump_shapes", o.stump_shapes == data::StumpShapes::kVaried ? "varied" : "convex"},
                                       {"mask_dilation_px", o.mask_dilation_px}, {"self_occlusion", o.self_occlusion},
                                       {"tilt_deg", o.tilt_deg}, {"frames", options.frames}}},
                          {"persons", nlohmann::json::array()}};
  SynthDatasetSummary summary;
  summary.people = options.n;
  for (const data::SynthPerson& p : people) {
    file.images.push_back({p.observation.image_id, p.observation.image, o.width, o.height});
    file.persons.push_back(p.observation);
    nlohmann::json keypoints = nlohmann::json::array();
    for (Eigen::Index k = 0; k < p.keypoints.rows(); ++k) {
      keypoints.push_back(p.keypoints.row(k).allFinite() ? nlohmann::json{p.keypoints(k, 0), p.keypoints(k, 1)}
                                                          : nlohmann::json(nullptr));
    }
    nlohmann::json joints = nlohmann::json::array();
    for (Eigen::Index j = 0; j < p.joints.rows(); ++j) joints.push_back(Vec(p.joints.row(j).transpose()));
    nlohmann::json residual = nlohmann::json::array();
    for (const data::SynthLimbTruth& t : p.limbs) {
      residual.push_back({{"limb", model::LimbName(t.cut.limb.limb)}, {"level", model::LossLevelName(t.cut.limb.level)},
                          {"lambda", t.cut.lambda}, {"joint_t", Vec(t.cut.joint_t)}, {"joint_a", Vec(t.cut.joint_a)},
                          {"endpoint_3d", Vec(t.endpoint_3d)}, {"endpoint_2d", {t.endpoint_2d.x(), t.endpoint_2d.y()}},
                          {"length_mm", t.length_mm}, {"volume_ml", t.volume_ml}});
      if (o.stump_shapes == data::StumpShapes::kVaried) {
        nlohmann::json& r = residual.back();
        r["stump_shape"] = t.shaped ? nlohmann::json{{"family", data::StumpFamilyName(t.shape.family)},
                                                     {"end_ratio", t.shape.end_ratio}, {"bulge", t.shape.bulge},
                                                     {"soft_tissue_mm", 1000 * t.shape.tissue_m},
                                                     {"roundness", t.shape.roundness}}
                                    : nlohmann::json{{"family", "convex"}, {"note", t.stump_note}};
      }
    }
    summary.amputees += !p.limbs.empty();
    summary.residual_limbs += static_cast<int>(p.limbs.size());
    truth["persons"].push_back({{"image", p.observation.image}, {"annotation_id", p.observation.annotation_id},
                                {"family", p.family}, {"params", data::BodyParamsToJson(p.params)},
                                {"camera", {{"focal_length", {p.camera.fx, p.camera.fy}},
                                            {"principal_point", {p.camera.cx, p.camera.cy}},
                                            {"image_size", {p.camera.width, p.camera.height}}}},
                                {"joints_3d", joints}, {"keypoints_2d", keypoints}, {"residual_limbs", residual},
                                {"self_occluded_keypoints", p.self_occluded}, {"mask_file", "masks/" + p.observation.image},
                                {"camera_tilt_deg", {p.camera_pitch_deg, p.camera_roll_deg}},
                                {"body_lean_deg", p.body_lean_deg}});
  }
  data::WriteCocoKeypoints(out + "/keypoints.json", file);
  WriteJsonFile(out + "/ground_truth.json", truth);
  if (options.views) {
    nlohmann::json list = nlohmann::json::array();
    for (const data::SynthPerson& p : people) {
      const std::string stem = std::filesystem::path(p.observation.image).stem().string();
      nlohmann::json files = nlohmann::json::array();
      for (int v = 0; v < options.views; ++v) {
        char camera[8];
        std::snprintf(camera, sizeof camera, "%02d", v);
        files.push_back("views/" + stem + "/" + camera + "/keypoints.json");
      }
      list.push_back({{"annotation_id", p.observation.annotation_id}, {"cameras", "views/" + stem}, {"views", files}});
    }
    WriteJsonFile(out + "/views.json", {{"frame", "world = camera 00 = the ground truth's camera frame"}, {"persons", list}});
  }
  if (options.crop_size) {
    WriteJsonFile(out + "/crops.json", {{"crop_size", options.crop_size}, {"keypoints", "coco17"}, {"persons", crops}});
  }
  out_dir.Commit();
  return summary;
}

}  // namespace resihmr::pipeline
