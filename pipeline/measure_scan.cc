#include "pipeline/measure_scan.h"

#include <cmath>

#include "geometry/mesh_read.h"
#include "geometry/scan_measurements.h"
#include "model/error.h"
#include "pipeline/result_json.h"

namespace resihmr::pipeline {
namespace {

void CheckUnits(const std::string& units) {
  if (units != "mm" && units != "m") {
    throw Error("measure: units must be given as mm or m (a scan's units cannot be guessed safely), not '" + units + "'");
  }
}

// A scan of a limb lies within 10 m of its origin: larger coordinates are not in the units given.
double MaxCoordinate(const std::string& units) { return units == "m" ? 10.0 : 10000.0; }

nlohmann::json Measure(const geometry::RowMatrixX3d& vertices, const geometry::RowMatrixX3i& faces, const std::string& units,
                       const std::string& axis, const std::string& name, const std::vector<std::string>& notes) {
  geometry::ScanMeasurements s;
  try {
    s = geometry::MeasureScan(vertices, faces, axis, units == "m" ? 1000.0 : 1.0);
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
  s.warnings.insert(s.warnings.begin(), notes.begin(), notes.end());
  return {{"mesh", name},
          {"units", units},
          {"vertices", vertices.rows()},
          {"faces", faces.rows()},
          {"open", s.open},
          {"holes", s.holes},
          {"axis", {s.axis.x(), s.axis.y(), s.axis.z()}},
          {"plane_point", {s.plane_point.x(), s.plane_point.y(), s.plane_point.z()}},
          {"measurements", MeasurementsJson(s.measurements)},
          {"warnings", s.warnings}};
}

}  // namespace

nlohmann::json MeasureScanFile(const std::string& path, const std::string& units, const std::string& axis) {
  CheckUnits(units);
  geometry::RowMatrixX3d vertices;
  geometry::RowMatrixX3i faces;
  geometry::MeshReadLimits limits;
  limits.max_abs_coordinate = MaxCoordinate(units);
  std::vector<std::string> notes;
  geometry::ReadMesh(path, &vertices, &faces, limits, &notes);
  return Measure(vertices, faces, units, axis, path, notes);
}

nlohmann::json MeasureScanMesh(const geometry::RowMatrixX3d& vertices, const geometry::RowMatrixX3i& faces,
                               const std::string& units, const std::string& axis, const std::string& name) {
  CheckUnits(units);
  if (vertices.rows() == 0 || faces.rows() == 0) throw Error(name + ": the mesh has no vertices or no faces");
  const double limit = MaxCoordinate(units);
  for (Eigen::Index i = 0; i < vertices.rows(); ++i) {
    for (int c = 0; c < 3; ++c) {
      if (!std::isfinite(vertices(i, c)) || std::abs(vertices(i, c)) > limit) {
        throw Error(name + ": vertex " + std::to_string(i) + ": coordinate " + std::to_string(c) +
                    " is not finite or beyond " + std::to_string(limit) + " " + units);
      }
    }
  }
  for (Eigen::Index f = 0; f < faces.rows(); ++f) {
    for (int c = 0; c < 3; ++c) {
      if (faces(f, c) < 0 || faces(f, c) >= vertices.rows()) {
        throw Error(name + ": face " + std::to_string(f) + " indexes vertex " + std::to_string(faces(f, c)) +
                    ", outside 0.." + std::to_string(vertices.rows() - 1));
      }
    }
  }
  return Measure(vertices, faces, units, axis, name, {});
}

}  // namespace resihmr::pipeline
