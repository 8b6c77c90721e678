// Command-line flags shared by the subcommands (gflags definitions in flags.cc),
// and the one range check every numeric flag goes through.
#pragma once

#include <gflags/gflags.h>

#include <string>
#include <vector>

DECLARE_string(model);
DECLARE_string(out);
DECLARE_string(views);
DECLARE_string(extrinsics);
DECLARE_bool(strict);
DECLARE_string(image_size);
DECLARE_string(frames);
DECLARE_string(params);
DECLARE_string(joints_out);
DECLARE_uint32(seed);
DECLARE_string(keypoints);
DECLARE_string(images);
DECLARE_int32(threads);
DECLARE_bool(ascii_ply);
DECLARE_string(masks);
DECLARE_string(silhouette);
DECLARE_string(config);

namespace resihmr::apps {

// `value` of --threads for `command`, checked: throws resihmr::Error outside
// 1..pipeline::kMaxThreads (256).
int CheckedThreads(int value, const std::string& command);

// Throws resihmr::Error "<command>: --<flag> <value> is outside lo..hi"
// unless value is finite and within [lo, hi].
void RequireFlagInRange(const std::string& command, const std::string& flag, double value, double lo, double hi);

// "a<sep>b<sep>..." with exactly `count` integers, each in [lo, hi] (read at
// full width, so that nothing wraps), else false.
bool ParseIntegers(const std::string& text, char sep, size_t count, long long lo, long long hi, std::vector<long long>* out);

}  // namespace resihmr::apps
