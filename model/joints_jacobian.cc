#include "model/joints_jacobian.h"

#include <Eigen/Core>
#include <cmath>
#include <vector>

#include "model/forward_pass.h"

namespace resihmr::model {
namespace {

using Eigen::Matrix3d;
using Eigen::Vector3d;
using RowMatrix3d = Eigen::Matrix<double, 3, 3, Eigen::RowMajor>;

Matrix3d Skew(const Vector3d& v) {
  Matrix3d s;
  s << 0, -v.z(), v.y(), v.z(), 0, -v.x(), -v.y(), v.x(), 0;
  return s;
}

// Left Jacobian of SO(3) at axis-angle t.
Matrix3d LeftJacobian(const Vector3d& t) {
  const double a2 = t.squaredNorm();
  const Matrix3d K = Skew(t);
  if (a2 < 1e-10) return Matrix3d::Identity() + 0.5 * K + K * K / 6.0;
  const double a = std::sqrt(a2);
  return Matrix3d::Identity() + (1.0 - std::cos(a)) / a2 * K + (a - std::sin(a)) / (a2 * a) * K * K;
}

}  // namespace

void PoseJointsWithJacobian(const BodyModel& m, const double* shape, const double* pose, const double* transl,
                            const uint8_t* zeroed, JointsWithJacobian* out, const std::vector<int>* extra_vertices) {
  const int J = m.num_joints();
  const int K0 = static_cast<int>(m.vertex_keypoints.size());
  const int K = K0 + (extra_vertices ? static_cast<int>(extra_vertices->size()) : 0);
  const int S = m.num_shape();
  const int P = m.num_pose_features();
  Skeleton<double> s;
  ComputeSkeleton(m, shape, pose, zeroed, &s);
  const auto Rw = [&](int j) { return Eigen::Map<const RowMatrix3d>(&s.world_R[9 * j]); };
  const auto tw = [&](int j) { return Eigen::Map<const Vector3d>(&s.world_t[3 * j]); };
  const Eigen::Map<const Vector3d> t(transl);

  out->points.resize(J + K, 3);
  out->d_pose.setZero(3 * (J + K), 3 * J);
  out->d_shape.resize(3 * (J + K), S);

  // World-frame axis matrix of each joint's rotation: W_k = Rw_p(k) Jl(theta_k).
  std::vector<Matrix3d> W(static_cast<size_t>(J));
  for (int k = 0; k < J; ++k) {
    if (zeroed && zeroed[k]) {
      W[static_cast<size_t>(k)].setZero();
      continue;
    }
    const Matrix3d jl = LeftJacobian(Vector3d(pose[3 * k], pose[3 * k + 1], pose[3 * k + 2]));
    const int p = m.parents[static_cast<size_t>(k)];
    W[static_cast<size_t>(k)] = p < 0 ? jl : Matrix3d(Rw(p) * jl);
  }
  // Adds to row block `row` the pose derivative of a point u carried by joint j.
  const auto add_pose = [&](int row, int j, const Vector3d& u, double weight) {
    for (int k = j; k >= 0; k = m.parents[static_cast<size_t>(k)]) {
      out->d_pose.block<3, 3>(3 * row, 3 * k) -= weight * Skew(u - tw(k)) * W[static_cast<size_t>(k)];
    }
  };

  // Joints: positions, pose derivatives (ancestors only), shape derivatives by the chain.
  std::vector<Eigen::Matrix<double, 3, Eigen::Dynamic>> d_tw(static_cast<size_t>(J));
  const auto SJ = [&](int j) { return m.joint_shapedirs.middleRows(3 * j, 3); };
  for (int i = 0; i < J; ++i) {
    out->points.row(i) = (tw(i) + t).transpose();
    const int p = m.parents[static_cast<size_t>(i)];
    if (p < 0) {
      d_tw[static_cast<size_t>(i)] = SJ(i);
    } else {
      d_tw[static_cast<size_t>(i)] = d_tw[static_cast<size_t>(p)] + Rw(p) * (SJ(i) - SJ(p));
      add_pose(i, p, tw(i), 1.0);
    }
    out->d_shape.middleRows(3 * i, 3) = d_tw[static_cast<size_t>(i)];
  }

  // Vertex keypoints.
  std::vector<double> feature;
  std::vector<Eigen::Matrix<double, 9, 3>> d_vec_R;  // d vec(R_k) / d theta_k
  if (!m.posedirs_zero && K > 0) {
    feature.resize(static_cast<size_t>(P));
    PoseFeature(s, J, feature.data());
    d_vec_R.resize(static_cast<size_t>(J));
    for (int k = 1; k < J; ++k) {
      d_vec_R[static_cast<size_t>(k)].setZero();
      if (zeroed && zeroed[k]) continue;
      const Matrix3d jl = LeftJacobian(Vector3d(pose[3 * k], pose[3 * k + 1], pose[3 * k + 2]));
      const Eigen::Map<const RowMatrix3d> R(&s.local_R[9 * k]);
      for (int c = 0; c < 3; ++c) {
        const RowMatrix3d dR = Skew(jl.col(c)) * R;
        for (int e = 0; e < 9; ++e) d_vec_R[static_cast<size_t>(k)](e, c) = dR(e / 3, e % 3);
      }
    }
  }
  for (int q = 0; q < K; ++q) {
    const int v = q < K0 ? m.vertex_keypoints[static_cast<size_t>(q)].vertex : (*extra_vertices)[static_cast<size_t>(q - K0)];
    const int row = J + q;
    Vector3d posed = m.v_template.row(v).transpose();
    const auto shape_rows = m.shapedirs.middleRows(3 * v, 3);
    posed += shape_rows * Eigen::Map<const Eigen::VectorXd>(shape, S);
    if (!feature.empty()) posed += m.posedirs.middleRows(3 * v, 3) * Eigen::Map<const Eigen::VectorXd>(feature.data(), P);
    Vector3d point = t;
    out->d_shape.middleRows(3 * row, 3).setZero();
    Matrix3d blended_R = Matrix3d::Zero();
    for (int e = m.skin_offsets[static_cast<size_t>(v)]; e < m.skin_offsets[static_cast<size_t>(v) + 1]; ++e) {
      const int j = m.skin_joints[static_cast<size_t>(e)];
      const double w = m.skin_weights[static_cast<size_t>(e)];
      const Vector3d u = Rw(j) * (posed - Vector3d(s.rest[3 * j], s.rest[3 * j + 1], s.rest[3 * j + 2])) + tw(j);
      point += w * u;
      blended_R += w * Rw(j);
      add_pose(row, j, u, w);
      out->d_shape.middleRows(3 * row, 3) += w * (Rw(j) * (shape_rows - SJ(j)) + d_tw[static_cast<size_t>(j)]);
    }
    if (!feature.empty()) {
      const auto pd = m.posedirs.middleRows(3 * v, 3);
      for (int k = 1; k < J; ++k) {
        const Eigen::Matrix<double, 3, 9> pd_k = pd.middleCols<9>(9 * (k - 1));  // fixed size: no GEMM per joint
        out->d_pose.block<3, 3>(3 * row, 3 * k) += blended_R * (pd_k * d_vec_R[static_cast<size_t>(k)]);
      }
    }
    out->points.row(row) = point.transpose();
  }
}

}  // namespace resihmr::model
