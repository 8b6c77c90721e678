// resihmr make-model: writes the embedded body model as an .npz in the SMPL layout.
#include <chrono>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "model/body_model_npz.h"
#include "model/embedded_body_model.h"
#include "model/embedded_model_file.h"
#include "model/error.h"

namespace resihmr::apps {
namespace {

int Run() {
  if (FLAGS_out.empty()) throw Error("make-model: --out is required (the .npz file to write)");
  const auto start = std::chrono::steady_clock::now();
  const model::BodyModel m = FLAGS_seed == 0 ? model::EmbeddedBodyModel() : model::MakeEmbeddedBodyModel(FLAGS_seed);
  model::SaveBodyModel(m, FLAGS_out);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "wrote " << FLAGS_out << ": " << m.num_vertices() << " vertices, " << m.faces.rows() << " faces, "
            << m.num_joints() << " joints, " << m.num_betas << " shape directions, " << m.vertex_keypoints.size()
            << " vertex keypoints (" << static_cast<int>(ms) << " ms)\n";
  return 0;
}

}  // namespace

Command MakeModelCommand() {
  return {"make-model", "write the embedded body model as an .npz (SMPL layout)",
          "usage: resihmr make-model --out model.npz [--seed S]\n"
          "\n"
          "Generates the project's own body model (no third-party data) and writes it\n"
          "in the SMPL .npz layout: v_template (V,3), shapedirs (V,3,10), posedirs\n"
          "(V,3,207, zeros), J_regressor (24,V), weights (V,24), kintree_table (2,24),\n"
          "f (F,3), vertex_keypoint_names and vertex_keypoint_ids. Metres, Y up,\n"
          "facing +Z, about 1.70 m tall. The same seed gives the same file.\n"
          "\n"
          "  --out   the .npz file to write (required)\n"
          "  --seed  seed of the surface mesher's sampling (default 0)\n",
          {"out", "seed"}, &Run};
}

}  // namespace resihmr::apps
