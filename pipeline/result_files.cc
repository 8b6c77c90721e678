#include "pipeline/result_files.h"

#include <filesystem>

#include "geometry/mesh_io.h"
#include "pipeline/fit_result_npz.h"
#include "pipeline/json_file.h"
#include "pipeline/person_pictures.h"
#include "pipeline/result_json.h"

namespace resihmr::pipeline {

geometry::RowMatrixX3d GltfAxes(const geometry::RowMatrixX3d& v) {
  geometry::RowMatrixX3d out = v;
  out.col(1) *= -1;
  out.col(2) *= -1;
  return out;
}

void WritePersonResultFiles(const model::BodyModel& m, const data::Observation& person, const PersonResult& result,
                            const std::string& folder, const ResultFileOptions& options) {
  const std::string stem = (std::filesystem::path(folder) / PersonFileStem(person)).string();
  const optim::FitResult& r = result.result();
  if (r.ok) {
    const geometry::StumpMesh& stump = result.mesh.mesh;
    const geometry::RowMatrixX3d colours = ResidualColours(stump.residual);
    geometry::MeshWriteOptions ply;
    ply.binary_ply = !options.ascii_ply;
    geometry::WriteMesh(stem + ".ply", stump.vertices, stump.faces, colours, stump.residual, ply);
    if (options.glb) geometry::WriteMesh(stem + ".glb", GltfAxes(stump.vertices), stump.faces, colours, stump.residual);
    WriteFitResultNpz(stem + ".npz", m, r, result.fit.residual_limbs);
  }
  WriteJsonFile(stem + ".json", PersonResultJson(person, result, options.method, options.model_name));
}

}  // namespace resihmr::pipeline
