// One PNG-ready picture of several views of meshes side by side (front,
// side, back, rest pose, ...), each panel framed on its own mesh, shaded,
// with optional per-vertex colours and a caption.
#pragma once

#include <string>
#include <vector>

#include "geometry/mesh_render.h"

namespace resihmr::geometry {

struct ViewPanel {
  RowMatrixX3d vertices;  // V x 3, model frame (Y up, facing +Z)
  RowMatrixX3i faces;     // F x 3
  RowMatrixX3d colors;    // V x 3 RGB in [0, 1], or empty
  double yaw = 0;         // radians about the vertical axis; 0 = front, pi/2 = the body's left side
  std::string caption;
};

// Panels of panel_width x panel_height pixels in one row (CV_8UC3, BGR).
cv::Mat RenderViewSheet(const std::vector<ViewPanel>& panels, int panel_width = 400, int panel_height = 600);

}  // namespace resihmr::geometry
