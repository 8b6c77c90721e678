// resihmr synth: the synthetic benchmark of people with residual limbs.
#include <cmath>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "model/error.h"
#include "pipeline/model_source.h"
#include "pipeline/synth_dataset.h"

DEFINE_int32(n, 20, "synth: number of people");
DEFINE_double(noise_px, 2.0, "synth: Gaussian keypoint noise, pixels");
DEFINE_double(amputee_fraction, 0.7, "synth: fraction of people with one or two residual limbs");
DEFINE_double(occlusion, 0.05, "synth: fraction of keypoints made absent");
DEFINE_double(outliers, 0.02, "synth: fraction of keypoints moved anywhere in the image");
DEFINE_bool(meshes, false, "synth: also write each ground-truth mesh (PLY)");
DEFINE_string(stump_shapes, "varied", "synth: varied (shapes of another family than the fitter's cap) or convex (its cap)");
DEFINE_double(mask_dilation_px, 15, "synth: input masks dilated by up to this many pixels, with ragged edges (0: exact)");
DEFINE_double(tilt_deg, 0, "synth: camera pitch U(-D, D), roll U(-D/2, D/2) and the body leaned U(0, D/2) degrees (0: upright, level)");
DEFINE_string(self_occlusion, "on", "synth: on: keypoints the body hides are labelled occluded (v 1), confidence 0.5, twice the noise; off");
DEFINE_string(generator_model, "", "synth: the body model that makes the people (.npz; empty: --model, else the embedded model)");
DEFINE_int32(crops, 0, "synth: also write square person crops of this many pixels and crops.json (0: none)");

