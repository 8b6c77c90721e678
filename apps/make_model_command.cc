// resihmr make-model: writes the embedded body model, or the MakeHuman body
// imported (--from-makehuman), as an .npz in the SMPL layout.
#include <chrono>
#include <iomanip>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "data/makehuman_model.h"
#include "pipeline/model_source.h"
#include "model/body_model_npz.h"
#include "model/embedded_body_model.h"
#include "model/embedded_model_file.h"
#include "model/error.h"

DEFINE_string(from_makehuman, "", "make-model: import the MakeHuman body of this folder (base.obj, rig.openpose.json, weights.openpose.json, targets/)");

namespace resihmr::apps {
namespace {

// --from-makehuman: the model, and the phenotype-to-betas map beside it.
int RunMakeHuman() {
  const data::MakeHumanModel imported = data::ImportMakeHuman(FLAGS_from_makehuman);
  const model::BodyModel& m = imported.model;
  const std::string map = pipeline::SaveMakeHumanModel(imported, FLAGS_out);
  std::cout << "wrote " << FLAGS_out << ": " << m.num_vertices() << " vertices, " << m.faces.rows() << " faces, "
            << m.num_joints() << " joints, " << m.num_betas << " shape directions (" << std::fixed
            << std::setprecision(4) << imported.space.explained.sum() << " of the samples' variation), "
            << m.vertex_keypoints.size() << " vertex keypoints; " << map << ": the phenotype-to-betas map ("
            << std::setprecision(1) << imported.seconds << " s)\n";
  return 0;
}

int Run() {
  if (FLAGS_out.empty()) throw Error("make-model: --out is required (the .npz file to write)");
  if (!FLAGS_from_makehuman.empty()) return RunMakeHuman();
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
  return {"make-model", "write the embedded body model, or import the MakeHuman body, as an .npz (SMPL layout)",
          "usage: resihmr make-model --out model.npz [--seed S]\n"
          "       resihmr make-model --from-makehuman DIR --out model.npz\n"
          "\n"
          "Generates the project's own body model (no third-party data) and writes it\n"
          "in the SMPL .npz layout: v_template (V,3), shapedirs (V,3,10), posedirs\n"
          "(V,3,207, zeros), J_regressor (24,V), weights (V,24), kintree_table (2,24),\n"
          "f (F,3), vertex_keypoint_names and vertex_keypoint_ids. Metres, Y up,\n"
          "facing +Z, about 1.70 m tall. The same seed gives the same file.\n"
          "\n"
          "  --out   the .npz file to write (required)\n"
          "  --seed  seed of the surface mesher's sampling (default 0)\n"
          "\n"
          "--from-makehuman DIR imports a MakeHuman body (CC0; e.g. ../shared/data/makehuman):\n"
          "its skin (the body group, triangulated, checked closed and genus 0), SMPL's 24\n"
          "joints from its rig with a regressor over the skin, its weights remapped to them,\n"
          "re-posed from its A-pose to SMPL's T-pose, and 10 shape directions by PCA of its\n"
          "macro targets over adult phenotypes (gender, age, muscle, weight, height,\n"
          "proportions); writes model.npz without pose correctives and model.phenotype.json,\n"
          "the map from a phenotype to betas (docs/model.md); `resihmr phenotype` reads it.\n",
          {"out", "seed", "from_makehuman"}, &Run};
}

}  // namespace resihmr::apps
