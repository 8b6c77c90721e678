#include "pipeline/video.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "geometry/mesh_io.h"
#include "model/error.h"
#include "model/npz.h"
#include "pipeline/json_file.h"
#include "pipeline/multi_view.h"
#include "pipeline/multi_view_pictures.h"
#include "pipeline/person_pictures.h"
#include "pipeline/result_json.h"

namespace resihmr::pipeline {
namespace {

using nlohmann::json;
constexpr size_t kMaxFrames = 100000;

struct Frame {
  int64_t number = 0;
  std::vector<const data::Observation*> persons;
};

// The mean of a person's present keypoints (pixels); false when none.
bool Centre(const data::Observation& o, Eigen::Vector2d* c) {
  c->setZero();
  int n = 0;
  for (int k = 0; k < o.layout->size(); ++k) {
    if (o.present(k)) *c += o.points.row(k).transpose(), ++n;
  }
  if (n) *c /= n;
  return n > 0;
}

// One track without track ids: the first frame's person with most keypoints,
// then the nearest person within a fifth of the image height of the last.
VideoTrack FollowNearest(const std::vector<Frame>& frames, int height) {
  VideoTrack track;
  bool started = false;
  Eigen::Vector2d last = Eigen::Vector2d::Zero();
  for (const Frame& f : frames) {
    optim::VideoFrameInput in;
    in.frame = f.number;
    const data::Observation* pick = nullptr;
    double best = started ? 0.2 * height : -1;
    for (const data::Observation* o : f.persons) {
      Eigen::Vector2d c;
      if (!Centre(*o, &c)) continue;
      const double score = started ? (c - last).norm() : o->num_present();
      if (started ? score < best : score > best) best = score, pick = o;
    }
    if (pick) {
      in.present = true;
      in.person = *pick;
      Centre(*pick, &last);
      started = true;
    }
    track.frames.push_back(std::move(in));
  }
  return track;
}

std::vector<VideoTrack> Tracks(const std::vector<Frame>& frames, int height) {
  bool all_tracked = true, any = false;
  for (const Frame& f : frames) {
    for (const data::Observation* o : f.persons) all_tracked = all_tracked && o->track_id >= 0, any = true;
  }
  if (!any) return {};
  if (!all_tracked) return {FollowNearest(frames, height)};
  std::set<int64_t> ids;
  for (const Frame& f : frames) {
    for (const data::Observation* o : f.persons) ids.insert(o->track_id);
  }
  std::vector<VideoTrack> tracks;
  for (int64_t id : ids) {
    VideoTrack t;
    t.track_id = id;
    for (const Frame& f : frames) {
      optim::VideoFrameInput in;
      in.frame = f.number;
      for (const data::Observation* o : f.persons) {
        if (o->track_id == id && !in.present) in.present = true, in.person = *o;
      }
      t.frames.push_back(std::move(in));
    }
    tracks.push_back(std::move(t));
  }
  return tracks;
}

}  // namespace

int64_t FrameNumberOfFile(const std::string& file_name) {
  const std::string stem = std::filesystem::path(file_name).stem().string();
  size_t end = stem.size();
  while (end > 0 && !std::isdigit(static_cast<unsigned char>(stem[end - 1]))) --end;
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(stem[begin - 1]))) --begin;
  if (begin == end) return -1;
  std::string digits = stem.substr(begin, end - begin);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));  // OpenPose pads to 12 digits
  if (digits.size() > 10) return -1;
  const int64_t n = std::stoll(digits);
  return n <= data::kMaxFrameId ? n : -1;
}

