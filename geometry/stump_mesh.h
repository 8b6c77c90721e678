// The residual limb as real geometry (METHOD.md section 5): the posed body
// mesh cut where each residual limb ends and closed by a smooth convex cap,
// with a per-vertex residual-limb label m_k and measurements in mm, mm^2
// and mL. For each residual limb, with n = (J_a - J_t)/|J_a - J_t| and the
// endpoint p = J_a + lambda (J_t - J_a):
//   1. everything of the limb beyond the plane (p, n) goes: a flood from the
//      vertices skinned mostly to the joints beyond the segment (the coarse
//      part: forearm and hand, shank and foot, ...) through vertices beyond
//      the plane and skinned to the limb (weights of J_t and beyond >= 0.05)
//      within 1.3 limb radii of the segment's axis, so that no other limb, nor
//      buttock, crotch or armpit near a short stump, is touched; crossing
//      edges are split at the plane, so the ring is planar where it crosses
//      the limb (geometry/plane_cut.h);
//   2. the cut must leave exactly one boundary loop, else the limb fails;
//   3. a dome cap closes it (geometry/stump_cap.h); the cap must not cross
//      the faces around it (exact test), and the whole mesh must be a closed
//      2-manifold: both checked here, the verdict part of the result;
//   4. m_k = 1 on the residual limb: the surface beyond the joint plane
//      (J_t, n) reached from the cap through vertices skinned to the limb
//      (weights of J_t and beyond >= 0.2, which keeps the other leg or the
//      torso out where a hip or shoulder plane passes near them), and the cap;
//   5. measurements of that region closed at the joint plane: length
//      (joint centre to cap apex), volume (divergence theorem), surface area,
//      circumference and cross-section at 0%, 10%, ..., 100% of the length.
// The cut ring must lie on the plane (where the flood stops short of it, the
// limb merges with the trunk) and be star-shaped (stump_cap.h). Where it is
// not at the requested level (a very short stump next to hip or shoulder,
// where the plane meets buttock, crotch or armpit), the cut moves distally
// in steps of 0.03 in lambda, by at most the cut's max_shift (0.30), and the
// outcome says so (lambda_used, note). A limb that still fails leaves the mesh as it was
// for that limb, with the reason in its outcome.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "geometry/mesh_checks.h"
#include "geometry/stump_cap.h"
#include "model/body_model.h"
#include "model/limb_topology.h"

namespace resihmr::geometry {

struct LimbMeasurements {
  double length_mm = 0;
  double volume_ml = 0;
  double surface_area_mm2 = 0;
  std::vector<double> circumference_mm;   // 11 values, 0%..100% of the length from the joint plane;
  std::vector<double> cross_section_mm2;  // NaN where no closed section surrounds the axis (near a hip or
                                          // shoulder the joint plane meets the torso)
  bool watertight = false;
};

struct ResidualLimbCut {
  model::ResidualLimb limb;
  Eigen::Vector3d joint_t = Eigen::Vector3d::Zero();  // same frame and units as the vertices
  Eigen::Vector3d joint_a = Eigen::Vector3d::Zero();
  double lambda = 0.5;
  double max_shift = 0.30;  // how far (in lambda) the cut may move distally where the requested level fails
};

struct StumpOutcome {
  bool ok = false;
  std::string error;
  bool crosses_body = false;  // at the requested level the cap crossed other faces of the body
  double lambda_used = 0;  // the level actually cut (see below)
  bool reshaped = false;   // BuildReshapedStumpMesh: the limb took the reshaper's shape
  std::string note;        // why it differs from the requested level
  Eigen::Vector3d apex = Eigen::Vector3d::Zero();
  LimbMeasurements measurements;
};

struct StumpMesh {
  RowMatrixX3d vertices;         // V' x 3, same frame and units as the input
  RowMatrixX3i faces;            // F' x 3
  std::vector<uint8_t> residual; // m_k per vertex
  std::vector<StumpOutcome> limbs;  // one per cut, same order
  MeshTopology topology;         // of the final mesh
  bool watertight() const { return topology.closed_manifold() && topology.components == 1; }
};

// posed: V x 3 posed vertices of `model` (metres); to_mm converts their units.
StumpMesh BuildStumpMesh(const model::BodyModel& model, const RowMatrixX3d& posed, const std::vector<ResidualLimbCut>& cuts,
                         const CapOptions& options = CapOptions(), double to_mm = 1000.0);

// Reshapes the surface of cut `cut`'s residual limb (the vertices flagged in
// `limb`, beyond its joint plane), cut at `lambda_used`, in place, on the
// whole mesh (`faces`, `vertices`: every limb capped); returns false, with
// the reason (which goes into the outcome's note as it is), to keep the
// shape it has.
using StumpReshaper = std::function<bool(size_t cut, double lambda_used, const RowMatrixX3i& faces,
                                         const std::vector<uint8_t>& limb, RowMatrixX3d* vertices, std::string* why)>;

// BuildStumpMesh, with each capped limb then reshaped by `reshape` (synthetic
// ground truth of another shape family than the cap's: data/stump_shapes.h)
// before it is labelled and measured. A reshaped limb whose faces cross the
// rest of the body (geometry/self_intersection.h) keeps its capped shape, and
// its outcome's note says so. The vertices near the joint plane must stay
// where they are, so that the limb's region is found as before.
StumpMesh BuildReshapedStumpMesh(const model::BodyModel& model, const RowMatrixX3d& posed,
                                 const std::vector<ResidualLimbCut>& cuts, const StumpReshaper& reshape,
                                 const CapOptions& options = CapOptions(), double to_mm = 1000.0);

// Whether `cut` alone can be capped on `posed`: BuildStumpMesh's cut, cap and
// checks for that one limb (ok, error, crosses_body, lambda_used, note, apex),
// without the labels, mesh topology and measurements; for searches that try
// many poses of one limb.
StumpOutcome TryStump(const model::BodyModel& model, const RowMatrixX3d& posed, const ResidualLimbCut& cut,
                      const CapOptions& options = CapOptions());

// Measurements of a limb surface `region` (open at the joint plane through
// `joint`, axis `normal` towards its end `apex`), in the region's units x to_mm.
// Volume and area: of the region with its open boundary loops (`rim`; empty:
// found from the faces) closed by fans; or, with `beyond_plane`, of the part
// beyond the joint plane closed by that plane (any rim: used for scans).
LimbMeasurements MeasureLimbRegion(const RowMatrixX3d& vertices, const RowMatrixX3i& faces, const Eigen::Vector3d& joint,
                                   const Eigen::Vector3d& normal, const Eigen::Vector3d& apex, double to_mm,
                                   const std::vector<std::vector<int>>& rim = {}, bool beyond_plane = false);

}  // namespace resihmr::geometry
