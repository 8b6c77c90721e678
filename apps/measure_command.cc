// resihmr measure: measurements of an external residual-limb scan.
#include <iomanip>
#include <iostream>

#include "apps/command.h"
#include "apps/flags.h"
#include "model/error.h"
#include "pipeline/json_file.h"
#include "pipeline/measure_scan.h"

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
  const nlohmann::json j = pipeline::MeasureScanFile(FLAGS_mesh, FLAGS_units, FLAGS_axis);
  pipeline::WriteJsonFile(FLAGS_out, j);
  const nlohmann::json& m = j["measurements"];
  std::cout << std::fixed << std::setprecision(1) << FLAGS_mesh << ": "
            << (j["open"].get<bool>() ? "open at one end" : "closed") << ", length " << m["length_mm"].get<double>()
            << " mm, volume " << m["volume_ml"].get<double>() << " mL, surface " << m["surface_area_mm2"].get<double>()
            << " mm^2; written to " << FLAGS_out << "\n";
  for (const auto& w : j["warnings"]) std::cout << "warning: " << w.get<std::string>() << "\n";
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