namespace resihmr::apps {
namespace {

int Run() {
  if (FLAGS_out.empty()) throw Error("synth: --out is required (the dataset folder)");
  if (FLAGS_n < 1 || FLAGS_n > 1000000) throw Error("synth: --n " + std::to_string(FLAGS_n) + " is outside 1..1000000");
  data::SynthOptions o;
  o.seed = FLAGS_seed;
  o.noise_px = FLAGS_noise_px;
  o.amputee_fraction = FLAGS_amputee_fraction;
  o.occlusion = FLAGS_occlusion;
  o.outliers = FLAGS_outliers;
  if (FLAGS_stump_shapes != "varied" && FLAGS_stump_shapes != "convex") {
    throw Error("synth: --stump-shapes '" + FLAGS_stump_shapes + "' is unknown (expected varied or convex)");
  }
  o.stump_shapes = FLAGS_stump_shapes == "varied" ? data::StumpShapes::kVaried : data::StumpShapes::kConvex;
  if (FLAGS_self_occlusion != "on" && FLAGS_self_occlusion != "off") {
    throw Error("synth: --self-occlusion '" + FLAGS_self_occlusion + "' is unknown (expected on or off)");
  }
  o.self_occlusion = FLAGS_self_occlusion == "on";
  if (!std::isfinite(FLAGS_mask_dilation_px) || FLAGS_mask_dilation_px < 0 || FLAGS_mask_dilation_px > 100) {
    throw Error("synth: --mask-dilation-px " + std::to_string(FLAGS_mask_dilation_px) + " is outside 0..100 px");
  }
  o.mask_dilation_px = FLAGS_mask_dilation_px;
  if (!std::isfinite(FLAGS_tilt_deg) || FLAGS_tilt_deg < 0 || FLAGS_tilt_deg > 45) {
    throw Error("synth: --tilt-deg " + std::to_string(FLAGS_tilt_deg) + " is outside 0..45 degrees");
  }
  o.tilt_deg = FLAGS_tilt_deg;
  std::vector<long long> size;
  const std::string image_size = FLAGS_image_size.empty() ? "1280x960" : FLAGS_image_size;
  if (!ParseIntegers(image_size, 'x', 2, 64, 8192, &size)) {
    throw Error("synth: --image-size '" + image_size + "' is not WIDTHxHEIGHT (64..8192 each)");
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
  pipeline::SynthDatasetOptions options;
  options.people = o;
  options.n = FLAGS_n;
  options.meshes = FLAGS_meshes;
  options.crop_size = FLAGS_crops;
  if (!FLAGS_views.empty()) {
    std::vector<long long> views;
    if (!ParseIntegers(FLAGS_views, ',', 1, 2, 16, &views)) throw Error("synth: --views must be a number of cameras, 2..16");
    options.views = static_cast<int>(views[0]);
  }
  if (!FLAGS_frames.empty()) {
    std::vector<long long> frames;
    if (!ParseIntegers(FLAGS_frames, ',', 1, 1, 1000, &frames)) throw Error("synth: --frames must be a number of frames, 1..1000");
    options.frames = static_cast<int>(frames[0]);
  }
  options.ascii_ply = FLAGS_ascii_ply;
  options.threads = threads;
  if (!FLAGS_generator_model.empty() && !FLAGS_model.empty() && FLAGS_generator_model != FLAGS_model) {
    throw Error("synth: --generator-model and --model name different models (give one: the model that makes the people)");
  }
  const std::string generator = FLAGS_generator_model.empty() ? FLAGS_model : FLAGS_generator_model;
  options.model_name = generator.empty() ? "embedded" : generator;
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(generator);
  const pipeline::SynthDatasetSummary summary = pipeline::WriteSynthDataset(m, options, FLAGS_out);
  std::cout << "wrote " << FLAGS_n << " people (" << summary.amputees << " with residual limbs, " << summary.residual_limbs << " residual limbs) to "
            << FLAGS_out << ": images/, masks/, keypoints.json (LDPose-25), ground_truth.json"
            << (FLAGS_crops ? ", crops/, crops.json" : "") << (options.views ? ", views/, views.json" : "")
            << (options.frames ? ", video/" : "") << "\n";
  return 0;
}

}  // namespace

Command SynthCommand() {
  return {"synth", "make a synthetic benchmark of people with residual limbs",
          "usage: resihmr synth --n N --seed S --out DIR [--generator-model M.npz] [--noise-px 2] [--amputee-fraction 0.7]\n"
          "                     [--image-size 1280x960] [--occlusion 0.05] [--outliers 0.02] [--meshes] [--crops S] [--threads N]\n"
          "                     [--stump-shapes varied|convex] [--mask-dilation-px 15] [--self-occlusion on|off]\n"
          "                     [--tilt-deg 0] [--views N] [--frames T]\n"
          "\n"
          "N people with random shapes, poses from seven families (standing, walking,\n"
          "running, sitting, reaching, throwing, side-on) varied within the joint ranges,\n"
          "random turn and distance, and (with probability amputee-fraction) one or two\n"
          "residual limbs of the 8 kinds ending at lambda uniform in [0.15, 0.85]. Writes\n"
          "images/ (shaded renderings of the ground-truth mesh, stumps cut and capped),\n"
          "masks/ (the exact silhouettes), keypoints.json (LDPose-25 COCO JSON with noise,\n"
          "occlusions, outliers and the input masks as RLE), ground_truth.json (parameters,\n"
          "camera, 3D joints, noise-free 2D keypoints, per residual limb lambda, joints,\n"
          "endpoint, length, stump volume and shape).\n"
          "\n"
          "The benchmark is not the fitter's own world (docs/evaluation.md):\n"
          "--generator-model M.npz (or --model M.npz): the body model that makes the\n"
          "people (default: the embedded model); fit them with another, `resihmr eval\n"
          "--model M2.npz`, to measure model mismatch (make a MakeHuman body with\n"
          "`resihmr make-model --from-makehuman DIR --out M.npz`; docs/model.md).\n"
          "--stump-shapes varied (default): each stump reshaped from another family than\n"
          "the fitter's convex cap: conical, cylindrical or bulbous radius profiles, a\n"
          "transtibial profile of the OpenLimbTT mean limb's taper (below-knee), end\n"
          "radius 0.4-1.0 of the cut's, 0-60 mm soft tissue beyond the bone, end\n"
          "roundness 0.5-1.6 (data/stump_shapes.h; a shape that would cross the body is\n"
          "not applied, noted in ground_truth.json); convex: the fitter's cap, as before.\n"
          "--mask-dilation-px D (default 15): each input mask dilated by U(0, D) px with\n"
          "ragged edges, as clothing; 0: exact. --self-occlusion on (default): a keypoint\n"
          "behind the body's surface at its pixel (12 cm for joints, 3 cm for surface\n"
          "points) is labelled occluded (v 1), confidence 0.5, twice the noise. With\n"
          "convex, 0 and off the people are exactly those of earlier versions.\n"
          "--tilt-deg D (default 0: a level camera and upright people): the camera pitched\n"
          "by U(-D, D) and rolled by U(-D/2, D/2) degrees, and each body leaned as a whole\n"
          "by U(0, D/2) in a random direction (0..45; recorded per person in\n"
          "ground_truth.json as camera_tilt_deg and body_lean_deg).\n"
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
          "crop's weak-perspective camera (s, t_x, t_y).\n"
          "\n"
          "--views N (2..16) also writes views/: per person views/<image stem>/ with N\n"
          "calibrated cameras (intri.yml and extri.yml in EasyMocap's form, cameras.json),\n"
          "the first the person's own camera (R = I, t = 0: the world frame is\n"
          "ground_truth.json's camera frame), the others looking at the pelvis from\n"
          "azimuths 360 v / N +- 15 degrees, elevations -10..15 degrees and 0.8-1.25 times\n"
          "the distance; and <camera>/keypoints.json, the person's keypoints in that camera\n"
          "(the same noise, occlusion and outlier rates; no images, masks or self-occlusion\n"
          "in the other views); views.json lists the files (docs/multiview.md). Fit one\n"
          "person with `resihmr fit --views .../00/keypoints.json,.../01/keypoints.json\n"
          "--cameras views/<image stem>`.\n"
          "\n"
          "--frames T (1..1000) also writes video/: per person video/<image stem>/ with\n"
          "keypoints.json, T frames of a walking cycle (30 frames per second, period\n"
          "28-36 frames, walking where the person faces at 0.9-1.4 m/s, 4-6 m from the\n"
          "camera; residual limbs move with their parents) as LDPose-25 COCO JSON with\n"
          "frame_id and track_id, the same noise, occlusion and outlier rates, 3% of\n"
          "frames without the person; cameras.json (camera \"00\"); and truth.npz\n"
          "(present, joints, endpoints, pose, transl per frame; camera frame, metres).\n"
          "Everyone is then drawn with the walking family, and ground_truth.json's\n"
          "limbs, lengths and volumes hold for every frame (docs/video.md). Fit one with\n"
          "`resihmr fit --video video/<image stem>/keypoints.json --out DIR`.\n",
          {"n", "seed", "out", "model", "generator_model", "noise_px", "amputee_fraction", "image_size", "occlusion", "outliers", "meshes",
           "crops", "threads", "ascii_ply", "stump_shapes", "mask_dilation_px", "self_occlusion", "tilt_deg", "views", "frames"},
          &Run};
}

}  // namespace resihmr::apps
