// The body model's forward pass (linear blend skinning) in the published
// order (METHOD.md section 1), templated on the scalar so that the same code
// runs with double and ceres::Jet:
//   1. v_shaped = v_template + shapedirs . shape
//   2. J = J_regressor . v_shaped          (= joints_template + joint_shapedirs . shape)
//   3. R_j = Rodrigues(pose_j), or the zero matrix for a zeroed joint;
//      v_posed = v_shaped + posedirs . [vec(R_j - I) for j = 1..J-1]
//   4. G_i = G_parent(i) [R_i | J_i - J_parent(i)], G_0 = [R_0 | J_0];
//      posed joint i = t(G_i); A_i = [R(G_i) | t(G_i) - R(G_i) J_i]
//   5. v = sum_i W[v,i] A_i [v_posed; 1] + transl
// Global rotation therefore pivots about the root joint. Two entry points:
// PoseJoints (skeleton joints and the few vertex-picked keypoints; no full
// mesh, for the optimiser's inner loop) and PoseMesh (every vertex).
// Array arguments are flat, row-major: shape (num_shape), pose (J x 3),
// transl (3), zeroed (J flags or nullptr), outputs in the model's units.
#pragma once

#include <type_traits>
#include <vector>

#include "model/body_model.h"
#include "model/rotation.h"

namespace resihmr::model {

// World transforms of every joint for one set of parameters.
template <typename T>
struct Skeleton {
  std::vector<T> rest;     // J x 3 rest joints of the shaped body
  std::vector<T> local_R;  // J x 9 joint rotations (row-major), zero when zeroed
  std::vector<T> world_R;  // J x 9 rotation part of G_i
  std::vector<T> world_t;  // J x 3 translation part of G_i: the posed joint (without transl)
};

// Steps 2-4 for the joints (rest joints from the precomputed joint shape basis).
template <typename T>
void ComputeSkeleton(const BodyModel& m, const T* shape, const T* pose, const uint8_t* zeroed, Skeleton<T>* s) {
  const int J = m.num_joints();
  const int S = m.num_shape();
  s->rest.resize(3 * J);
  s->local_R.resize(9 * J);
  s->world_R.resize(9 * J);
  s->world_t.resize(3 * J);
  for (int r = 0; r < 3 * J; ++r) {
    T value = T(m.joints_template(r / 3, r % 3));
    const double* basis = m.joint_shapedirs.data() + static_cast<Eigen::Index>(r) * S;
    for (int k = 0; k < S; ++k) value += basis[k] * shape[k];
    s->rest[r] = value;
  }
  for (int j = 0; j < J; ++j) {
    T* R = &s->local_R[9 * j];
    if (zeroed && zeroed[j]) {
      for (int k = 0; k < 9; ++k) R[k] = T(0.0);
    } else {
      AxisAngleToRotation(pose + 3 * j, R);
    }
    T* Rw = &s->world_R[9 * j];
    T* tw = &s->world_t[3 * j];
    const int p = m.parents[j];
    if (p < 0) {
      for (int k = 0; k < 9; ++k) Rw[k] = R[k];
      for (int c = 0; c < 3; ++c) tw[c] = s->rest[3 * j + c];
      continue;
    }
    const T* Rp = &s->world_R[9 * p];
    const T* tp = &s->world_t[3 * p];
    T bone[3];
    for (int c = 0; c < 3; ++c) bone[c] = s->rest[3 * j + c] - s->rest[3 * p + c];
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) {
        Rw[3 * r + c] = Rp[3 * r] * R[c] + Rp[3 * r + 1] * R[3 + c] + Rp[3 * r + 2] * R[6 + c];
      }
      tw[r] = tp[r] + Rp[3 * r] * bone[0] + Rp[3 * r + 1] * bone[1] + Rp[3 * r + 2] * bone[2];
    }
  }
}

// Pose feature of step 3: vec(R_j - I) for joints 1..J-1, 9(J-1) values.
template <typename T>
void PoseFeature(const Skeleton<T>& s, int num_joints, T* feature) {
  for (int j = 1; j < num_joints; ++j) {
    for (int k = 0; k < 9; ++k) {
      feature[9 * (j - 1) + k] = s.local_R[9 * j + k] - T((k % 4 == 0) ? 1.0 : 0.0);
    }
  }
}

// Steps 1, 3 and 5 for one vertex given the skeleton: writes its posed position.
template <typename T>
void PoseVertex(const BodyModel& m, int v, const T* shape, const T* feature, const Skeleton<T>& s, const T* transl,
                T* out) {
  const int S = m.num_shape();
  const int P = m.num_pose_features();
  T posed[3];
  for (int c = 0; c < 3; ++c) {
    T value = T(m.v_template(v, c));
    const double* sd = m.shapedirs.data() + static_cast<Eigen::Index>(3 * v + c) * S;
    for (int k = 0; k < S; ++k) value += sd[k] * shape[k];
    if (feature) {
      const double* pd = m.posedirs.data() + static_cast<Eigen::Index>(3 * v + c) * P;
      for (int k = 0; k < P; ++k) value += pd[k] * feature[k];
    }
    posed[c] = value;
  }
  for (int c = 0; c < 3; ++c) out[c] = transl[c];
  for (int e = m.skin_offsets[v]; e < m.skin_offsets[v + 1]; ++e) {
    const int j = m.skin_joints[e];
    const double w = m.skin_weights[e];
    const T* Rw = &s.world_R[9 * j];
    const T* tw = &s.world_t[3 * j];
    const T* rest = &s.rest[3 * j];
    const T d0 = posed[0] - rest[0], d1 = posed[1] - rest[1], d2 = posed[2] - rest[2];
    for (int r = 0; r < 3; ++r) out[r] += w * (Rw[3 * r] * d0 + Rw[3 * r + 1] * d1 + Rw[3 * r + 2] * d2 + tw[r]);
  }
}

