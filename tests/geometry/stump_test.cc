#include <gtest/gtest.h>

#include <iostream>

#include <random>

#include "geometry/boundary_loops.h"
#include "geometry/cross_section.h"
#include "geometry/mesh_checks.h"
#include "geometry/mesh_read.h"
#include "geometry/plane_cut.h"
#include "geometry/stump_cap.h"
#include "geometry/stump_mesh.h"
#include "model/limb_topology.h"
#include "model/pose_body.h"
#include "tests/support/shared_data.h"
#include "tests/support/test_models.h"

namespace resihmr::geometry {
namespace {

// An open tube along +z from z = 0 to z = length, `segments` around, `rows` along,
// closed at z = length by a flat fan (outward oriented); open at z = 0.
void Tube(double radius, double length, int segments, int rows, RowMatrixX3d* V, RowMatrixX3i* F) {
  V->resize(segments * (rows + 1) + 1, 3);
  for (int r = 0; r <= rows; ++r) {
    for (int s = 0; s < segments; ++s) {
      const double a = 2 * M_PI * s / segments;
      V->row(r * segments + s) << radius * std::cos(a), radius * std::sin(a), length * r / rows;
    }
  }
  const int top = segments * (rows + 1);
  V->row(top) << 0, 0, length;
  std::vector<Eigen::Vector3i> faces;
  for (int r = 0; r < rows; ++r) {
    for (int s = 0; s < segments; ++s) {
      const int a = r * segments + s, b = r * segments + (s + 1) % segments;
      faces.push_back({a, b, b + segments});
      faces.push_back({a, b + segments, a + segments});
    }
  }
  for (int s = 0; s < segments; ++s) faces.push_back({rows * segments + s, rows * segments + (s + 1) % segments, top});
  F->resize(static_cast<Eigen::Index>(faces.size()), 3);
  for (size_t i = 0; i < faces.size(); ++i) F->row(static_cast<Eigen::Index>(i)) = faces[i].transpose();
}

TEST(LimbMeasurements, CylinderMatchesTheAnalyticValues) {
  RowMatrixX3d V;
  RowMatrixX3i F;
  const double r = 0.05, L = 0.4;
  Tube(r, L, 256, 40, &V, &F);
  const LimbMeasurements m = MeasureLimbRegion(V, F, Eigen::Vector3d::Zero(), Eigen::Vector3d::UnitZ(),
                                               Eigen::Vector3d(0, 0, L), 1000.0);
  EXPECT_NEAR(m.volume_ml, M_PI * r * r * L * 1e6, 0.01 * M_PI * r * r * L * 1e6);
  EXPECT_NEAR(m.surface_area_mm2, (2 * M_PI * r * L + M_PI * r * r) * 1e6, 0.01 * (2 * M_PI * r * L + M_PI * r * r) * 1e6);
  EXPECT_NEAR(m.length_mm, 400, 1e-9);
  ASSERT_EQ(m.circumference_mm.size(), 11u);
  for (int s = 0; s < 10; ++s) {
    EXPECT_NEAR(m.circumference_mm[static_cast<size_t>(s)], 2 * M_PI * r * 1000, 0.01 * 2 * M_PI * r * 1000) << s;
    EXPECT_NEAR(m.cross_section_mm2[static_cast<size_t>(s)], M_PI * r * r * 1e6, 0.01 * M_PI * r * r * 1e6) << s;
  }
}

TEST(LimbMeasurements, SphereVolumeAndEquator) {
  // UV sphere, radius 1 (units: m -> mm x 1000 ignored here: to_mm = 1).
  const int n = 200;
  std::vector<Eigen::Vector3d> pts;
  std::vector<Eigen::Vector3i> faces;
  pts.push_back({0, 0, -1});
  for (int i = 1; i < n; ++i) {
    const double t = M_PI * i / n - M_PI / 2;
    for (int j = 0; j < 2 * n; ++j) {
      const double p = M_PI * j / n;
      pts.push_back({std::cos(t) * std::cos(p), std::cos(t) * std::sin(p), std::sin(t)});
    }
  }
  pts.push_back({0, 0, 1});
  const auto idx = [&](int i, int j) { return 1 + (i - 1) * 2 * n + (j % (2 * n)); };
  for (int j = 0; j < 2 * n; ++j) faces.push_back({0, idx(1, j + 1), idx(1, j)});
  for (int i = 1; i + 1 < n; ++i) {
    for (int j = 0; j < 2 * n; ++j) {
      faces.push_back({idx(i, j), idx(i, j + 1), idx(i + 1, j + 1)});
      faces.push_back({idx(i, j), idx(i + 1, j + 1), idx(i + 1, j)});
    }
  }
  const int top = static_cast<int>(pts.size()) - 1;
  for (int j = 0; j < 2 * n; ++j) faces.push_back({idx(n - 1, j), idx(n - 1, j + 1), top});
  RowMatrixX3d V(static_cast<Eigen::Index>(pts.size()), 3);
  for (size_t i = 0; i < pts.size(); ++i) V.row(static_cast<Eigen::Index>(i)) = pts[i].transpose();
  RowMatrixX3i F(static_cast<Eigen::Index>(faces.size()), 3);
  for (size_t i = 0; i < faces.size(); ++i) F.row(static_cast<Eigen::Index>(i)) = faces[i].transpose();
  EXPECT_TRUE(CheckTopology(static_cast<int>(V.rows()), F).closed_manifold());
  EXPECT_NEAR(ClosedVolume(V, F), 4.0 / 3.0 * M_PI, 0.01 * 4.0 / 3.0 * M_PI);
  EXPECT_NEAR(SurfaceArea(V, F), 4 * M_PI, 0.01 * 4 * M_PI);
  const auto loops = PlaneSection(V, F, Eigen::Vector3d(0, 0, 0.001), Eigen::Vector3d::UnitZ());
  const SectionLoop* equator = LoopAround(loops, Eigen::Vector3d(0, 0, 0.001), Eigen::Vector3d::UnitZ());
  ASSERT_NE(equator, nullptr);
  EXPECT_NEAR(equator->length, 2 * M_PI, 0.01 * 2 * M_PI);
  EXPECT_NEAR(equator->area, M_PI, 0.01 * M_PI);
}

TEST(StumpCap, CutTubeCappedIsWatertightWithTheDomeVolume) {
  RowMatrixX3d V;
  RowMatrixX3i F;
  const double r = 0.05;
  Tube(r, 0.4, 96, 40, &V, &F);
  // Close the open end too, so the whole tube is watertight before the cut.
  const int bottom = static_cast<int>(V.rows());
  V.conservativeResize(bottom + 1, 3);
  V.row(bottom) << 0, 0, 0;
  const Eigen::Index f0 = F.rows();
  F.conservativeResize(f0 + 96, 3);
  for (int s = 0; s < 96; ++s) F.row(f0 + s) << (s + 1) % 96, s, bottom;
  ASSERT_TRUE(CheckTopology(static_cast<int>(V.rows()), F).closed_manifold());
  // Cut at z = 0.23 (the top goes), cap upwards.
  const PlaneCut cut = CutByPlane(V, F, Eigen::Vector3d(0, 0, 0.23), Eigen::Vector3d::UnitZ(), {bottom - 1});
  const auto loops = BoundaryLoops(cut.faces);
  ASSERT_EQ(loops.size(), 1u);
  RowMatrixX3d nv = cut.vertices;
  RowMatrixX3i nf = cut.faces;
  const CapResult cap = CapLoop(&nv, &nf, loops[0], Eigen::Vector3d::UnitZ(), CapOptions());
  const MeshTopology t = CheckTopology(static_cast<int>(nv.rows()), nf);
  EXPECT_EQ(t.boundary_edges, 0);
  EXPECT_EQ(t.nonmanifold_edges, 0);
  EXPECT_EQ(t.misoriented_edges, 0);
  EXPECT_NEAR(cap.loop_radius, r, 0.001 * r);
  // Tube to 0.23 plus a half-ellipsoid dome (2/3) pi r^2 h, h = 0.6 r.
  const double expected = M_PI * r * r * 0.23 + 2.0 / 3.0 * M_PI * r * r * 0.6 * r;
  EXPECT_NEAR(ClosedVolume(nv, nf), expected, 0.01 * expected);
  EXPECT_NEAR(nv(cap.apex, 2), 0.23 + 0.6 * r, 1e-6);
}

TEST(StumpMesh, EveryCapOnTheEmbeddedModelIsWatertight) {
  const model::BodyModel& m = testing::EmbeddedModel();
  std::mt19937 rng(12);
  std::uniform_real_distribution<double> u(0, 1);
  const model::LossLevel levels[] = {model::LossLevel::kAboveElbow, model::LossLevel::kBelowElbow,
                                     model::LossLevel::kAboveKnee, model::LossLevel::kBelowKnee};
  int built = 0, shifted = 0;
  double largest_shift = 0;
  for (int kind = 0; kind < 8; ++kind) {
    const model::LossLevel level = levels[kind / 2];
    const bool arm = kind / 2 < 2;
    const model::Limb limb = arm ? (kind % 2 ? model::Limb::kRightArm : model::Limb::kLeftArm)
                                 : (kind % 2 ? model::Limb::kRightLeg : model::Limb::kLeftLeg);
    for (int trial = 0; trial < 20; ++trial) {
      // An A-pose (arms 45 degrees down, elbows and knees a little bent) with
      // small variations that keep the arms off the torso: where the posed
      // body presses a limb into itself the cap check rightly refuses.
      model::BodyParams p = model::BodyParams::Zero(m);
      for (int j = 1; j < 24; ++j) {
        for (int a = 0; a < 3; ++a) p.pose(j, a) = 0.15 * (u(rng) - 0.5);
      }
      p.pose(m.JointIndex("left_shoulder"), 2) += -0.75;
      p.pose(m.JointIndex("right_shoulder"), 2) += 0.75;
      p.pose(m.JointIndex("left_elbow"), 1) += -0.3;
      p.pose(m.JointIndex("right_elbow"), 1) += 0.3;
      p.pose(m.JointIndex("left_knee"), 0) += 0.2;
      p.pose(m.JointIndex("right_knee"), 0) += 0.2;
      for (int b = 0; b < 10; ++b) p.betas[b] = 2 * (u(rng) - 0.5);
      const model::PosedBody posed = model::PoseBody(m, p, true);
      const model::ResidualLimb rl{limb, level};
      const model::ResidualSegment seg = model::SegmentOf(m, rl);
      // Levels over the whole segment, up to 0.99: next to hip or shoulder the
      // cut may move distally (at most 0.30, reported; docs/stump.md).
      const double lambda = 0.05 + 0.94 * u(rng);
      const StumpMesh s = BuildStumpMesh(m, posed.vertices, {{rl, posed.joints.row(seg.joint_t).transpose(),
                                                              posed.joints.row(seg.joint_a).transpose(), lambda}});
      SCOPED_TRACE(model::LimbName(limb) + " " + model::LossLevelName(level) + " lambda " + std::to_string(lambda));
      ASSERT_TRUE(s.limbs[0].ok) << s.limbs[0].error;
      EXPECT_TRUE(s.watertight()) << "boundary " << s.topology.boundary_edges << " nonmanifold "
                                  << s.topology.nonmanifold_edges << " vertices " << s.topology.nonmanifold_vertices;
      EXPECT_TRUE(s.limbs[0].measurements.watertight);
      EXPECT_LE(s.limbs[0].lambda_used, lambda);
      EXPECT_GE(s.limbs[0].lambda_used, lambda - 0.30 - 1e-9) << s.limbs[0].note;
      EXPECT_EQ(s.limbs[0].note.empty(), s.limbs[0].lambda_used == lambda);
      const LimbMeasurements& me = s.limbs[0].measurements;
      EXPECT_GT(me.volume_ml, 20);
      EXPECT_GT(me.length_mm, 5);
      EXPECT_LT(me.length_mm, 600);
      int labelled = 0;
      for (uint8_t l : s.residual) labelled += l;
      EXPECT_GT(labelled, 50);
      ++built;
      shifted += s.limbs[0].lambda_used < lambda;
      largest_shift = std::max(largest_shift, lambda - s.limbs[0].lambda_used);
    }
  }
  EXPECT_EQ(built, 160);
  std::cout << "stumps: " << built << " built, " << shifted << " cut distally of the requested level, by at most "
            << largest_shift << " in lambda\n";
}

// Real SMPL / SMPL-X topologies (geometry only): cut a thigh and an upper arm
// by a plane, cap, and check that no open or non-manifold edge appears.
void CutRealTopology(const std::string& path) {
  RowMatrixX3d V;
  RowMatrixX3i F;
  ReadMesh(path, &V, &F);  // the project's own OBJ reader, on the real topologies
  const MeshTopology before = CheckTopology(static_cast<int>(V.rows()), F);
  const double height = V.col(1).maxCoeff() - V.col(1).minCoeff();
  struct Cut {
    const char* name;
    Eigen::Vector3d point, normal;
    int seed;
  };
  Eigen::Index foot, hand;
  (V.col(1).array() + 10.0 * (V.col(0).array() < 0.05).cast<double>()).minCoeff(&foot);  // lowest vertex of the left (+x) leg
  V.col(0).maxCoeff(&hand);                                                              // the left hand's tip (T-pose)
  const double crotch = V.col(1).minCoeff() + 0.42 * height;
  const std::vector<Cut> cuts = {
      {"thigh", Eigen::Vector3d(0, crotch - 0.12, 0), -Eigen::Vector3d::UnitY(), static_cast<int>(foot)},
      {"upper arm", Eigen::Vector3d(V(hand, 0) - 0.55 * 0.8 * V(hand, 0), 0, 0), Eigen::Vector3d::UnitX(), static_cast<int>(hand)}};
  for (const Cut& c : cuts) {
    SCOPED_TRACE(path + ": " + c.name);
    const PlaneCut cut = CutByPlane(V, F, c.point, c.normal, {c.seed});
    // The loop this cut made: the one through new vertices.
    std::vector<std::vector<int>> fresh;
    for (const auto& loop : BoundaryLoops(cut.faces)) {
      if (loop[0] >= cut.first_new_vertex) fresh.push_back(loop);
    }
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_GE(fresh[0].size(), 24u);
    RowMatrixX3d nv = cut.vertices;
    RowMatrixX3i nf = cut.faces;
    CapLoop(&nv, &nf, fresh[0], c.normal, CapOptions());
    int used = 0;
    for (Eigen::Index v = 0; v < nv.rows(); ++v) used += 1;
    const MeshTopology after = CheckTopology(used, nf);
    EXPECT_EQ(after.boundary_edges, before.boundary_edges);
    EXPECT_EQ(after.nonmanifold_edges, 0);
    EXPECT_EQ(after.misoriented_edges, 0);
    if (before.closed_manifold()) {
      EXPECT_TRUE(after.closed_manifold());
    }
  }
}

TEST(StumpCap, RealSmplTopology) {
  RESIHMR_SHARED_DATA_FILE(path, "smpl-topology/smpl_template_male.obj");
  CutRealTopology(path);
}

TEST(StumpCap, RealSmplxTopology) {
  RESIHMR_SHARED_DATA_FILE(path, "smpl-topology/smplx_template_neutral.obj");
  CutRealTopology(path);
}

}  // namespace
}  // namespace resihmr::geometry
