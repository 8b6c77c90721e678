#include "learned/crop_set.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "learned/bpac_net.h"
#include "model/error.h"

namespace resihmr::learned {
namespace {

constexpr int kCoco = 17;

// Reads `n` numbers of record field `key` into `out`.
void ReadNumbers(const nlohmann::json& j, const std::string& where, const char* key, size_t n, float* out) {
  const auto it = j.find(key);
  std::vector<double> flat;
  const auto flatten = [&](const nlohmann::json& v, auto&& self) -> bool {
    if (v.is_number()) {
      flat.push_back(v.get<double>());
      return true;
    }
    if (!v.is_array()) return false;
    for (const nlohmann::json& x : v) {
      if (!self(x, self)) return false;
    }
    return true;
  };
  if (it == j.end() || !flatten(*it, flatten) || flat.size() != n) {
    throw Error(where + ": field '" + key + "' missing or not " + std::to_string(n) + " numbers");
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(flat[i])) throw Error(where + ": field '" + key + "' holds a non-finite number");
    out[i] = static_cast<float>(flat[i]);
  }
}

}  // namespace

CropSet CropSet::Select(const torch::Tensor& indices) const {
  CropSet s;
  s.crop_size = crop_size;
  s.images = images.index_select(0, indices);
  s.keypoints = keypoints.index_select(0, indices);
  s.visible = visible.index_select(0, indices);
  s.bpac_classes = bpac_classes.index_select(0, indices);
  s.global_orient = global_orient.index_select(0, indices);
  s.body_pose = body_pose.index_select(0, indices);
  s.betas = betas.index_select(0, indices);
  s.camera = camera.index_select(0, indices);
  return s;
}

CropSet ReadCropSet(const std::string& dir) {
  const std::string path = dir + "/crops.json";
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open (a folder written by `resihmr synth --crops S` expected)");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON (" + e.what() + ")");
  }
  if (!root.is_object() || !root.contains("crop_size") || !root["crop_size"].is_number_integer() ||
      !root.contains("persons") || !root["persons"].is_array() || root["persons"].empty()) {
    throw Error(path + ": an object with an integer 'crop_size' and a non-empty 'persons' array expected");
  }
  CropSet set;
  set.crop_size = root["crop_size"].get<int>();
  const int s = set.crop_size;
  if (s < 16 || s > 1024) throw Error(path + ": crop_size " + std::to_string(s) + " out of range (16..1024)");
  const nlohmann::json& persons = root["persons"];
  const int64_t n = static_cast<int64_t>(persons.size());
  const auto betas_of = [&](const nlohmann::json& p) { return p.contains("betas") && p["betas"].is_array() ? p["betas"].size() : 0; };
  const int64_t num_betas = static_cast<int64_t>(betas_of(persons[0]));
  set.images = torch::empty({n, 3, s, s}, torch::kUInt8);
  set.keypoints = torch::empty({n, kCoco, 2});
  set.visible = torch::empty({n, kCoco}, torch::kBool);
  set.bpac_classes = torch::empty({n, 4}, torch::kLong);
  set.global_orient = torch::empty({n, 3});
  set.body_pose = torch::empty({n, 21, 3});
  set.betas = torch::zeros({n, num_betas});
  set.camera = torch::empty({n, 3});
  for (int64_t i = 0; i < n; ++i) {
    const nlohmann::json& p = persons[static_cast<size_t>(i)];
    const std::string where = path + ": persons[" + std::to_string(i) + "]";
    if (!p.is_object() || !p.contains("crop") || !p["crop"].is_string()) throw Error(where + ": field 'crop' (a file name) missing");
    const std::string file = dir + "/crops/" + p["crop"].get<std::string>();
    const cv::Mat bgr = cv::imread(file, cv::IMREAD_COLOR);
    if (bgr.empty()) throw Error(where + ": " + file + ": missing or not an image");
    if (bgr.rows != s || bgr.cols != s) {
      throw Error(where + ": " + file + " is " + std::to_string(bgr.cols) + "x" + std::to_string(bgr.rows) + ", " +
                  std::to_string(s) + "x" + std::to_string(s) + " expected (crop_size)");
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    set.images[i].copy_(torch::from_blob(rgb.data, {s, s, 3}, torch::kUInt8).permute({2, 0, 1}));
    float kp[kCoco * 3];
    ReadNumbers(p, where, "keypoints_coco17", kCoco * 3, kp);
    for (int k = 0; k < kCoco; ++k) {
      set.keypoints[i][k][0] = kp[3 * k];
      set.keypoints[i][k][1] = kp[3 * k + 1];
      set.visible[i][k] = kp[3 * k + 2] > 0;
    }
    float classes[4];
    ReadNumbers(p, where, "bpac_classes", 4, classes);
    for (int h = 0; h < 4; ++h) {
      if (classes[h] != std::floor(classes[h]) || classes[h] < 0 || classes[h] > 3) {
        throw Error(where + ": field 'bpac_classes' holds " + std::to_string(classes[h]) + ", 0..3 expected");
      }
      set.bpac_classes[i][h] = static_cast<int64_t>(classes[h]);
    }
    ReadNumbers(p, where, "global_orient", 3, set.global_orient[i].data_ptr<float>());
    ReadNumbers(p, where, "body_pose", 63, set.body_pose[i].data_ptr<float>());
    if (static_cast<int64_t>(betas_of(p)) != num_betas) {
      throw Error(where + ": field 'betas' has " + std::to_string(betas_of(p)) + " values, " +
                  std::to_string(num_betas) + " expected (as persons[0])");
    }
    if (num_betas) ReadNumbers(p, where, "betas", static_cast<size_t>(num_betas), set.betas[i].data_ptr<float>());
    ReadNumbers(p, where, "camera", 3, set.camera[i].data_ptr<float>());
    if (!(set.camera[i][0].item<float>() > 0)) throw Error(where + ": field 'camera': scale s must be positive");
  }
  return set;
}

torch::Tensor NormalizedRgb(const torch::Tensor& images) {
  const torch::Tensor mean = torch::tensor({0.485f, 0.456f, 0.406f}, torch::TensorOptions().device(images.device())).view({1, 3, 1, 1});
  const torch::Tensor std = torch::tensor({0.229f, 0.224f, 0.225f}, torch::TensorOptions().device(images.device())).view({1, 3, 1, 1});
  return (images.to(torch::kFloat) / 255.0f - mean) / std;
}

torch::Tensor BpacInput(const torch::Tensor& images, const torch::Tensor& keypoints, const torch::Tensor& visible) {
  if (images.dim() != 4 || images.size(1) != 3 || keypoints.dim() != 3 || keypoints.size(1) != kCoco ||
      visible.sizes() != keypoints.sizes().slice(0, 2)) {
    throw Error("BpacInput: images [B, 3, S, S], keypoints [B, 17, 2] and visibility [B, 17] expected, got " +
                c10::str(images.sizes()) + ", " + c10::str(keypoints.sizes()) + ", " + c10::str(visible.sizes()));
  }
  const torch::Tensor heat = KeypointHeatmaps(keypoints.narrow(1, 5, 12), visible.narrow(1, 5, 12), static_cast<int>(images.size(2)));
  return torch::cat({NormalizedRgb(images), heat}, 1);
}

}  // namespace resihmr::learned
