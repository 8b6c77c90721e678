// resihmr synth: the synthetic benchmark of people with residual limbs.
#include <array>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "apps/command.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "apps/model_source.h"
#include "apps/output_dir.h"
#include "apps/parallel.h"
#include "data/annotation_file.h"
#include "data/body_params_json.h"
#include "data/person_crop.h"
#include "data/synthetic_people.h"
#include "geometry/mesh_io.h"
#include "model/ajahr_regions.h"
#include "model/error.h"
#include "model/limb_topology.h"

DEFINE_int32(n, 20, "synth: number of people");
DEFINE_double(noise_px, 2.0, "synth: Gaussian keypoint noise, pixels");
DEFINE_double(amputee_fraction, 0.7, "synth: fraction of people with one or two residual limbs");
DEFINE_string(image_size, "1280x960", "synth: image width x height");
DEFINE_double(occlusion, 0.05, "synth: fraction of keypoints made absent");
DEFINE_double(outliers, 0.02, "synth: fraction of keypoints moved anywhere in the image");
DEFINE_bool(meshes, false, "synth: also write each ground-truth mesh (PLY)");
DEFINE_int32(crops, 0, "synth: also write square person crops of this many pixels and crops.json (0: none)");

namespace resihmr::apps {
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

int Run() {
  if (FLAGS_out.empty()) throw Error("synth: --out is required (the dataset folder)");
  if (FLAGS_n < 1 || FLAGS_n > 1000000) throw Error("synth: --n " + std::to_string(FLAGS_n) + " is outside 1..1000000");
  data::SynthOptions o;
  o.seed = FLAGS_seed;
  o.noise_px = FLAGS_noise_px;
  o.amputee_fraction = FLAGS_amputee_fraction;
  o.occlusion = FLAGS_occlusion;
  o.outliers = FLAGS_outliers;
  std::vector<long long> size;
  if (!ParseIntegers(FLAGS_image_size, 'x', 2, 64, 8192, &size)) {
    throw Error("synth: --image-size '" + FLAGS_image_size + "' is not WIDTHxHEIGHT (64..8192 each)");
  }
  o.width = static_cast<int>(size[0]);
  o.height = static_cast<int>(size[1]);
  for (const auto& [name, value] : {std::pair<const char*, double>{"noise-px", o.noise_px},
                                    {"amputee-fraction", o.amputee_fraction}, {"occlusion", o.occlusion},
                                    {"outliers", o.outliers}}) {
    const double hi = std::string(name) == "noise-px" ? 100 : 1;
    if (!std::isfinite(value) || value < 0 || value > hi) {
      throw Error(std::string("synth: --") + name + " " + std::to_string(value) + " is outside 0.." +
                  (hi == 1 ? std::string("1") : std::string("100 px")));
    }
  }
  const int threads = CheckedThreads(FLAGS_threads, "synth");
  if (FLAGS_crops != 0 && (FLAGS_crops < 32 || FLAGS_crops > 1024)) throw Error("synth: --crops must be 0 or 32..1024 pixels");
  const model::BodyModel m = LoadModelOrEmbedded(FLAGS_model);
  OutputDir out_dir(FLAGS_out);  // written whole, or left as it was when the command fails
  const std::string out = out_dir.path();
  std::filesystem::create_directories(out + "/images");
  std::filesystem::create_directories(out + "/masks");
  if (FLAGS_meshes) std::filesystem::create_directories(out + "/meshes");
  if (FLAGS_crops) std::filesystem::create_directories(out + "/crops");
  std::vector<data::SynthPerson> people(static_cast<size_t>(FLAGS_n));
  std::vector<nlohmann::json> crops(FLAGS_crops ? static_cast<size_t>(FLAGS_n) : 0);
  const auto make_person = [&](size_t item, int) {
    const int i = static_cast<int>(item);
    data::SynthPerson p = data::MakeSynthPerson(m, o, i);
    char name[32];
    std::snprintf(name, sizeof(name), "synth_%06d", i);
    p.observation.image = std::string(name) + ".png";
    p.observation.image_id = i;
    p.observation.annotation_id = i;
    if (!cv::imwrite(out + "/images/" + name + ".png", p.image)) throw Error(out + "/images/" + name + ".png: cannot write");
    if (!cv::imwrite(out + "/masks/" + name + ".png", p.observation.mask)) throw Error(out + "/masks/: cannot write");
    geometry::MeshWriteOptions write;
    write.binary_ply = !FLAGS_ascii_ply;
    if (FLAGS_meshes) geometry::WriteMesh(out + "/meshes/" + name + ".ply", p.mesh.vertices, p.mesh.faces, {}, p.mesh.residual, write);
    if (FLAGS_crops) {
      const data::CropBox box = data::PersonCropBox(p.observation);
      const std::string file = std::string(name) + ".png";
      if (!cv::imwrite(out + "/crops/" + file, data::CutCrop(p.image, box, FLAGS_crops))) {
        throw Error(out + "/crops/" + file + ": cannot write");
      }
      crops[static_cast<size_t>(i)] = CropRecord(p, file, box, FLAGS_crops);
    }
    p.image.release();
    p.mesh = geometry::StumpMesh();
    people[static_cast<size_t>(i)] = std::move(p);
  };
  ParallelFor(static_cast<size_t>(FLAGS_n), threads, make_person);
  data::AnnotationFile file;
  file.format = "coco";
  file.layout = &data::LdPose25Layout();
  nlohmann::json truth = {{"seed", o.seed}, {"n", FLAGS_n}, {"model", FLAGS_model.empty() ? "embedded" : FLAGS_model},
                          {"options", {{"noise_px", o.noise_px}, {"amputee_fraction", o.amputee_fraction},
                                       {"image_size", {o.width, o.height}}, {"occlusion", o.occlusion},
                                       {"outliers", o.outliers}}},
                          {"persons", nlohmann::json::array()}};
  int amputees = 0, limbs = 0;
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
    }
    amputees += !p.limbs.empty();
    limbs += static_cast<int>(p.limbs.size());
    truth["persons"].push_back({{"image", p.observation.image}, {"annotation_id", p.observation.annotation_id},
                                {"family", p.family}, {"params", data::BodyParamsToJson(p.params)},
                                {"camera", {{"focal_length", {p.camera.fx, p.camera.fy}},
                                            {"principal_point", {p.camera.cx, p.camera.cy}},
                                            {"image_size", {p.camera.width, p.camera.height}}}},
                                {"joints_3d", joints}, {"keypoints_2d", keypoints}, {"residual_limbs", residual}});
  }
  data::WriteCocoKeypoints(out + "/keypoints.json", file);
  WriteJsonFile(out + "/ground_truth.json", truth);
  if (FLAGS_crops) {
    WriteJsonFile(out + "/crops.json", {{"crop_size", FLAGS_crops}, {"keypoints", "coco17"}, {"persons", crops}});
  }
  std::cout << "wrote " << FLAGS_n << " people (" << amputees << " with residual limbs, " << limbs << " residual limbs) to "
            << FLAGS_out << ": images/, masks/, keypoints.json (LDPose-25), ground_truth.json"
            << (FLAGS_crops ? ", crops/, crops.json" : "") << "\n";
  out_dir.Commit();
  return 0;
}

}  // namespace

