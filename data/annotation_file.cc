#include "data/annotation_file.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "data/mask_files.h"
#include "data/segmentation_mask.h"
#include "model/atomic_file.h"
#include "model/error.h"

namespace resihmr::data {
namespace {

using nlohmann::json;

// A problem with one person: dropped with a warning, or an Error when strict.
struct PersonProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string ReadText(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

json ParseJson(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw Error(what + ": not valid JSON: " + e.what());
  }
}

constexpr int64_t kMaxImageSide = 100000;
// Pixel coordinates, box sides and areas beyond this are not pixels of any image.
constexpr double kMaxPixelValue = 1e7;

double Number(const json& v, const std::string& where) {
  if (!v.is_number()) throw PersonProblem(where + ": expected a number, got " + std::string(v.type_name()));
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw PersonProblem(where + ": non-finite number");
  return x;
}

// A pixel coordinate or length: finite and within +-1e7.
double Pixels(const json& v, const std::string& where) {
  const double x = Number(v, where);
  if (std::abs(x) > kMaxPixelValue) {
    throw PersonProblem(where + ": " + std::to_string(x) + " px lies outside the accepted range [-1e7, 1e7]");
  }
  return x;
}

int64_t Integer(const json& v, const std::string& where) {
  if (!v.is_number()) throw PersonProblem(where + ": expected an integer, got " + std::string(v.type_name()));
  const double x = v.get<double>();
  if (!std::isfinite(x) || x != std::floor(x) || std::abs(x) > 9e15) throw PersonProblem(where + ": expected an integer");
  return static_cast<int64_t>(x);
}

// Marks points far outside the image (beyond half its size) absent, with a warning.
void DropFarPoints(Observation& o, const std::string& where) {
  if (o.image_width <= 0 || o.image_height <= 0) return;
  for (int k = 0; k < o.layout->size(); ++k) {
    if (!o.present(k)) continue;
    const double x = o.points(k, 0), y = o.points(k, 1);
    if (x < -0.5 * o.image_width || x > 1.5 * o.image_width || y < -0.5 * o.image_height || y > 1.5 * o.image_height) {
      o.warnings.push_back(where + ": keypoints[" + o.layout->names[static_cast<size_t>(k)] + "]: point (" +
                           std::to_string(x) + ", " + std::to_string(y) + ") lies far outside the " +
                           std::to_string(o.image_width) + "x" + std::to_string(o.image_height) +
                           " image; treated as absent");
      o.confidence[k] = 0;
      o.visibility[k] = 0;
    }
  }
}

const KeypointLayout* LayoutForCount(int count) {
  if (count == 17) return &Coco17Layout();
  if (count == 25) return &LdPose25Layout();
  return nullptr;
}

cv::Mat SegmentationMask(const json& seg, int width, int height, const std::string& where) {
  if (seg.is_array()) {
    if (seg.empty()) return cv::Mat();
    std::vector<std::vector<double>> polygons;
    for (size_t i = 0; i < seg.size(); ++i) {
      if (!seg[i].is_array()) throw PersonProblem(where + "[" + std::to_string(i) + "]: expected a polygon (list of x, y)");
      std::vector<double> poly;
      for (size_t k = 0; k < seg[i].size(); ++k) {
        poly.push_back(Number(seg[i][k], where + "[" + std::to_string(i) + "][" + std::to_string(k) + "]"));
      }
      polygons.push_back(std::move(poly));
    }
    try {
      return RasterisePolygons(polygons, width, height);
    } catch (const Error& e) {
      throw PersonProblem(where + ": " + e.what());
    }
  }
  if (seg.is_object()) {
    if (!seg.contains("counts") || !seg.contains("size")) throw PersonProblem(where + ": RLE needs 'counts' and 'size'");
    const json& size = seg["size"];
    if (!size.is_array() || size.size() != 2) throw PersonProblem(where + ".size: expected [height, width]");
    const int64_t h = Integer(size[0], where + ".size[0]"), w = Integer(size[1], where + ".size[1]");
    if (h != height || w != width) {
      throw PersonProblem(where + ".size: [" + std::to_string(h) + ", " + std::to_string(w) + "] differs from the image's [" +
                          std::to_string(height) + ", " + std::to_string(width) + "]");
    }
    std::vector<int64_t> counts;
    try {
      if (seg["counts"].is_string()) {
        counts = CompressedRleToCounts(seg["counts"].get<std::string>());
      } else if (seg["counts"].is_array()) {
        for (size_t i = 0; i < seg["counts"].size(); ++i) {
          counts.push_back(Integer(seg["counts"][i], where + ".counts[" + std::to_string(i) + "]"));
        }
      } else {
        throw PersonProblem(where + ".counts: expected a list of run lengths or a compressed string");
      }
      return DecodeRleCounts(counts, width, height);
    } catch (const Error& e) {
      throw PersonProblem(where + ".counts: " + e.what());
    }
  }
  throw PersonProblem(where + ": expected polygons or an RLE object");
}

Observation ParseCocoPerson(const json& a, const std::string& what, int64_t id, const AnnotationImage& image,
                            const KeypointLayout* layout) {
  const std::string where = what + ": annotation " + std::to_string(id);
  Observation o;
  o.source = what;
  o.annotation_id = id;
  o.image_id = image.id;
  o.image = image.file_name;
  o.image_width = image.width;
  o.image_height = image.height;
  o.frame_id = image.frame_id;
  if (a.contains("track_id")) {
    o.track_id = Integer(a["track_id"], where + ": track_id");
    if (o.track_id < 0) throw PersonProblem(where + ": track_id: " + std::to_string(o.track_id) + " is negative");
  }
  if (!a.contains("keypoints")) throw PersonProblem(where + ": keypoints: missing");
  const json& kp = a["keypoints"];
  if (!kp.is_array()) throw PersonProblem(where + ": keypoints: expected a flat list of x, y, v triples");
  if (kp.size() % 3 != 0) {
    throw PersonProblem(where + ": keypoints: " + std::to_string(kp.size()) + " numbers, not a multiple of 3");
  }
  const int count = static_cast<int>(kp.size() / 3);
  if (!layout) layout = LayoutForCount(count);
  if (!layout) {
    throw PersonProblem(where + ": keypoints: " + std::to_string(count) +
                        " keypoints, expected 17 (COCO) or 25 (LDPose) when no category names them");
  }
  if (count != layout->size()) {
    throw PersonProblem(where + ": keypoints: " + std::to_string(count) + " keypoints, the layout " + layout->name +
                        " has " + std::to_string(layout->size()));
  }
  o.layout = layout;
  o.points.resize(count, 2);
  o.confidence.resize(count);
  o.visibility.resize(count);
  for (int k = 0; k < count; ++k) {
    const auto field = [&](int i, const char* part) {
      return where + ": keypoints[" + std::to_string(3 * k + i) + "] (" + layout->names[static_cast<size_t>(k)] + " " + part + ")";
    };
    const double x = Pixels(kp[static_cast<size_t>(3 * k)], field(0, "x"));
    const double y = Pixels(kp[static_cast<size_t>(3 * k + 1)], field(1, "y"));
    const double v = Number(kp[static_cast<size_t>(3 * k + 2)], field(2, "v"));
    if (v != 0 && v != 1 && v != 2) {
      throw PersonProblem(where + ": keypoints[" + std::to_string(3 * k + 2) + "] (" + layout->names[static_cast<size_t>(k)] +
                          " v): visibility " + std::to_string(v) + ", expected 0, 1 or 2");
    }
    o.points.row(k) << x, y;
    o.visibility[k] = static_cast<int>(v);
    o.confidence[k] = v > 0 ? 1.0 : 0.0;
  }
  if (a.contains("num_keypoints")) {
    const int64_t n = Integer(a["num_keypoints"], where + ": num_keypoints");
    if (n != o.num_present()) {
      o.warnings.push_back(where + ": num_keypoints: says " + std::to_string(n) + ", the keypoints have " +
                           std::to_string(o.num_present()) + " labelled");
    }
  }
  if (a.contains("bbox")) {
    const json& b = a["bbox"];
    if (!b.is_array() || b.size() != 4) throw PersonProblem(where + ": bbox: expected [x, y, width, height]");
    for (int i = 0; i < 4; ++i) o.bbox[i] = Pixels(b[static_cast<size_t>(i)], where + ": bbox[" + std::to_string(i) + "]");
    o.has_bbox = o.bbox[2] > 0 && o.bbox[3] > 0;
    if (!o.has_bbox) o.warnings.push_back(where + ": bbox: degenerate box (width or height <= 0); ignored");
  }
  if (a.contains("area")) {
    o.area = Number(a["area"], where + ": area");
    if (o.area < 0 || o.area > 1e14) throw PersonProblem(where + ": area: " + std::to_string(o.area) + ", expected 0..1e14 px^2");
  }
  if (a.contains("mask_file")) {
    if (!a["mask_file"].is_string() || a["mask_file"].get<std::string>().empty()) {
      throw PersonProblem(where + ": mask_file: expected a PNG path relative to the annotation file");
    }
    o.mask_file = a["mask_file"].get<std::string>();
  }
  if (a.contains("mask_value")) {
    const int64_t value = Integer(a["mask_value"], where + ": mask_value");
    if (value < 1 || value > 65535) {
      throw PersonProblem(where + ": mask_value: " + std::to_string(value) + ", expected 1..65535 (the person's id in an instance-id mask)");
    }
    o.mask_value = static_cast<int>(value);
  }
  DropFarPoints(o, where);
  return o;
}

// Runs `work` (which takes its items from a shared counter) on up to 8
// threads, one per 8 items, the calling thread among them.
void RunOnThreads(size_t items, const std::function<void()>& work) {
  const size_t wanted = std::min<size_t>({8, std::max(1u, std::thread::hardware_concurrency()), items / 8 + 1});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < wanted; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // the calling thread does what is left
    }
  }
  work();
  for (std::thread& t : pool) t.join();
}

