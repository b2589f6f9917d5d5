// One plan version's run (private): what run() does for a plan, and what the run over several
// versions does for each of them before merging.
#pragma once

#include <span>

#include <spm/comp/engine.hpp>

namespace spm::comp::detail {

/// Runs `plan`; `versions` as for prepare() (empty: the plan is the only version).
CompResult run_version(const Plan& plan, const CompInputs& inputs, const Period& range,
                       const ExecutionContext& context, std::span<const Period> versions);

}  // namespace spm::comp::detail
