// resihmr demo: the whole pipeline on the embedded model, in under a minute:
// synthetic people with residual limbs, fitted by the three methods, their
// stumps, measurements and pictures, and the evaluation table.
#include <filesystem>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "model/body_model_npz.h"
#include "model/embedded_model_file.h"
#include "model/error.h"

DEFINE_int32(people, 6, "demo: number of synthetic people");

DECLARE_int32(n);
DECLARE_double(amputee_fraction);
DECLARE_string(method);
DECLARE_string(dataset);
DECLARE_string(methods);

namespace resihmr::apps {
namespace {

int Run() {
  const std::string out = FLAGS_out.empty() ? "demo-output" : FLAGS_out;
  if (FLAGS_people < 1 || FLAGS_people > 500) throw Error("demo: --people must be between 1 and 500");
  std::filesystem::create_directories(out);
  const std::string model_path = out + "/embedded_model.npz";
  std::cout << "== the embedded body model (the project's own; no file to fetch)\n";
  const model::BodyModel m = model::EmbeddedBodyModel();
  model::SaveBodyModel(m, model_path);
  std::cout << m.num_vertices() << " vertices, " << m.num_joints() << " joints, " << m.num_betas
            << " shape directions: " << model_path << "\n";

  // The commands themselves, one after the other, with their flags set.
  FLAGS_model = model_path;
  FLAGS_threads = 2;
  std::cout << "\n== resihmr synth: " << FLAGS_people << " people with one or two residual limbs each\n";
  FLAGS_n = FLAGS_people;
  FLAGS_amputee_fraction = 1.0;
  FLAGS_out = out + "/dataset";
  if (SynthCommand().run() != 0) return 1;
  for (const char* method : {"resihmr", "intact", "ajahr-zero"}) {
    std::cout << "\n== resihmr fit --method " << method << "\n";
    FLAGS_keypoints = out + "/dataset/keypoints.json";
    FLAGS_images = out + "/dataset/images";
    FLAGS_method = method;
    FLAGS_out = out + "/fit-" + method;
    if (FitCommand().run() != 0) return 1;
  }
  std::cout << "\n== resihmr eval: the three methods on the same people\n";
  FLAGS_dataset = out + "/dataset";
  FLAGS_methods = "intact,ajahr-zero,resihmr";
  FLAGS_out = out + "/report.json";
  if (EvalCommand().run() != 0) return 1;
  std::cout << "\nLook at:\n"
            << "  " << out << "/fit-resihmr/*_views.png   rest pose with each residual limb (red) and what it lost,\n"
            << "                                        and the fitted mesh with its capped stumps\n"
            << "  " << out << "/fit-resihmr/*.png         the fit over each image, residual limbs red\n"
            << "  " << out << "/fit-intact/*.png, " << out << "/fit-ajahr-zero/*.png   the baselines on the same people\n"
            << "  " << out << "/fit-resihmr/measurements.csv   length, volume, area, circumferences of every stump\n"
            << "  " << out << "/fit-resihmr/*.ply         watertight meshes, vertex property 'residual'\n"
            << "  " << out << "/report.json, report.csv   the evaluation\n";
  return 0;
}

}  // namespace

Command DemoCommand() {
  return {"demo", "the whole pipeline on synthetic people with residual limbs, on the embedded model",
          "usage: resihmr demo [--out demo-output] [--people 6] [--seed 0]\n"
          "\n"
          "Writes the embedded body model, makes synthetic people with one or two residual\n"
          "limbs each (resihmr synth), fits them with resihmr, intact and ajahr-zero\n"
          "(resihmr fit: meshes with capped stumps, measurements, pictures), evaluates the\n"
          "three methods on the same people (resihmr eval) and prints the table and where\n"
          "the pictures are. Runs in well under a minute on two cores.\n"
          "\n"
          "  --out     output folder (default demo-output)\n"
          "  --people  number of synthetic people (default 6)\n"
          "  --seed    seed of the synthetic people (default 0)\n",
          {"out", "people", "seed"}, &Run};
}

}  // namespace resihmr::apps
