#include "model/body_params.h"

#include <cmath>
#include <sstream>

#include "model/error.h"

namespace resihmr::model {

BodyParams BodyParams::Zero(const BodyModel& model) {
  BodyParams p;
  p.betas = Eigen::VectorXd::Zero(model.num_betas);
  p.pose = RowMatrixX3d::Zero(model.num_joints(), 3);
  p.expression = Eigen::VectorXd::Zero(model.num_expression);
  return p;
}

int FirstHandJoint(const BodyModel& model, bool left) {
  int first = -1;
  if (model.kind == ModelKind::kSmplh) first = 22;
  if (model.kind == ModelKind::kSmplx) first = 25;
  if (first < 0) return -1;
  return left ? first : first + 15;
}

namespace {

// Finite, and |x| <= limit, else an Error naming the key and the entry.
void CheckRange(const Eigen::Ref<const Eigen::VectorXd>& values, double limit, const std::string& what,
                const std::string& key, const std::string& unit) {
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double x = values[i];
    if (!std::isfinite(x)) throw Error(what + ": " + key + ": non-finite value at entry " + std::to_string(i));
    if (std::abs(x) > limit) {
      std::ostringstream s;
      s << what << ": " << key << ": entry " << i << " is " << x << unit << ", outside the accepted range [-" << limit
        << ", " << limit << "]";
      throw Error(s.str());
    }
  }
}

}  // namespace

void ValidateParams(const BodyParams& p, const BodyModel& model, const std::string& what) {
  if (p.betas.size() > model.num_betas) {
    throw Error(what + ": betas: " + std::to_string(p.betas.size()) + " values, the model has " +
                std::to_string(model.num_betas));
  }
  if (p.expression.size() > model.num_expression) {
    throw Error(what + ": expression: " + std::to_string(p.expression.size()) + " values, the model has " +
                std::to_string(model.num_expression));
  }
  if (p.pose.rows() != 0 && p.pose.rows() != model.num_joints()) {
    throw Error(what + ": pose: " + std::to_string(p.pose.rows()) + " joints, expected " +
                std::to_string(model.num_joints()) + " (one axis-angle triple per joint, root first)");
  }
  CheckRange(p.betas, kMaxAbsBeta, what, "betas", "");
  CheckRange(p.expression, kMaxAbsBeta, what, "expression", "");
  CheckRange(Eigen::Map<const Eigen::VectorXd>(p.pose.data(), p.pose.size()), kMaxAbsAxisAngle, what, "pose",
             " rad (axis-angle)");
  CheckRange(p.transl, kMaxAbsTranslation, what, "transl", " m");
  const std::pair<const Eigen::VectorXd*, bool> hands[] = {{&p.left_hand_pose, true}, {&p.right_hand_pose, false}};
  for (const auto& [coeffs, left] : hands) {
    if (coeffs->size() == 0) continue;
    const std::string key = left ? "left_hand_pose" : "right_hand_pose";
    const RowMatrixXd& comps = left ? model.hands_components_left : model.hands_components_right;
    if (comps.size() == 0) {
      throw Error(what + ": " + key + ": the model has no hand PCA components (give hand joint rotations in 'pose')");
    }
    if (coeffs->size() > comps.rows()) {
      throw Error(what + ": " + key + ": " + std::to_string(coeffs->size()) + " coefficients, the model has " +
                  std::to_string(comps.rows()) + " components");
    }
    CheckRange(*coeffs, kMaxAbsHandPca, what, key, "");
  }
  for (int j : p.zeroed_joints) {
    if (j < 0 || j >= model.num_joints()) {
      throw Error(what + ": zeroed_joints: joint " + std::to_string(j) + " is not in [0, " +
                  std::to_string(model.num_joints()) + ")");
    }
  }
}

Eigen::VectorXd ShapeVector(const BodyParams& p, const BodyModel& model) {
  Eigen::VectorXd shape = Eigen::VectorXd::Zero(model.num_shape());
  shape.head(p.betas.size()) = p.betas;
  shape.segment(model.num_betas, p.expression.size()) = p.expression;
  return shape;
}

RowMatrixX3d FullPose(const BodyParams& p, const BodyModel& model) {
  RowMatrixX3d pose = p.pose.rows() == 0 ? RowMatrixX3d::Zero(model.num_joints(), 3) : p.pose;
  const std::pair<const Eigen::VectorXd*, bool> hands[] = {{&p.left_hand_pose, true}, {&p.right_hand_pose, false}};
  for (const auto& [coeffs, left] : hands) {
    if (coeffs->size() == 0) continue;
    const RowMatrixXd& comps = left ? model.hands_components_left : model.hands_components_right;
    const Eigen::VectorXd& mean = left ? model.hands_mean_left : model.hands_mean_right;
    Eigen::VectorXd hand = comps.topRows(coeffs->size()).transpose() * *coeffs;
    if (mean.size() == 45) hand += mean;
    const int first = FirstHandJoint(model, left);
    for (int k = 0; k < 15; ++k) pose.row(first + k) += hand.segment<3>(3 * k).transpose();
  }
  return pose;
}

std::vector<uint8_t> ZeroedMask(const BodyParams& p, const BodyModel& model) {
  std::vector<uint8_t> mask(static_cast<size_t>(model.num_joints()), 0);
  for (int j : p.zeroed_joints) mask.at(static_cast<size_t>(j)) = 1;
  return mask;
}

}  // namespace resihmr::model
