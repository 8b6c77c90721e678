// resihmr fit: fits the body model to every person of a keypoint file.
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "apps/command.h"
#include "apps/fit_result_json.h"
#include "apps/fit_result_npz.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "apps/learned_program.h"
#include "apps/model_source.h"
#include "apps/output_dir.h"
#include "apps/parallel.h"
#include "apps/person_mesh.h"
#include "data/annotation_file.h"
#include "data/init_params.h"
#include "data/keypoint_drawing.h"
#include "geometry/mesh_io.h"
#include "geometry/mesh_render.h"
#include "geometry/stump_mesh.h"
#include "geometry/view_sheet.h"
#include "model/error.h"
#include "model/pose_body.h"
#include "optim/joints_fit.h"
#include "optim/person_fit.h"

DEFINE_string(method, "resihmr", "fit: resihmr, intact or ajahr-zero");
DEFINE_string(limbs, "", "fit: residual limbs for every person, e.g. left_leg=below_knee,right_arm=above_elbow");
DEFINE_double(focal, 0, "fit: focal length in pixels (0: the image diagonal; 5000 as SMPLify-X)");
DEFINE_string(config, "", "fit: JSON file overriding the fit's weights and settings");
DEFINE_string(init, "", "fit: start from another regressor's SMPL parameters (.npz, one set per person)");

