// resihmr measure: measurements of an external residual-limb scan.
#include <iomanip>
#include <iostream>

#include "apps/command.h"
#include "apps/fit_result_json.h"
#include "apps/flags.h"
#include "apps/json_file.h"
#include "geometry/mesh_read.h"
#include "geometry/scan_measurements.h"
#include "model/error.h"

DEFINE_string(mesh, "", "measure: the scan (STL, OBJ or PLY)");
DEFINE_string(axis, "auto", "measure: limb axis: auto, x, y or z");
DEFINE_string(units, "", "measure: the scan's units: mm or m (required)");

namespace resihmr::apps {
namespace {

int Run() {
  if (FLAGS_mesh.empty()) throw Error("measure: --mesh is required (an STL, OBJ or PLY scan)");
  if (FLAGS_out.empty()) throw Error("measure: --out is required (the measurements JSON to write)");
  if (FLAGS_units != "mm" && FLAGS_units != "m") {
    throw Error("measure: --units must be given as mm or m (a scan's units cannot be guessed safely)");
  }
  geometry::RowMatrixX3d vertices;
  geometry::RowMatrixX3i faces;
  // A scan of a limb lies within 10 m of its origin: larger coordinates are not in the units given.
  geometry::MeshReadLimits limits;
  limits.max_abs_coordinate = FLAGS_units == "m" ? 10.0 : 10000.0;
  std::vector<std::string> notes;
  geometry::ReadMesh(FLAGS_mesh, &vertices, &faces, limits, &notes);
  geometry::ScanMeasurements s;
  try {
    s = geometry::MeasureScan(vertices, faces, FLAGS_axis, FLAGS_units == "m" ? 1000.0 : 1.0);
  } catch (const Error& e) {
    throw Error(FLAGS_mesh + ": " + e.what());
  }
  s.warnings.insert(s.warnings.begin(), notes.begin(), notes.end());
  const nlohmann::json j = {{"mesh", FLAGS_mesh},
                            {"units", FLAGS_units},
                            {"vertices", vertices.rows()},
                            {"faces", faces.rows()},
                            {"open", s.open},
                            {"holes", s.holes},
                            {"axis", {s.axis.x(), s.axis.y(), s.axis.z()}},
                            {"plane_point", {s.plane_point.x(), s.plane_point.y(), s.plane_point.z()}},
                            {"measurements", MeasurementsJson(s.measurements)},
                            {"warnings", s.warnings}};
  WriteJsonFile(FLAGS_out, j);
  const geometry::LimbMeasurements& m = s.measurements;
  std::cout << std::fixed << std::setprecision(1) << FLAGS_mesh << ": " << (s.open ? "open at one end" : "closed")
            << ", length " << m.length_mm << " mm, volume " << m.volume_ml << " mL, surface " << m.surface_area_mm2
            << " mm^2; written to " << FLAGS_out << "\n";
  for (const std::string& w : s.warnings) std::cout << "warning: " << w << "\n";
  return 0;
}

}  // namespace

Command MeasureCommand() {
  return {"measure", "measure a residual-limb scan (length, volume, area, circumferences)",
          "usage: resihmr measure --mesh scan.stl|obj|ply --units mm|m [--axis auto|x|y|z] --out m.json\n"
          "\n"
          "Measures a residual-limb surface the way fitted stumps are measured: length\n"
          "from the proximal opening (or, for a closed mesh, its near end) to the far\n"
          "end along the axis, volume with the opening closed (mL), surface area (mm^2),\n"
          "and circumference (mm) and cross-section area (mm^2) at 0%, 10%, ..., 100% of\n"
          "the length. Writes {\"measurements\": {...}} in the fit results' format.\n"
          "\n"
          "  --mesh   the scan: binary or ASCII STL, OBJ, or ASCII or binary PLY (required);\n"
          "           malformed files, faces indexing no vertex and non-finite\n"
          "           coordinates are errors naming the element (docs/fuzzing.md)\n"
          "  --units  the scan's units, mm or m (required); coordinates beyond 10 m\n"
          "           (1e4 mm, 10 m) are refused as not in these units\n"
          "  --axis   auto (opening centre to the farthest point; a closed mesh's longest\n"
          "           principal axis), or x, y or z pointing to the far end\n"
          "  --out    the JSON file to write (required)\n",
          {"mesh", "units", "axis", "out"}, &Run};
}

}  // namespace resihmr::apps
