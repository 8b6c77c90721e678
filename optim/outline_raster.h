// Drawing a posed mesh's projection into a label image, for the silhouette
// stage (optim/silhouette_stage.h): the outline it pulls and the pixels it
// covers. Only faces that face the camera are drawn: on a closed mesh they
// cover exactly the pixels all faces cover, at half the work. Points are in
// the label image's pixel coordinates (pixel (r, c) spans [c, c+1) x [r, r+1),
// its centre at (c + 0.5, r + 0.5)), from a camera with x right, y down and
// z forward (OpenCV), so a face that faces the camera (outward normal
// towards it, counter-clockwise from outside as SMPL's faces) has a negative
// signed area in the image.
#pragma once

#include <Eigen/Core>
#include <opencv2/core.hpp>
#include <vector>

#include "model/body_model.h"

namespace resihmr::optim {

// Draws into `labels` (CV_8UC1, cleared first) each face whose three vertices
// have `front` set (in front of the camera) and whose `face_label` is not 0:
// a pixel whose centre lies in the face takes the face's label, the smallest
// where faces overlap. `points`: one per vertex. `all_faces` also draws faces
// turned away from the camera (for open meshes).
void RasteriseLabels(const std::vector<Eigen::Vector2d>& points, const std::vector<uint8_t>& front,
                     const model::RowMatrixX3i& faces, const std::vector<uint8_t>& face_label, cv::Mat1b* labels,
                     bool all_faces = false);

}  // namespace resihmr::optim
