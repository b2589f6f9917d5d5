#include <spm/core/execution.hpp>

#include <string>
#include <thread>

#include <spm/core/error.hpp>

namespace spm {

unsigned ExecutionContext::thread_count() const noexcept {
  if (threads_ != 0) return threads_;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void ExecutionContext::throw_if_cancelled(std::string_view what) const {
  if (token_.cancelled()) {
    throw CancelledError("execution.cancelled", "", std::string(what) + " was cancelled by the caller");
  }
}

}  // namespace spm
