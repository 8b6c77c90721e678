#include "pipeline/fit_result_npz.h"

#include <map>

#include "model/body_params.h"
#include "model/limb_topology.h"
#include "model/npz.h"

namespace resihmr::pipeline {
namespace {

using model::NpyArray;

NpyArray Rows(const model::RowMatrixX3d& pose, int first, int count) {
  std::vector<double> v;
  for (int j = first; j < first + count; ++j) {
    for (int c = 0; c < 3; ++c) v.push_back(pose(j, c));
  }
  return NpyArray::FromDoubles({3 * static_cast<int64_t>(count)}, v);
}

NpyArray Vector(const Eigen::VectorXd& x) {
  return NpyArray::FromDoubles({x.size()}, std::vector<double>(x.data(), x.data() + x.size()));
}

}  // namespace

std::map<std::string, NpyArray> FitResultArrays(const model::BodyModel& model, const optim::FitResult& fit,
                                                const std::vector<optim::ResidualLimbResult>& residual_limbs) {
  std::map<std::string, NpyArray> a;
  const model::RowMatrixX3d pose = model::FullPose(fit.params, model);
  a["global_orient"] = Rows(pose, 0, 1);
  if (model.kind == model::ModelKind::kSmpl) {
    a["body_pose"] = Rows(pose, 1, model.num_joints() - 1);
  } else {
    a["body_pose"] = Rows(pose, 1, 21);
    const int left = model::FirstHandJoint(model, true), right = model::FirstHandJoint(model, false);
    a["left_hand_pose"] = Rows(pose, left, 15);
    a["right_hand_pose"] = Rows(pose, right, 15);
    if (model.kind == model::ModelKind::kSmplx) {
      a["jaw_pose"] = Rows(pose, 22, 1);
      a["leye_pose"] = Rows(pose, 23, 1);
      a["reye_pose"] = Rows(pose, 24, 1);
      a["expression"] = Vector(model::ShapeVector(fit.params, model).tail(model.num_expression));
    }
  }
  a["betas"] = Vector(model::ShapeVector(fit.params, model).head(model.num_betas));
  a["transl"] = Vector(fit.params.transl);
  std::vector<int64_t> zeroed(fit.params.zeroed_joints.begin(), fit.params.zeroed_joints.end());
  a["zeroed_joints"] = NpyArray::FromInt64s({static_cast<int64_t>(zeroed.size())}, zeroed);
  const model::PinholeCamera& c = fit.camera;
  a["camera_K"] = NpyArray::FromDoubles({3, 3}, {c.fx, 0, c.cx, 0, c.fy, c.cy, 0, 0, 1});
  a["camera_R"] = NpyArray::FromDoubles({3, 3}, {1, 0, 0, 0, 1, 0, 0, 0, 1});
  a["camera_t"] = NpyArray::FromDoubles({3}, {0, 0, 0});
  a["image_size"] = NpyArray::FromInt64s({2}, {c.width, c.height});
  const int64_t L = static_cast<int64_t>(residual_limbs.size());
  std::vector<std::string> limb, level;
  std::vector<double> lambda, lambda_sigma, length, length_sigma, fraction, jt, ja, end3, end2;
  std::vector<int64_t> accepted;
  for (const optim::ResidualLimbResult& r : residual_limbs) {
    limb.push_back(model::LimbName(r.limb.limb));
    level.push_back(model::LossLevelName(r.limb.level));
    lambda.push_back(r.lambda);
    lambda_sigma.push_back(r.lambda_sigma);
    length.push_back(r.length_mm);
    length_sigma.push_back(r.length_sigma_mm);
    fraction.push_back(r.length_fraction);
    for (int k = 0; k < 3; ++k) {
      jt.push_back(r.joint_t[k]);
      ja.push_back(r.joint_a[k]);
      end3.push_back(r.endpoint_3d[k]);
    }
    end2.insert(end2.end(), {r.endpoint_2d.x(), r.endpoint_2d.y()});
    accepted.push_back(r.accepted);
  }
  a["residual_limb"] = NpyArray::FromStrings(limb);
  a["residual_level"] = NpyArray::FromStrings(level);
  a["lambda"] = NpyArray::FromDoubles({L}, lambda);
  a["lambda_sigma"] = NpyArray::FromDoubles({L}, lambda_sigma);
  a["length_mm"] = NpyArray::FromDoubles({L}, length);
  a["length_sigma_mm"] = NpyArray::FromDoubles({L}, length_sigma);
  a["length_fraction"] = NpyArray::FromDoubles({L}, fraction);
  a["joint_t"] = NpyArray::FromDoubles({L, 3}, jt);
  a["joint_a"] = NpyArray::FromDoubles({L, 3}, ja);
  a["endpoint_3d"] = NpyArray::FromDoubles({L, 3}, end3);
  a["endpoint_2d"] = NpyArray::FromDoubles({L, 2}, end2);
  a["accepted"] = NpyArray::FromInt64s({L}, accepted);
  return a;
}

void WriteFitResultNpz(const std::string& path, const model::BodyModel& model, const optim::FitResult& fit,
                       const std::vector<optim::ResidualLimbResult>& residual_limbs) {
  model::WriteNpz(path, FitResultArrays(model, fit, residual_limbs));
}

}  // namespace resihmr::pipeline