Command SynthCommand() {
  return {"synth", "make a synthetic benchmark of people with residual limbs",
          "usage: resihmr synth --n N --seed S --out DIR [--model M.npz] [--noise-px 2] [--amputee-fraction 0.7]\n"
          "                     [--image-size 1280x960] [--occlusion 0.05] [--outliers 0.02] [--meshes] [--crops S] [--threads N]\n"
          "\n"
          "N people with random shapes, poses from seven families (standing, walking,\n"
          "running, sitting, reaching, throwing, side-on) varied within the joint ranges,\n"
          "random turn and distance, and (with probability amputee-fraction) one or two\n"
          "residual limbs of the 8 kinds ending at lambda uniform in [0.15, 0.85]. Writes\n"
          "images/ (shaded renderings of the ground-truth mesh, stumps cut and capped),\n"
          "masks/, keypoints.json (LDPose-25 COCO JSON with noise, occlusions, outliers and\n"
          "the masks as RLE), ground_truth.json (parameters, camera, 3D joints, noise-free\n"
          "2D keypoints, per residual limb lambda, joints, endpoint, length, stump volume).\n"
          "The same seed gives the same people, on any number of --threads (1..256).\n"
          "Ranges: --n 1..1000000, --noise-px 0..100, the fractions 0..1, each image side\n"
          "64..8192; DIR is written whole or left as it was.\n"
          "\n"
          "--crops S also writes crops/ (S x S person crops for the learned modules: the\n"
          "box 1.2 x the longer side of the mask's box, data/person_crop.h) and crops.json:\n"
          "per person the crop's box in the image, the noisy COCO-17 keypoints in crop\n"
          "pixels with visibility (the heatmaps are drawn from them when training), BPAC-Net's\n"
          "four classes (1 below elbow / knee, 2 above, 3 intact), and the regressor's\n"
          "targets: global_orient and body_pose (joints 1..21) axis-angle, betas, and the\n"
          "crop's weak-perspective camera (s, t_x, t_y).\n",
          {"n", "seed", "out", "model", "noise_px", "amputee_fraction", "image_size", "occlusion", "outliers", "meshes",
           "crops", "threads", "ascii_ply"},
          &Run};
}

}  // namespace resihmr::apps