// A person's segmentation (or mask file), decoded after the file is read.
struct PendingMask {
  size_t person;
  const json* segmentation;
  int width, height;
  std::string where;
};

// Decodes every pending mask, on up to 8 threads (a dataset's masks take
// most of a reading's time), and gives each person its mask, or a warning
// "...; no mask" when its segmentation cannot be used. The same result on
// any number of threads.
void DecodeMasks(const std::vector<PendingMask>& pending, AnnotationFile* file) {
  std::vector<cv::Mat> masks(pending.size());
  std::vector<std::string> problems(pending.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i = next++; i < pending.size(); i = next++) {
      const PendingMask& p = pending[i];
      try {
        masks[i] = SegmentationMask(*p.segmentation, p.width, p.height, p.where + ": segmentation");
      } catch (const std::exception& e) {  // PersonProblem, or no memory for an image's mask
        problems[i] = std::string(e.what()) + "; no mask";
      }
    }
  };
  RunOnThreads(pending.size(), work);
  for (size_t i = 0; i < pending.size(); ++i) {
    Observation& o = file->persons[pending[i].person];
    if (problems[i].empty()) {
      o.mask = std::move(masks[i]);
    } else {
      o.warnings.push_back(problems[i]);
    }
  }
}

void KeepOrDrop(AnnotationFile& file, const ReadOptions& options, const std::function<void()>& parse_person) {
  try {
    parse_person();
  } catch (const PersonProblem& e) {
    if (options.strict) throw Error(e.what());
    file.warnings.push_back(std::string(e.what()) + "; person skipped");
  }
}

