// Runs one job on several threads, the caller's among them, and passes on the first exception.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace spm::detail {

/// Runs `work` on `threads` threads (inline when 1), waits for all of them, then rethrows the
/// first exception any of them threw. Each call of `work` takes its own share of the job from a
/// shared counter until none is left, so that fewer threads still do all of it: when the system
/// cannot start another thread, the ones started (and the caller's) carry on alone.
template <class F>
void run_workers(std::size_t threads, F&& work) {
  std::exception_ptr error;
  std::mutex lock;
  const auto guarded = [&] {
    try {
      work();
    } catch (...) {
      const std::lock_guard guard(lock);
      if (!error) error = std::current_exception();
    }
  };
  if (threads <= 1) {
    guarded();
  } else {
    std::vector<std::thread> pool;
    try {
      for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(guarded);
    } catch (const std::system_error&) {
      // No more threads (a process limit): std::terminate would follow if this escaped while
      // the started threads run.
    }
    guarded();
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

/// Splits [0, n) into `parts` contiguous ranges of (nearly) equal length and runs
/// `work(part, begin, end)` once for each, on at most `threads` threads.
template <class F>
void for_each_range(std::size_t threads, std::size_t parts, std::size_t n, F&& work) {
  std::atomic<std::size_t> next = 0;
  run_workers(std::min(threads, parts), [&] {
    for (std::size_t k = next++; k < parts; k = next++) work(k, n * k / parts, n * (k + 1) / parts);
  });
}

}  // namespace spm::detail
