// Keypoint annotation files in and out: COCO / LDPose keypoint JSON (images,
// annotations with `keypoints` triples, `num_keypoints`, `bbox`,
// `segmentation` as polygons or RLE, categories with keypoint names) and
// OpenPose JSON (`people[].pose_keypoints_2d` x, y, c triples, optional hand
// and face arrays). A COCO file may be a video (PoseTrack's form): each
// image a frame with its `frame_id`, each annotation a person's `track_id`.
// Reading yields one Observation per person.
//
// What is wrong with a whole file (malformed JSON, missing arrays, duplicate
// image or annotation ids, unknown keypoint names) is an Error. What is wrong
// with one person (wrong keypoint count for the layout, non-numeric values,
// visibility outside {0, 1, 2}, confidence outside [0, 1], a coordinate or
// box value beyond +-1e7 px, an area outside 0..1e14, an unknown image)
// drops that person with a warning naming the file, the annotation id and
// the field, or is an Error under `strict`. Image sides must lie in
// 0..100000 (checked before narrowing). Usable oddities (points far
// outside the image, made absent; num_keypoints disagreeing; a degenerate
// box; an unreadable segmentation, e.g. a polygon more than the image's
// size outside it) are warnings on the person. Masks are decoded once the
// whole file is read, on up to 8 threads (the same masks on any number);
// masks may also come from PNG files ("mask_file", ReadOptions::masks_dir)
// and every mask is checked (data/mask_files.h).
#pragma once

#include <string>
#include <vector>

#include "data/observation.h"

namespace resihmr::data {

struct AnnotationImage {
  int64_t id = -1;
  std::string file_name;
  int width = 0, height = 0;
  int64_t frame_id = -1;  // a video's frame number (PoseTrack's images[].frame_id, 0..1e9); -1: none
};

constexpr int64_t kMaxFrameId = 1000000000;

struct AnnotationFile {
  std::string path;
  std::string format;  // "coco" or "openpose"
  const KeypointLayout* layout = nullptr;
  std::vector<AnnotationImage> images;
  std::vector<Observation> persons;
  std::vector<std::string> warnings;  // file-level, including every dropped person
};

struct ReadOptions {
  bool strict = false;                     // every problem is an Error
  const KeypointLayout* layout = nullptr;  // force a layout (else from categories / counts)
  std::string image;                       // OpenPose: the image file name (default: from the JSON's name)
  int image_width = 0, image_height = 0;   // OpenPose: the image size when known
  std::string masks_dir;                   // per-person mask images (data/mask_files.h), "" for none
};

// Reads a COCO or OpenPose file, told apart by their top-level keys.
AnnotationFile ReadAnnotations(const std::string& path, const ReadOptions& options = ReadOptions());

// Parses file contents; `what` names them in messages.
AnnotationFile ParseCocoKeypoints(const std::string& text, const std::string& what, const ReadOptions& options);
AnnotationFile ParseOpenPose(const std::string& text, const std::string& what, const ReadOptions& options);

// Writers: whole file or nothing. COCO masks are written as compressed RLE.
void WriteCocoKeypoints(const std::string& path, const AnnotationFile& file);
void WriteOpenPose(const std::string& path, const std::vector<Observation>& persons);

}  // namespace resihmr::data
