// resihmr fit: fits the body model to every person of a keypoint file.
#include <chrono>
#include <filesystem>
#include <future>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <opencv2/imgcodecs.hpp>

#include "apps/command.h"
#include "apps/flags.h"
#include "apps/learned_program.h"
#include "data/annotation_file.h"
#include "data/init_params.h"
#include "model/error.h"
#include "optim/person_fit.h"
#include "pipeline/json_file.h"
#include "pipeline/model_source.h"
#include "pipeline/multi_view.h"
#include "pipeline/video.h"
#include "pipeline/output_dir.h"
#include "pipeline/parallel.h"
#include "pipeline/person_pictures.h"
#include "pipeline/reconstruct_person.h"
#include "pipeline/result_files.h"
#include "pipeline/result_json.h"

DEFINE_string(method, "resihmr", "fit: resihmr, intact or ajahr-zero");
DEFINE_string(limbs, "", "fit: residual limbs for every person, e.g. left_leg=below_knee,right_arm=above_elbow");
DEFINE_double(focal, 0, "fit: focal length in pixels (0: the image diagonal; 5000 as SMPLify-X)");
DEFINE_string(init, "", "fit: start from another regressor's SMPL parameters (.npz, one set per person)");
DEFINE_bool(glb, false, "fit: also write each mesh as glTF 2.0 binary (.glb), the residual limb red");
DEFINE_string(cameras, "", "fit --views: the cameras, an EasyMocap folder (intri.yml, extri.yml) or a JSON file; fit --video: the one camera's intrinsics (same forms)");
DEFINE_string(video, "", "fit: a video from one camera, a COCO file with frame_id / track_id or a folder of OpenPose JSON frames (docs/video.md)");

