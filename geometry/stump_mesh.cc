#include "geometry/stump_mesh.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geometry/boundary_loops.h"
#include "geometry/cross_section.h"
#include "geometry/plane_cut.h"
#include "geometry/self_intersection.h"
#include "model/error.h"

namespace resihmr::geometry {
namespace {

// Weight of each original vertex on J_t and the joints beyond the segment.
std::vector<double> LimbWeights(const model::BodyModel& model, const model::ResidualLimb& limb) {
  const model::ResidualSegment seg = model::SegmentOf(model, limb);
  std::vector<uint8_t> joints = model::DistalJoints(model, limb);
  joints[static_cast<size_t>(seg.joint_t)] = 1;
  std::vector<double> w(static_cast<size_t>(model.num_vertices()), 0.0);
  for (int v = 0; v < model.num_vertices(); ++v) {
    for (int e = model.skin_offsets[static_cast<size_t>(v)]; e < model.skin_offsets[static_cast<size_t>(v) + 1]; ++e) {
      if (joints[static_cast<size_t>(model.skin_joints[static_cast<size_t>(e)])])
        w[static_cast<size_t>(v)] += model.skin_weights[static_cast<size_t>(e)];
    }
  }
  return w;
}

}  // namespace

LimbMeasurements MeasureLimbRegion(const RowMatrixX3d& vertices, const RowMatrixX3i& faces,
                                   const Eigen::Vector3d& joint, const Eigen::Vector3d& normal,
                                   const Eigen::Vector3d& apex, double to_mm, const std::vector<std::vector<int>>& rim,
                                   bool beyond_plane) {
  LimbMeasurements m;
  const Eigen::Vector3d n = normal.normalized();
  m.length_mm = (apex - joint).norm() * to_mm;
  const Eigen::Vector3d below = joint - 1e-9 * n;
  m.volume_ml = (beyond_plane ? VolumeBeyondPlane(vertices, faces, below, n) : ClosedVolume(vertices, faces, rim)) *
                to_mm * to_mm * to_mm / 1000.0;
  m.surface_area_mm2 =
      (beyond_plane ? AreaBeyondPlane(vertices, faces, below, n) : SurfaceArea(vertices, faces)) * to_mm * to_mm;
  const double axial = (apex - joint).dot(n);
  for (int s = 0; s <= 10; ++s) {
    // Just inside the ends, where the section is a proper loop (0% lies on the region's rim).
    const double t = std::clamp(s / 10.0, 1e-6, 1.0 - 1e-6);
    const Eigen::Vector3d q = joint + t * axial * n;
    const std::vector<SectionLoop> loops = PlaneSection(vertices, faces, q, n);
    const SectionLoop* loop = LoopAround(loops, q, n);
    const double none = std::numeric_limits<double>::quiet_NaN();  // no closed loop around the axis
    m.circumference_mm.push_back(loop ? loop->length * to_mm : none);
    m.cross_section_mm2.push_back(loop ? loop->area * to_mm * to_mm : none);
  }
  return m;
}

namespace {

// finish = false: only the cuts and caps and their outcomes (no mesh, labels,
// topology or measurements in the result).
StumpMesh Build(const model::BodyModel& model, const RowMatrixX3d& posed, const std::vector<ResidualLimbCut>& cuts,
                const CapOptions& options, double to_mm, bool finish, const StumpReshaper* reshape = nullptr) {
  StumpMesh out;
  RowMatrixX3d V = posed;
  RowMatrixX3i F = model.faces;
  const int V0 = model.num_vertices();
  struct Done {
    size_t cut;
    int first_new;  // this limb's new vertices: [first_new, last_new]
    int last_new;
    CapResult cap;
    std::vector<double> limb_weights;  // per original vertex, on J_t and beyond
  };
  std::vector<Done> done;
  out.limbs.resize(cuts.size());
  // Each original vertex's dominant joint (the skinning weight's largest).
  std::vector<int> dominant(static_cast<size_t>(V0), 0);
  for (int v = 0; v < V0 && !cuts.empty(); ++v) {
    Eigen::Index j;
    model.weights.row(v).maxCoeff(&j);
    dominant[static_cast<size_t>(v)] = static_cast<int>(j);
  }
  for (size_t i = 0; i < cuts.size(); ++i) {
    const ResidualLimbCut& c = cuts[i];
    StumpOutcome& outcome = out.limbs[i];
    try {
      const Eigen::Vector3d axis = c.joint_a - c.joint_t;
      if (!(axis.norm() > 1e-6) || !std::isfinite(c.lambda) || c.lambda < 0 || c.lambda > 1) {
        throw Error("degenerate residual limb: zero-length segment or lambda outside [0, 1]");
      }
      const Eigen::Vector3d n = axis.normalized();
      const std::vector<double> limb_w = LimbWeights(model, c.limb);
      const std::vector<uint8_t> distal = model::DistalJoints(model, c.limb);
      const model::ResidualSegment seg = model::SegmentOf(model, c.limb);
      // The part that goes whole (skinned mostly beyond the segment): the flood's seeds.
      std::vector<int> seeds;
      std::vector<uint8_t> beyond(static_cast<size_t>(V0), 0);
      for (int v = 0; v < V0; ++v) {
        beyond[static_cast<size_t>(v)] = distal[static_cast<size_t>(dominant[static_cast<size_t>(v)])];
        if (beyond[static_cast<size_t>(v)]) seeds.push_back(v);
      }
      std::string last_failure;
      bool built = false;
      // Steps of 0.03 in lambda, at most max_shift (0.30) distally (header comment).
      for (int step = 0; 0.03 * step <= c.max_shift + 1e-9 && !built; ++step) {
        const double lambda = std::max(0.0, c.lambda - 0.03 * step);
        if (step > 0 && lambda == 0.0 && c.lambda - 0.03 * (step - 1) <= 0.0) break;
        try {
          const Eigen::Vector3d p = c.joint_a + lambda * (c.joint_t - c.joint_a);
          // The limb's radius at the cut: median distance from the axis of the
          // limb's own vertices within 2 cm of the plane.
          const auto radial = [&](int v) {
            const Eigen::Vector3d d = V.row(v).transpose() - c.joint_t;
            return (d - d.dot(n) * n).norm();
          };
          std::vector<double> near_plane;
          for (int v = 0; v < V0; ++v) {
            const int d = dominant[static_cast<size_t>(v)];
            const bool own = d == seg.joint_t || distal[static_cast<size_t>(d)];
            if (own && std::abs((V.row(v).transpose() - p).dot(n)) < 0.02 * axis.norm() / 0.4)
              near_plane.push_back(radial(v));
          }
          if (near_plane.empty()) throw Error("no vertex of the limb lies near the cut plane");
          std::nth_element(near_plane.begin(), near_plane.begin() + static_cast<long>(near_plane.size() / 2),
                           near_plane.end());
          const double limb_radius = near_plane[near_plane.size() / 2];
          // Flood only through the limb: skinned to it (and, on a second try, inside a
          // cylinder about its axis: near a hip or shoulder the plane also crosses
          // buttock, crotch or armpit, which must stay).
          if (seeds.empty()) throw Error("no vertex is skinned to the part beyond the residual limb");
          PlaneCut cut;
          CapResult cap;
          std::string failure;
          for (const bool cylinder : {false, true}) {
            std::vector<uint8_t> allowed(static_cast<size_t>(V.rows()), 0);
            for (int v = 0; v < V0; ++v) {
              allowed[static_cast<size_t>(v)] =
                  beyond[static_cast<size_t>(v)] ||
                  (limb_w[static_cast<size_t>(v)] >= 0.05 && (!cylinder || radial(v) <= 1.3 * limb_radius));
            }
            cut = CutByPlane(V, F, p, n, seeds, allowed);
            // Where `allowed` stopped the flood short of the plane the ring leaves
            // the plane (the limb merges with the trunk there): no cap on that.
            bool planar = true;
            for (const std::vector<int>& loop : cut.loops) {
              for (const int v : loop) planar = planar && std::abs((cut.vertices.row(v).transpose() - p).dot(n)) < 1e-9;
            }
            if (cut.loops_simple && cut.loops.size() == 1 && !planar) {
              failure = "the cut ring leaves the plane where the limb merges with the trunk";
            } else if (cut.loops_simple && cut.loops.size() == 1) {
              try {
                cap = CapLoop(&cut.vertices, &cut.faces, cut.loops[0], n,
                              options);  // leaves the mesh as it was if it throws
                failure.clear();
                break;
              } catch (const Error& e) {
                failure = e.what();
              }
            } else {
              failure = "the cut left " + std::to_string(cut.loops.size()) + " boundary loops, expected exactly one";
            }
          }
          if (!failure.empty()) throw Error(failure);
          RowMatrixX3d nv = std::move(cut.vertices);
          RowMatrixX3i nf = std::move(cut.faces);
          // The cap must not cross the faces around it (it cannot cross itself:
          // geometry/self_intersection.h). Anything it can touch lies near it:
          // its extent plus a face's size.
          std::vector<int> cap_faces, around;
          const double reach =
              1.2 * std::hypot(cap.loop_radius, options.height_ratio * cap.loop_radius) + 0.03 * axis.norm() / 0.4;
          for (Eigen::Index f = 0; f < nf.rows(); ++f) {
            if (f >= cap.first_face) {
              cap_faces.push_back(static_cast<int>(f));
              continue;
            }
            for (int k = 0; k < 3; ++k) {
              if ((nv.row(nf(f, k)).transpose() - cap.centre).norm() < reach) {
                around.push_back(static_cast<int>(f));
                break;
              }
            }
          }
          if (FaceGroupsIntersect(nv, nf, cap_faces, around)) {
            if (step == 0) outcome.crosses_body = true;
            throw Error("the cap intersects the surface around it");
          }
          V = nv;
          F = nf;
          done.push_back({i, cut.first_new_vertex, static_cast<int>(V.rows()) - 1, cap, limb_w});
          outcome.ok = true;
          outcome.apex = V.row(cap.apex).transpose();
          outcome.lambda_used = lambda;
          if (step > 0) {
            outcome.note = "cut " +
                           std::to_string(static_cast<int>(std::round(1000.0 * (c.lambda - lambda) * axis.norm()))) +
                           " mm further from the joint than lambda says (lambda " + std::to_string(lambda) +
                           "): at the requested level " + last_failure;
          }
          built = true;
        } catch (const Error& e) {
          last_failure = e.what();
        }
      }
      if (!built) throw Error(last_failure);
    } catch (const Error& e) {
      outcome.ok = false;
      outcome.error = e.what();
    }
  }
  // A stump needs a closed 2-manifold body: where a cut failed on a model
  // that has none, say so (checked only then, so that good cuts pay nothing).
  const bool any_failed = std::any_of(out.limbs.begin(), out.limbs.end(), [](const StumpOutcome& o) { return !o.ok; });
  if (any_failed) {
    const MeshTopology model_topology = CheckTopology(model.num_vertices(), model.faces);
    if (!model_topology.closed_manifold()) {
      const std::string why = "the body model's surface is not a closed 2-manifold (" +
                              std::to_string(model_topology.boundary_edges) + " boundary, " +
                              std::to_string(model_topology.nonmanifold_edges) + " non-manifold and " +
                              std::to_string(model_topology.misoriented_edges) +
                              " misoriented edges): a stump cannot be cut and capped on it";
      for (StumpOutcome& o : out.limbs) {
        if (!o.ok) o.error = why;
      }
    }
  }
  if (!finish) return out;

  // Compact: drop vertices no face uses.
  std::vector<int> remap(static_cast<size_t>(V.rows()), -1);
  for (Eigen::Index i = 0; i < F.size(); ++i) remap[static_cast<size_t>(F.data()[i])] = 0;
  int next = 0;
  for (int& r : remap) {
    if (r == 0) r = next++;
  }
  out.vertices.resize(next, 3);
  for (Eigen::Index v = 0; v < V.rows(); ++v) {
    if (remap[static_cast<size_t>(v)] >= 0) out.vertices.row(remap[static_cast<size_t>(v)]) = V.row(v);
  }
  out.faces.resize(F.rows(), 3);
  for (Eigen::Index i = 0; i < F.size(); ++i) out.faces.data()[i] = remap[static_cast<size_t>(F.data()[i])];
  out.residual.assign(static_cast<size_t>(next), 0);
  out.topology = CheckTopology(next, out.faces);

  // Labels and measurements of each capped limb.
  for (const Done& d : done) {
    const ResidualLimbCut& c = cuts[d.cut];
    StumpOutcome& outcome = out.limbs[d.cut];
    const Eigen::Vector3d n = (c.joint_a - c.joint_t).normalized();
    const std::vector<double>& limb_w = d.limb_weights;
    std::vector<uint8_t> allowed(static_cast<size_t>(out.vertices.rows()), 0);
    for (int v = 0; v < static_cast<int>(V.rows()); ++v) {
      const int r = remap[static_cast<size_t>(v)];
      if (r < 0) continue;
      allowed[static_cast<size_t>(r)] =
          v < V0 ? limb_w[static_cast<size_t>(v)] >= 0.2 : (v >= d.first_new && v <= d.last_new);
    }
    const int apex = remap[static_cast<size_t>(d.cap.apex)];
    PlaneCut region = CutByPlane(out.vertices, out.faces, c.joint_t, n, {apex}, allowed, true);
    if (reshape != nullptr && *reshape) {
      // The limb's surface takes another shape; it must not cross the rest of the body.
      const RowMatrixX3d before = out.vertices;
      std::string why;
      if ((*reshape)(d.cut, outcome.lambda_used, out.faces, region.flooded, &out.vertices, &why)) {
        outcome.reshaped = true;
        std::vector<int> moved, others;
        for (Eigen::Index f = 0; f < out.faces.rows(); ++f) {
          bool touches = false;
          for (int k = 0; k < 3; ++k) touches = touches || region.flooded[static_cast<size_t>(out.faces(f, k))];
          (touches ? moved : others).push_back(static_cast<int>(f));
        }
        if (FaceGroupsIntersect(out.vertices, out.faces, moved, others)) {
          out.vertices = before;
          outcome.reshaped = false;
          why = "shape kept: the reshaped limb crossed the body";
        }
      }
      if (!why.empty()) outcome.note += (outcome.note.empty() ? "" : "; ") + why;
      if (outcome.reshaped) {
        outcome.apex = out.vertices.row(apex).transpose();
        region = CutByPlane(out.vertices, out.faces, c.joint_t, n, {apex}, allowed, true);
      }
    }
    for (int v = 0; v < static_cast<int>(out.vertices.rows()); ++v) {
      if (region.flooded[static_cast<size_t>(v)]) out.residual[static_cast<size_t>(v)] = 1;
    }
    outcome.measurements =
        MeasureLimbRegion(region.vertices, region.faces, c.joint_t, n, outcome.apex, to_mm, region.loops);
    outcome.measurements.watertight = out.watertight();
  }
  return out;
}

}  // namespace

StumpMesh BuildStumpMesh(const model::BodyModel& model, const RowMatrixX3d& posed,
                         const std::vector<ResidualLimbCut>& cuts, const CapOptions& options, double to_mm) {
  return Build(model, posed, cuts, options, to_mm, true);
}

StumpMesh BuildReshapedStumpMesh(const model::BodyModel& model, const RowMatrixX3d& posed,
                                 const std::vector<ResidualLimbCut>& cuts, const StumpReshaper& reshape,
                                 const CapOptions& options, double to_mm) {
  return Build(model, posed, cuts, options, to_mm, true, &reshape);
}

StumpOutcome TryStump(const model::BodyModel& model, const RowMatrixX3d& posed, const ResidualLimbCut& cut,
                      const CapOptions& options) {
  return Build(model, posed, {cut}, options, 1000.0, false).limbs[0];
}

}  // namespace resihmr::geometry
