// libFuzzer target: one mesh reader (geometry/mesh_read.h) on arbitrary
// bytes, then the scan measurements of `resihmr measure` on what it
// accepts: a mesh and measurements, or a resihmr::Error. Built once per
// format, RESIHMR_MESH_FORMAT "stl", "obj" or "ply" (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "geometry/mesh_read.h"
#include "geometry/scan_measurements.h"
#include "model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  resihmr::geometry::RowMatrixX3d vertices;
  resihmr::geometry::RowMatrixX3i faces;
  try {
    resihmr::geometry::ParseMesh(bytes, RESIHMR_MESH_FORMAT, "fuzz." RESIHMR_MESH_FORMAT, &vertices, &faces);
  } catch (const resihmr::Error&) {
    return 0;
  }
  if (!vertices.allFinite() || faces.minCoeff() < 0 || faces.maxCoeff() >= vertices.rows()) std::abort();
  if (faces.rows() > 2000) return 0;  // keep each run short; the reader is the target
  try {
    resihmr::geometry::MeasureScan(vertices, faces, "auto", 1.0);
  } catch (const resihmr::Error&) {
  }
  return 0;
}
