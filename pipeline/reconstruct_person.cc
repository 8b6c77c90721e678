#include "pipeline/reconstruct_person.h"

#include <algorithm>
#include <mutex>

#include "model/error.h"
#include "optim/joints_fit.h"
#include "pipeline/other_persons_mask.h"
#include "pipeline/parallel.h"

namespace resihmr::pipeline {
namespace {

// The options of person i: its start from the init file, and the init
// file's limb classes unless the caller gave limbs for everyone.
optim::PersonFitOptions PersonOptions(const ReconstructOptions& options, size_t i) {
  optim::PersonFitOptions o = options.fit;
  if (options.init == nullptr || options.init->persons.empty()) return o;
  const data::InitParams& start = options.init->persons.at(i);
  o.fit.init = &start.params;
  o.fit.init_transl = start.has_transl;
  if (start.has_limbs && !options.fit.limbs_given) {
    o.limbs = start.limbs;
    o.limbs_given = true;
  }
  return o;
}

}  // namespace

const geometry::StumpOutcome* PersonResult::stump_of(size_t i) const {
  if (i >= mesh.cut_of_limb.size() || mesh.cut_of_limb[i] < 0) return nullptr;
  return &mesh.mesh.limbs[static_cast<size_t>(mesh.cut_of_limb[i])];
}

const optim::StumpProfileFit* PersonResult::profile_of(size_t i) const {
  if (i >= mesh.cut_of_limb.size() || mesh.cut_of_limb[i] < 0) return nullptr;
  const size_t cut = static_cast<size_t>(mesh.cut_of_limb[i]);
  return cut < mesh.profiles.size() ? &mesh.profiles[cut] : nullptr;
}

PersonResult ReconstructPersonWithCamera(const model::BodyModel& model, const data::Observation& person,
                                         const model::PinholeCamera& camera, const ReconstructOptions& options,
                                         size_t index_in_init) {
  PersonResult out;
  try {
    const optim::PersonFitOptions fit_options = PersonOptions(options, index_in_init);
    out.fit = optim::FitPerson(model, person, camera, fit_options);
    // Every accepted residual limb becomes a capped stump, measured; a limb
    // may be tilted in depth here, which updates the fit's parameters.
    StumpMasks masks;
    masks.mask = fit_options.silhouette ? &person.mask : nullptr;
    masks.others = fit_options.other_persons_mask;
    masks.config = fit_options.fit.config;
    if (out.fit.fit.ok) out.mesh = BuildPersonMesh(model, fit_options.method, &out.fit, masks);
  } catch (const std::exception& e) {
    out = PersonResult();
    out.fit.fit.error = e.what();
  }
  out.warnings = out.fit.fit.warnings;
  out.warnings.insert(out.warnings.end(), person.warnings.begin(), person.warnings.end());
  return out;
}

PersonResult ReconstructPerson(const model::BodyModel& model, const data::Observation& person,
                               const ReconstructOptions& options, size_t index_in_init) {
  if (person.image_width <= 0 || person.image_height <= 0) {
    PersonResult out;
    out.fit.fit.error = "image size unknown: the annotations give none and no image gave it";
    out.warnings = person.warnings;
    return out;
  }
  return ReconstructPersonWithCamera(model, person,
                                     model::DefaultCamera(person.image_width, person.image_height, options.focal_px),
                                     options, index_in_init);
}

void ReconstructEach(const model::BodyModel& model, const std::vector<data::Observation>& persons,
                     const ReconstructOptions& options, int threads,
                     const std::function<void(size_t, PersonResult&&)>& consume) {
  if (threads < 1 || threads > kMaxThreads) {
    throw Error("threads " + std::to_string(threads) + " is outside 1.." + std::to_string(kMaxThreads));
  }
  if (options.init != nullptr && !options.init->persons.empty() && options.init->persons.size() != persons.size()) {
    throw Error("the starts give " + std::to_string(options.init->persons.size()) + " persons, the observations " +
                std::to_string(persons.size()));
  }
  // The silhouette stage ignores pixels of the other persons of the image.
  const std::vector<std::vector<size_t>> others =
      options.fit.silhouette ? OtherMaskedPersons(persons) : std::vector<std::vector<size_t>>(persons.size());
  ParallelFor(persons.size(), threads, [&](size_t i, int) {
    if (others[i].empty()) {
      consume(i, ReconstructPerson(model, persons[i], options, i));
      return;
    }
    const cv::Mat union_of_others = UnionOfMasks(persons, others[i]);
    ReconstructOptions with_others = options;
    with_others.fit.other_persons_mask = &union_of_others;
    consume(i, ReconstructPerson(model, persons[i], with_others, i));
  });
}

std::vector<PersonResult> ReconstructPersons(const model::BodyModel& model, const std::vector<data::Observation>& persons,
                                             const ReconstructOptions& options, int threads,
                                             const std::function<void(size_t, size_t)>& done) {
  std::vector<PersonResult> results(persons.size());
  std::mutex mutex;
  size_t finished = 0;
  ReconstructEach(model, persons, options, threads, [&](size_t i, PersonResult&& result) {
    results[i] = std::move(result);
    if (done) {
      std::lock_guard<std::mutex> lock(mutex);
      done(++finished, persons.size());
    }
  });
  return results;
}

double PrepareInitStarts(const model::BodyModel& model, size_t persons, const std::string& init_name,
                         const std::string& annotations_name, data::InitFile* init) {
  if (init->persons.size() != persons) {
    throw Error(init_name + " has " + std::to_string(init->persons.size()) + " persons, " + annotations_name + " has " +
                std::to_string(persons) + " (one parameter set per person, in its order)");
  }
  double worst_mm = -1;
  for (data::InitParams& ip : init->persons) {  // HSMR style: the model fitted to the given 3D joints
    if (ip.joints_3d.rows() == 0) continue;
    const optim::JointsFit fit = optim::FitBodyToJoints(model, ip.joints_3d, ip.betas_given ? ip.params.betas : Eigen::VectorXd());
    ip.params = fit.params;
    worst_mm = std::max(worst_mm, 1000 * fit.rms_error_m);
  }
  return worst_mm;
}

}  // namespace resihmr::pipeline
