#include "tests/support/synthetic_person.h"

#include <Eigen/Geometry>

#include "model/pose_body.h"
#include "optim/intact_fit.h"
#include "model/joint_limits.h"

namespace resihmr::testing {

SyntheticPerson MakeSyntheticPerson(const model::BodyModel& model, const model::PinholeCamera& camera,
                                    const data::KeypointLayout& layout, double noise_px, std::mt19937* rng,
                                    double pose_scale) {
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(-1, 1);
  SyntheticPerson s;
  s.params = model::BodyParams::Zero(model);
  for (int i = 0; i < model.num_betas; ++i) s.params.betas[i] = 0.7 * n(*rng);
  for (int j = 1; j < std::min(22, model.num_joints()); ++j) {
    model::JointRange r;
    if (!model::JointRangeFor(model.joint_names[static_cast<size_t>(j)], &r)) continue;
    for (int a = 0; a < 3; ++a) {
      const double half = 0.5 * (r.hi[a] - r.lo[a]);
      s.params.pose(j, a) = std::clamp(r.mean[a] + pose_scale * half * u(*rng), r.lo[a], r.hi[a]);
    }
  }
  // Facing the camera (R_x(pi)) turned by up to 35 degrees about the vertical.
  const Eigen::Matrix3d R = Eigen::AngleAxisd(M_PI, Eigen::Vector3d::UnitX()).toRotationMatrix() *
                            Eigen::AngleAxisd(0.6 * u(*rng), Eigen::Vector3d::UnitY()).toRotationMatrix();
  const Eigen::AngleAxisd aa(R);
  s.params.pose.row(0) = (aa.angle() * aa.axis()).transpose();
  s.params.transl << 0.3 * u(*rng), 0.2 * u(*rng), 4.0 + u(*rng);
  const model::PosedBody posed = model::PoseBody(model, s.params, false);
  s.joints = posed.joints;
  data::Observation& o = s.observation;
  o.layout = &layout;
  o.image = "synthetic.png";
  o.image_width = camera.width;
  o.image_height = camera.height;
  o.points.setZero(layout.size(), 2);
  o.confidence.setZero(layout.size());
  o.visibility.setZero(layout.size());
  const std::vector<int> targets = optim::ModelPointsOfLayout(model, layout);
  for (int k = 0; k < layout.size(); ++k) {
    const int p = targets[static_cast<size_t>(k)];
    if (p < 0) continue;
    const Eigen::Vector3d X = p < model.num_joints() ? Eigen::Vector3d(posed.joints.row(p))
                                                    : Eigen::Vector3d(posed.keypoints.row(p - model.num_joints()));
    double uv[2];
    camera.Project(X.data(), uv);
    o.points.row(k) << uv[0] + noise_px * n(*rng), uv[1] + noise_px * n(*rng);
    o.confidence[k] = 1;
    o.visibility[k] = 2;
  }
  return s;
}

}  // namespace resihmr::testing
