// A video of people from one camera (`resihmr fit --video PATH`,
// docs/video.md): the frames read, each person followed over them, fitted
// over the frames (optim::FitVideo), and written as JSON, NPZ and a mesh.
//
// PATH is either
//   - a COCO / LDPose keypoint file in PoseTrack's form: each image a frame
//     with its `frame_id` (0..1e9; an image without one is an error) and
//     each annotation a person with its `track_id`; or
//   - a folder of OpenPose JSON files, one per frame (OpenPose's own output
//     on a video: <name>_<frame>_keypoints.json), the frame number being the
//     last run of digits in the file's stem (a file without one is an error).
// Frames are put in frame-number order; a frame number given twice is a
// warning, and its later image (COCO's order) or file (name order) is left
// out. At most 100000 frames. Persons: COCO's track_id where given; else
// (OpenPose, or COCO without track ids) one track, the person of the first
// frame with most keypoints, followed from frame to frame by the nearest
// person (the mean of its present keypoints within a fifth of the image's
// height of the track's last), the frame counting as absent when none is.
// Image size: COCO's images, else `image_width` / `image_height` (an error
// when unknown). A track with no frame is not listed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/annotation_file.h"
#include "geometry/stump_mesh.h"
#include "pipeline/multi_view.h"
#include "optim/video_fit.h"

namespace resihmr::pipeline {

struct VideoTrack {
  int64_t track_id = 0;
  std::vector<optim::VideoFrameInput> frames;  // every frame of the video; present where the track has the person
};

struct VideoDataset {
  std::vector<data::AnnotationFile> files;     // as read
  int image_width = 0, image_height = 0;
  std::vector<int64_t> frames;                 // frame numbers, increasing
  std::vector<VideoTrack> tracks;
  std::vector<std::string> warnings;
};

struct VideoReadOptions {
  int image_width = 0, image_height = 0;       // for OpenPose
  bool strict = false;                         // every problem with a person is an error
};

// Throws resihmr::Error naming the file (and image or frame) on what cannot
// be read.
VideoDataset ReadVideo(const std::string& path, const VideoReadOptions& options);

// Frame numbers from OpenPose's file names: the last run of digits in the
// stem ("clip_000000000012_keypoints" -> 12); -1 when there is none or it
// exceeds 1e9.
int64_t FrameNumberOfFile(const std::string& file_name);

// One track's result: "status", "error", "track_id", "frames" (per frame:
// "frame", "fitted", "note", "params" (betas, pose [J][3], transl), "joints_3d",
// "median_error_px", "residual_limbs"), "residual_limbs" (per limb: limb,
// level, accepted, reason, lambda, lambda_sigma, length_mm, length_sigma_mm,
// median_error_px, frames_seen, keyframes_accepted, and with `stump` its
// "measurements" on the reference frame's mesh), "reference_frame",
// "betas", "median_error_px", "keyframes", "fitted_frames", "warnings",
// "time_ms". Camera frame, metres.
nlohmann::json VideoResultJson(const VideoTrack& track, const optim::VideoFit& fit,
                               const std::vector<const geometry::StumpOutcome*>& stumps = {});

// A successful fit's reference frame posed with every accepted stump cut,
// capped and measured (pipeline/multi_view.h), and per residual limb of the
// fit its stump there (null where none was built).
MultiViewMesh ReferenceFrameMesh(const model::BodyModel& model, const optim::VideoFit& fit);
std::vector<const geometry::StumpOutcome*> StumpsOf(const optim::VideoFit& fit, const MultiViewMesh& mesh);

// Writes `folder`/track_<id>.json, track_<id>.npz (frame [F] int64, fitted
// [F] int64, betas [B], pose [F][J][3] axis-angle, transl [F][3] metres,
// joints [F][J][3] metres; to animate) and, for a successful fit, the
// reference frame's mesh track_<id>.ply with every accepted stump cut,
// capped and measured, and its picture track_<id>.png (the mesh through
// `camera` over a white canvas, the frame's keypoints in colour, the fitted
// ones as white crosses; pipeline/multi_view_pictures.h).
void WriteVideoResultFiles(const model::BodyModel& model, const VideoTrack& track, const optim::VideoFit& fit,
                           const model::PinholeCamera& camera, const std::string& folder, bool ascii_ply);

}  // namespace resihmr::pipeline
