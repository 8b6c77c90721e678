// A person's mask against a model's projected outline, at a working scale:
// the pieces that the silhouette stage (optim/silhouette_stage.h) and the
// stump profile fit (optim/stump_profile_fit.h) share. A working grid is a
// crop of the image at a scale <= 1; masks are cropped and resized onto it;
// the mask's edge points carry their outward normals; the model's outline is
// a label image drawn by optim/outline_raster.h. Distances are in image
// pixels wherever they leave these functions; grid cells only inside them.
// Distance transforms and contours come from OpenCV.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

#include "optim/silhouette_cost.h"

namespace resihmr::optim {

// The working grid: a crop of the image at a scale (grid cell (r, c) is the
// image point (x0 + (c + 0.5) / scale, y0 + (r + 0.5) / scale)).
struct Grid {
  int x0 = 0, y0 = 0, rows = 0, cols = 0;
  double scale = 1;
  Eigen::Vector2d ToGrid(double x, double y) const { return {(x - x0) * scale, (y - y0) * scale}; }
  Eigen::Vector2d ToImage(double gx, double gy) const { return {x0 + gx / scale, y0 + gy / scale}; }
};

// The grid over the image box [lo, hi] (pixels) grown by `pad` on each side,
// within the image, at a scale that makes its longer side at most `working_px`.
Grid GridOver(const Eigen::Vector2d& lo, const Eigen::Vector2d& hi, double pad, int width, int height,
              double working_px);

// A point on the mask's edge: where it is (image pixels) and the outward normal.
struct EdgePoint {
  Eigen::Vector2d at, normal;
  cv::Point cell;  // its pixel of the grid mask
};

// The image-sized mask (0 / 255) cropped and resized to the grid: area
// average, then set where more than half covered (`any`: where covered at all).
cv::Mat1b ToGridMask(const cv::Mat& mask, const Grid& g, int width, int height, bool any);

// Edge points of the grid mask that may pull: not at the image's or the
// grid's border and not next to another person's mask (`others`, on the grid).
std::vector<EdgePoint> MaskEdge(const cv::Mat1b& mask, const cv::Mat1b& others, const Grid& g, int width,
                                int height);

// How far (image pixels) each edge point lies outside the model's outline
// (negative: inside), along its normal through `covered` (the grid's model
// pixels), up to `reach` image pixels; points with no crossing within reach
// are left out. With `hit_label`, the label of the model pixel met (the
// first one inwards, or the last one outwards) goes there, one per edge
// point (0 where none is met within reach).
std::vector<double> EdgeOffsets(const std::vector<EdgePoint>& edge, const cv::Mat1b& covered, const Grid& g,
                                double reach, std::vector<uint8_t>* hit_label = nullptr);

template <typename T>
std::vector<T> EvenlySubsampled(const std::vector<T>& all, size_t at_most) {
  if (all.size() <= at_most || at_most == 0) return all;
  std::vector<T> out;
  for (size_t i = 0; i < at_most; ++i) out.push_back(all[i * all.size() / at_most]);
  return out;
}

double Median(std::vector<double> v);  // 0 when empty

// The field the model is pulled into (image pixels): the distance to the
// grid mask shrunk by `margin` (inside the mask's band of that width too),
// zero deeper inside and on other persons.
std::unique_ptr<DistanceField> PullField(const cv::Mat1b& mask, const cv::Mat1b& others, const Grid& g, double margin, int width,
                        int height);

// The rim: vertices of role 0 in front (`front`) that lie on outline pixels
// of `labels` (drawn pixels next to undrawn ones), one per pixel, at most
// `points` evenly taken. `grid_points`: each vertex's position on the grid.
std::vector<int> RimVertices(const cv::Mat1b& labels, const std::vector<Eigen::Vector2d>& grid_points,
                             const std::vector<uint8_t>& front, const std::vector<uint8_t>& vertex_role, int points);

// Mask edge points away from the parts that do not pull (label 2 in
// `labels`), moved in by the margin, each matched to its nearest rim vertex
// (`image_points`: each vertex's pixel) within a fifth of the grid; at most
// `points`, evenly taken.
std::vector<ContourMatch> ContourMatches(const std::vector<EdgePoint>& edge, const cv::Mat1b& labels, const Grid& g,
                                         double margin, const std::vector<int>& rim,
                                         const std::vector<Eigen::Vector2d>& image_points, int points);

}  // namespace resihmr::optim
