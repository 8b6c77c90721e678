// `resihmr predict`: runs a trained regressor bundle (regressor, pose
// tokenizer, BPAC-Net) on every person of a keypoint file and writes the
// start of a fit as an .npz in the layout `resihmr fit --init` reads.
#include <gflags/gflags.h>

#include <iostream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "apps/command.h"
#include "apps/flags.h"
#include "pipeline/parallel.h"
#include "data/annotation_file.h"
#include "data/person_crop.h"
#include "learned/checkpoint.h"
#include "learned/prediction.h"
#include "model/camera.h"
#include "model/error.h"
#include "model/npz.h"

DEFINE_string(regressor, "", "predict: the regressor bundle (from `resihmr train regressor`)");
DEFINE_double(focal, 0, "predict: focal length in pixels (0: the image diagonal)");

namespace resihmr::apps {
namespace {

model::NpyArray Doubles(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kDouble).contiguous();
  return model::NpyArray::FromDoubles(c.sizes().vec(), std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel()));
}

int Run() {
  if (FLAGS_regressor.empty()) throw Error("predict: --regressor is required (a bundle from `resihmr train regressor`)");
  if (FLAGS_keypoints.empty()) throw Error("predict: --keypoints is required (an annotation file)");
  if (FLAGS_images.empty()) throw Error("predict: --images is required (the folder of the images)");
  if (FLAGS_out.empty()) throw Error("predict: --out is required (the .npz to write)");
  RequireFlagInRange("predict", "focal", FLAGS_focal, 0, 1e6);
  RequireFlagInRange("predict", "threads", FLAGS_threads, 1, pipeline::kMaxThreads);
  torch::set_num_threads(FLAGS_threads);
  learned::RegressorBundle bundle = learned::LoadRegressorBundle(FLAGS_regressor);
  const int size = bundle.regressor->config().image_size;
  const data::AnnotationFile file = data::ReadAnnotations(FLAGS_keypoints);
  const int64_t P = static_cast<int64_t>(file.persons.size());
  if (P == 0) throw Error("predict: " + FLAGS_keypoints + " has no persons");
  torch::Tensor images = torch::empty({P, 3, size, size}, torch::kUInt8);
  torch::Tensor keypoints = torch::empty({P, 17, 2});
  torch::Tensor visible = torch::empty({P, 17}, torch::kBool);
  std::vector<data::CropBox> boxes;
  std::vector<model::PinholeCamera> cameras;
  std::map<std::string, cv::Mat> loaded;
  for (int64_t i = 0; i < P; ++i) {
    const data::Observation& o = file.persons[static_cast<size_t>(i)];
    const std::string path = FLAGS_images + "/" + o.image;
    cv::Mat& image = loaded[path];
    if (image.empty()) image = cv::imread(path, cv::IMREAD_COLOR);
    if (image.empty()) {
      throw Error("predict: " + FLAGS_keypoints + ": person " + std::to_string(i) + " (annotation " +
                  std::to_string(o.annotation_id) + "): image " + path + " missing or unreadable");
    }
    boxes.push_back(data::PersonCropBox(o));
    cameras.push_back(model::DefaultCamera(image.cols, image.rows, FLAGS_focal));
    cv::Mat rgb;
    cv::cvtColor(data::CutCrop(image, boxes.back(), size), rgb, cv::COLOR_BGR2RGB);
    images[i].copy_(torch::from_blob(rgb.data, {size, size, 3}, torch::kUInt8).permute({2, 0, 1}));
    const auto coco = data::Coco17InCrop(o, boxes.back(), size);
    for (int k = 0; k < 17; ++k) {
      keypoints[i][k][0] = coco(k, 0);
      keypoints[i][k][1] = coco(k, 1);
      visible[i][k] = coco(k, 2) > 0;
    }
  }
  std::vector<learned::Prediction> parts;
  constexpr int64_t kBatch = 16;
  for (int64_t start = 0; start < P; start += kBatch) {
    const int64_t n = std::min(kBatch, P - start);
    parts.push_back(learned::Predict(bundle, images.narrow(0, start, n), keypoints.narrow(0, start, n),
                                     visible.narrow(0, start, n)));
  }
  const auto cat = [&](torch::Tensor learned::Prediction::*field) {
    std::vector<torch::Tensor> v;
    for (const learned::Prediction& p : parts) v.push_back(p.*field);
    return torch::cat(v);
  };
  const torch::Tensor camera = cat(&learned::Prediction::camera);
  torch::Tensor transl = torch::empty({P, 3}, torch::kDouble), box = torch::empty({P, 3}, torch::kDouble);
  for (int64_t i = 0; i < P; ++i) {
    const Eigen::Vector3d weak(camera[i][0].item<double>(), camera[i][1].item<double>(), camera[i][2].item<double>());
    const Eigen::Vector3d t = data::TranslationOfWeakPerspective(weak, cameras[static_cast<size_t>(i)], boxes[static_cast<size_t>(i)]);
    for (int k = 0; k < 3; ++k) transl[i][k] = t[k];
    const data::CropBox& b = boxes[static_cast<size_t>(i)];
    box[i][0] = b.x0;
    box[i][1] = b.y0;
    box[i][2] = b.side;
  }
  std::map<std::string, model::NpyArray> out = {
      {"global_orient", Doubles(cat(&learned::Prediction::global_orient))},
      {"body_pose", Doubles(cat(&learned::Prediction::body_pose))},
      {"model_betas", Doubles(cat(&learned::Prediction::betas))},
      {"transl", Doubles(transl)},
      {"weak_camera", Doubles(camera)},
      {"crop_box", Doubles(box)}};
  if (bundle.bpac) {
    const torch::Tensor classes = cat(&learned::Prediction::bpac_classes).contiguous();
    out["bpac_classes"] = model::NpyArray::FromInt64s(classes.sizes().vec(), std::vector<int64_t>(
        classes.data_ptr<int64_t>(), classes.data_ptr<int64_t>() + classes.numel()));
    out["bpac_probabilities"] = Doubles(cat(&learned::Prediction::bpac_probabilities));
  }
  model::WriteNpz(FLAGS_out, out);
  std::cout << "predicted " << P << " persons with " << FLAGS_regressor << (bundle.bpac ? " (and BPAC-Net)" : "")
            << ": " << FLAGS_out << "\n";
  return 0;
}

}  // namespace

