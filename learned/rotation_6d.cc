#include "learned/rotation_6d.h"

namespace resihmr::learned {

torch::Tensor Rotation6dToMatrix(const torch::Tensor& x) {
  TORCH_CHECK(x.size(-1) == 6, "Rotation6dToMatrix: last dimension 6 expected, got ", x.size(-1));
  const torch::Tensor a1 = x.narrow(-1, 0, 3), a2 = x.narrow(-1, 3, 3);
  const torch::Tensor b1 = torch::nn::functional::normalize(a1, torch::nn::functional::NormalizeFuncOptions().dim(-1));
  const torch::Tensor b2 = torch::nn::functional::normalize(a2 - (b1 * a2).sum(-1, true) * b1,
                                                            torch::nn::functional::NormalizeFuncOptions().dim(-1));
  const torch::Tensor b3 = torch::cross(b1, b2, -1);
  return torch::stack({b1, b2, b3}, -1);
}

torch::Tensor MatrixToRotation6d(const torch::Tensor& R) {
  TORCH_CHECK(R.dim() >= 2 && R.size(-1) == 3 && R.size(-2) == 3, "MatrixToRotation6d: [..., 3, 3] expected");
  return torch::cat({R.select(-1, 0), R.select(-1, 1)}, -1);
}

namespace {

// The leading shape of `t` without its last `drop` dimensions, then `tail`.
std::vector<int64_t> LeadingShape(const torch::Tensor& t, int drop, std::initializer_list<int64_t> tail) {
  std::vector<int64_t> shape(t.sizes().begin(), t.sizes().end() - drop);
  shape.insert(shape.end(), tail.begin(), tail.end());
  return shape;
}

}  // namespace

torch::Tensor AxisAngleToMatrix(const torch::Tensor& aa) {
  TORCH_CHECK(aa.size(-1) == 3, "AxisAngleToMatrix: last dimension 3 expected, got ", aa.size(-1));
  const torch::Tensor angle = aa.norm(2, -1, true).clamp_min(1e-12);
  const torch::Tensor axis = aa / angle;
  const torch::Tensor x = axis.select(-1, 0), y = axis.select(-1, 1), z = axis.select(-1, 2);
  const torch::Tensor zero = torch::zeros_like(x);
  // K = [axis]_x; R = I + sin(t) K + (1 - cos(t)) K^2.
  const torch::Tensor K = torch::stack({zero, -z, y, z, zero, -x, -y, x, zero}, -1).reshape(LeadingShape(aa, 1, {3, 3}));
  const torch::Tensor t = angle.unsqueeze(-1);
  const torch::Tensor eye = torch::eye(3, aa.options()).expand_as(K);
  return eye + torch::sin(t) * K + (1 - torch::cos(t)) * torch::matmul(K, K);
}

torch::Tensor MatrixToAxisAngle(const torch::Tensor& R) {
  TORCH_CHECK(R.dim() >= 2 && R.size(-1) == 3 && R.size(-2) == 3, "MatrixToAxisAngle: [..., 3, 3] expected");
  // Through the unit quaternion (w, x, y, z), computed from whichever of its
  // four components is largest (stable at every angle, including pi).
  const auto m = [&](int i, int j) { return R.select(-2, i).select(-1, j); };
  const torch::Tensor q_abs = torch::sqrt(torch::stack({1 + m(0, 0) + m(1, 1) + m(2, 2), 1 + m(0, 0) - m(1, 1) - m(2, 2),
                                                        1 - m(0, 0) + m(1, 1) - m(2, 2), 1 - m(0, 0) - m(1, 1) + m(2, 2)},
                                                       -1)
                                              .clamp_min(0)) /
                              2;
  const auto sq = [&](int k) { return 4 * q_abs.select(-1, k) * q_abs.select(-1, k); };
  // Row k: 4 q_k q, exact when q_k is not small.
  const torch::Tensor candidates =
      torch::stack({torch::stack({sq(0), m(2, 1) - m(1, 2), m(0, 2) - m(2, 0), m(1, 0) - m(0, 1)}, -1),
                    torch::stack({m(2, 1) - m(1, 2), sq(1), m(1, 0) + m(0, 1), m(0, 2) + m(2, 0)}, -1),
                    torch::stack({m(0, 2) - m(2, 0), m(1, 0) + m(0, 1), sq(2), m(1, 2) + m(2, 1)}, -1),
                    torch::stack({m(1, 0) - m(0, 1), m(2, 0) + m(0, 2), m(2, 1) + m(1, 2), sq(3)}, -1)},
                   -2) /
      (4 * q_abs.clamp_min(0.1)).unsqueeze(-1);
  const torch::Tensor pick = q_abs.argmax(-1, true).unsqueeze(-1).expand(LeadingShape(q_abs, 1, {1, 4}));
  torch::Tensor q = candidates.gather(-2, pick).squeeze(-2);
  q = q * torch::where(q.narrow(-1, 0, 1) < 0, -1.0, 1.0);  // w >= 0: angle in [0, pi]
  q = torch::nn::functional::normalize(q, torch::nn::functional::NormalizeFuncOptions().dim(-1));
  const torch::Tensor v = q.narrow(-1, 1, 3);
  const torch::Tensor s = v.norm(2, -1, true);
  const torch::Tensor angle = 2 * torch::atan2(s, q.narrow(-1, 0, 1));
  // angle / sin(angle / 2) -> 2 as the angle -> 0.
  return v * torch::where(s > 1e-8, angle / s.clamp_min(1e-12), torch::full_like(s, 2.0));
}

torch::Tensor GeodesicAngle(const torch::Tensor& R1, const torch::Tensor& R2) {
  const torch::Tensor relative = torch::matmul(R1.transpose(-1, -2), R2);
  const torch::Tensor trace = relative.diagonal(0, -2, -1).sum(-1);
  return torch::acos(((trace - 1) / 2).clamp(-1 + 1e-7, 1 - 1e-7));
}

}  // namespace resihmr::learned