// The mask image of each person that has one (data/mask_files.h's order),
// read on up to 8 threads; a file that cannot be used leaves the person
// without a mask, with a warning (strict: an error).
void AttachMaskFiles(const std::string& path, const ReadOptions& options, AnnotationFile* file) {
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  std::map<std::string, int> seen_in_image;  // persons of each image so far: the instance id by order
  std::map<std::string, int> in_image;        // persons of each image
  for (const Observation& o : file->persons) ++in_image[o.image];
  std::vector<PendingMask> pending;
  std::vector<std::string> files;
  std::vector<int> values;
  for (size_t i = 0; i < file->persons.size(); ++i) {
    Observation& o = file->persons[i];
    const int order = ++seen_in_image[o.image];
    const std::string where = path + ": annotation " + std::to_string(o.annotation_id);
    std::string chosen;
    int value = o.mask_value;
    if (!o.mask_file.empty()) {
      chosen = (base / o.mask_file).string();
    } else if (!options.masks_dir.empty()) {
      const std::string stem = std::filesystem::path(o.image.empty() ? "image" : o.image).stem().string();
      const std::filesystem::path own = std::filesystem::path(options.masks_dir) / (stem + "_" + std::to_string(o.annotation_id) + ".png");
      const std::filesystem::path shared = std::filesystem::path(options.masks_dir) / (stem + ".png");
      std::error_code ec;
      if (std::filesystem::exists(own, ec)) {
        chosen = own.string();
      } else if (std::filesystem::exists(shared, ec)) {
        chosen = shared.string();
        if (value == 0 && in_image[o.image] > 1) value = order;  // one person: the file may be binary
      } else {
        const std::string problem = where + ": no mask file " + own.string() + " or " + shared.string() +
                                    (o.mask.empty() ? "; no mask" : "; its segmentation is used");
        if (options.strict) throw Error(problem);
        o.warnings.push_back(problem);
        continue;
      }
    } else {
      continue;
    }
    pending.push_back({i, nullptr, o.image_width, o.image_height, where});
    files.push_back(chosen);
    values.push_back(value);
  }
  std::vector<cv::Mat> masks(pending.size());
  std::vector<std::string> problems(pending.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t k = next++; k < pending.size(); k = next++) {
      try {
        masks[k] = ReadMaskImage(files[k], values[k]);
      } catch (const std::exception& e) {
        problems[k] = pending[k].where + ": mask_file: " + e.what();
      }
    }
  };
  RunOnThreads(pending.size(), work);
  for (size_t k = 0; k < pending.size(); ++k) {
    Observation& o = file->persons[pending[k].person];
    if (!problems[k].empty()) {
      if (options.strict) throw Error(problems[k]);
      o.warnings.push_back(problems[k] + "; no mask");
      o.mask.release();
      continue;
    }
    if (o.image_width == 0 && o.image_height == 0) {  // an image of unknown size takes its mask's
      o.image_width = masks[k].cols;
      o.image_height = masks[k].rows;
    }
    o.mask = std::move(masks[k]);
  }
}

