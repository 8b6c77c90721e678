#include "optim/body_blocks.h"

#include <cmath>

#include "model/rotation.h"

namespace resihmr::optim {

BodyBlocks::BodyBlocks(const model::BodyParams& p)
    : body_pose(3 * static_cast<size_t>(p.pose.rows() - 1)), betas(p.betas.data(), p.betas.data() + p.betas.size()) {
  for (int a = 0; a < 3; ++a) {
    orient[a] = p.pose(0, a);
    transl[a] = p.transl[a];
  }
  for (Eigen::Index j = 1; j < p.pose.rows(); ++j) {
    for (int a = 0; a < 3; ++a) body_pose[3 * static_cast<size_t>(j - 1) + a] = p.pose(j, a);
  }
}

bool BodyBlocks::Store(model::BodyParams* params) const {
  bool finite = true;
  for (int a = 0; a < 3; ++a) finite = finite && std::isfinite(orient[a]) && std::isfinite(transl[a]);
  for (double x : body_pose) finite = finite && std::isfinite(x);
  for (double x : betas) finite = finite && std::isfinite(x);
  if (!finite) return false;
  double o[3] = {orient[0], orient[1], orient[2]};
  model::CanonicalAxisAngle(o);
  params->pose.row(0) << o[0], o[1], o[2];
  for (Eigen::Index j = 1; j < params->pose.rows(); ++j) {
    double r[3];
    for (int a = 0; a < 3; ++a) r[a] = body_pose[3 * static_cast<size_t>(j - 1) + a];
    model::CanonicalAxisAngle(r);
    params->pose.row(j) << r[0], r[1], r[2];
  }
  for (size_t i = 0; i < betas.size(); ++i) params->betas[static_cast<Eigen::Index>(i)] = betas[i];
  params->transl << transl[0], transl[1], transl[2];
  return true;
}

}  // namespace resihmr::optim
