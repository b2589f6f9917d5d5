// ExecutionContext: what long computations need from their caller (threads, time, progress, stop).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace spm {

/// A flag shared between the caller and running work; copies share the same flag.
class CancellationToken {
 public:
  CancellationToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  /// Asks every computation holding this token to stop at its next check.
  void cancel() const noexcept { flag_->store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

/// Why work stopped early, if it did.
enum class StopReason { none, cancelled, time_limit };

/// Everything a long computation takes from its caller; passed in, never global.
///
/// Computations call `should_stop()` between units of work and return their best result with a
/// status when it says to stop; `report()` forwards progress to the caller's callback.
class ExecutionContext {
 public:
  /// Called with a fraction in [0, 1] and a short stage name.
  using ProgressCallback = std::function<void(double fraction, std::string_view stage)>;

  ExecutionContext() = default;

  /// Worker threads; 0 means one per hardware core. Results never depend on this number.
  ExecutionContext& threads(unsigned n) noexcept { threads_ = n; return *this; }
  /// Stop after this much wall time from now.
  ExecutionContext& time_limit(std::chrono::milliseconds limit) noexcept {
    deadline_ = std::chrono::steady_clock::now() + limit;
    return *this;
  }
  ExecutionContext& progress(ProgressCallback cb) { progress_ = std::move(cb); return *this; }
  ExecutionContext& cancellation(CancellationToken token) { token_ = std::move(token); return *this; }
  /// Seed for randomised algorithms (same seed and thread count, same result).
  ExecutionContext& seed(std::uint64_t s) noexcept { seed_ = s; return *this; }

  /// The thread count to use (resolves 0 to the hardware concurrency, at least 1).
  [[nodiscard]] unsigned thread_count() const noexcept;
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  [[nodiscard]] const CancellationToken& token() const noexcept { return token_; }

  /// Whether work should stop now, and why.
  [[nodiscard]] StopReason stop_reason() const noexcept {
    if (token_.cancelled()) return StopReason::cancelled;
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) return StopReason::time_limit;
    return StopReason::none;
  }
  [[nodiscard]] bool should_stop() const noexcept { return stop_reason() != StopReason::none; }
  /// Throws CancelledError "execution.cancelled" when cancelled (for work with no partial result).
  void throw_if_cancelled(std::string_view what) const;
  /// Reports progress to the callback, if any.
  void report(double fraction, std::string_view stage) const {
    if (progress_) progress_(fraction, stage);
  }

 private:
  unsigned threads_ = 0;
  std::uint64_t seed_ = 0x5eed;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  ProgressCallback progress_;
  CancellationToken token_;
};

}  // namespace spm
