// libFuzzer target: the npz container, the npy arrays inside it and the body
// model built from them, on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include "model/body_model_npz.h"
#include "model/error.h"
#include "model/npz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const resihmr::model::NpzContents npz = resihmr::model::ReadNpzFromMemory(data, size, "fuzz.npz");
    resihmr::model::BodyModelFromNpz(npz, "fuzz.npz");
  } catch (const resihmr::Error&) {
  }
  try {
    resihmr::model::ParseNpy(data, size, "fuzz.npy");
  } catch (const resihmr::Error&) {
  }
  return 0;
}
