// resihmr phenotype: the betas of an imported MakeHuman body for a phenotype,
// a stature and a mass (data/makehuman_phenotype.h), written as parameters
// that `resihmr pose --params` reads.
#include <iomanip>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "data/body_params_json.h"
#include "data/makehuman_phenotype.h"
#include "model/body_model_npz.h"
#include "model/error.h"
#include "pipeline/json_file.h"

DEFINE_string(phenotype_map, "", "phenotype: the model's phenotype map (default: the model's name with .phenotype.json)");
DEFINE_double(stature_m, 0, "phenotype: the stature to reach, metres (0: keep --height)");
DEFINE_double(mass_kg, 0, "phenotype: the mass to reach, kilograms (0: keep --weight)");
DEFINE_double(gender, 0.5, "phenotype: MakeHuman's gender slider, 0 female to 1 male");
DEFINE_double(age, 0.5, "phenotype: MakeHuman's age slider, 0.5 = 25 years, 1 = 90");
DEFINE_double(muscle, 0.5, "phenotype: MakeHuman's muscle slider, 0.5 average");
DEFINE_double(weight, 0.5, "phenotype: MakeHuman's weight slider, 0.5 average (solved when --mass-kg is given)");
DEFINE_double(height, 0.5, "phenotype: MakeHuman's height slider, 0.5 neutral (solved when --stature-m is given)");
DEFINE_double(proportions, 0.5, "phenotype: MakeHuman's proportions slider, 0.5 neutral");
DEFINE_double(density, 1010, "phenotype: body density for the mass, kg/m^3");

namespace resihmr::apps {
namespace {

int Run() {
  if (FLAGS_model.empty()) throw Error("phenotype: --model is required (an .npz of resihmr make-model --from-makehuman)");
  if (FLAGS_out.empty()) throw Error("phenotype: --out is required (the parameter JSON file to write)");
  const std::string map_path =
      FLAGS_phenotype_map.empty() ? data::PhenotypeMapPathFor(FLAGS_model) : FLAGS_phenotype_map;
  const model::BodyModel m = model::LoadBodyModel(FLAGS_model);
  const data::PhenotypeMap map = data::ReadPhenotypeMap(map_path, m.num_betas);
  data::BodyRequest request;
  request.phenotype = {FLAGS_gender, FLAGS_age, FLAGS_muscle, FLAGS_weight, FLAGS_height, FLAGS_proportions};
  request.stature_m = FLAGS_stature_m;
  request.mass_kg = FLAGS_mass_kg;
  request.density_kg_m3 = FLAGS_density;
  const data::RequestedBody body = data::SolveBody(m, map, request);
  model::BodyParams params = model::BodyParams::Zero(m);
  params.betas.head(body.betas.size()) = body.betas;
  pipeline::WriteJsonFile(FLAGS_out, data::BodyParamsToJson(params));
  const data::MakeHumanPhenotype& p = body.phenotype;
  std::cout << std::fixed << std::setprecision(3) << "wrote " << FLAGS_out << ": stature " << body.size.stature_m
            << " m, mass " << std::setprecision(1) << body.size.mass_kg << " kg (volume " << body.size.volume_l
            << " l at " << FLAGS_density << " kg/m^3); phenotype gender " << std::setprecision(3) << p.gender << ", age "
            << p.age << ", muscle " << p.muscle << ", weight " << p.weight << ", height " << p.height << ", proportions "
            << p.proportions << (body.extrapolated ? "; outside the sampled phenotypes: the map extrapolates" : "")
            << "\n";
  return 0;
}

}  // namespace

Command PhenotypeCommand() {
  return {"phenotype", "the betas of an imported MakeHuman body for a phenotype, a stature and a mass",
          "usage: resihmr phenotype --model mh.npz --out params.json [--stature-m M] [--mass-kg KG]\n"
          "       [--gender G] [--age A] [--muscle U] [--weight W] [--height H] [--proportions P]\n"
          "       [--phenotype-map mh.phenotype.json] [--density D]\n"
          "\n"
          "For a model of `resihmr make-model --from-makehuman` (docs/model.md): the betas of\n"
          "the body with MakeHuman's phenotype sliders (each in [0, 1], default 0.5), with the\n"
          "height slider solved for --stature-m (sole to crown in the rest pose, metres) and\n"
          "the weight slider for --mass-kg (the closed skin's volume times --density, default\n"
          "1010 kg/m^3; an unclothed body). Writes them as a parameter file (pose zero) for\n"
          "`resihmr pose --model mh.npz --params params.json --out body.ply`, and prints the\n"
          "body's stature, mass and phenotype; says so when a value lies outside the\n"
          "phenotypes the map was fitted on (it then extrapolates). A stature or mass no\n"
          "slider value reaches is an error naming the reachable range.\n"
          "\n"
          "  --model          the MakeHuman model .npz (required)\n"
          "  --out            the parameter JSON file to write (required)\n"
          "  --phenotype-map  the map beside the model (default: mh.phenotype.json for mh.npz)\n"
          "  --stature-m      stature to reach, 0.5 to 2.5 m (0: keep --height)\n"
          "  --mass-kg        mass to reach, 10 to 300 kg (0: keep --weight)\n"
          "  --gender         0 female to 1 male;  --age  0.5 = 25 years, 1 = 90\n"
          "  --muscle, --weight   0.5 average;  --height, --proportions   0.5 neutral\n"
          "  --density        kg/m^3, 900 to 1200 (default 1010)\n",
          {"model", "out", "phenotype_map", "stature_m", "mass_kg", "gender", "age", "muscle", "weight", "height",
           "proportions", "density"},
          &Run};
}

}  // namespace resihmr::apps
