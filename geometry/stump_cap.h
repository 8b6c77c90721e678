// Closing a planar cut loop with a smooth convex cap (METHOD.md section 5):
// rings scaled towards the loop's area centroid c with an elliptical
// (quarter-ellipse) profile, ring i at angle t_i = (pi/2) i / rings:
//   p_ij = c + cos(t_i) (l_j - c) + h sin(t_i) n,   h = height_ratio x r_loop,
// r_loop the loop's mean distance from c; ring to ring by quads split into
// two triangles, a fan at the apex c + h n. Defaults: 8 rings, h = 0.6 r_loop
// (a residual limb's end is blunter than a hemisphere; METHOD leaves the
// choice open). Faces follow the loop's direction so the closed surface
// keeps the mesh's orientation. The loop must be strictly star-shaped about
// c in the plane (its angle about c turns one way, once round); where it is
// not about its area centroid (a section next to a crotch or an armpit bends
// inwards), c is the centroid of the loop's kernel instead, and where the
// kernel is empty CapLoop throws. That makes the cap free of self-crossings: projected on
// the plane, the faces between rings i and i + 1 over loop edge j fill a
// trapezoid between the rays through l_j and l_j+1, the sectors of distinct
// j are disjoint, and ring i lies in the plane at height h sin(t_i), so the
// bands of distinct i meet only along their shared ring.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace resihmr::geometry {

using RowMatrixX3d = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;
using RowMatrixX3i = Eigen::Matrix<int, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct CapOptions {
  int rings = 8;
  double height_ratio = 0.6;
};

struct CapResult {
  int apex = -1;              // index of the apex vertex
  int first_vertex = 0;       // the cap's new vertices are [first_vertex, apex]
  int first_face = 0;         // the cap's faces are [first_face, end)
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  double loop_radius = 0;
};

// loop: boundary vertex indices in the order the mesh traverses them;
// outward: the direction the cap bulges (the cut plane's normal).
CapResult CapLoop(RowMatrixX3d* vertices, RowMatrixX3i* faces, const std::vector<int>& loop,
                  const Eigen::Vector3d& outward, const CapOptions& options = CapOptions());

}  // namespace resihmr::geometry
