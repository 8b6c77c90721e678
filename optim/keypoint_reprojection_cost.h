// The data term of the fit: every fitted 2D keypoint of one person in one
// Ceres residual block, so that the body's forward kinematics (joints and
// vertex keypoints, never the full mesh) is computed once per evaluation,
// with the analytic Jacobian of model/joints_jacobian.h.
//
// Parameter blocks: global orientation (3, axis-angle), body pose (3(J-1),
// joints 1..J-1), betas (B), translation (3, metres). Per fitted keypoint k
// with model point P_k (a joint or a vertex keypoint, camera frame) and
// observed pixel x_k, for each image coordinate c:
//   e_kc = pi_c(P_k) - x_kc,        pi(P) = (fx P_x / P_z + cx, fy P_y / P_z + cy)
//   r_kc = s_k rho e_kc / sqrt(e_kc^2 + rho^2),      s_k = sqrt(2) lambda w_k c_k
// so that 1/2 sum r^2 = lambda^2 sum_k (w_k c_k)^2 sum_c GMoF(e_kc), with
// GMoF(e) = rho^2 e^2 / (e^2 + rho^2) (Geman-McClure, SMPLify-X's robustifier,
// applied per coordinate), w_k the layout weight, c_k the confidence and
// lambda the data weight. Written into the residual, the robust function
// keeps the problem a plain least-squares one with an exact Jacobian.
// With a camera pose (R, t: world to camera, a calibrated view of several),
// the body is posed in the world frame and P_k above is R X_k + t, so that
// one body can be fitted to several views, one such block per view.
// With a free camera (a view whose extrinsics are estimated with the body),
// the pose is a fifth parameter block of 6, (omega, t): R = exp([omega]_x)
// (axis-angle) and P_k = R X_k + t, its Jacobian d P / d omega from
// ceres::AngleAxisRotatePoint on dual numbers, d P / d t = I.
// A point nearer than kMinDepth (5 cm, or behind the camera) makes the
// evaluation fail, which Ceres treats as a rejected step, so the solver never
// moves the body through the camera; the fit starts with every point in front.
#pragma once

#include <ceres/cost_function.h>

#include <Eigen/Core>

#include <string>
#include <vector>

#include "data/observation.h"
#include "model/body_model.h"
#include "model/camera.h"
#include "model/joints_jacobian.h"

namespace resihmr::optim {

struct FittedKeypoint {
  int layout_index = 0;  // index in the observation's layout
  int point_index = 0;   // row of the model point: joint j -> j, vertex keypoint q -> J + q
  double x = 0, y = 0;   // observed pixel
  double weight = 1;     // w_k c_k
};

// The keypoints of `person` a fit uses: present, finite, with a model target
// (data::ModelPointsOfLayout), and not left out by `use` (layout-sized flags;
// empty: all). A keypoint the model has no target for (other than a residual
// endpoint, which RAFO reads) gets a warning in `warnings` (may be null).
std::vector<FittedKeypoint> FittedKeypointsOf(const model::BodyModel& model, const data::Observation& person,
                                              const std::vector<uint8_t>& use, std::vector<std::string>* warnings);

class KeypointReprojectionCost : public ceres::CostFunction {
 public:
  static constexpr double kMinDepth = 0.05;  // metres

  // `zeroed` (J flags or null) and `data_weight` (lambda) must outlive the cost.
  KeypointReprojectionCost(const model::BodyModel& model, const model::PinholeCamera& camera,
                           std::vector<FittedKeypoint> keypoints, double rho_px, double data_weight,
                           const uint8_t* zeroed = nullptr);
  // The same for a view whose camera sees the world through X_cam = R X + t (t in metres).
  KeypointReprojectionCost(const model::BodyModel& model, const model::PinholeCamera& camera, const Eigen::Matrix3d& R,
                           const Eigen::Vector3d& t, std::vector<FittedKeypoint> keypoints, double rho_px,
                           double data_weight, const uint8_t* zeroed = nullptr);

  // A view whose pose is the fifth parameter block, (omega (3, axis-angle), t (3, metres)).
  static KeypointReprojectionCost* WithFreeCamera(const model::BodyModel& model, const model::PinholeCamera& camera,
                                                  std::vector<FittedKeypoint> keypoints, double rho_px,
                                                  double data_weight, const uint8_t* zeroed = nullptr);

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;

  const std::vector<FittedKeypoint>& keypoints() const { return keypoints_; }

 private:
  const model::BodyModel& model_;
  model::PinholeCamera camera_;
  mutable Eigen::Matrix3d R_ = Eigen::Matrix3d::Identity();  // free camera: set per evaluation
  mutable Eigen::Vector3d t_ = Eigen::Vector3d::Zero();
  bool posed_ = false;        // R_, t_ apply
  bool free_camera_ = false;  // R_, t_ come from parameters[4]
  std::vector<FittedKeypoint> keypoints_;
  double rho_;
  double data_weight_;
  const uint8_t* zeroed_;
  mutable model::JointsWithJacobian scratch_;  // one problem per thread: not shared
  mutable std::vector<double> pose_, shape_;
};

}  // namespace resihmr::optim
