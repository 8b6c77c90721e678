// `resihmr synth` as a library call: a synthetic benchmark of people with
// residual limbs (data/synthetic_people.h) written as a dataset folder:
// images/ and masks/ (PNG; the exact silhouettes), keypoints.json (LDPose-25
// COCO JSON with the input masks, dilated and ragged unless
// mask_dilation_px is 0, as RLE), ground_truth.json (parameters, camera, 3D
// joints, noise-free 2D keypoints, per residual limb lambda, joints,
// endpoint, length, stump volume and, with varied stumps, the stump's shape;
// per person the exact mask's file and the self-occluded keypoints' count;
// pipeline/ground_truth.h reads it), and optionally meshes/ (the
// ground-truth meshes, PLY) and crops/ with crops.json (person crops and the
// learned modules' labels), and optionally views/ (per person
// views/<image stem>/: intri.yml, extri.yml and cameras.json for N cameras,
// the first the person's own, and <camera>/keypoints.json per camera; the
// world frame is the first camera's, so ground_truth.json holds the truth
// in it; views.json lists the files), and optionally video/ (per person
// video/<image stem>/: keypoints.json, the walk's LDPose-25 keypoints as COCO
// with frame_id and track_id 0, cameras.json with its camera "00", and
// truth.npz: present [F], joints [F][J][3], endpoints [F][L][3] (per
// residual limb of ground_truth.json, same order), pose [F][J][3], transl
// [F][3], camera frame, metres; everyone is then drawn with the walking
// family, and ground_truth.json's limbs, lengths and volumes hold for every
// frame). The folder is written whole or left as it was
// (pipeline/output_dir.h). The same seed gives the same files on any number
// of threads.
#pragma once

#include <string>

#include "data/synthetic_people.h"
#include "model/body_model.h"

namespace resihmr::pipeline {

struct SynthDatasetOptions {
  data::SynthOptions people;   // seed, noise (px), fractions, image size
  int n = 20;                  // people, 1..1000000
  bool meshes = false;         // also meshes/<name>.ply
  int crop_size = 0;           // 0, or 32..1024: crops/ and crops.json
  int views = 0;               // 0, or 2..16: views/<person>/ with N calibrated cameras (data/synthetic_views.h)
  int frames = 0;              // 0, or 1..1000: video/<person>/, a walk of N frames (data/synthetic_video.h)
  bool ascii_ply = false;      // meshes as ASCII PLY (default binary little-endian)
  int threads = 1;             // 1..kMaxThreads
  std::string model_name = "embedded";  // recorded in ground_truth.json
};

struct SynthDatasetSummary {
  int people = 0, amputees = 0, residual_limbs = 0;
};

// Throws resihmr::Error when an option is outside its range (naming it as
// the struct does) or a file cannot be written.
SynthDatasetSummary WriteSynthDataset(const model::BodyModel& model, const SynthDatasetOptions& options,
                                      const std::string& out);

}  // namespace resihmr::pipeline
