// resihmr fit: fits the body model to every person of a keypoint file.
#include <atomic>
#include <chrono>
#include <cmath>
#include <sstream>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "apps/command.h"
#include "apps/fit_result_json.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "apps/model_source.h"
#include "data/annotation_file.h"
#include "data/keypoint_drawing.h"
#include "geometry/mesh_io.h"
#include "geometry/mesh_render.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "optim/person_fit.h"

DEFINE_string(method, "resihmr", "fit: resihmr, intact or ajahr-zero");
DEFINE_string(limbs, "", "fit: residual limbs for every person, e.g. left_leg=below_knee,right_arm=above_elbow");
DEFINE_double(focal, 0, "fit: focal length in pixels (0: the image diagonal; 5000 as SMPLify-X)");
DEFINE_string(config, "", "fit: JSON file overriding the fit's weights and settings");
DEFINE_int32(threads, 1, "fit: worker threads; persons are split between them");

namespace resihmr::apps {
namespace {

struct PersonOutcome {
  bool ok = false;
  double mean_error_px = 0, time_ms = 0;
  std::string line;
};

// Image size of a person: from the annotations, else from the image file.
bool ImageSize(const data::Observation& person, int* width, int* height) {
  if (person.image_width > 0 && person.image_height > 0) {
    *width = person.image_width;
    *height = person.image_height;
    return true;
  }
  if (FLAGS_images.empty()) return false;
  const cv::Mat image = cv::imread((std::filesystem::path(FLAGS_images) / person.image).string(), cv::IMREAD_COLOR);
  if (image.empty()) return false;
  *width = image.cols;
  *height = image.rows;
  return true;
}

void DrawOverlay(const model::BodyModel& m, const data::Observation& person, const optim::FitResult& r,
                 const model::PosedBody& posed, const std::string& path) {
  cv::Mat image = cv::imread((std::filesystem::path(FLAGS_images) / person.image).string(), cv::IMREAD_COLOR);
  if (image.empty()) throw Error((std::filesystem::path(FLAGS_images) / person.image).string() + ": cannot read the image");
  geometry::RenderStyle style;
  style.alpha = 0.55;
  image = geometry::RenderMesh(posed.vertices, m.faces, r.camera, style, image);
  const double scale = std::max(1.0, image.cols / 640.0);
  data::Observation keypoints_only = person;  // the mask tint would hide the mesh
  keypoints_only.mask.release();
  data::DrawObservation(image, keypoints_only, "", scale);
  for (const auto& link : person.layout->skeleton) {  // the fitted model's skeleton, white
    const auto a = r.keypoints_2d.row(link[0]), b = r.keypoints_2d.row(link[1]);
    if (!a.allFinite() || !b.allFinite()) continue;
    cv::line(image, cv::Point2d(a[0], a[1]), cv::Point2d(b[0], b[1]), cv::Scalar(255, 255, 255),
             std::max(1, static_cast<int>(scale)), cv::LINE_AA);
  }
  for (Eigen::Index k = 0; k < r.keypoints_2d.rows(); ++k) {
    if (!r.keypoints_2d.row(k).allFinite()) continue;
    cv::drawMarker(image, cv::Point2d(r.keypoints_2d(k, 0), r.keypoints_2d(k, 1)), cv::Scalar(255, 255, 255),
                   cv::MARKER_CROSS, static_cast<int>(8 * scale), 1, cv::LINE_AA);
  }
  std::ostringstream caption;
  caption << "fit: mean " << std::fixed << std::setprecision(1) << r.mean_error_px << " px";
  cv::putText(image, caption.str(), cv::Point(8, static_cast<int>(20 * scale)), cv::FONT_HERSHEY_SIMPLEX, 0.6 * scale,
              cv::Scalar(255, 255, 255), 2, cv::LINE_AA);
  if (!cv::imwrite(path, image)) throw Error(path + ": cannot write image");
}

PersonOutcome FitOne(const model::BodyModel& m, const data::Observation& person, const optim::PersonFitOptions& options,
                     const std::string& model_name, const std::string& out) {
  PersonOutcome outcome;
  const std::string stem = (std::filesystem::path(out) / PersonFileStem(person)).string();
  optim::PersonFit fit;
  optim::FitResult& r = fit.fit;
  int width = 0, height = 0;
  if (!ImageSize(person, &width, &height)) {
    r.error = "image size unknown: the annotations give none and --images has no readable " + person.image;
  } else {
    fit = optim::FitPerson(m, person, model::DefaultCamera(width, height, FLAGS_focal), options);
  }
  nlohmann::json j = FitResultJson(person, r, FLAGS_method, model_name);
  if (r.ok) j["residual_limbs"] = ResidualLimbsJson(fit.residual_limbs);
  for (const std::string& w : person.warnings) j["warnings"].push_back(w);
  if (r.ok) {
    const model::PosedBody posed = model::PoseBody(m, r.params, true);
    geometry::WriteMesh(stem + ".ply", posed.vertices, m.faces);
    if (!FLAGS_images.empty()) DrawOverlay(m, person, r, posed, stem + ".png");
  }
  WriteJsonFile(stem + ".json", j);
  outcome.ok = r.ok;
  outcome.mean_error_px = r.mean_error_px;
  outcome.time_ms = r.time_ms;
  std::ostringstream line;
  line << PersonFileStem(person) << ": ";
  if (r.ok) {
    line << "ok, mean 2D error " << std::fixed << std::setprecision(2) << r.mean_error_px << " px, "
         << std::setprecision(1) << r.time_ms << " ms";
    for (const optim::ResidualLimbResult& l : fit.residual_limbs) {
      line << "; " << model::LimbName(l.limb.limb) << " " << model::LossLevelName(l.limb.level) << ": lambda "
           << std::setprecision(2) << l.lambda << ", " << std::setprecision(0) << l.length_mm << " mm"
           << (l.accepted ? "" : " (not accepted: " + l.reason + ")");
    }
  } else {
    line << "FAILED: " << r.error;
  }
  outcome.line = line.str();
  return outcome;
}

int Run() {
  if (FLAGS_keypoints.empty()) throw Error("fit: --keypoints is required (an annotation file)");
  if (FLAGS_out.empty()) throw Error("fit: --out is required (an output folder)");
  optim::PersonFitOptions options;
  if (!optim::ParseMethod(FLAGS_method, &options.method)) {
    throw Error("fit: --method '" + FLAGS_method + "' is unknown (expected resihmr, intact or ajahr-zero)");
  }
  if (!FLAGS_limbs.empty()) {
    options.limbs = optim::ParseLimbList(FLAGS_limbs);
    options.limbs_given = true;
  }
  if (FLAGS_threads < 1) throw Error("fit: --threads must be at least 1");
  if (FLAGS_focal < 0 || !std::isfinite(FLAGS_focal)) throw Error("fit: --focal must be a positive number of pixels");
  if (!FLAGS_config.empty()) options.fit.config = optim::ReadFitConfig(FLAGS_config);
  const model::BodyModel m = LoadModelOrEmbedded(FLAGS_model);
  const std::string model_name = FLAGS_model.empty() ? "embedded" : FLAGS_model;
  const data::AnnotationFile file = data::ReadAnnotations(FLAGS_keypoints);
  for (const std::string& w : file.warnings) std::cerr << "warning: " << w << "\n";
  std::filesystem::create_directories(FLAGS_out);

  std::vector<PersonOutcome> outcomes(file.persons.size());
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  std::string first_error;
  const auto worker = [&] {
    for (size_t i = next++; i < file.persons.size(); i = next++) {
      try {
        outcomes[i] = FitOne(m, file.persons[i], options, model_name, FLAGS_out);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
        outcomes[i].line = PersonFileStem(file.persons[i]) + ": FAILED: " + e.what();
      }
    }
  };
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 1; t < FLAGS_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int fitted = 0;
  double error_sum = 0;
  for (const PersonOutcome& o : outcomes) {
    std::cout << o.line << "\n";
    fitted += o.ok;
    error_sum += o.ok ? o.mean_error_px : 0;
  }
  std::cout << fitted << "/" << outcomes.size() << " persons fitted";
  if (fitted) std::cout << ", mean 2D error " << std::fixed << std::setprecision(2) << error_sum / fitted << " px";
  std::cout << ", " << std::setprecision(2) << seconds << " s (" << FLAGS_threads << " threads); results in " << FLAGS_out
            << "\n";
  if (!first_error.empty()) std::cerr << "error: " << first_error << "\n";
  return fitted > 0 ? 0 : 1;
}

}  // namespace

Command FitCommand() {
  return {"fit", "fit the body model to every person of a keypoint file",
          "usage: resihmr fit --keypoints ann.json --out DIR [--images DIR] [--model M.npz]\n"
          "                   [--method resihmr|intact|ajahr-zero] [--limbs LIMB=LEVEL,...]\n"
          "                   [--focal F] [--config C.json] [--threads N]\n"
          "\n"
          "Fits the body model to each person's 2D keypoints (SMPLify-X's staged method on\n"
          "Ceres: camera stage, then five stages of decreasing prior weight) and writes,\n"
          "per person, DIR/<image>_<annotation id>.json (parameters, camera, projected\n"
          "keypoints, per-keypoint 2D errors in px, stages, times; docs/output.md) and\n"
          ".ply (the posed mesh in camera coordinates); with --images also .png, the\n"
          "image with the mesh, the input keypoints (coloured) and the fitted model's\n"
          "keypoints and skeleton (white). A person that cannot be fitted gets a result\n"
          "file with status \"failed\" and the reason; the exit code is non-zero only when\n"
          "no person could be fitted.\n"
          "\n"
          "  --keypoints  COCO-17 / LDPose-25 keypoint JSON or OpenPose BODY_25 JSON (required)\n"
          "  --out        output folder (required)\n"
          "  --images     folder of the images (for the overlays, and image sizes OpenPose lacks)\n"
          "  --model      body model .npz (default: the embedded model)\n"
          "  --method     resihmr (default): joints beyond each residual limb removed from the\n"
          "               fit, then RAFO finds where each residual limb ends (lambda, length\n"
          "               in mm, uncertainty) from its LDPose endpoint keypoint;\n"
          "               intact: every limb assumed present (SMPLify-X; a residual limb's\n"
          "               endpoint is reported at its segment's midpoint);\n"
          "               ajahr-zero: the intact fit, then AJAHR's joint zeroing (the limb\n"
          "               collapses onto the joint above it)\n"
          "  --limbs      residual limbs of every person, overriding the LDPose limb states,\n"
          "               e.g. left_leg=below_knee,right_arm=above_elbow\n"
          "  --focal      focal length in pixels (default: the image diagonal, a 53-degree\n"
          "               diagonal field of view; 5000 reproduces SMPLify-X's camera)\n"
          "  --config     JSON overriding weights and settings (docs/output.md lists the keys)\n"
          "  --threads    worker threads (default 1)\n",
          {"keypoints", "out", "images", "model", "method", "limbs", "focal", "config", "threads"}, &Run};
}

}  // namespace resihmr::apps