Command PredictCommand() {
  return {"predict", kPredictSummary,
          "usage: resihmr predict --regressor model.pt --keypoints K.json --images DIR --out init.npz\n"
          "                       [--focal F] [--threads T]\n"
          "\n"
          "Cuts each person's crop (the box 1.2 x the longer side of the person's box, or\n"
          "of its keypoints; data/person_crop.h), runs the regressor bundle of `resihmr train\n"
          "regressor` on it (BPAC-Net on the crop and the COCO keypoints' heatmaps, the\n"
          "regressor, the tokenizer decoding its codes) and writes, per person in the\n"
          "keypoint file's order:\n"
          "  global_orient [P,3], body_pose [P,21,3]   axis-angle, camera frame\n"
          "  model_betas [P,B]    betas in the shape space of the model the crops were\n"
          "                       rendered with (the embedded model for `resihmr synth`)\n"
          "  transl [P,3]         metres, from the crop's weak-perspective camera and the\n"
          "                       image's (focal length --focal or the image diagonal)\n"
          "  bpac_classes [P,4], bpac_probabilities [P,4,4]   BPAC-Net's limb classes\n"
          "                       (heads right arm, left arm, left leg, right leg; 3 intact)\n"
          "  weak_camera [P,3], crop_box [P,3]   the crop's camera (s, t_x, t_y) and box\n"
          "                       (x0, y0, side in image pixels)\n"
          "`resihmr fit --init init.npz` starts from it (the classes set each person's\n"
          "residual limbs); `resihmr fit --init regressor:model.pt` runs this first.\n",
          {"regressor", "keypoints", "images", "out", "focal", "threads"}, &Run};
}

}  // namespace resihmr::apps
