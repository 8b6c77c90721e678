// The embedded body model as programs get it: made once at build time
// (model/make_embedded_model_main.cc) into resihmr_embedded_model.npz, and
// loaded from there when the file's CRC-32 is the one the build recorded;
// otherwise (the file moved, changed or missing) it is made again from the
// project's code, which gives the same model, only slower (about 3 s).
// The file is looked for at the path of the build, then beside the program
// or shared object that holds this code (the tool, or the installed Python
// module). Its `source` is "embedded" either way.
#pragma once

#include "model/body_model.h"

namespace resihmr::model {

// The embedded model (seed 0), as MakeEmbeddedBodyModel(0) makes it.
BodyModel EmbeddedBodyModel();

// Where the build wrote the model file.
const char* EmbeddedModelFilePath();

}  // namespace resihmr::model
