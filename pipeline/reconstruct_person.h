// The pipeline for one person, and for many: the camera from the image size
// and focal length, the fit of the chosen method (optim/person_fit.h), RAFO's
// residual limbs, the stump mesh with its labels and the measurements of each
// stump (pipeline/person_mesh.h). The command line (`resihmr fit`, `eval`) and
// the Python module call these same functions, so their results are the same
// bytes. A person that cannot be fitted (no image size, a fit that diverged,
// an error in the fit) comes back as a result with status "failed" and the
// reason, never as an exception; only bad options throw resihmr::Error.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "data/init_params.h"
#include "data/observation.h"
#include "geometry/stump_mesh.h"
#include "model/body_model.h"
#include "optim/person_fit.h"
#include "pipeline/person_mesh.h"

namespace resihmr::pipeline {

// What to do with every person of a call.
struct ReconstructOptions {
  optim::PersonFitOptions fit;   // method, weights (FitConfig), RAFO, the limbs given for every person
  double focal_px = 0;           // 0: the image diagonal (model::DefaultCamera)
  // Optional starts, one per person in order (`fit --init`, after
  // PrepareInitStarts); null or empty: the fit's own start.
  const data::InitFile* init = nullptr;
};

// One person's result: the fit (parameters, camera, keypoints, errors,
// stages, status), the residual limbs (RAFO; lambda, lengths, uncertainty),
// the stump mesh (camera frame, metres; empty when the fit failed) with, per
// residual limb, the index of its stump outcome (measurements), and every
// warning: the fit's, then the observation's.
struct PersonResult {
  optim::PersonFit fit;
  PersonMesh mesh;
  std::vector<std::string> warnings;

  const optim::FitResult& result() const { return fit.fit; }
  // The stump outcome of residual limb i (index into fit.residual_limbs), null when none was built.
  const geometry::StumpOutcome* stump_of(size_t i) const;
  // Residual limb i's fitted profile (pipeline/person_mesh.h), or null when none was fitted.
  const optim::StumpProfileFit* profile_of(size_t i) const;
};

// Fits one person. `person` needs its image size (image_width, image_height);
// `index_in_init` is its index into options.init.
PersonResult ReconstructPerson(const model::BodyModel& model, const data::Observation& person,
                               const ReconstructOptions& options, size_t index_in_init = 0);

// The same with a known camera (intrinsics in pixels) instead of the one
// made from the image size and options.focal_px.
PersonResult ReconstructPersonWithCamera(const model::BodyModel& model, const data::Observation& person,
                                         const model::PinholeCamera& camera, const ReconstructOptions& options,
                                         size_t index_in_init = 0);

// Fits every person on `threads` threads (1..kMaxThreads); the results, in
// the persons' order, do not depend on the number of threads. With masks,
// each person's silhouette stage ignores the pixels of the masks of the other
// persons of its image (same annotation file, image name and image id). `done`, when
// given, is called after each person (from the worker threads, serialised).
std::vector<PersonResult> ReconstructPersons(const model::BodyModel& model, const std::vector<data::Observation>& persons,
                                             const ReconstructOptions& options, int threads,
                                             const std::function<void(size_t finished, size_t total)>& done = {});

// The same, handing each result to `consume(index, result)` on the worker
// thread that made it, as soon as it is made (in no particular order), and
// keeping none: a dataset's meshes need not fit in memory at once. The
// first exception `consume` throws ends the loop and is rethrown.
void ReconstructEach(const model::BodyModel& model, const std::vector<data::Observation>& persons,
                     const ReconstructOptions& options, int threads,
                     const std::function<void(size_t index, PersonResult&& result)>& consume);

// `fit --init`'s starts made ready: each entry that gives 3D joints instead
// of parameters (HSMR style) gets the parameters of the model fitted to them
// (optim/joints_fit.h). Returns the largest RMS joint error in mm, or -1 when
// no entry had joints. Throws resihmr::Error when the count is not `persons`.
// `init_name` and `annotations_name` name the two files in the message.
double PrepareInitStarts(const model::BodyModel& model, size_t persons, const std::string& init_name,
                         const std::string& annotations_name, data::InitFile* init);

}  // namespace resihmr::pipeline
