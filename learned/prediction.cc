#include "learned/prediction.h"

#include "learned/rotation_6d.h"
#include "model/error.h"

namespace resihmr::learned {

Prediction Predict(RegressorBundle& bundle, const torch::Tensor& images, const torch::Tensor& keypoints,
                   const torch::Tensor& visible) {
  const int size = bundle.regressor->config().image_size;
  if (images.dim() != 4 || images.size(1) != 3 || images.size(2) != size || images.size(3) != size ||
      images.scalar_type() != torch::kUInt8) {
    throw Error("Predict: uint8 images [B, 3, " + std::to_string(size) + ", " + std::to_string(size) + "] expected, got " +
                c10::str(images.sizes()) + " " + std::string(c10::toString(images.scalar_type())));
  }
  torch::NoGradGuard no_grad;
  bundle.regressor->eval();
  bundle.tokenizer->eval();
  if (bundle.bpac) bundle.bpac->eval();
  const torch::Device device = bundle.regressor->parameters().front().device();
  const RegressorRun run = RunRegressor(bundle, images.to(device), keypoints.to(device), visible.to(device));
  Prediction p;
  const torch::Tensor pose6d = bundle.tokenizer->Decode(run.out.token_logits.argmax(2));
  p.body_pose = MatrixToAxisAngle(Rotation6dToMatrix(pose6d.to(torch::kDouble))).cpu();
  p.global_orient = MatrixToAxisAngle(Rotation6dToMatrix(run.out.global_orient.to(torch::kDouble))).cpu();
  p.betas = run.out.betas.to(torch::kDouble).cpu();
  p.camera = run.out.camera.to(torch::kDouble).cpu();
  if (run.bpac_logits.defined()) {
    p.bpac_probabilities = torch::softmax(run.bpac_logits, 2).to(torch::kDouble).cpu();
    p.bpac_classes = run.bpac_logits.argmax(2).cpu();
  }
  return p;
}

}  // namespace resihmr::learned
