// One plan version's run (private): what run() does for a plan, and what the run over several
// versions does for each of them before merging.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <spm/comp/engine.hpp>

namespace spm::comp::detail {

/// When a run gives the memory of computed credits back (see Prepared::release): every `every`
/// credits a thread has computed, in whole pages of `page` bytes. The defaults make a few 2 MiB
/// pages of each per-credit array a system call; tests release more often, in small pages.
struct ReleaseCredits {
  std::size_t every = std::size_t{1} << 18;
  std::size_t page = std::size_t{2} << 20;
};

/// Runs `plan`; `versions` as for prepare() (empty: the plan is the only version).
CompResult run_version(const Plan& plan, const CompInputs& inputs, const Period& range,
                       const ExecutionContext& context, std::span<const Period> versions,
                       ReleaseCredits release = {});

/// A note when `range` meets none of the plan's effective dates `effective` (nothing is then
/// computed, which is otherwise silent).
void note_range_outside(const Period& range, std::span<const Period> effective,
                        std::vector<std::string>& notes);

/// Notes when `range` ends inside one of the plan's pay periods, before `effective_to` (the
/// plan's end, or its last version's): that period's statement is partial, and its
/// transactions from the range's end on are paid by no run.
void note_range_inside_period(const Plan& plan, const Period& range, Date effective_to,
                              std::vector<std::string>& notes);

}  // namespace spm::comp::detail