// Every mask checked against its person (data/mask_files.h): one that fails is dropped with a warning.
void CheckMasks(const ReadOptions& options, AnnotationFile* file) {
  for (Observation& o : file->persons) {
    if (o.mask.empty()) continue;
    const std::string problem = MaskProblem(o, o.mask);
    if (problem.empty()) continue;
    const std::string message = o.source + ": annotation " + std::to_string(o.annotation_id) + ": " + problem;
    if (options.strict) throw Error(message);
    o.warnings.push_back(message + "; no mask");
    o.mask.release();
  }
}

}  // namespace

AnnotationFile ParseCocoKeypoints(const std::string& text, const std::string& what, const ReadOptions& options) {
  const json root = ParseJson(text, what);
  if (!root.is_object()) throw Error(what + ": expected a COCO object with 'images' and 'annotations'");
  if (!root.contains("annotations") || !root["annotations"].is_array()) {
    throw Error(what + ": annotations: missing or not a list");
  }
  if (!root.contains("images") || !root["images"].is_array()) throw Error(what + ": images: missing or not a list");
  AnnotationFile file;
  file.path = what;
  file.format = "coco";

  // Categories: the person category's keypoint names fix the layout.
  const KeypointLayout* layout = options.layout;
  std::set<int64_t> keypoint_categories;
  if (root.contains("categories")) {
    if (!root["categories"].is_array()) throw Error(what + ": categories: expected a list");
    for (const json& c : root["categories"]) {
      if (!c.is_object() || !c.contains("keypoints")) continue;
      if (!c["keypoints"].is_array() || !c.contains("id") || !c["id"].is_number_integer()) {
        throw Error(what + ": categories: a category with keypoints needs an integer id and a list of names");
      }
      std::vector<std::string> names;
      for (const json& n : c["keypoints"]) {
        if (!n.is_string()) throw Error(what + ": categories: keypoint names must be strings");
        names.push_back(n.get<std::string>());
      }
      const KeypointLayout* named = LayoutByKeypointNames(names);
      if (!named) {
        throw Error(what + ": categories: category " + std::to_string(c["id"].get<int64_t>()) + " names " +
                    std::to_string(names.size()) + " keypoints that match no known layout (coco17, ldpose25)");
      }
      if (!layout) layout = named;
      keypoint_categories.insert(c["id"].get<int64_t>());
    }
  }

  std::map<int64_t, size_t> image_index;
  for (size_t i = 0; i < root["images"].size(); ++i) {
    const json& im = root["images"][i];
    const std::string where = what + ": images[" + std::to_string(i) + "]";
    if (!im.is_object() || !im.contains("id")) throw Error(where + ": expected an object with an id");
    AnnotationImage image;
    try {
      image.id = Integer(im["id"], where + ".id");
      const int64_t width = im.contains("width") ? Integer(im["width"], where + ".width") : 0;
      const int64_t height = im.contains("height") ? Integer(im["height"], where + ".height") : 0;
      if (width < 0 || height < 0 || width > kMaxImageSide || height > kMaxImageSide) {
        throw Error(where + ": width/height: " + std::to_string(width) + "x" + std::to_string(height) +
                    " is not a plausible image size (each side 0..100000 px)");
      }
      image.width = static_cast<int>(width);
      image.height = static_cast<int>(height);
      if (im.contains("frame_id")) {
        image.frame_id = Integer(im["frame_id"], where + ".frame_id");
        if (image.frame_id < 0 || image.frame_id > kMaxFrameId) {
          throw Error(where + ".frame_id: " + std::to_string(image.frame_id) + " is outside 0.." + std::to_string(kMaxFrameId));
        }
      }
    } catch (const PersonProblem& e) {
      throw Error(e.what());
    }
    if (im.contains("file_name")) {
      if (!im["file_name"].is_string()) throw Error(where + ".file_name: expected a string");
      image.file_name = im["file_name"].get<std::string>();
    }
    if (!image_index.emplace(image.id, file.images.size()).second) {
      throw Error(where + ".id: duplicate image id " + std::to_string(image.id));
    }
    file.images.push_back(image);
  }

  std::set<int64_t> annotation_ids;
  std::vector<PendingMask> pending;
  for (size_t i = 0; i < root["annotations"].size(); ++i) {
    const json& a = root["annotations"][i];
    const std::string where = what + ": annotations[" + std::to_string(i) + "]";
    if (!a.is_object() || !a.contains("id")) throw Error(where + ": expected an object with an id");
    int64_t id;
    try {
      id = Integer(a["id"], where + ".id");
    } catch (const PersonProblem& e) {
      throw Error(e.what());
    }
    if (!annotation_ids.insert(id).second) throw Error(where + ".id: duplicate annotation id " + std::to_string(id));
    if (a.contains("category_id") && !keypoint_categories.empty() && a["category_id"].is_number_integer() &&
        !keypoint_categories.count(a["category_id"].get<int64_t>())) {
      continue;  // not a keypoint category (e.g. other COCO objects)
    }
    KeepOrDrop(file, options, [&] {
      if (a.contains("iscrowd") && a["iscrowd"].is_number() && a["iscrowd"].get<double>() != 0) {
        throw PersonProblem(what + ": annotation " + std::to_string(id) + ": iscrowd: a crowd region, not one person");
      }
      if (!a.contains("image_id")) throw PersonProblem(what + ": annotation " + std::to_string(id) + ": image_id: missing");
      const int64_t image_id = Integer(a["image_id"], what + ": annotation " + std::to_string(id) + ": image_id");
      auto it = image_index.find(image_id);
      if (it == image_index.end()) {
        throw PersonProblem(what + ": annotation " + std::to_string(id) + ": image_id: image " + std::to_string(image_id) +
                            " is not in 'images'");
      }
      const AnnotationImage& image = file.images[it->second];
      Observation o = ParseCocoPerson(a, what, id, image, layout);
      if (!file.layout) file.layout = o.layout;
      if (a.contains("segmentation") && image.width > 0 && image.height > 0) {
        pending.push_back({file.persons.size(), &a["segmentation"], image.width, image.height,
                           what + ": annotation " + std::to_string(id)});
      }
      file.persons.push_back(std::move(o));
    });
  }
  DecodeMasks(pending, &file);
  if (!file.layout) file.layout = layout ? layout : &Coco17Layout();
  return file;
}