VideoDataset ReadVideo(const std::string& path, const VideoReadOptions& options) {
  VideoDataset out;
  data::ReadOptions read;
  read.strict = options.strict;
  read.image_width = options.image_width;
  read.image_height = options.image_height;
  std::vector<std::pair<int64_t, size_t>> order;  // frame number, file or image index
  if (std::filesystem::is_directory(path)) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path)) {
      if (e.is_regular_file() && e.path().extension() == ".json") names.push_back(e.path().string());
      if (names.size() > kMaxFrames) throw Error(path + ": more than 100000 frame files");
    }
    if (names.empty()) throw Error(path + ": no .json frame files (OpenPose's output on a video)");
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      const int64_t number = FrameNumberOfFile(name);
      if (number < 0) throw Error(name + ": no frame number in the file's name (expected e.g. clip_000000000012_keypoints.json)");
      out.files.push_back(data::ReadAnnotations(name, read));
      order.emplace_back(number, out.files.size() - 1);
    }
  } else {
    out.files.push_back(data::ReadAnnotations(path, read));
    const data::AnnotationFile& file = out.files.front();
    if (file.format != "coco") throw Error(path + ": a video is a COCO file with frame ids or a folder of OpenPose files");
    if (file.images.size() > kMaxFrames) throw Error(path + ": more than 100000 frames");
    for (size_t i = 0; i < file.images.size(); ++i) {
      if (file.images[i].frame_id < 0) {
        throw Error(path + ": image " + std::to_string(file.images[i].id) + ": frame_id: missing (a video's frames need one)");
      }
      order.emplace_back(file.images[i].frame_id, i);
    }
  }
  for (const data::AnnotationFile& f : out.files) {
    for (const std::string& w : f.warnings) out.warnings.push_back(w);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Frame> frames;
  const bool folder = std::filesystem::is_directory(path);
  for (const auto& [number, index] : order) {
    const std::string what = folder ? out.files[index].path : path + ": image " + std::to_string(out.files[0].images[index].id);
    if (!frames.empty() && frames.back().number == number) {
      out.warnings.push_back(what + ": frame " + std::to_string(number) + " given again: left out");
      continue;
    }
    Frame f;
    f.number = number;
    const data::AnnotationFile& file = folder ? out.files[index] : out.files[0];
    for (const data::Observation& o : file.persons) {
      if (folder || o.image_id == file.images[index].id) f.persons.push_back(&o);
    }
    for (const data::Observation* o : f.persons) {
      if (o->image_width <= 0 || o->image_height <= 0) {
        throw Error(what + ": the image size is not known (give --image-size WxH for OpenPose files)");
      }
      if (out.image_width == 0) out.image_width = o->image_width, out.image_height = o->image_height;
      if (o->image_width != out.image_width || o->image_height != out.image_height) {
        throw Error(what + ": image size " + std::to_string(o->image_width) + "x" + std::to_string(o->image_height) +
                    " differs from the video's " + std::to_string(out.image_width) + "x" + std::to_string(out.image_height));
      }
    }
    out.frames.push_back(number);
    frames.push_back(std::move(f));
  }
  if (out.image_width == 0) {
    out.image_width = options.image_width;
    out.image_height = options.image_height;
  }
  out.tracks = Tracks(frames, out.image_height);
  return out;
}

json VideoResultJson(const VideoTrack& track, const optim::VideoFit& fit,
                     const std::vector<const geometry::StumpOutcome*>& stumps) {
  json j;
  j["status"] = fit.ok ? "ok" : "failed";
  if (!fit.ok) j["error"] = fit.error;
  j["track_id"] = track.track_id;
  j["frame"] = "camera (metres; OpenCV's axes)";
  json frames = json::array();
  for (const optim::VideoFrameResult& f : fit.frames) {
    json pose = json::array(), joints = json::array();
    for (Eigen::Index r = 0; r < f.params.pose.rows(); ++r) pose.push_back({f.params.pose(r, 0), f.params.pose(r, 1), f.params.pose(r, 2)});
    for (Eigen::Index r = 0; r < f.joints.rows(); ++r) joints.push_back({f.joints(r, 0), f.joints(r, 1), f.joints(r, 2)});
    frames.push_back({{"frame", f.frame},
                      {"fitted", f.fitted},
                      {"note", f.note},
                      {"params", {{"pose", pose}, {"transl", {f.params.transl[0], f.params.transl[1], f.params.transl[2]}}}},
                      {"joints_3d", joints},
                      {"median_error_px", NumberOrNull(f.median_error_px)},
                      {"residual_limbs", ResidualLimbsJson(f.residual_limbs)}});
  }
  j["frames"] = frames;
  json limbs = json::array();
  for (size_t l = 0; l < fit.limbs.size(); ++l) {
    const optim::VideoLimbResult& r = fit.limbs[l];
    json limb = {{"limb", model::LimbName(r.limb.limb)},
                 {"level", model::LossLevelName(r.limb.level)},
                 {"accepted", r.accepted},
                 {"reason", r.reason},
                 {"lambda", r.lambda},
                 {"lambda_sigma", NumberOrNull(r.lambda_sigma)},
                 {"length_mm", r.length_mm},
                 {"length_sigma_mm", NumberOrNull(r.length_sigma_mm)},
                 {"median_error_px", NumberOrNull(r.median_error_px)},
                 {"frames_seen", r.frames_seen},
                 {"keyframes_accepted", r.keyframes_accepted}};
    if (l < stumps.size() && stumps[l]) limb["measurements"] = MeasurementsJson(stumps[l]->measurements);
    limbs.push_back(limb);
  }
  j["residual_limbs"] = limbs;
  j["reference_frame"] = fit.reference_frame >= 0 ? json(fit.frames[static_cast<size_t>(fit.reference_frame)].frame) : json(nullptr);
  j["betas"] = std::vector<double>(fit.betas.data(), fit.betas.data() + fit.betas.size());
  j["median_error_px"] = NumberOrNull(fit.median_error_px);
  j["keyframes"] = fit.keyframes;
  j["fitted_frames"] = fit.fitted_frames;
  j["warnings"] = fit.warnings;
  j["time_ms"] = fit.time_ms;
  return j;
}