namespace resihmr::apps {
namespace {

struct PersonOutcome {
  bool ok = false;       // fitted: status ok or suspect
  bool suspect = false;
  double mean_error_px = 0, time_ms = 0;
  std::string line;
  std::vector<std::string> csv_rows;  // one per measured residual limb
};

// Per-vertex colours: residual limb red, the rest grey.
geometry::RowMatrixX3d ResidualColours(const std::vector<uint8_t>& residual) {
  geometry::RowMatrixX3d c(static_cast<Eigen::Index>(residual.size()), 3);
  for (size_t v = 0; v < residual.size(); ++v) {
    c.row(static_cast<Eigen::Index>(v)) = residual[v] ? Eigen::RowVector3d(0.85, 0.15, 0.15) : Eigen::RowVector3d(0.78, 0.78, 0.8);
  }
  return c;
}

std::string CsvRow(const data::Observation& person, const optim::FitResult& fit, const optim::ResidualLimbResult& r,
                   const geometry::LimbMeasurements& m) {
  std::ostringstream row;
  row << person.image << "," << person.annotation_id << "," << fit.status() << "," << model::LimbName(r.limb.limb) << ","
      << model::LossLevelName(r.limb.level) << "," << r.lambda << "," << m.length_mm << "," << m.volume_ml << ","
      << m.surface_area_mm2;
  for (double c : m.circumference_mm) row << "," << (std::isfinite(c) ? std::to_string(c) : "");
  for (double a : m.cross_section_mm2) row << "," << (std::isfinite(a) ? std::to_string(a) : "");
  row << "," << (m.watertight ? "true" : "false");
  return row.str();
}

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

void DrawOverlay(const data::Observation& person, const optim::FitResult& r, const geometry::RowMatrixX3d& vertices,
                 const geometry::RowMatrixX3i& faces, const geometry::RowMatrixX3d& colours, const std::string& path) {
  cv::Mat image = cv::imread((std::filesystem::path(FLAGS_images) / person.image).string(), cv::IMREAD_COLOR);
  if (image.empty()) throw Error((std::filesystem::path(FLAGS_images) / person.image).string() + ": cannot read the image");
  geometry::RenderStyle style;
  style.alpha = 0.55;
  image = geometry::RenderMesh(vertices, faces, r.camera, style, image, colours);
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
  // resihmr: every accepted residual limb becomes a capped stump, measured
  // (a limb may be tilted in depth here, so the parameters are written after).
  const PersonMesh built = r.ok ? BuildPersonMesh(m, options.method, &fit) : PersonMesh();
  nlohmann::json j = FitResultJson(person, r, FLAGS_method, model_name);
  for (const std::string& w : person.warnings) j["warnings"].push_back(w);
  if (r.ok) {
    const geometry::StumpMesh& stump = built.mesh;
    std::vector<const geometry::StumpOutcome*> outcomes(fit.residual_limbs.size(), nullptr);
    for (size_t i = 0; i < fit.residual_limbs.size(); ++i) {
      const int k = built.cut_of_limb[i];
      if (k < 0) continue;
      const optim::ResidualLimbResult& l = fit.residual_limbs[i];
      outcomes[i] = &stump.limbs[static_cast<size_t>(k)];
      if (stump.limbs[static_cast<size_t>(k)].ok) {
        outcome.csv_rows.push_back(CsvRow(person, r, l, stump.limbs[static_cast<size_t>(k)].measurements));
      }
    }
    j["residual_limbs"] = ResidualLimbsJson(fit.residual_limbs, outcomes);
    j["mesh"] = {{"file", PersonFileStem(person) + ".ply"}, {"vertices", stump.vertices.rows()},
                 {"watertight", stump.watertight()}};
    const geometry::RowMatrixX3d colours = ResidualColours(stump.residual);
    geometry::MeshWriteOptions binary;
    binary.binary_ply = !FLAGS_ascii_ply;
    geometry::WriteMesh(stem + ".ply", stump.vertices, stump.faces, colours, stump.residual, binary);
    if (!FLAGS_images.empty()) {
      DrawOverlay(person, r, stump.vertices, stump.faces, colours, stem + ".png");
      // Rest pose with the residual limbs in red and what they lost pale; front, side, back of the fit.
      geometry::RowMatrixX3d rest_colours = geometry::RowMatrixX3d::Constant(m.num_vertices(), 3, 0.78);
      for (size_t i = 0; i < fit.residual_limbs.size(); ++i) {
        if (!outcomes[i] || !outcomes[i]->ok) continue;
        const optim::ResidualLimbResult& l = fit.residual_limbs[i];
        const std::vector<uint8_t> gone = model::DistalJoints(m, l.limb);
        const model::ResidualSegment seg = model::SegmentOf(m, l.limb);
        const Eigen::Vector3d t = m.joints_template.row(seg.joint_t), a = m.joints_template.row(seg.joint_a);
        const Eigen::Vector3d end = a + l.lambda * (t - a), dir = (a - t).normalized();
        for (int v = 0; v < m.num_vertices(); ++v) {
          Eigen::Index dominant;
          m.weights.row(v).maxCoeff(&dominant);
          if (dominant != seg.joint_t && !gone[static_cast<size_t>(dominant)]) continue;
          const double along = (m.v_template.row(v).transpose() - end).dot(dir);
          rest_colours.row(v) = along > 0 ? Eigen::RowVector3d(0.93, 0.93, 0.97) : Eigen::RowVector3d(0.85, 0.15, 0.15);
        }
      }
      // Views in the body's own frame: undo the camera (R_x(pi)) so that front faces the viewer.
      geometry::RowMatrixX3d body = stump.vertices;
      body.col(1) *= -1;
      body.col(2) *= -1;
      const cv::Mat sheet = geometry::RenderViewSheet({{m.v_template, m.faces, rest_colours, 0.0, "rest pose"},
                                                       {body, stump.faces, colours, 0.0, "camera view"},
                                                       {body, stump.faces, colours, M_PI / 2, "turned 90 deg"},
                                                       {body, stump.faces, colours, M_PI, "turned 180 deg"}},
                                                      300, 450);
      if (!cv::imwrite(stem + "_views.png", sheet)) throw Error(stem + "_views.png: cannot write image");
    }
  }
  WriteJsonFile(stem + ".json", j);
  if (r.ok) WriteFitResultNpz(stem + ".npz", m, r, fit.residual_limbs);  // smplx-style parameters, camera, residual limbs
  outcome.ok = r.ok;
  outcome.suspect = !r.suspect.empty();
  outcome.mean_error_px = r.mean_error_px;
  outcome.time_ms = r.time_ms;
  std::ostringstream line;
  line << PersonFileStem(person) << ": ";
  if (r.ok) {
    line << r.status();
    for (const std::string& why : r.suspect) line << " (" << why << ")";
    line << ", mean 2D error " << std::fixed << std::setprecision(2) << r.mean_error_px << " px, "
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
  const int threads = CheckedThreads(FLAGS_threads, "fit");
  RequireFlagInRange("fit", "focal", FLAGS_focal, 0, 1e6);  // 0: the image diagonal
  if (!FLAGS_config.empty()) options.fit.config = optim::ReadFitConfig(FLAGS_config);
  const model::BodyModel m = LoadModelOrEmbedded(FLAGS_model);
  const std::string model_name = FLAGS_model.empty() ? "embedded" : FLAGS_model;
  const data::AnnotationFile file = data::ReadAnnotations(FLAGS_keypoints);
  for (const std::string& w : file.warnings) std::cerr << "warning: " << w << "\n";
  OutputDir out(FLAGS_out);  // written whole, or left as it was when the command fails
  data::InitFile init;
  std::string init_path = FLAGS_init;
  if (FLAGS_init.rfind("regressor:", 0) == 0) {
    // The regressor's start, written next to the results by `resihmr predict`.
    if (FLAGS_images.empty()) throw Error("fit: --init regressor:MODEL.pt needs --images (the regressor reads the image)");
    init_path = out.path() + "/regressor_init.npz";
    std::ostringstream focal;
    focal << FLAGS_focal;
    RunLearnedProgram({"predict", "--regressor", FLAGS_init.substr(10), "--keypoints", FLAGS_keypoints, "--images",
                       FLAGS_images, "--out", init_path, "--focal", focal.str(), "--threads",
                       std::to_string(FLAGS_threads)});
  }
  if (!init_path.empty()) {
    init = data::ReadInitParams(init_path, m);
    if (init.persons.size() != file.persons.size()) {
      throw Error("fit: " + init_path + " has " + std::to_string(init.persons.size()) + " persons, " + FLAGS_keypoints +
                  " has " + std::to_string(file.persons.size()) + " (one parameter set per person, in its order)");
    }
    for (const std::string& note : init.notes) std::cerr << "note: " << init_path << ": " << note << "\n";
    double worst_mm = -1;
    for (data::InitParams& ip : init.persons) {  // HSMR style: the model fitted to the given 3D joints
      if (ip.joints_3d.rows() == 0) continue;
      const optim::JointsFit fit =
          optim::FitBodyToJoints(m, ip.joints_3d, ip.betas_given ? ip.params.betas : Eigen::VectorXd());
      ip.params = fit.params;
      worst_mm = std::max(worst_mm, 1000 * fit.rms_error_m);
    }
    if (worst_mm >= 0) {
      std::cerr << "note: " << init_path << ": model fitted to the 3D joints, RMS joint error at most " << worst_mm
                << " mm\n";
    }
  }
  std::vector<PersonOutcome> outcomes(file.persons.size());
  std::mutex error_mutex;
  std::string first_error;
  const auto fit_person = [&](size_t i, int) {
    try {
      optim::PersonFitOptions person_options = options;
      if (!init.persons.empty()) {
        person_options.fit.init = &init.persons[i].params;
        person_options.fit.init_transl = init.persons[i].has_transl;
        if (init.persons[i].has_limbs && !options.limbs_given) {  // --limbs overrides BPAC-Net's classes
          person_options.limbs = init.persons[i].limbs;
          person_options.limbs_given = true;
        }
      }
      outcomes[i] = FitOne(m, file.persons[i], person_options, model_name, out.path());
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (first_error.empty()) first_error = e.what();
      outcomes[i].line = PersonFileStem(file.persons[i]) + ": FAILED: " + e.what();
    }
  };
  const auto start = std::chrono::steady_clock::now();
  ParallelFor(file.persons.size(), threads, fit_person);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream csv;
  csv << "image,annotation_id,status,limb,level,lambda,length_mm,volume_ml,surface_area_mm2";
  for (const char* what : {"circumference_mm", "cross_section_mm2"}) {
    for (int s = 0; s <= 100; s += 10) csv << "," << what << "_" << s;
  }
  csv << ",watertight\n";
  for (const PersonOutcome& o : outcomes) {
    for (const std::string& row : o.csv_rows) csv << row << "\n";
  }
  WriteTextFile(out.path() + "/measurements.csv", csv.str());
  int fitted = 0, suspect = 0;
  double error_sum = 0;
  for (const PersonOutcome& o : outcomes) {
    std::cout << o.line << "\n";
    fitted += o.ok;
    suspect += o.ok && o.suspect;
    error_sum += o.ok ? o.mean_error_px : 0;
  }
  std::cout << fitted << "/" << outcomes.size() << " persons fitted";
  if (suspect) std::cout << " (" << suspect << " suspect)";
  if (fitted) std::cout << ", mean 2D error " << std::fixed << std::setprecision(2) << error_sum / fitted << " px";
  std::cout << ", " << std::setprecision(2) << seconds << " s (" << threads << " threads); results in " << FLAGS_out
            << "\n";
  if (!first_error.empty()) std::cerr << "error: " << first_error << "\n";
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
          "usage: resihmr fit --keypoints ann.json --out DIR [--images DIR] [--model M.npz]\n"
          "                   [--method resihmr|intact|ajahr-zero] [--limbs LIMB=LEVEL,...]\n"
          "                   [--focal F] [--config C.json] [--init P.npz|regressor:M.pt] [--threads N]\n"
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
          "\n"
          "With --method resihmr, each accepted residual limb is cut where it ends and\n"
          "closed by a smooth cap: the .ply is watertight with the vertex property\n"
          "'residual' (1 on the residual limb) and colours (residual limb red); its\n"
          "measurements (length, volume, surface area, circumference and cross-section\n"
          "at every 10%) go into the JSON and into DIR/measurements.csv; with --images\n"
          "also <...>_views.png: the rest pose with the residual limb, and front, side\n"
          "and back views of the fitted mesh.\n",
          {"keypoints", "out", "images", "model", "method", "limbs", "focal", "config", "init", "threads", "ascii_ply"}, &Run};
}

}  // namespace resihmr::apps
