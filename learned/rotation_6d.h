// Rotations for the learned modules as LibTorch tensors: the continuous 6D
// representation of Zhou et al. (CVPR 2019) that the regressors and the pose
// tokenizer predict, and conversions to and from rotation matrices and
// axis-angle (the representation of every other part of resihmr). The 6D
// layout is HMR2.0's and TokenHMR's: x = [a1, a2] with a1 = x[..., 0:3] and
// a2 = x[..., 3:6] the first two columns of R before Gram-Schmidt; so
// MatrixToRotation6d(R) = [R[..., :, 0], R[..., :, 1]]. Any leading shape.
#pragma once

#include <torch/torch.h>

namespace resihmr::learned {

// [..., 6] -> [..., 3, 3], columns b1 = a1/|a1|, b2 = the part of a2 normal to
// b1, normalised, b3 = b1 x b2.
torch::Tensor Rotation6dToMatrix(const torch::Tensor& x);

// [..., 3, 3] -> [..., 6].
torch::Tensor MatrixToRotation6d(const torch::Tensor& R);

// Axis-angle (axis times angle, radians) [..., 3] -> [..., 3, 3] (Rodrigues),
// and back (angle in [0, pi]).
torch::Tensor AxisAngleToMatrix(const torch::Tensor& aa);
torch::Tensor MatrixToAxisAngle(const torch::Tensor& R);

// Geodesic angle between rotations [..., 3, 3] -> [...] (radians).
torch::Tensor GeodesicAngle(const torch::Tensor& R1, const torch::Tensor& R2);

}  // namespace resihmr::learned
