// The priors of the intact fit, each a small Ceres cost with its equation.
// Weights are the stage's (optim/fit_config.h) and live in a StageWeights
// that the costs read at every evaluation, so one Problem serves all stages.
// Ceres minimises 1/2 sum r^2; each prior's cost is stated in that form.
#pragma once

#include <ceres/cost_function.h>
#include <ceres/problem.h>

#include <Eigen/Core>
#include <string>
#include <vector>

#include "model/body_model.h"
#include "model/rotation.h"
#include "optim/fit_config.h"

namespace resihmr::optim {

// Anatomical pose prior on the body pose block (3(J-1) values), one residual
// per axis of every joint with a range (optim/joint_limits.h) not held fixed:
//   r_ja = lambda_p [ (theta_ja - mean_ja) / sigma_ja
//                     + kappa (max(0, theta_ja - hi_ja) - max(0, lo_ja - theta_ja)) ],
//   sigma = (hi - lo) / 2,  kappa = 10 / rad.
// A soft pull towards a relaxed standing pose that spans the range of motion
// at one sigma, turning ten times stiffer beyond either limit (both parts
// have the same sign there, so the residual is continuous and monotonic).
class JointLimitPrior : public ceres::CostFunction {
 public:
  JointLimitPrior(const model::BodyModel& model, const std::vector<uint8_t>& fixed_joints, const StageWeights* weights);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;
  // The prior's centre as a body pose (3(J-1)); zeros for joints without a range.
  static std::vector<double> MeanBodyPose(const model::BodyModel& model);

 private:
  struct Entry {
    int index;  // into the body pose block
    double mean, sigma, lo, hi;
  };
  std::vector<Entry> entries_;
  const StageWeights* weights_;
};

// Upright prior on the root orientation (axis-angle w, 3 values): with
// u(w) = R(w) e_y the pelvis's up axis in the camera frame and v = (0, -1, 0)
// the camera's vertical (image up),
//   r = s (u(w) - v) / sigma,  s = data weight x weight (pixels per sigma),
// |u - v| = 2 sin(theta / 2) for the angle theta between them: a pull of
// `weight` pixels of keypoint error per sigma of lean, for photos taken
// roughly level of people whose pelvis is roughly upright.
struct UprightPrior {
  double scale, sigma_rad;
  template <typename T>
  bool operator()(const T* w, T* r) const {
    T R[9];
    model::AxisAngleToRotation(w, R);
    r[0] = T(scale / sigma_rad) * R[1];
    r[1] = T(scale / sigma_rad) * (R[4] + T(1.0));
    r[2] = T(scale / sigma_rad) * R[7];
    return true;
  }
};

// Shape prior on the betas: r = lambda_s beta.
class ShapePrior : public ceres::CostFunction {
 public:
  ShapePrior(int num_betas, const StageWeights* weights);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;

 private:
  const StageWeights* weights_;
};

// SMPLify's bending prior on elbows and knees, so that they do not bend
// backwards: r = lambda_b exp(s theta) for the left elbow's y (s = +1), the
// right elbow's y (s = -1) and both knees' x (s = -1), flexion having the
// opposite sign in each. Joints held fixed are left out.
class BendingPrior : public ceres::CostFunction {
 public:
  BendingPrior(const model::BodyModel& model, const std::vector<uint8_t>& fixed_joints, const StageWeights* weights);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<std::pair<int, double>> entries_;  // body-pose index, sign
  const StageWeights* weights_;
};

// A user-supplied Gaussian-mixture pose prior (npz: means (K, D), covars
// (K, D, D), weights (K)) on the first D body-pose values (D = 69 for SMPL's
// 23 body joints, 63 for SMPL-X's 21), as SMPLify's max-mixture: the
// component k of least c_k = 1/2 (t - m_k)' S_k^-1 (t - m_k) - log w_k
// + 1/2 log det S_k at the current pose gives the residual
//   r = lambda_p f L_k' (t - m_k),   S_k^-1 = L_k L_k',   f = gmm_weight_factor.
class GmmPosePrior : public ceres::CostFunction {
 public:
  GmmPosePrior(const std::string& path, const model::BodyModel& model, const StageWeights* weights, double factor);
  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override;
  int dimension() const { return static_cast<int>(means_.cols()); }

 private:
  Eigen::MatrixXd means_;                // K x D
  std::vector<Eigen::MatrixXd> chol_;    // L_k, D x D lower
  Eigen::VectorXd constants_;            // -log w_k + 1/2 log det S_k
  const StageWeights* weights_;
  double factor_;
  int block_size_;
};

// What a staged fit holds on its body blocks, apart from the cost terms:
// every beta within +-config.beta_bound when it is set (Ceres bounds), and
// the body-pose joints held constant, those flagged in `fixed_joints` (J
// flags or empty) and SMPL+H / SMPL-X's hands, jaw and eyes, which no
// keypoint or prior constrains. `held_at_zero`: the data term already skips
// the fixed joints (they sit at zero), so they need no SubsetManifold. Shared
// by the one-view and the several-view fits.
void HoldBodyBlocks(const model::BodyModel& model, const FitConfig& config, const std::vector<uint8_t>& fixed_joints,
                    bool held_at_zero, double* body_pose, double* betas, ceres::Problem* problem);

}  // namespace resihmr::optim
