// resihmr demo: the embedded model in a walking pose, intact and with one
// AJAHR region joint-zeroed, written to demo-output/ with a summary.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "apps/command.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "data/body_params_json.h"
#include "geometry/mesh_checks.h"
#include "geometry/mesh_io.h"
#include "geometry/view_sheet.h"
#include "model/ajahr_regions.h"
#include "model/embedded_body_model.h"
#include "model/error.h"
#include "model/pose_body.h"

DEFINE_string(region, "left_knee", "demo: the AJAHR region to zero (right_hand ... right_hip)");

namespace resihmr::apps {
namespace {

// Mid-stride: left leg forward, right leg back with the knee bent, arms
// lowered from the T-pose and swinging opposite to the legs.
model::BodyParams WalkingPose(const model::BodyModel& m) {
  model::BodyParams p = model::BodyParams::Zero(m);
  const auto set = [&](const char* joint, double x, double y, double z) {
    p.pose.row(m.JointIndex(joint)) << x, y, z;
  };
  set("left_hip", -0.45, 0.0, 0.05);
  set("left_knee", 0.25, 0.0, 0.0);
  set("right_hip", 0.3, 0.0, -0.05);
  set("right_knee", 0.6, 0.0, 0.0);
  set("right_ankle", -0.2, 0.0, 0.0);
  set("left_shoulder", 0.3, 0.0, -1.2);
  set("right_shoulder", -0.35, 0.0, 1.2);
  set("left_elbow", 0.0, -0.4, 0.0);
  set("right_elbow", 0.0, 0.5, 0.0);
  set("spine1", 0.05, 0.05, 0.0);
  set("neck", 0.1, 0.0, 0.0);
  p.transl << 0.0, 0.0, 0.0;
  return p;
}

int Run() {
  const std::string out = FLAGS_out.empty() ? "demo-output" : FLAGS_out;
  const int region = model::AjahrRegionFromName(FLAGS_region);
  if (region < 0 || region == model::kAjahrNone) {
    throw Error("demo: --region '" + FLAGS_region + "' is not an AJAHR region (right_hand, right_elbow, "
                "right_shoulder, left_hand, left_elbow, left_shoulder, left_foot, left_knee, left_hip, right_foot, "
                "right_knee, right_hip)");
  }
  std::filesystem::create_directories(out);
  std::cout << "making the embedded body model ...\n";
  const model::BodyModel m = model::MakeEmbeddedBodyModel(0);
  const geometry::MeshTopology topology = geometry::CheckTopology(m.num_vertices(), m.faces);

  const model::BodyParams intact = WalkingPose(m);
  model::BodyParams amputated = intact;
  amputated.zeroed_joints = model::AjahrZeroedJoints(m, region);
  const model::PosedBody posed_intact = model::PoseBody(m, intact, true);
  const model::PosedBody posed_amputated = model::PoseBody(m, amputated, true);

  // Vertices that collapsed onto the first zeroed joint.
  const int collapse_joint = amputated.zeroed_joints.front();
  int collapsed = 0;
  for (int v = 0; v < m.num_vertices(); ++v) {
    if ((posed_amputated.vertices.row(v) - posed_amputated.joints.row(collapse_joint)).norm() < 1e-9) ++collapsed;
  }
  const std::string intact_mesh = out + "/walking_intact.ply";
  const std::string amputated_mesh = out + "/walking_ajahr_" + FLAGS_region + ".ply";
  geometry::WriteMesh(intact_mesh, posed_intact.vertices, m.faces);
  geometry::WriteMesh(amputated_mesh, posed_amputated.vertices, m.faces);
  // Highlight the vertices AJAHR collapses (red) so the picture shows what the baseline does.
  geometry::RowMatrixX3d colors = geometry::RowMatrixX3d::Constant(m.num_vertices(), 3, 0.75);
  for (int v = 0; v < m.num_vertices(); ++v) {
    if ((posed_amputated.vertices.row(v) - posed_amputated.joints.row(collapse_joint)).norm() < 1e-9) {
      colors.row(v) << 0.85, 0.2, 0.2;
    }
  }
  const std::string views = out + "/views.png";
  const cv::Mat sheet = geometry::RenderViewSheet({{m.v_template, m.faces, colors, 0.0, "rest pose (collapsed part red)"},
                                                   {posed_intact.vertices, m.faces, {}, 0.0, "walking, front"},
                                                   {posed_intact.vertices, m.faces, {}, M_PI / 2, "walking, left side"},
                                                   {posed_amputated.vertices, m.faces, colors, 0.0, "AJAHR " + FLAGS_region},
                                                   {posed_amputated.vertices, m.faces, colors, M_PI / 2, "AJAHR, left side"},
                                                   {posed_amputated.vertices, m.faces, colors, M_PI, "AJAHR, back"}});
  if (!cv::imwrite(views, sheet)) throw Error(views + ": cannot write image");
  WriteJsonFile(out + "/walking_intact_params.json", data::BodyParamsToJson(intact));
  WriteJsonFile(out + "/walking_ajahr_params.json", data::BodyParamsToJson(amputated));

  const double height = m.v_template.col(1).maxCoeff() - m.v_template.col(1).minCoeff();
  const double volume_l = geometry::SignedVolume(m.v_template, m.faces) * 1000.0;
  nlohmann::json summary = {
      {"model", {{"vertices", m.num_vertices()}, {"faces", m.faces.rows()}, {"joints", m.num_joints()},
                 {"shape_directions", m.num_betas}, {"height_m", height}, {"volume_l", volume_l},
                 {"closed_manifold", topology.closed_manifold()}, {"components", topology.components},
                 {"euler_characteristic", topology.euler_characteristic}}},
      {"intact", {{"mesh", intact_mesh}, {"params", out + "/walking_intact_params.json"}}},
      {"ajahr", {{"region", FLAGS_region}, {"region_index", region}, {"zeroed_joints", amputated.zeroed_joints},
                 {"collapse_joint", m.joint_names[static_cast<size_t>(collapse_joint)]},
                 {"vertices_collapsed_onto_joint", collapsed}, {"mesh", amputated_mesh},
                 {"params", out + "/walking_ajahr_params.json"}}},
      {"pictures", views}};
  WriteJsonFile(out + "/summary.json", summary);

  std::cout << std::fixed << std::setprecision(3) << "embedded model: " << m.num_vertices() << " vertices, "
            << m.faces.rows() << " faces, height " << height << " m, volume " << std::setprecision(1) << volume_l
            << " L, closed 2-manifold: " << (topology.closed_manifold() ? "yes" : "NO") << "\n"
            << "walking pose, intact:            " << intact_mesh << "\n"
            << "walking pose, AJAHR " << FLAGS_region << " zeroed: " << amputated_mesh << " (" << collapsed
            << " vertices collapsed onto " << m.joint_names[static_cast<size_t>(collapse_joint)] << ")\n"
            << "pictures:                        " << views << "\n"
            << "summary:                         " << out << "/summary.json\n";
  return topology.closed_manifold() ? 0 : 1;
}

}  // namespace

Command DemoCommand() {
  return {"demo", "pose the embedded model intact and AJAHR-amputated; write meshes and a summary",
          "usage: resihmr demo [--out demo-output] [--region left_knee]\n"
          "\n"
          "Makes the embedded body model, poses it mid-stride once intact and once\n"
          "with one AJAHR amputation region joint-zeroed (its joints' rotation\n"
          "matrices set to zero, so the limb collapses onto the joint), and writes\n"
          "both meshes (PLY), their parameter files and summary.json.\n"
          "\n"
          "  --out     output folder (default demo-output)\n"
          "  --region  AJAHR region to zero (default left_knee)\n",
          {"out", "region"}, &Run};
}

}  // namespace resihmr::apps
