// What-if plan modelling: K plan variants over the same credited history in one call, with
// cost, cost of sales, the payout distribution and per-payee deltas against the baseline.
#pragma once

#include <span>
#include <string>

#include <spm/comp/engine.hpp>

namespace spm::comp {

/// One plan variant: a plan (other rates, accelerators, caps, gates, components...) and a factor
/// on every quota (1 = the quotas as given).
struct Variant {
  std::string id;
  Plan plan;
  Decimal quota_factor = Decimal(1);
};

struct WhatIfResult {
  /// One row per variant, the baseline first: variant, payout (total), revenue (the amount of
  /// the transactions credited in the range), cost_of_sales_percent (payout / revenue x 100, 4
  /// places), payees, payout_p10, payout_p25, payout_p50, payout_p75, payout_p90, payout_max
  /// (of the payees' totals, nearest rank), above_quota_percent (payees whose attainment of the
  /// quota measure over the range is 100% or more), delta (payout minus the baseline's),
  /// rejected (payee-periods not computable, e.g. a missing quota).
  io::Table summary;
  /// One row per variant and payee: variant, payee_id, payout, baseline, delta,
  /// attainment_percent (quota measure over the range; null without a quota).
  io::Table payees;
  /// The rows the crediting rejected (as a run's rejects).
  io::Table rejects;
};

/// Evaluates `baseline` and every variant over `range`. Crediting (splits, rules, roll-ups,
/// currency conversion, filters) is done once, with the baseline, and each payee's credits are
/// then collapsed per pay period (and filter outcome) before each variant's computation, so a
/// variant costs the number of payees, not of transactions. Variants must share the baseline's
/// measures, crediting, currency, pay period and calendar (InvalidInputError "whatif.variant"
/// otherwise). The result equals full runs exactly for grouped components and plans rounded at
/// the payout; with per-line rounding of running totals, a payee's total can differ from a full
/// run by the rounding of its lines (at most half a cent each). `exact` = true keeps every
/// credit (no collapsing): each variant then equals a full run to the cent, at the cost of a run
/// without lines per variant. Plans computed per transaction (processing per_transaction or a
/// per-transaction cap) always keep every credit. Same bytes out whatever the row order.
[[nodiscard]] WhatIfResult what_if(const Plan& baseline, std::span<const Variant> variants,
                                   const CompInputs& inputs, const Period& range,
                                   const ExecutionContext& context = {}, bool exact = false);

}  // namespace spm::comp
