#include "model/pose_body.h"

#include "model/forward_pass.h"

namespace resihmr::model {

PosedBody PoseBody(const BodyModel& model, const BodyParams& params, bool with_mesh, const std::string& what) {
  ValidateParams(params, model, what);
  const Eigen::VectorXd shape = ShapeVector(params, model);
  const RowMatrixX3d pose = FullPose(params, model);
  const std::vector<uint8_t> zeroed = ZeroedMask(params, model);
  PosedBody out;
  out.joints.resize(model.num_joints(), 3);
  out.keypoints.resize(static_cast<Eigen::Index>(model.vertex_keypoints.size()), 3);
  PoseJoints(model, shape.data(), pose.data(), params.transl.data(), zeroed.data(), out.joints.data(),
             out.keypoints.data());
  if (with_mesh) {
    out.vertices.resize(model.num_vertices(), 3);
    PoseMesh(model, shape.data(), pose.data(), params.transl.data(), zeroed.data(), out.vertices.data(),
             static_cast<double*>(nullptr));
  }
  return out;
}

}  // namespace resihmr::model
