// The MakeHuman body's shape space (issue 19, docs/model.md): its macro
// targets, a body for any phenotype, and the linear shape space (betas)
// made from them by PCA, with the linear map from phenotype to betas.
//
// A phenotype is six values in [0, 1]: gender (0 female, 1 male), age (0
// baby, 0.1875 child, 0.5 young, 1 old), muscle and weight (0 min, 0.5
// average, 1 max), height and proportions (0.5 neutral). As MakeHuman
// combines its macro targets, each target's weight is the product of tent
// functions over those nodes: a universal target
// universal-<gender>-<age>-<muscle>muscle-<weight>weight by gender x age x
// muscle x weight, a height target <gender>-<age>-<muscle>-<weight>-
// <max|min>height by that product times max(0, 2h - 1) or max(0, 1 - 2h),
// a proportions target (<...>-<ideal|uncommon>proportions) likewise with p.
// The shared folder has no gender / age base targets (MakeHuman's
// macrodetails; the average-muscle average-weight universal targets move no
// vertex), so gender and age change only how muscle, weight, height and
// proportions act. Offsets are made in the files' A-pose and carried to the
// T-pose by each vertex's skinning rotation (MakeHumanBody::tpose_rotation);
// metres, skin vertices only.
//
// The shape space: `samples` adult phenotypes drawn uniformly (fixed seed;
// gender, muscle, weight and proportions over [0, 1], age over [0.5, 1], 25
// to 90 years, height over [0.35, 0.65], about 1.45 to 1.9 m: the whole
// height slider would reach 1.30 to 2.39 m and take almost all the variance),
// their
// offsets' second moment about the base body decomposed (eigen-decomposition
// of the samples' Gram matrix); the first `num_betas` directions, each
// scaled by its standard deviation over the samples, are the shapedirs (so
// betas ~ N(0, 1) over the sampled population and betas 0 is the base
// body); the phenotype-to-betas map is the least-squares affine fit of the
// samples' betas on their phenotypes.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "data/makehuman_body.h"

namespace resihmr::data {

struct MakeHumanPhenotype {
  double gender = 0.5, age = 0.5, muscle = 0.5, weight = 0.5, height = 0.5, proportions = 0.5;
};

struct MakeHumanTargets {
  struct Target {
    std::string file;
    std::string gender, age, muscle, weight;  // the combination it belongs to
    std::string modifier;                     // "" (universal), "maxheight", "minheight", "idealproportions", "uncommonproportions"
    std::vector<std::pair<int, Eigen::Vector3d>> offsets;  // skin vertex, offset in the T-pose (metres)
  };
  std::vector<Target> targets;
  int num_vertices = 0;
};

// Reads `dir`/targets/*.target.gz, targets/height/ and targets/proportions/
// against `body`. Throws resihmr::Error naming a file that cannot be read or
// whose name is not a macro target's.
MakeHumanTargets ReadMakeHumanTargets(const std::string& dir, const MakeHumanBody& body);

// The body's offsets for a phenotype (every value clamped to [0, 1]): 3V, metres.
Eigen::VectorXd PhenotypeOffsets(const MakeHumanTargets& targets, const MakeHumanPhenotype& phenotype);

struct MakeHumanShapeSpace {
  Eigen::MatrixXd shapedirs;            // 3V x B (row 3v + c), metres per unit beta
  Eigen::VectorXd explained;            // B: the fraction of the samples' second moment each direction holds
  Eigen::MatrixXd phenotype_to_betas;   // B x 7: betas = A [gender, age, muscle, weight, height, proportions, 1]
  Eigen::VectorXd mapping_r2;           // B: the map's R^2 per beta over the samples
  // Per phenotype value (gender, age, muscle, weight, height, proportions)
  // the range the samples were drawn from [lo, hi]: outside it the map
  // extrapolates.
  Eigen::Matrix<double, 6, 2> sampled_range;
};

MakeHumanShapeSpace BuildMakeHumanShapeSpace(const MakeHumanTargets& targets, int num_betas = 10, int samples = 200,
                                             unsigned seed = 2026);

}  // namespace resihmr::data
