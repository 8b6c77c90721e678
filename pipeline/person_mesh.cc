#include "pipeline/person_mesh.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "model/pose_body.h"

namespace resihmr::pipeline {
namespace {

constexpr int kMaxTiltDeg = 30;

// The mesh with the cuts of the accepted limbs; with `masks`, each stump's
// profile fitted to the mask.
PersonMesh Build(const model::BodyModel& m, optim::Method method, const optim::PersonFit& fit,
                 const StumpMasks* masks = nullptr) {
  PersonMesh out;
  const model::PosedBody posed = model::PoseBody(m, fit.fit.params, true);
  std::vector<geometry::ResidualLimbCut> cuts;
  for (const optim::ResidualLimbResult& l : fit.residual_limbs) {
    const bool cut = method == optim::Method::kResiHMR && l.accepted;
    out.cut_of_limb.push_back(cut ? static_cast<int>(cuts.size()) : -1);
    if (cut) cuts.push_back({l.limb, l.joint_t, l.joint_a, l.lambda});
  }
  if (masks == nullptr) {
    out.mesh = geometry::BuildStumpMesh(m, posed.vertices, cuts);
    return out;
  }
  out.profiles.resize(cuts.size());
  optim::StumpView view;
  view.camera = &fit.fit.camera;
  view.mask = masks->mask;
  view.others = masks->others;
  view.margin_px = fit.fit.silhouette_margin_px;
  const geometry::StumpReshaper reshape = [&](size_t i, double lambda_used, const geometry::RowMatrixX3i& faces,
                                              const std::vector<uint8_t>& limb, geometry::RowMatrixX3d* vertices,
                                              std::string* why) {
    const geometry::ResidualLimbCut& c = cuts[i];
    optim::StumpToFit stump;
    stump.vertices = vertices;
    stump.faces = &faces;
    stump.limb = &limb;
    stump.joint_t = c.joint_t;
    stump.axis = (c.joint_a - c.joint_t).normalized();
    stump.length = (1 - lambda_used) * (c.joint_a - c.joint_t).norm();
    out.profiles[i] = optim::FitStumpProfile(view, stump, masks->config);
    if (!out.profiles[i].fitted) {
      *why = "convex cap kept: " + out.profiles[i].note;
      return false;
    }
    geometry::ApplyStumpProfile(out.profiles[i].profile, stump.joint_t, stump.axis, stump.length, limb, vertices);
    return true;
  };
  out.mesh = geometry::BuildReshapedStumpMesh(m, posed.vertices, cuts, reshape);
  return out;
}

// Whether residual limb i alone can be capped (at_level: at its requested
// level; else its cut may shift distally as BuildStumpMesh's may).
bool LimbCaps(const model::BodyModel& m, const optim::PersonFit& fit, size_t i, bool at_level) {
  const optim::ResidualLimbResult& l = fit.residual_limbs[i];
  geometry::ResidualLimbCut cut{l.limb, l.joint_t, l.joint_a, l.lambda};
  if (at_level) cut.max_shift = 0;
  const model::PosedBody posed = model::PoseBody(m, fit.fit.params, true);
  return geometry::TryStump(m, posed.vertices, cut).ok;
}

// Every limb capped in `before` is capped in `after`, and limb i in `after`
// (at_level: at its requested level).
bool Better(const PersonMesh& before, const PersonMesh& after, size_t i, bool at_level) {
  for (size_t k = 0; k < before.mesh.limbs.size(); ++k) {
    if (before.mesh.limbs[k].ok && !after.mesh.limbs[k].ok) return false;
  }
  const geometry::StumpOutcome& o = after.mesh.limbs[static_cast<size_t>(after.cut_of_limb[i])];
  return o.ok && (!at_level || o.note.empty());
}

}  // namespace

PersonMesh BuildPersonMesh(const model::BodyModel& m, optim::Method method, optim::PersonFit* fit,
                           const StumpMasks& masks) {
  // Each stump's profile is fitted where the silhouette stage ran (its margin is known).
  const bool profile = masks.config.stump_profile_rounds > 0 && masks.mask != nullptr && !masks.mask->empty() &&
                       std::isfinite(fit->fit.silhouette_margin_px);
  const StumpMasks* with_masks = profile ? &masks : nullptr;
  PersonMesh out = Build(m, method, *fit, with_masks);
  bool tilted_any = false;
  for (size_t i = 0; i < fit->residual_limbs.size(); ++i) {
    const int cut = out.cut_of_limb[i];
    // A limb already tilted was searched before (eval builds each mesh twice).
    if (cut < 0 || !out.mesh.limbs[static_cast<size_t>(cut)].crosses_body || fit->residual_limbs[i].depth_tilt_rad != 0) {
      continue;
    }
    // Tilts of up to 30 degrees either way, in steps of 2 degrees, tried in
    // order of how far they move the endpoint in 3D (near the camera ray a
    // small tilt moves it far), the first that caps this limb at its
    // requested level kept; failing that, where the limb has no stump at all,
    // tilts in steps of 6 degrees that cap it with the cut shifted distally.
    // Each is tried on this limb alone, then confirmed on the whole person.
    // (In steps of 5 degrees, 2 of the 13 limbs tilted on the 500-person
    // evaluation found no tilt at their level.)
    const auto search = [&](int step_deg, bool at_level) {
      std::vector<std::pair<double, optim::PersonFit>> candidates;  // endpoint moved (m), tilted fit
      for (int tilt = -kMaxTiltDeg; tilt <= kMaxTiltDeg; tilt += step_deg) {
        optim::PersonFit tilted = *fit;
        if (tilt == 0 || !optim::TiltInDepth(m, i, tilt * M_PI / 180.0, &tilted)) continue;
        const double moved = (tilted.residual_limbs[i].endpoint_3d - fit->residual_limbs[i].endpoint_3d).norm();
        candidates.emplace_back(moved, std::move(tilted));
      }
      std::stable_sort(candidates.begin(), candidates.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [moved, tilted] : candidates) {
        if (!LimbCaps(m, tilted, i, at_level)) continue;
        PersonMesh again = Build(m, method, tilted);
        if (!Better(out, again, i, at_level)) continue;
        *fit = std::move(tilted);
        out = std::move(again);
        tilted_any = true;
        const optim::ResidualLimbResult& r = fit->residual_limbs[i];
        std::ostringstream note;
        note << model::LimbName(r.limb.limb) << ": tilted " << std::lround(r.depth_tilt_rad * 180.0 / M_PI)
             << " deg in depth, endpoint moved " << std::lround(1000.0 * moved)
             << " mm along its camera ray: as fitted, its stump's cap crossed another part of the body";
        fit->fit.warnings.push_back(note.str());
        return true;
      }
      return false;
    };
    if (!search(2, true) && !out.mesh.limbs[static_cast<size_t>(cut)].ok) search(6, false);
  }
  // The search builds without masks; the tilted person's stumps get their profiles now.
  if (tilted_any && with_masks != nullptr) out = Build(m, method, *fit, with_masks);
  return out;
}

}  // namespace resihmr::pipeline