namespace resihmr::apps {
namespace {

// Fills in the image size a person lacks from its image file, when --images has it.
void ImageSizeFromFile(data::Observation* person) {
  if ((person->image_width > 0 && person->image_height > 0) || FLAGS_images.empty()) return;
  const std::string path = (std::filesystem::path(FLAGS_images) / person->image).string();
  const cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
  if (image.empty()) {
    person->warnings.push_back(path + ": cannot read the image, whose size the annotations do not give");
    return;
  }
  person->image_width = image.cols;
  person->image_height = image.rows;
}

// The files of one person (pipeline/result_files.h) and, with --images,
// the overlay <stem>.png and the view sheet <stem>_views.png. Returns what
// could not be drawn (an unreadable photo: the person's other files stand).
std::string WritePersonFiles(const model::BodyModel& m, const data::Observation& person,
                             const pipeline::PersonResult& result, const std::string& model_name, const std::string& out) {
  pipeline::ResultFileOptions files;
  files.ascii_ply = FLAGS_ascii_ply;
  files.glb = FLAGS_glb;
  files.method = FLAGS_method;
  files.model_name = model_name;
  pipeline::WritePersonResultFiles(m, person, result, out, files);
  if (!result.result().ok || FLAGS_images.empty()) return {};
  const std::string stem = (std::filesystem::path(out) / pipeline::PersonFileStem(person)).string();
  const std::string photo = (std::filesystem::path(FLAGS_images) / person.image).string();
  const cv::Mat image = cv::imread(photo, cv::IMREAD_COLOR);
  if (image.empty()) return photo + ": cannot read the image; no overlay drawn";
  if (!cv::imwrite(stem + ".png", pipeline::DrawFitOverlay(image, person, result))) {
    throw Error(stem + ".png: cannot write image");
  }
  if (!cv::imwrite(stem + "_views.png", pipeline::DrawViewSheet(m, result))) {
    throw Error(stem + "_views.png: cannot write image");
  }
  return {};
}

// The line printed for one person.
std::string SummaryLine(const data::Observation& person, const pipeline::PersonResult& result) {
  const optim::FitResult& r = result.result();
  std::ostringstream line;
  line << pipeline::PersonFileStem(person) << ": ";
  if (!r.ok) {
    line << "FAILED: " << r.error;
    return line.str();
  }
  line << r.status();
  for (const std::string& why : r.suspect) line << " (" << why << ")";
  line << ", mean 2D error " << std::fixed << std::setprecision(2) << r.mean_error_px << " px, " << std::setprecision(1)
       << r.time_ms << " ms";
  for (const optim::ResidualLimbResult& l : result.fit.residual_limbs) {
    line << "; " << model::LimbName(l.limb.limb) << " " << model::LossLevelName(l.limb.level) << ": lambda "
         << std::setprecision(2) << l.lambda << ", " << std::setprecision(0) << l.length_mm << " mm"
         << (l.accepted ? "" : " (not accepted: " + l.reason + ")");
  }
  return line.str();
}

// --init: the file given, or the regressor's start written by `resihmr predict`.
data::InitFile ReadStarts(const model::BodyModel& m, size_t persons, const std::string& out) {
  data::InitFile init;
  std::string init_path = FLAGS_init;
  if (FLAGS_init.rfind("regressor:", 0) == 0) {
    if (FLAGS_images.empty()) throw Error("fit: --init regressor:MODEL.pt needs --images (the regressor reads the image)");
    init_path = out + "/regressor_init.npz";
    std::ostringstream focal;
    focal << FLAGS_focal;
    RunLearnedProgram({"predict", "--regressor", FLAGS_init.substr(10), "--keypoints", FLAGS_keypoints, "--images",
                       FLAGS_images, "--out", init_path, "--focal", focal.str(), "--threads",
                       std::to_string(FLAGS_threads)});
  }
  if (init_path.empty()) return init;
  init = data::ReadInitParams(init_path, m);
  const double worst_mm = pipeline::PrepareInitStarts(m, persons, "fit: " + init_path, FLAGS_keypoints, &init);
  for (const std::string& note : init.notes) std::cerr << "note: " << init_path << ": " << note << "\n";
  if (worst_mm >= 0) {
    std::cerr << "note: " << init_path << ": model fitted to the 3D joints, RMS joint error at most " << worst_mm
              << " mm\n";
  }
  return init;
}

pipeline::ReconstructOptions Options() {
  pipeline::ReconstructOptions options;
  if (!optim::ParseMethod(FLAGS_method, &options.fit.method)) {
    throw Error("fit: --method '" + FLAGS_method + "' is unknown (expected resihmr, intact or ajahr-zero)");
  }
  if (!FLAGS_limbs.empty()) {
    options.fit.limbs = optim::ParseLimbList(FLAGS_limbs);
    options.fit.limbs_given = true;
  }
  RequireFlagInRange("fit", "focal", FLAGS_focal, 0, 1e6);  // 0: the image diagonal
  options.focal_px = FLAGS_focal;
  if (FLAGS_silhouette != "" && FLAGS_silhouette != "on" && FLAGS_silhouette != "off") {
    throw Error("fit: --silhouette '" + FLAGS_silhouette + "' is unknown (expected on or off)");
  }
  options.fit.silhouette = FLAGS_silhouette != "off";
  if (!FLAGS_config.empty()) options.fit.fit.config = optim::ReadFitConfig(FLAGS_config);
  return options;
}

// The line printed for one person fitted over several views (after "person <id>: ").
std::string MultiViewSummary(const optim::MultiViewFit& f) {
  std::ostringstream line;
  if (!f.ok) return "FAILED: " + f.error;
  int used = 0;
  for (const optim::ViewReport& v : f.views) used += v.used;
  line << "ok, " << used << "/" << f.views.size() << " views, mean 2D error " << std::fixed << std::setprecision(2)
       << f.mean_error_px << " px, " << std::setprecision(1) << f.time_ms << " ms";
  for (size_t l = 0; l < f.residual_limbs.size(); ++l) {
    const optim::ResidualLimbResult& r = f.residual_limbs[l];
    line << "; " << model::LimbName(r.limb.limb) << " " << model::LossLevelName(r.limb.level) << ": "
         << std::setprecision(0) << r.length_mm << " mm from " << f.limb_view_counts[l] << " view(s)"
         << (r.accepted ? "" : " (not accepted: " + r.reason + ")");
  }
  return line.str();
}

// --views: each person fitted over every view that holds it, per frame of an EasyMocap folder.
int RunMultiView() {
  if (FLAGS_extrinsics != "given" && FLAGS_extrinsics != "estimate") {
    throw Error("fit: --extrinsics: given or estimate expected, got '" + FLAGS_extrinsics + "'");
  }
  const bool estimate = FLAGS_extrinsics == "estimate";
  if (FLAGS_out.empty()) throw Error("fit: --out is required (an output folder)");
  if (!FLAGS_keypoints.empty() || !FLAGS_init.empty() || !FLAGS_masks.empty() || FLAGS_glb) {
    throw Error("fit: --views takes its keypoints from the view files; --keypoints, --init, --masks and --glb "
                "do not go with it (yet)");
  }
  pipeline::ReconstructOptions options = Options();
  if (options.fit.method != optim::Method::kResiHMR) throw Error("fit: --views offers the resihmr method only");
  const int threads = CheckedThreads(FLAGS_threads, "fit");
  // The views: a list of files (one instant, frame ""), or EasyMocap's folder DIR/<camera>/<frame>.json.
  std::vector<pipeline::ViewFrame> frames;
  std::string cameras = FLAGS_cameras;
  std::error_code ec;
  const bool folder = FLAGS_views.find(',') == std::string::npos && std::filesystem::is_directory(FLAGS_views, ec);
  if (folder) {
    frames = pipeline::ListViewFolder(FLAGS_views);
    if (cameras.empty() && std::filesystem::exists(FLAGS_views + "/intri.yml", ec)) cameras = FLAGS_views;
  } else {
    frames.emplace_back();
    std::stringstream list(FLAGS_views);
    for (std::string item; std::getline(list, item, ',');) {
      if (!item.empty()) frames.back().files.push_back(item);
    }
  }
  if (cameras.empty() && !estimate) {
    throw Error("fit: --views needs --cameras (an EasyMocap folder or a JSON file), or --extrinsics estimate");
  }
  const data::CameraRig rig = cameras.empty() ? data::CameraRig{} : data::ReadCameraRig(cameras);
  std::vector<pipeline::MultiViewDataset> datasets;
  for (const pipeline::ViewFrame& f : frames) {
    datasets.push_back(pipeline::ReadMultiViewDataset(f.files, rig, estimate));
    for (const std::string& w : datasets.back().warnings) std::cerr << "warning: " << (folder ? "frame " + f.frame + ": " : "") << w << "\n";
  }
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  pipeline::OutputDir out(FLAGS_out);
  const auto start = std::chrono::steady_clock::now();
  struct Job {
    size_t frame, person;
  };
  std::vector<Job> jobs;
  for (size_t f = 0; f < datasets.size(); ++f) {
    for (size_t i = 0; i < datasets[f].persons.size(); ++i) jobs.push_back({f, i});
  }
  if (folder) {
    for (const pipeline::ViewFrame& f : frames) std::filesystem::create_directories(out.path() + "/" + f.frame);
  }
  std::vector<optim::MultiViewFit> fits(jobs.size());
  std::vector<std::vector<std::string>> picture_warnings(jobs.size());
  pipeline::ParallelFor(jobs.size(), threads, [&](size_t j, int) {
    const pipeline::MultiViewPerson& person = datasets[jobs[j].frame].persons[jobs[j].person];
    fits[j] = optim::FitMultiView(m, person.views, options.fit);
    picture_warnings[j] = pipeline::WriteMultiViewResultFiles(
        m, person, fits[j], out.path() + (folder ? "/" + frames[jobs[j].frame].frame : ""), FLAGS_ascii_ply, FLAGS_images);
  });
  for (const std::vector<std::string>& ws : picture_warnings) {
    for (const std::string& w : ws) std::cerr << "warning: " << w << "\n";
  }
  int fitted = 0;
  for (size_t j = 0; j < fits.size(); ++j) {
    if (folder) std::cout << "frame " << frames[jobs[j].frame].frame << ", ";
    std::cout << "person " << datasets[jobs[j].frame].persons[jobs[j].person].annotation_id << ": "
              << MultiViewSummary(fits[j]) << "\n";
    fitted += fits[j].ok;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fitted << "/" << fits.size() << " persons fitted";
  if (folder) std::cout << " in " << frames.size() << " frame(s)";
  std::cout << ", " << std::fixed << std::setprecision(2) << seconds << " s (" << threads << " threads); results in " << FLAGS_out << "\n";
  if (fitted == 0) {
    std::cerr << "resihmr fit: error: no person could be fitted; nothing written to " << FLAGS_out << "\n";
    return 1;
  }
  out.Commit();
  return 0;
}

// The line printed for one track of a video (after "track <id>: ").
std::string VideoSummary(const optim::VideoFit& f) {
  if (!f.ok) return "FAILED: " + f.error;
  std::ostringstream line;
  line << "ok, " << f.fitted_frames << "/" << f.frames.size() << " frames fitted (" << f.keyframes
       << " keyframes), median 2D error " << std::fixed << std::setprecision(2) << f.median_error_px << " px, "
       << std::setprecision(1) << f.time_ms << " ms";
  for (const optim::VideoLimbResult& r : f.limbs) {
    line << "; " << model::LimbName(r.limb.limb) << " " << model::LossLevelName(r.limb.level) << ": "
         << std::setprecision(0) << r.length_mm << " +- " << r.length_sigma_mm << " mm from " << r.frames_seen
         << " frame(s)" << (r.accepted ? "" : " (not accepted: " + r.reason + ")");
  }
  return line.str();
}

// The camera of a video: --cameras' one camera (its lens distortion removed
// from the keypoints), else the default of the image size and --focal.
model::PinholeCamera VideoCamera(pipeline::VideoDataset* video) {
  if (FLAGS_cameras.empty()) return model::DefaultCamera(video->image_width, video->image_height, FLAGS_focal);
  const data::CameraRig rig = data::ReadCameraRig(FLAGS_cameras);
  if (rig.cameras.size() != 1) {
    throw Error("fit: --cameras " + FLAGS_cameras + ": a video needs one camera, the file has " +
                std::to_string(rig.cameras.size()));
  }
  const data::RigCamera& c = rig.cameras.front();
  model::PinholeCamera camera = c.intrinsics;
  camera.width = video->image_width;
  camera.height = video->image_height;
  for (pipeline::VideoTrack& t : video->tracks) {
    for (optim::VideoFrameInput& f : t.frames) {
      for (int k = 0; f.present && k < f.person.layout->size(); ++k) {
        if (f.person.present(k)) f.person.points.row(k) = data::UndistortPixel(c, f.person.points.row(k).transpose()).transpose();
      }
    }
  }
  return camera;
}

// --video: each track of a video from one camera fitted over its frames.
int RunVideo() {
  if (FLAGS_out.empty()) throw Error("fit: --out is required (an output folder)");
  if (!FLAGS_keypoints.empty() || !FLAGS_views.empty() || !FLAGS_init.empty() || !FLAGS_masks.empty() || FLAGS_glb ||
      !FLAGS_images.empty()) {
    throw Error("fit: --video takes its keypoints from the video's files; --keypoints, --views, --init, --masks, "
                "--images and --glb do not go with it (yet)");
  }
  pipeline::ReconstructOptions options = Options();
  if (options.fit.method != optim::Method::kResiHMR) throw Error("fit: --video offers the resihmr method only");
  const int threads = CheckedThreads(FLAGS_threads, "fit");
  pipeline::VideoReadOptions read;
  read.strict = FLAGS_strict;
  if (!FLAGS_image_size.empty()) {
    std::vector<long long> size;
    if (!ParseIntegers(FLAGS_image_size, 'x', 2, 16, 100000, &size)) {
      throw Error("fit: --image-size '" + FLAGS_image_size + "' is not WIDTHxHEIGHT (16..100000 each)");
    }
    read.image_width = static_cast<int>(size[0]);
    read.image_height = static_cast<int>(size[1]);
  }
  pipeline::VideoDataset video = pipeline::ReadVideo(FLAGS_video, read);
  for (const std::string& w : video.warnings) std::cerr << "warning: " << w << "\n";
  if (video.tracks.empty()) throw Error("fit: " + FLAGS_video + ": no person in any frame");
  const model::PinholeCamera camera = VideoCamera(&video);
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  pipeline::OutputDir out(FLAGS_out);
  optim::VideoFitOptions video_options;
  video_options.person = options.fit;
  std::vector<optim::VideoFit> fits(video.tracks.size());
  pipeline::ParallelFor(fits.size(), threads, [&](size_t t, int) {
    fits[t] = optim::FitVideo(m, video.tracks[t].frames, camera, video_options);
    pipeline::WriteVideoResultFiles(m, video.tracks[t], fits[t], camera, out.path(), FLAGS_ascii_ply);
  });
  int fitted = 0;
  for (size_t t = 0; t < fits.size(); ++t) {
    std::cout << "track " << video.tracks[t].track_id << ": " << VideoSummary(fits[t]) << "\n";
    for (const std::string& w : fits[t].warnings) std::cerr << "warning: track " << video.tracks[t].track_id << ": " << w << "\n";
    fitted += fits[t].ok;
  }
  std::cout << fitted << "/" << fits.size() << " track(s) fitted over " << video.frames.size() << " frame(s); results in "
            << FLAGS_out << "\n";
  if (fitted == 0) {
    std::cerr << "resihmr fit: error: no track could be fitted; nothing written to " << FLAGS_out << "\n";
    return 1;
  }
  out.Commit();
  return 0;
}

int Run() {
  if (!FLAGS_video.empty()) return RunVideo();
  if (!FLAGS_views.empty()) return RunMultiView();
  if (FLAGS_keypoints.empty()) throw Error("fit: --keypoints is required (an annotation file)");
  if (FLAGS_out.empty()) throw Error("fit: --out is required (an output folder)");
  pipeline::ReconstructOptions options = Options();
  const int threads = CheckedThreads(FLAGS_threads, "fit");
  // The model is loaded while the keypoints are read.
  std::future<model::BodyModel> loading =
      std::async(std::launch::async, [] { return pipeline::LoadModelOrEmbedded(FLAGS_model); });
  data::ReadOptions read;
  read.masks_dir = FLAGS_masks;
  read.strict = FLAGS_strict;
  data::AnnotationFile file = data::ReadAnnotations(FLAGS_keypoints, read);
  const model::BodyModel m = loading.get();
  const std::string model_name = FLAGS_model.empty() ? "embedded" : FLAGS_model;
  for (const std::string& w : file.warnings) std::cerr << "warning: " << w << "\n";
  pipeline::OutputDir out(FLAGS_out);  // written whole, or left as it was when the command fails
  const data::InitFile init = ReadStarts(m, file.persons.size(), out.path());
  options.init = &init;
  const auto start = std::chrono::steady_clock::now();
  for (data::Observation& person : file.persons) ImageSizeFromFile(&person);
  // Each person's files are written by the thread that fitted it, as soon as it is fitted.
  struct Summary {
    bool ok = false, suspect = false;
    double mean_error_px = 0;
    std::string line;
    std::vector<std::string> csv_rows;
    std::string not_drawn;
  };
  std::vector<Summary> summaries(file.persons.size());
  pipeline::ReconstructEach(m, file.persons, options, threads, [&](size_t i, pipeline::PersonResult&& result) {
    const std::string not_drawn = WritePersonFiles(m, file.persons[i], result, model_name, out.path());
    const optim::FitResult& r = result.result();
    summaries[i] = {r.ok, r.ok && !r.suspect.empty(), r.mean_error_px, SummaryLine(file.persons[i], result),
                    pipeline::MeasurementsCsvRows(file.persons[i], result), not_drawn};
  });
  std::ostringstream csv;
  csv << pipeline::MeasurementsCsvHeader() << "\n";
  int fitted = 0, suspect = 0;
  double error_sum = 0;
  for (const Summary& s : summaries) {
    for (const std::string& row : s.csv_rows) csv << row << "\n";
    std::cout << s.line << "\n";
    if (!s.not_drawn.empty()) std::cerr << "warning: " << s.not_drawn << "\n";
    fitted += s.ok;
    suspect += s.suspect;
    error_sum += s.ok ? s.mean_error_px : 0;
  }
  pipeline::WriteTextFile(out.path() + "/measurements.csv", csv.str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fitted << "/" << summaries.size() << " persons fitted";
  if (suspect) std::cout << " (" << suspect << " suspect)";
  if (fitted) std::cout << ", mean 2D error " << std::fixed << std::setprecision(2) << error_sum / fitted << " px";
  std::cout << ", " << std::setprecision(2) << seconds << " s (" << threads << " threads); results in " << FLAGS_out
            << "\n";
  if (fitted == 0) {
    std::cerr << "resihmr fit: error: no person could be fitted; nothing written to " << FLAGS_out << "\n";
    return 1;
  }
  out.Commit();
  return 0;
}

}  // namespace

Command FitCommand() {
  return {"fit", "fit the body model to every person of a keypoint file",
          "usage: resihmr fit --keypoints ann.json --out DIR [--images DIR] [--masks DIR] [--model M.npz]\n"
          "                   [--silhouette on|off] [--method resihmr|intact|ajahr-zero] [--limbs LIMB=LEVEL,...]\n"
          "                   [--focal F] [--config C.json] [--init P.npz|regressor:M.pt] [--threads N]\n"
          "                   [--ascii-ply] [--glb] [--strict]\n"
          "       resihmr fit --views CAM1.json,CAM2.json,...|EASYMOCAP_DIR [--cameras DIR|cameras.json] --out DIR\n"
          "                   [--extrinsics given|estimate] [--images DIR] [--model M.npz] [--limbs LIMB=LEVEL,...]\n"
          "                   [--config C.json] [--threads N]\n"
          "       resihmr fit --video KEYPOINTS.json|OPENPOSE_DIR --out DIR [--cameras C] [--focal F]\n"
          "                   [--image-size WxH] [--model M.npz] [--limbs LIMB=LEVEL,...] [--config C.json]\n"
          "\n"
          "Fits the body model to each person's 2D keypoints (SMPLify-X's staged method on\n"
          "Ceres: camera stage, then five stages of decreasing prior weight) and writes,\n"
          "per person, DIR/<image>_<annotation id>.json (parameters, camera, projected\n"
          "keypoints, per-keypoint 2D errors in px, stages, times, residual limbs with their\n"
          "measurements; docs/output.md), .npz (the parameters in smplx's naming,\n"
          "the camera in OpenCV's convention and the residual limbs, for NumPy and\n"
          "smplx-style code) and .ply (the posed mesh in camera coordinates, binary);\n"
          "with --images also .png, the\n"
          "image with the mesh, the input keypoints (coloured) and the fitted model's\n"
          "keypoints and skeleton (white). A person that cannot be fitted gets a result\n"
          "file with status \"failed\" and the reason; when no person could be fitted the\n"
          "exit code is 1 and nothing is written (DIR is left as it was).\n"
          "\n"
          "  --keypoints  COCO-17 / LDPose-25 keypoint JSON or OpenPose BODY_25 JSON (required)\n"
          "  --out        output folder (required)\n"
          "  --images     folder of the images (for the overlays, and image sizes OpenPose lacks)\n"
          "  --masks      folder of person masks (PNG): <image stem>_<annotation id>.png (binary),\n"
          "               else <image stem>.png (instance ids: the person's mask_value, or its\n"
          "               1-based place among the image's persons); an annotation's mask_file\n"
          "               comes first, COCO segmentation last; each is checked (docs/output.md)\n"
          "  --strict     a person or mask that fails its checks (a mask of the wrong size,\n"
          "               empty, the whole image, away from the keypoints, unreadable, RLE\n"
          "               counts that do not sum, absurd polygons) is an error; default: a\n"
          "               warning naming the file and annotation, and the person is fitted\n"
          "               without the mask (or dropped, for a bad person)\n"
          "  --silhouette on (default): after the keypoint stages, a person with a mask is\n"
          "               fitted to it too (its outline pulls the model's, shape and pose move,\n"
          "               the camera stays; with resihmr the lost parts and each residual\n"
          "               segment do not pull; other persons' masks are ignored; the stage\n"
          "               \"silhouette\" in the result; docs/fitting.md), and each stump's own\n"
          "               profile (end radius, taper, soft tissue, roundness) is fitted to the\n"
          "               mask around it: measurements.profile (docs/stump.md); off: keypoints\n"
          "               only, convex caps\n"
          "  --model      body model .npz (default: the embedded model)\n"
          "  --method     resihmr (default): joints beyond each residual limb removed from the\n"
          "               fit, then RAFO finds where each residual limb ends (lambda, length\n"
          "               in mm, uncertainty) from its LDPose endpoint keypoint, and each\n"
          "               accepted one is cut and capped (a limb whose cap would cross the\n"
          "               body is first leaned in depth, its endpoint's pixel kept:\n"
          "               depth_tilt_deg and a warning say by how much);\n"
          "               intact: every limb assumed present (SMPLify-X; a residual limb's\n"
          "               endpoint is reported at its segment's midpoint);\n"
          "               ajahr-zero: the intact fit, then AJAHR's joint zeroing (the limb\n"
          "               collapses onto the joint above it)\n"
          "  --limbs      residual limbs of every person, overriding the LDPose limb states,\n"
          "               e.g. left_leg=below_knee,right_arm=above_elbow\n"
          "  --focal      focal length in pixels (default: the image diagonal, a 53-degree\n"
          "               diagonal field of view; 5000 reproduces SMPLify-X's camera)\n"
          "  --config     JSON overriding weights and settings (docs/output.md lists the keys)\n"
          "  --init       start each person from another regressor's SMPL parameters: an .npz\n"
          "               with global_orient, body_pose (rotation matrices or axis-angle),\n"
          "               optionally betas and transl / cam_t / pred_cam_t_full, one set per\n"
          "               person in the keypoint file's order (HMR2.0, 4D-Humans, TokenHMR,\n"
          "               AJAHR; docs/learned.md), or 3D joints [P,n,3] / a skin mesh on the\n"
          "               model's topology (HSMR) to which the model is fitted first;\n"
          "               bpac_classes [P,4] in it set each person's\n"
          "               residual limbs (--limbs overrides them);\n"
          "               or regressor:MODEL.pt, a bundle of `resihmr train regressor`: runs\n"
          "               `resihmr predict` (needs --images) into DIR/regressor_init.npz and\n"
          "               starts from its pose, shape, camera and BPAC-Net's limb classes\n"
          "  --threads    worker threads, 1..256 (default 1; more than the cores only add overhead)\n"
          "  --ascii-ply  write the .ply meshes as ASCII text (default: binary little-endian)\n"
          "  --glb        also write <...>.glb, the mesh as glTF 2.0 binary for any glTF viewer\n"
          "               (y up, the camera at +z; vertex colours: the residual limb red;\n"
          "               attribute _RESIDUAL: 1 on the residual limb)\n"
          "\n"          "Several calibrated views of the same people at one instant (docs/multiview.md):\n"
          "  --views      one keypoint file per camera, comma-separated; a file's camera is\n"
          "               the one named as its folder (EasyMocap's DIR/<camera>/<frame>.json),\n"
          "               else as its stem (DIR/<camera>.json); persons are matched across\n"
          "               views by annotation id (OpenPose: the person's index in the file).\n"
          "               Or one folder in EasyMocap's layout, DIR/<camera>/<frame>.json: each\n"
          "               frame fitted over the cameras that have it, into OUT/<frame>/; the\n"
          "               cameras default to DIR itself when it holds intri.yml, extri.yml\n"
          "  --cameras    an EasyMocap folder (intri.yml: names, K_, dist_, H_, W_; extri.yml:\n"
          "               Rot_ or R_, T_; X_cam = R X_world + t, metres, OpenCV's axes) or a\n"
          "               JSON file ({\"cameras\": [{name, K, dist, R or rvec, t, width,\n"
          "               height}]}); keypoints are undistorted with each camera's dist\n"
          "  --extrinsics given (default): the cameras' R, t; estimate: each view's pose is\n"
          "               fitted with the body (uncalibrated views; intrinsics from --cameras,\n"
          "               or without it the default camera of each image's size); the world\n"
          "               is then the camera frame of the first view fitted alone\n"
          "  --images     with --views: each view's photo, DIR/<camera>/<image> or DIR/<image>;\n"
          "               writes person_<id>_<camera>.png, the mesh and keypoints over it\n"
          "  Writes DIR/person_<annotation id>.json and .ply: the body in the world frame, per view\n"
          "  the projected keypoints and 2D errors (a view that disagrees beyond the\n"
          "  divergence limit is left out and says so), each residual limb's endpoint\n"
          "  from every view that labels it, the mesh with each stump cut, capped and\n"
          "  measured. resihmr only, keypoints only.\n"
          "\n"
          "A video from one camera (docs/video.md):\n"
          "  --video      a COCO / LDPose file with images[].frame_id and annotations[].track_id\n"
          "               (PoseTrack's form), or a folder of OpenPose JSON files, one per frame,\n"
          "               the frame number the last digits of the name; frames are sorted, a\n"
          "               repeated frame is left out with a warning; without track ids one\n"
          "               person is followed (the nearest from frame to frame)\n"
          "  --cameras    the camera's intrinsics (one camera; EasyMocap folder or JSON), else\n"
          "               --focal and the image size (COCO's images, or --image-size for OpenPose)\n"
          "  Each track's shape and each residual limb's lambda are shared by its frames, its\n"
          "  pose and translation per frame with a constant-velocity prior; frames without\n"
          "  the person are interpolated. Writes DIR/track_<id>.json (per frame and the\n"
          "  summary: each limb's length and volume with uncertainty), track_<id>.npz (per\n"
          "  frame pose, translation, joints; betas; to animate), track_<id>.ply (the\n"
          "  middle fitted frame's mesh, stumps cut, capped and measured) and track_<id>.png\n"
          "  (that mesh and frame's keypoints on a white canvas). resihmr only.\n"
          "\n"
          "With --method resihmr, each accepted residual limb is cut where it ends and\n"
          "closed by a smooth cap: the .ply is watertight with the vertex property\n"
          "'residual' (1 on the residual limb) and colours (residual limb red); its\n"
          "measurements (length, volume, surface area, circumference and cross-section\n"
          "at every 10%) go into the JSON and into DIR/measurements.csv; with --images\n"
          "also <...>_views.png: the rest pose with the residual limb, and front, side\n"
          "and back views of the fitted mesh.\n",
          {"keypoints", "out", "images", "model", "method", "limbs", "focal", "config", "init", "threads", "ascii_ply", "glb", "masks", "silhouette", "views", "cameras", "extrinsics", "strict", "video", "image_size"}, &Run};
}

}  // namespace resihmr::apps
