// Work on several threads: a loop that hands items 0..n-1 out to the
// threads in order. At most kMaxThreads threads; more threads than the
// machine has cores are accepted but add only overhead, and never more
// threads than items are started. A thread
// that cannot be started, or an item that throws, ends the loop: the
// threads already running finish their items and are joined, then the
// first error is thrown as a resihmr::Error (never std::terminate).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace resihmr::pipeline {

inline constexpr int kMaxThreads = 256;

// Runs fn(item, thread) for every item on up to `threads` threads; the
// same item always runs once, whichever thread takes it.
void ParallelFor(size_t items, int threads, const std::function<void(size_t item, int thread)>& fn);

}  // namespace resihmr::pipeline
