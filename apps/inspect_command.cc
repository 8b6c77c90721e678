// resihmr inspect: summarise a keypoint annotation file and draw it.
#include <filesystem>
#include <iostream>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "apps/command.h"
#include "apps/flags.h"
#include "data/annotation_file.h"
#include "data/keypoint_drawing.h"
#include "data/limb_state.h"
#include "model/error.h"


namespace resihmr::apps {
namespace {

// Short limb summary: "LA intact, RA below_elbow, LL ?, RL intact".
std::string LimbCaption(const std::array<data::LimbStatus, 4>& limbs) {
  static const char* kShort[] = {"LA", "RA", "LL", "RL"};
  std::string caption;
  for (size_t i = 0; i < 4; ++i) {
    const data::LimbStatus& s = limbs[i];
    std::string state = s.state == data::LimbState::kIntact ? "ok" : data::LossLevelName(s.limb, s.state);
    if (s.state == data::LimbState::kUnknown) state = s.conflict ? "CONFLICT" : "?";
    caption += std::string(i ? "  " : "") + kShort[i] + " " + state;
  }
  return caption;
}

int Run() {
  if (FLAGS_keypoints.empty()) throw Error("inspect: --keypoints is required (an annotation file)");
  data::ReadOptions options;
  options.strict = FLAGS_strict;
  options.masks_dir = FLAGS_masks;
  const data::AnnotationFile file = data::ReadAnnotations(FLAGS_keypoints, options);
  std::cout << FLAGS_keypoints << ": " << file.format << ", layout " << file.layout->name << ", " << file.images.size()
            << " images, " << file.persons.size() << " persons\n";
  for (const std::string& w : file.warnings) std::cout << "  warning: " << w << "\n";

  std::map<int64_t, std::vector<const data::Observation*>> by_image;
  for (const data::Observation& o : file.persons) by_image[o.image_id].push_back(&o);
  const std::string out = FLAGS_out.empty() ? "inspect-output" : FLAGS_out;
  if (!FLAGS_images.empty()) std::filesystem::create_directories(out);
  int drawn = 0, problems = 0;
  for (const data::AnnotationImage& image : file.images) {
    const auto& persons = by_image[image.id];
    std::cout << "\n" << image.file_name << " (" << image.width << "x" << image.height << "): " << persons.size()
              << " persons\n";
    cv::Mat picture;
    if (!FLAGS_images.empty()) {
      std::string path = (std::filesystem::path(FLAGS_images) / image.file_name).string();
      for (const char* ext : {"", ".jpg", ".png", ".jpeg"}) {  // OpenPose names carry no extension
        if (std::filesystem::exists(path + ext)) {
          path += ext;
          break;
        }
      }
      picture = cv::imread(path, cv::IMREAD_COLOR);
      if (picture.empty()) {
        std::cout << "  warning: " << path << ": cannot read the image; not drawn\n";
        ++problems;
      }
    }
    for (const data::Observation* o : persons) {
      const auto limbs = data::LimbStates(*o);
      std::cout << "  person " << o->annotation_id << ": " << o->num_present() << "/" << o->layout->size()
                << " keypoints labelled";
      if (o->has_bbox) std::cout << ", box " << o->bbox[2] << "x" << o->bbox[3];
      if (!o->mask.empty()) std::cout << ", mask " << cv::countNonZero(o->mask) << " px";
      std::cout << "\n    limbs:";
      for (const data::LimbStatus& s : limbs) {
        std::cout << " " << data::LimbName(s.limb) << "=" << data::LimbStateName(s.state);
      }
      std::cout << "\n";
      for (const data::LimbStatus& s : limbs) {
        if (!s.note.empty() && s.state != data::LimbState::kUnknown) {
          std::cout << "    note: " << data::LimbName(s.limb) << ": " << s.note << "\n";
        }
        if (s.conflict) {
          std::cout << "    problem: " << data::LimbName(s.limb) << ": " << s.note << "\n";
          ++problems;
        }
      }
      for (const std::string& w : o->warnings) {
        std::cout << "    warning: " << w << "\n";
        ++problems;
      }
      if (!picture.empty()) {
        data::DrawObservation(picture, *o, std::to_string(o->annotation_id) + ": " + LimbCaption(limbs),
                              std::max(1.0, picture.cols / 640.0));
      }
    }
    if (!picture.empty()) {
      const std::string target = (std::filesystem::path(out) / (std::filesystem::path(image.file_name).stem().string() +
                                                                "_keypoints.png")).string();
      if (!cv::imwrite(target, picture)) throw Error(target + ": cannot write image");
      std::cout << "  drawn: " << target << "\n";
      ++drawn;
    }
  }
  std::cout << "\n" << file.persons.size() << " persons, " << problems + file.warnings.size() << " problems";
  if (!FLAGS_images.empty()) std::cout << ", " << drawn << " pictures in " << out;
  std::cout << "\n";
  return 0;
}

}  // namespace

Command InspectCommand() {
  return {"inspect", "summarise and draw a keypoint annotation file",
          "usage: resihmr inspect --keypoints ann.json [--images DIR] [--masks DIR] [--out DIR] [--strict]\n"
          "\n"
          "Reads COCO-17 / LDPose-25 keypoint JSON or OpenPose BODY_25 JSON and prints,\n"
          "per image and person, the layout, the labelled keypoints, the state of each\n"
          "limb (intact, above/below-joint loss, unknown; conflicts flagged) and every\n"
          "problem found. With --images, draws each image with its keypoints, skeleton,\n"
          "masks and limb states to DIR/<image>_keypoints.png.\n"
          "\n"
          "  --keypoints  the annotation file (required)\n"
          "  --images     folder of the images (file names as in the annotations)\n"
          "  --masks      folder of person mask PNGs, named as for `resihmr fit --masks`\n"
          "  --out        folder for the pictures (default inspect-output)\n"
          "  --strict     any problem with a person is an error (default: the person is\n"
          "               skipped with a warning; a mask that cannot be used, too)\n",
          {"keypoints", "images", "out", "strict", "masks"}, &Run};
}

}  // namespace resihmr::apps
