// resihmr synth: the synthetic benchmark of people with residual limbs.
#include <atomic>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "apps/command.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "apps/model_source.h"
#include "data/annotation_file.h"
#include "data/body_params_json.h"
#include "data/synthetic_people.h"
#include "geometry/mesh_io.h"
#include "model/error.h"

DEFINE_int32(n, 20, "synth: number of people");
DEFINE_double(noise_px, 2.0, "synth: Gaussian keypoint noise, pixels");
DEFINE_double(amputee_fraction, 0.7, "synth: fraction of people with one or two residual limbs");
DEFINE_string(image_size, "1280x960", "synth: image width x height");
DEFINE_double(occlusion, 0.05, "synth: fraction of keypoints made absent");
DEFINE_double(outliers, 0.02, "synth: fraction of keypoints moved anywhere in the image");
DEFINE_bool(meshes, false, "synth: also write each ground-truth mesh (PLY)");

namespace resihmr::apps {
namespace {

nlohmann::json Vec(const Eigen::Vector3d& v) { return {v.x(), v.y(), v.z()}; }

int Run() {
  if (FLAGS_out.empty()) throw Error("synth: --out is required (the dataset folder)");
  if (FLAGS_n < 1) throw Error("synth: --n must be at least 1");
  data::SynthOptions o;
  o.seed = FLAGS_seed;
  o.noise_px = FLAGS_noise_px;
  o.amputee_fraction = FLAGS_amputee_fraction;
  o.occlusion = FLAGS_occlusion;
  o.outliers = FLAGS_outliers;
  if (std::sscanf(FLAGS_image_size.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 64 || o.height < 64 ||
      o.width > 8192 || o.height > 8192) {
    throw Error("synth: --image-size '" + FLAGS_image_size + "' is not WIDTHxHEIGHT (64..8192 each)");
  }
  for (const auto& [name, value] : {std::pair<const char*, double>{"noise-px", o.noise_px},
                                    {"amputee-fraction", o.amputee_fraction}, {"occlusion", o.occlusion},
                                    {"outliers", o.outliers}}) {
    if (!std::isfinite(value) || value < 0 || (std::string(name) != "noise-px" && value > 1)) {
      throw Error(std::string("synth: --") + name + " out of range");
    }
  }
  if (FLAGS_threads < 1) throw Error("synth: --threads must be at least 1");
  const model::BodyModel m = LoadModelOrEmbedded(FLAGS_model);
  const std::string out = FLAGS_out;
  std::filesystem::create_directories(out + "/images");
  std::filesystem::create_directories(out + "/masks");
  if (FLAGS_meshes) std::filesystem::create_directories(out + "/meshes");
  std::vector<data::SynthPerson> people(static_cast<size_t>(FLAGS_n));
  std::atomic<int> next{0};
  std::vector<std::string> errors(static_cast<size_t>(FLAGS_threads));
  const auto worker = [&](int t) {
    try {
      for (int i = next++; i < FLAGS_n; i = next++) {
        data::SynthPerson p = data::MakeSynthPerson(m, o, i);
        char name[32];
        std::snprintf(name, sizeof(name), "synth_%06d", i);
        p.observation.image = std::string(name) + ".png";
        p.observation.image_id = i;
        p.observation.annotation_id = i;
        if (!cv::imwrite(out + "/images/" + name + ".png", p.image)) throw Error(out + "/images/" + name + ".png: cannot write");
        if (!cv::imwrite(out + "/masks/" + name + ".png", p.observation.mask)) throw Error(out + "/masks/: cannot write");
        if (FLAGS_meshes) geometry::WriteMesh(out + "/meshes/" + name + ".ply", p.mesh.vertices, p.mesh.faces, {}, p.mesh.residual);
        p.image.release();
        p.mesh = geometry::StumpMesh();
        people[static_cast<size_t>(i)] = std::move(p);
      }
    } catch (const std::exception& e) {
      errors[static_cast<size_t>(t)] = e.what();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < FLAGS_threads; ++t) threads.emplace_back(worker, t);
  worker(0);
  for (std::thread& t : threads) t.join();
  for (const std::string& e : errors) {
    if (!e.empty()) throw Error(e);
  }
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
  std::cout << "wrote " << FLAGS_n << " people (" << amputees << " with residual limbs, " << limbs << " residual limbs) to "
            << out << ": images/, masks/, keypoints.json (LDPose-25), ground_truth.json\n";
  return 0;
}

}  // namespace

Command SynthCommand() {
  return {"synth", "make a synthetic benchmark of people with residual limbs",
          "usage: resihmr synth --n N --seed S --out DIR [--model M.npz] [--noise-px 2] [--amputee-fraction 0.7]\n"
          "                     [--image-size 1280x960] [--occlusion 0.05] [--outliers 0.02] [--meshes] [--threads N]\n"
          "\n"
          "N people with random shapes, poses from seven families (standing, walking,\n"
          "running, sitting, reaching, throwing, side-on) varied within the joint ranges,\n"
          "random turn and distance, and (with probability amputee-fraction) one or two\n"
          "residual limbs of the 8 kinds ending at lambda uniform in [0.15, 0.85]. Writes\n"
          "images/ (shaded renderings of the ground-truth mesh, stumps cut and capped),\n"
          "masks/, keypoints.json (LDPose-25 COCO JSON with noise, occlusions, outliers and\n"
          "the masks as RLE), ground_truth.json (parameters, camera, 3D joints, noise-free\n"
          "2D keypoints, per residual limb lambda, joints, endpoint, length, stump volume).\n"
          "The same seed gives the same people.\n",
          {"n", "seed", "out", "model", "noise_px", "amputee_fraction", "image_size", "occlusion", "outliers", "meshes",
           "threads"},
          &Run};
}

}  // namespace resihmr::apps