MultiViewMesh ReferenceFrameMesh(const model::BodyModel& model, const optim::VideoFit& fit) {
  const optim::VideoFrameResult& ref = fit.frames[static_cast<size_t>(fit.reference_frame)];
  return BuildMeshWithStumps(model, ref.params, ref.residual_limbs);
}

std::vector<const geometry::StumpOutcome*> StumpsOf(const optim::VideoFit& fit, const MultiViewMesh& mesh) {
  std::vector<const geometry::StumpOutcome*> stumps;
  for (size_t l = 0; l < fit.limbs.size(); ++l) stumps.push_back(l < mesh.cut_of_limb.size() ? mesh.stump_of(l) : nullptr);
  return stumps;
}

void WriteVideoResultFiles(const model::BodyModel& model, const VideoTrack& track, const optim::VideoFit& fit,
                           const model::PinholeCamera& camera, const std::string& folder, bool ascii_ply) {
  const std::string stem = folder + "/track_" + std::to_string(track.track_id);
  if (!fit.ok) {
    WriteJsonFile(stem + ".json", VideoResultJson(track, fit));
    return;
  }
  const optim::VideoFrameResult& ref = fit.frames[static_cast<size_t>(fit.reference_frame)];
  const MultiViewMesh mesh = ReferenceFrameMesh(model, fit);
  const std::vector<const geometry::StumpOutcome*> stumps = StumpsOf(fit, mesh);
  geometry::MeshWriteOptions ply;
  ply.binary_ply = !ascii_ply;
  geometry::WriteMesh(stem + ".ply", mesh.mesh.vertices, mesh.mesh.faces, ResidualColours(mesh.mesh.residual),
                      mesh.mesh.residual, ply);
  const int64_t F = static_cast<int64_t>(fit.frames.size()), J = model.num_joints();
  std::vector<int64_t> numbers, fitted;
  std::vector<double> pose, transl, joints;
  for (const optim::VideoFrameResult& f : fit.frames) {
    numbers.push_back(f.frame);
    fitted.push_back(f.fitted);
    for (Eigen::Index r = 0; r < J; ++r) {
      for (int c = 0; c < 3; ++c) pose.push_back(f.params.pose(r, c)), joints.push_back(f.joints(r, c));
    }
    for (int c = 0; c < 3; ++c) transl.push_back(f.params.transl[c]);
  }
  model::WriteNpz(stem + ".npz",
                  {{"frame", model::NpyArray::FromInt64s({F}, numbers)},
                   {"fitted", model::NpyArray::FromInt64s({F}, fitted)},
                   {"betas", model::NpyArray::FromDoubles({fit.betas.size()},
                                                          std::vector<double>(fit.betas.data(), fit.betas.data() + fit.betas.size()))},
                   {"pose", model::NpyArray::FromDoubles({F, J, 3}, pose)},
                   {"transl", model::NpyArray::FromDoubles({F, 3}, transl)},
                   {"joints", model::NpyArray::FromDoubles({F, J, 3}, joints)}});
  // The reference frame's picture: the mesh through the camera over a white
  // canvas, the frame's keypoints in colour and the fitted ones as crosses.
  const size_t r = static_cast<size_t>(fit.reference_frame);
  optim::CalibratedView view;
  view.name = "frame " + std::to_string(ref.frame);
  view.person = track.frames[r].person;
  view.camera = camera;
  optim::ViewReport report;
  report.keypoints_2d = ref.keypoints_2d;
  report.median_error_px = ref.median_error_px;
  const std::string picture = stem + ".png";
  if (!cv::imwrite(picture, DrawViewOverlay(cv::Mat(), view, report, mesh))) throw Error(picture + ": cannot write image");
  json j = VideoResultJson(track, fit, stumps);
  j["mesh"] = {{"file", std::filesystem::path(stem + ".ply").filename().string()},
               {"frame", ref.frame},
               {"vertices", mesh.mesh.vertices.rows()},
               {"watertight", mesh.mesh.watertight()}};
  WriteJsonFile(stem + ".json", j);
}

}  // namespace resihmr::pipeline