AnnotationFile ParseOpenPose(const std::string& text, const std::string& what, const ReadOptions& options) {
  const json root = ParseJson(text, what);
  if (!root.is_object() || !root.contains("people") || !root["people"].is_array()) {
    throw Error(what + ": people: missing or not a list (expected OpenPose JSON)");
  }
  AnnotationFile file;
  file.path = what;
  file.format = "openpose";
  file.layout = &Body25Layout();
  std::string image = options.image;
  if (image.empty()) {
    image = std::filesystem::path(what).filename().string();
    const std::string suffix = "_keypoints.json";
    if (image.size() > suffix.size() && image.compare(image.size() - suffix.size(), suffix.size(), suffix) == 0) {
      image = image.substr(0, image.size() - suffix.size());
    }
  }
  file.images.push_back({0, image, options.image_width, options.image_height});
  if (root["people"].empty()) file.warnings.push_back(what + ": people: empty; no person in this image");
  const auto triples = [&](const json& person, const char* key, int expected, const std::string& where,
                           Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>* out) {
    if (!person.contains(key)) return false;
    const json& arr = person[key];
    if (!arr.is_array()) throw PersonProblem(where + ": " + key + ": expected a flat list of x, y, c triples");
    if (arr.empty()) return false;
    if (static_cast<int>(arr.size()) != 3 * expected) {
      throw PersonProblem(where + ": " + key + ": " + std::to_string(arr.size()) + " numbers, expected " +
                          std::to_string(3 * expected) + " (" + std::to_string(expected) + " x, y, c triples)");
    }
    out->resize(expected, 3);
    for (int k = 0; k < expected; ++k) {
      for (int c = 0; c < 3; ++c) {
        const std::string at = where + ": " + key + "[" + std::to_string(3 * k + c) + "]";
        (*out)(k, c) = c < 2 ? Pixels(arr[static_cast<size_t>(3 * k + c)], at) : Number(arr[static_cast<size_t>(3 * k + c)], at);
      }
      if ((*out)(k, 2) < 0 || (*out)(k, 2) > 1) {
        throw PersonProblem(where + ": " + key + "[" + std::to_string(3 * k + 2) + "]: confidence " +
                            std::to_string((*out)(k, 2)) + " outside [0, 1]");
      }
    }
    return true;
  };
  for (size_t i = 0; i < root["people"].size(); ++i) {
    const std::string where = what + ": person " + std::to_string(i);
    KeepOrDrop(file, options, [&] {
      const json& person = root["people"][i];
      if (!person.is_object()) throw PersonProblem(where + ": expected an object");
      Observation o;
      o.source = what;
      o.image = image;
      o.image_id = 0;
      o.annotation_id = static_cast<int64_t>(i);
      o.image_width = options.image_width;
      o.image_height = options.image_height;
      o.layout = &Body25Layout();
      Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor> body;
      if (!triples(person, "pose_keypoints_2d", 25, where, &body)) {
        throw PersonProblem(where + ": pose_keypoints_2d: missing or empty");
      }
      o.points = body.leftCols(2);
      o.confidence = body.col(2);
      o.visibility.resize(25);
      for (int k = 0; k < 25; ++k) o.visibility[k] = o.confidence[k] > 0 ? 2 : 0;
      triples(person, "hand_left_keypoints_2d", 21, where, &o.hand_left);
      triples(person, "hand_right_keypoints_2d", 21, where, &o.hand_right);
      triples(person, "face_keypoints_2d", 70, where, &o.face);
      DropFarPoints(o, where);
      file.persons.push_back(std::move(o));
    });
  }
  return file;
}