// Joints-only forward pass: posed skeleton joints (J x 3) and, when
// `keypoints` is not null, the model's vertex-picked keypoints (K x 3, in
// model.vertex_keypoints order). Cost: O(J + K*(S + P)), independent of V.
template <typename T>
void PoseJoints(const BodyModel& m, const T* shape, const T* pose, const T* transl, const uint8_t* zeroed,
                T* joints, T* keypoints) {
  Skeleton<T> s;
  ComputeSkeleton(m, shape, pose, zeroed, &s);
  const int J = m.num_joints();
  for (int j = 0; j < J; ++j) {
    for (int c = 0; c < 3; ++c) joints[3 * j + c] = s.world_t[3 * j + c] + transl[c];
  }
  if (!keypoints || m.vertex_keypoints.empty()) return;
  std::vector<T> feature;
  if (!m.posedirs_zero) {
    feature.resize(m.num_pose_features());
    PoseFeature(s, J, feature.data());
  }
  for (size_t k = 0; k < m.vertex_keypoints.size(); ++k) {
    PoseVertex(m, m.vertex_keypoints[k].vertex, shape, feature.empty() ? nullptr : feature.data(), s, transl,
               keypoints + 3 * k);
  }
}

// Full-mesh forward pass: every vertex (V x 3) and, when `joints` is not
// null, the posed joints (J x 3).
template <typename T>
void PoseMesh(const BodyModel& m, const T* shape, const T* pose, const T* transl, const uint8_t* zeroed, T* vertices,
              T* joints) {
  Skeleton<T> s;
  ComputeSkeleton(m, shape, pose, zeroed, &s);
  const int J = m.num_joints();
  const int V = m.num_vertices();
  if (joints) {
    for (int j = 0; j < J; ++j) {
      for (int c = 0; c < 3; ++c) joints[3 * j + c] = s.world_t[3 * j + c] + transl[c];
    }
  }
  std::vector<T> feature;
  if (!m.posedirs_zero) {
    feature.resize(m.num_pose_features());
    PoseFeature(s, J, feature.data());
  }
  if constexpr (std::is_same_v<T, double>) {
    // Steps 1 and 3 as two matrix-vector products, then skinning with A_i.
    Eigen::VectorXd posed = Eigen::Map<const Eigen::VectorXd>(m.v_template.data(), 3 * V);
    if (m.num_shape() > 0) posed.noalias() += m.shapedirs * Eigen::Map<const Eigen::VectorXd>(shape, m.num_shape());
    if (!feature.empty()) {
      posed.noalias() += m.posedirs * Eigen::Map<const Eigen::VectorXd>(feature.data(), m.num_pose_features());
    }
    std::vector<double> A(12 * J);  // per joint [R | t - R J], row-major 3x4
    for (int j = 0; j < J; ++j) {
      const double* Rw = &s.world_R[9 * j];
      const double* tw = &s.world_t[3 * j];
      const double* rest = &s.rest[3 * j];
      for (int r = 0; r < 3; ++r) {
        A[12 * j + 4 * r] = Rw[3 * r];
        A[12 * j + 4 * r + 1] = Rw[3 * r + 1];
        A[12 * j + 4 * r + 2] = Rw[3 * r + 2];
        A[12 * j + 4 * r + 3] = tw[r] - (Rw[3 * r] * rest[0] + Rw[3 * r + 1] * rest[1] + Rw[3 * r + 2] * rest[2]);
      }
    }
    for (int v = 0; v < V; ++v) {
      double M[12] = {0};
      for (int e = m.skin_offsets[v]; e < m.skin_offsets[v + 1]; ++e) {
        const double w = m.skin_weights[e];
        const double* Aj = &A[12 * m.skin_joints[e]];
        for (int k = 0; k < 12; ++k) M[k] += w * Aj[k];
      }
      const double* p = posed.data() + 3 * v;
      for (int r = 0; r < 3; ++r) {
        vertices[3 * v + r] = M[4 * r] * p[0] + M[4 * r + 1] * p[1] + M[4 * r + 2] * p[2] + M[4 * r + 3] + transl[r];
      }
    }
  } else {
    for (int v = 0; v < V; ++v) {
      PoseVertex(m, v, shape, feature.empty() ? nullptr : feature.data(), s, transl, vertices + 3 * v);
    }
  }
}

}  // namespace resihmr::model
