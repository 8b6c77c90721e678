#include "pipeline/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "model/error.h"

namespace resihmr::pipeline {

void ParallelFor(size_t items, int threads, const std::function<void(size_t, int)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::string first_error;
  const auto record = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    if (first_error.empty()) first_error = what;
    stop = true;
  };
  const auto worker = [&](int thread) {
    for (size_t i = next++; i < items && !stop; i = next++) {
      try {
        fn(i, thread);
      } catch (const std::exception& e) {
        record(e.what());
      }
    }
  };
  const int wanted = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), std::max<size_t>(items, 1)));
  std::vector<std::thread> pool;
  for (int t = 1; t < wanted && !stop; ++t) {
    try {
      pool.emplace_back(worker, t);
    } catch (const std::system_error& e) {
      record("cannot start thread " + std::to_string(t + 1) + " of " + std::to_string(wanted) + ": " + e.what());
    }
  }
  worker(0);
  for (std::thread& t : pool) t.join();
  if (!first_error.empty()) throw Error(first_error);
}

}  // namespace resihmr::pipeline