AnnotationFile ReadAnnotations(const std::string& path, const ReadOptions& options) {
  const std::string text = ReadText(path);
  // Told apart by the top-level keys; parse once to look.
  const json root = ParseJson(text, path);
  AnnotationFile file;
  if (root.is_object() && root.contains("people")) {
    file = ParseOpenPose(text, path, options);
  } else if (root.is_object() && root.contains("annotations")) {
    file = ParseCocoKeypoints(text, path, options);
  } else {
    throw Error(path + ": neither COCO keypoint JSON ('images', 'annotations') nor OpenPose JSON ('people')");
  }
  AttachMaskFiles(path, options, &file);
  CheckMasks(options, &file);
  return file;
}

void WriteCocoKeypoints(const std::string& path, const AnnotationFile& file) {
  const KeypointLayout& layout = file.layout ? *file.layout : Coco17Layout();
  if (layout.name == "body25") throw Error(path + ": BODY_25 keypoints are written as OpenPose JSON, not COCO");
  json skeleton = json::array();
  for (const auto& link : layout.skeleton) skeleton.push_back({link[0] + 1, link[1] + 1});
  json root = {{"info", {{"description", "written by resihmr"}}},
               {"images", json::array()},
               {"annotations", json::array()},
               {"categories", {{{"id", 1}, {"name", "person"}, {"supercategory", "person"}, {"keypoints", layout.names},
                                {"skeleton", skeleton}}}}};
  for (const AnnotationImage& im : file.images) {
    root["images"].push_back({{"id", im.id}, {"file_name", im.file_name}, {"width", im.width}, {"height", im.height}});
    if (im.frame_id >= 0) root["images"].back()["frame_id"] = im.frame_id;
  }
  for (const Observation& o : file.persons) {
    if (o.layout != &layout) throw Error(path + ": annotation " + std::to_string(o.annotation_id) + ": layout differs from the file's");
    json keypoints = json::array();
    for (int k = 0; k < layout.size(); ++k) {
      const bool present = o.present(k);
      keypoints.push_back(present ? o.points(k, 0) : 0.0);
      keypoints.push_back(present ? o.points(k, 1) : 0.0);
      keypoints.push_back(present ? std::max(1, o.visibility[k]) : 0);
    }
    json a = {{"id", o.annotation_id}, {"image_id", o.image_id}, {"category_id", 1}, {"iscrowd", 0},
              {"keypoints", keypoints}, {"num_keypoints", o.num_present()}};
    if (o.has_bbox) a["bbox"] = {o.bbox[0], o.bbox[1], o.bbox[2], o.bbox[3]};
    if (o.track_id >= 0) a["track_id"] = o.track_id;
    if (!o.mask.empty()) {
      a["segmentation"] = {{"size", {o.mask.rows, o.mask.cols}}, {"counts", CountsToCompressedRle(EncodeRleCounts(o.mask))}};
      a["area"] = cv::countNonZero(o.mask);
    } else if (o.area > 0) {
      a["area"] = o.area;
    }
    root["annotations"].push_back(a);
  }
  WriteFileAtomically(path, root.dump(1));
}

void WriteOpenPose(const std::string& path, const std::vector<Observation>& persons) {
  json people = json::array();
  const auto flat = [](const Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>& m) {
    return std::vector<double>(m.data(), m.data() + m.size());
  };
  for (const Observation& o : persons) {
    if (o.layout != &Body25Layout()) throw Error(path + ": OpenPose JSON holds BODY_25 keypoints only");
    std::vector<double> pose;
    for (int k = 0; k < 25; ++k) {
      pose.push_back(o.present(k) ? o.points(k, 0) : 0.0);
      pose.push_back(o.present(k) ? o.points(k, 1) : 0.0);
      pose.push_back(o.confidence[k]);
    }
    json p = {{"person_id", {-1}}, {"pose_keypoints_2d", pose}, {"face_keypoints_2d", flat(o.face)},
              {"hand_left_keypoints_2d", flat(o.hand_left)}, {"hand_right_keypoints_2d", flat(o.hand_right)}};
    people.push_back(p);
  }
  WriteFileAtomically(path, json({{"version", 1.3}, {"people", people}}).dump());
}

}  // namespace resihmr::data
