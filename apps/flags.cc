#include "apps/flags.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "model/error.h"
#include "pipeline/parallel.h"

DEFINE_string(model, "", "body model .npz (SMPL, SMPL+H, SMPL-X or made by make-model); empty: the embedded model");
DEFINE_string(out, "", "output path");
DEFINE_string(params, "", "body parameters JSON");
DEFINE_string(joints_out, "", "write posed joints and vertex keypoints to this JSON file");
DEFINE_uint32(seed, 0, "random seed");
DEFINE_string(keypoints, "", "keypoint annotation file (COCO / LDPose JSON or OpenPose JSON)");
DEFINE_string(images, "", "folder of the images the annotations refer to");
DEFINE_int32(threads, 1, "worker threads");
DEFINE_string(masks, "", "folder of per-person mask PNGs: <image stem>_<annotation id>.png, or <image stem>.png instance ids (docs/output.md)");
DEFINE_string(silhouette, "", "fit: on (default) or off, the silhouette stage when a person has a mask; eval: auto (default), off, on or both");
DEFINE_string(config, "", "fit, eval: JSON file overriding the fit's weights and settings (docs/output.md)");
DEFINE_bool(strict, false, "inspect, fit, eval: every problem with a person or its mask is an error, not a warning");
DEFINE_string(extrinsics, "given", "fit --views, eval --views: given (the cameras' R, t) or estimate (each view's pose fitted with the body)");
DEFINE_string(views, "", "fit: several views, one keypoint file per camera, comma-separated; synth: cameras around each person, 2..16; eval: view counts to score a synth --views folder with, e.g. 1,2,3,4 (docs/multiview.md)");
DEFINE_string(image_size, "", "synth: image width x height (default 1280x960); fit --video: the size of OpenPose frames, WIDTHxHEIGHT");
DEFINE_string(frames, "", "synth: a walk of this many frames per person, 1..1000 (video/); eval: frame counts to score a synth --frames folder with, e.g. 1,10,30,60 (docs/video.md)");
DEFINE_bool(ascii_ply, false, "write PLY meshes as ASCII text instead of binary little-endian");

namespace resihmr::apps {

void RequireFlagInRange(const std::string& command, const std::string& flag, double value, double lo, double hi) {
  if (std::isfinite(value) && value >= lo && value <= hi) return;
  std::ostringstream s;
  s << command << ": --" << flag << " " << value << " is outside " << lo << ".." << hi;
  throw Error(s.str());
}

int CheckedThreads(int value, const std::string& command) {
  RequireFlagInRange(command, "threads", value, 1, pipeline::kMaxThreads);
  return value;
}

bool ParseIntegers(const std::string& text, char sep, size_t count, long long lo, long long hi, std::vector<long long>* out) {
  out->clear();
  const char* p = text.data();
  const char* end = text.data() + text.size();
  while (true) {
    long long value = 0;
    const auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc() || next == p || value < lo || value > hi) return false;
    out->push_back(value);
    if (next == end) break;
    if (*next != sep) return false;
    p = next + 1;
  }
  return out->size() == count;
}

}  // namespace resihmr::apps
