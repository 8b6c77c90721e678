// The joints-only forward pass with its analytic Jacobian: posed skeleton
// joints and vertex-picked keypoints, and their derivatives with respect to
// the pose (axis-angle per joint), the shape vector and the translation.
// This is the optimiser's hot path: it costs a few microseconds where the
// same derivatives through ceres::Jet cost about a hundred. Derivation, with
// G_k = [Rw_k | tw_k] the world transform of joint k and p(k) its parent:
//   a point carried by joint j, u = Rw_j (x - J_j) + tw_j, moves under a
//   change d of joint k's axis-angle (k = j or an ancestor) by
//     du = (Rw_p(k) Jl(theta_k) d) x (u - tw_k),
//   Jl the left Jacobian of SO(3): Jl = I + (1 - cos a)/a^2 [t]x + (a - sin a)/a^3 [t]x^2;
//   a posed joint i is such a point of its parent (it does not depend on theta_i);
//   pose correctives add Rw_j posedirs_v dvec(R_k)/dtheta_k, dR_k = [Jl d]x R_k;
//   shape: d tw_i/d shape = d tw_p/d shape + Rw_p (SJ_i - SJ_p), d tw_0 = SJ_0,
//   and du/d shape = Rw_j (shapedirs_v - SJ_j) + d tw_j/d shape.
// Zeroed joints (AJAHR) have no pose derivative and carry their subtree.
// Checked against ceres::Jet in tests/model/joints_jacobian_test.cc.
#pragma once

#include <cstdint>
#include <vector>

#include "model/body_model.h"

namespace resihmr::model {

struct JointsWithJacobian {
  // Points: the J posed joints, then the K vertex keypoints, then the R extra
  // vertices asked for (silhouette rim vertices, optim/silhouette_cost.h);
  // (J + K + R) x 3, model units.
  RowMatrixXd points;
  // d points / d pose: 3(J + K + R) x 3J (row 3p + c, column 3k + m).
  RowMatrixXd d_pose;
  // d points / d shape: 3(J + K + R) x num_shape.
  RowMatrixXd d_shape;
  // d points / d transl is the identity for every point.
};

// shape: num_shape values; pose: J x 3 axis-angle; transl: 3; zeroed: J flags
// or nullptr; extra_vertices: vertex indices (0..V-1) posed after the vertex
// keypoints, or nullptr. Cost O(J + (K + R)(S + P)), never the whole mesh.
void PoseJointsWithJacobian(const BodyModel& model, const double* shape, const double* pose, const double* transl,
                            const uint8_t* zeroed, JointsWithJacobian* out,
                            const std::vector<int>* extra_vertices = nullptr);

}  // namespace resihmr::model
