// The parametric description behind the embedded body model: SMPL's 24-joint
// skeleton placed for an adult of about 1.70 m (metres, Y up, facing +Z,
// T-pose, person's left at +x), and the body's surface as a smooth union of
// tapered capsules with optionally squashed (elliptical) cross-sections,
// each belonging to one joint's bone. Its signed distance is what the
// surface mesher samples; its bones, blend widths and landmarks are what the
// embedded model derives skinning weights, joint regressor, shape space and
// vertex keypoints from (model/embedded_body_model.h).
#pragma once

#include <Eigen/Core>
#include <string>
#include <utility>
#include <vector>

namespace resihmr::model {

struct BodyPrimitive {
  int joint = 0;              // the bone (joint index) this part belongs to
  Eigen::Vector3d a, b;       // axis end points, metres
  double ra = 0, rb = 0;      // radii at a and b, metres
  Eigen::Vector3d squash = Eigen::Vector3d::Ones();  // per-axis scale of the cross-section (< 1 flattens)
  double blend = 0;           // smooth-union width with the parts before it, metres
};

struct ProceduralBody {
  std::vector<std::string> joint_names;    // SMPL's 24 names
  std::vector<int> parents;                // SMPL's parents
  std::vector<Eigen::Vector3d> joints;     // 24 rest joint centres
  std::vector<Eigen::Vector3d> bone_ends;  // end of each joint's bone (child joint or tip)
  std::vector<double> blend_half_width;    // skinning blend half-width about each joint, metres
  std::vector<BodyPrimitive> primitives;
  std::vector<std::pair<std::string, Eigen::Vector3d>> landmarks;  // vertex keypoint targets

  // Signed distance-like function: negative inside the body.
  double Sdf(const Eigen::Vector3d& p) const;
  // Index of the primitive whose surface is nearest to p.
  int DominantPrimitive(const Eigen::Vector3d& p) const;
  // Cross-section radius of the dominant primitive at p (its thinnest axis).
  double LocalRadius(const Eigen::Vector3d& p) const;
  // Signed distance to one primitive.
  double PrimitiveSdf(int index, const Eigen::Vector3d& p) const;
};

// The default adult body used by the embedded model.
ProceduralBody MakeDefaultProceduralBody();

}  // namespace resihmr::model
