// Command-line flags shared by the subcommands (gflags definitions in flags.cc).
#pragma once

#include <gflags/gflags.h>

DECLARE_string(model);
DECLARE_string(out);
DECLARE_string(params);
DECLARE_string(joints_out);
DECLARE_uint32(seed);
DECLARE_string(keypoints);
DECLARE_string(images);
DECLARE_int32(threads);
