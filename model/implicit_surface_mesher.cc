#include "model/implicit_surface_mesher.h"

#include <CGAL/Exact_predicates_inexact_constructions_kernel.h>
#include <CGAL/Labeled_mesh_domain_3.h>
#include <CGAL/Mesh_complex_3_in_triangulation_3.h>
#include <CGAL/Mesh_criteria_3.h>
#include <CGAL/Mesh_triangulation_3.h>
#include <CGAL/Polygon_mesh_processing/orientation.h>
#include <CGAL/Surface_mesh.h>
#include <CGAL/facets_in_complex_3_to_triangle_mesh.h>
#include <CGAL/make_mesh_3.h>

#include "model/error.h"

namespace resihmr::model {
namespace {

using Kernel = CGAL::Exact_predicates_inexact_constructions_kernel;
using Point = Kernel::Point_3;
using Domain = CGAL::Labeled_mesh_domain_3<Kernel>;
using Triangulation = CGAL::Mesh_triangulation_3<Domain, CGAL::Default, CGAL::Sequential_tag>::type;
using Complex = CGAL::Mesh_complex_3_in_triangulation_3<Triangulation>;
using Criteria = CGAL::Mesh_criteria_3<Triangulation>;

struct SizeField {
  using FT = Kernel::FT;
  using Index = Domain::Index;
  const ImplicitSurface* surface;
  FT operator()(const Point& p, const int, const Index&) const {
    return surface->facet_size(Eigen::Vector3d(p.x(), p.y(), p.z()));
  }
};

}  // namespace

TriangleMesh MeshImplicitSurface(const ImplicitSurface& surface, unsigned seed) {
  namespace params = CGAL::parameters;
  CGAL::get_default_random() = CGAL::Random(seed);
  auto function = [&surface](const Point& p) { return surface.function(Eigen::Vector3d(p.x(), p.y(), p.z())); };
  const Point c(surface.bound_centre.x(), surface.bound_centre.y(), surface.bound_centre.z());
  Domain domain = Domain::create_implicit_mesh_domain(
      function, Kernel::Sphere_3(c, surface.bound_radius * surface.bound_radius), params::relative_error_bound = 1e-7);
  Criteria criteria(params::facet_angle = 25, params::facet_size = SizeField{&surface},
                    params::facet_distance = surface.facet_distance,
                    params::facet_topology = CGAL::FACET_VERTICES_ON_SAME_SURFACE_PATCH,
                    params::cell_radius_edge_ratio = 3);
  Complex complex = CGAL::make_mesh_3<Complex>(domain, criteria, params::no_perturb(), params::no_exude(),
                                               params::manifold());
  CGAL::Surface_mesh<Point> mesh;
  CGAL::facets_in_complex_3_to_triangle_mesh(complex, mesh);
  if (mesh.number_of_faces() == 0 || !CGAL::is_closed(mesh)) {
    throw Error("implicit surface meshing did not give a closed surface");
  }
  if (!CGAL::Polygon_mesh_processing::is_outward_oriented(mesh)) {
    CGAL::Polygon_mesh_processing::reverse_face_orientations(mesh);
  }
  TriangleMesh out;
  out.vertices.resize(static_cast<Eigen::Index>(mesh.number_of_vertices()), 3);
  std::vector<int> index(mesh.num_vertices(), -1);
  int next = 0;
  for (auto v : mesh.vertices()) {
    const Point& p = mesh.point(v);
    out.vertices.row(next) << p.x(), p.y(), p.z();
    index[v.idx()] = next++;
  }
  out.faces.resize(static_cast<Eigen::Index>(mesh.number_of_faces()), 3);
  int f = 0;
  for (auto face : mesh.faces()) {
    int k = 0;
    for (auto v : CGAL::vertices_around_face(mesh.halfedge(face), mesh)) out.faces(f, k++) = index[v.idx()];
    ++f;
  }
  return out;
}

}  // namespace resihmr::model
