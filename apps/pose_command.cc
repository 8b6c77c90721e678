// resihmr pose: poses a body model with parameters from JSON and writes the mesh.
#include <filesystem>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "pipeline/json_file.h"
#include "pipeline/model_source.h"
#include "data/body_params_json.h"
#include "geometry/mesh_io.h"
#include "model/error.h"
#include "model/pose_body.h"

namespace resihmr::apps {
namespace {

nlohmann::json JointsJson(const model::BodyModel& m, const model::PosedBody& posed) {
  nlohmann::json joints = nlohmann::json::array();
  for (int j = 0; j < m.num_joints(); ++j) {
    joints.push_back({{"index", j},
                      {"name", m.joint_names[static_cast<size_t>(j)]},
                      {"position", {posed.joints(j, 0), posed.joints(j, 1), posed.joints(j, 2)}}});
  }
  nlohmann::json keypoints = nlohmann::json::array();
  for (size_t k = 0; k < m.vertex_keypoints.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    keypoints.push_back({{"name", m.vertex_keypoints[k].name},
                         {"vertex", m.vertex_keypoints[k].vertex},
                         {"position", {posed.keypoints(i, 0), posed.keypoints(i, 1), posed.keypoints(i, 2)}}});
  }
  return {{"model", m.source}, {"units", "model units (metres for SMPL, SMPL-X and the embedded model)"},
          {"joints", joints}, {"vertex_keypoints", keypoints}};
}

int Run() {
  if (FLAGS_params.empty()) throw Error("pose: --params is required (a parameter JSON file)");
  if (FLAGS_out.empty()) throw Error("pose: --out is required (mesh.obj or mesh.ply)");
  const std::string ext = std::filesystem::path(FLAGS_out).extension().string();
  if (ext != ".obj" && ext != ".ply") throw Error(FLAGS_out + ": --out must end in .obj or .ply");
  const model::BodyModel m = pipeline::LoadModelOrEmbedded(FLAGS_model);
  const model::BodyParams params = data::ReadBodyParamsJson(FLAGS_params, m);
  const model::PosedBody posed = model::PoseBody(m, params, true, FLAGS_params);
  geometry::MeshWriteOptions write;
  write.binary_ply = !FLAGS_ascii_ply;
  geometry::WriteMesh(FLAGS_out, posed.vertices, m.faces, {}, {}, write);
  if (!FLAGS_joints_out.empty()) {
    try {
      pipeline::WriteJsonFile(FLAGS_joints_out, JointsJson(m, posed));
    } catch (...) {
      std::filesystem::remove(FLAGS_out);  // all outputs or none
      throw;
    }
  }
  std::cout << "wrote " << FLAGS_out << " (" << m.num_vertices() << " vertices)";
  if (!FLAGS_joints_out.empty()) std::cout << " and " << FLAGS_joints_out;
  std::cout << "\n";
  return 0;
}

}  // namespace

Command PoseCommand() {
  return {"pose", "pose a body model with parameters from JSON and write the mesh",
          "usage: resihmr pose --params P.json --out mesh.obj|mesh.ply [--model M.npz] [--joints-out joints.json] [--ascii-ply]\n"
          "\n"
          "Runs the forward pass (shape, pose correctives, linear blend skinning) and\n"
          "writes the posed mesh with vertices in the model's own order and units.\n"
          "\n"
          "  --params      parameter JSON: {\"betas\": [..], \"pose\": [[ax,ay,az], ...one per\n"
          "                joint, root first], \"transl\": [x,y,z], \"expression\": [..],\n"
          "                \"left_hand_pose\": [..], \"right_hand_pose\": [..],\n"
          "                \"zeroed_joints\": [joint indices]}; missing keys mean zeros;\n"
          "                axis-angle in radians, translation in metres; hand poses are\n"
          "                PCA coefficients (SMPL+H / SMPL-X files with hand components)\n"
          "  --out         mesh file to write (.obj or .ply)\n"
          "  --model       body model .npz (default: the embedded model)\n"
          "  --joints-out  also write the posed joints and vertex keypoints (JSON)\n"
          "  --ascii-ply   write a .ply as ASCII text (default: binary little-endian)\n",
          {"params", "out", "model", "joints_out", "ascii_ply"}, &Run};
}

}  // namespace resihmr::apps
