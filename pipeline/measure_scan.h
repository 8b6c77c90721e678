// `resihmr measure` as a library call: the measurements of a residual-limb
// surface (geometry/scan_measurements.h) from a scan file (STL, OBJ, PLY;
// geometry/mesh_read.h) or from arrays, as the JSON the command writes:
// mesh, units, vertex and face counts, open, holes, axis, plane_point,
// measurements (length mm, volume mL, surface mm^2, circumference mm and
// cross-section mm^2 at every 10%; pipeline/result_json.h) and warnings.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "geometry/mesh_io.h"

namespace resihmr::pipeline {

// `units` "mm" or "m" (required: a scan's units cannot be guessed safely);
// `axis` "auto", "x", "y" or "z". Throws resihmr::Error naming the file (or
// `name`) and the element when the mesh cannot be read or measured.
nlohmann::json MeasureScanFile(const std::string& path, const std::string& units, const std::string& axis = "auto");

// The same for vertices (V x 3, in `units`) and faces (F x 3, indices into vertices).
nlohmann::json MeasureScanMesh(const geometry::RowMatrixX3d& vertices, const geometry::RowMatrixX3i& faces,
                               const std::string& units, const std::string& axis = "auto",
                               const std::string& name = "mesh");

}  // namespace resihmr::pipeline
