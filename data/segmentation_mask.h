// COCO segmentations as image masks: polygons (lists of x, y vertex
// coordinates in pixels, pixel (i, j) covering [i, i+1) x [j, j+1)) are
// rasterised by sampling pixel centres with the even-odd rule, so that the
// mask area matches the polygon area without the boundary bias of a filled
// outline; run-length encodings (COCO "RLE": column-major runs starting with
// background, as integer lists or COCO's compressed string) are decoded and
// encoded. Masks are CV_8UC1, 255 inside.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace resihmr::data {

// Union of the polygons. Throws resihmr::Error when a polygon has an odd
// number of coordinates, fewer than 3 vertices, non-finite values, or a
// coordinate more than the image's width (height) outside it, i.e. x outside
// [-width, 2 width] or y outside [-height, 2 height].
cv::Mat RasterisePolygons(const std::vector<std::vector<double>>& polygons, int width, int height);

// Throws resihmr::Error when the runs do not add up to width x height.
cv::Mat DecodeRleCounts(const std::vector<int64_t>& counts, int width, int height);
std::vector<int64_t> CompressedRleToCounts(const std::string& text);  // COCO's string form
std::vector<int64_t> EncodeRleCounts(const cv::Mat& mask);
std::string CountsToCompressedRle(const std::vector<int64_t>& counts);

}  // namespace resihmr::data
