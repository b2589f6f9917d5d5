// The demo company's data as quota-setting inputs: the org, the reps with their territory size,
// last year's quotas and sales, and the employment facts phasing needs.
#pragma once

#include <spm/core/decimal.hpp>
#include <spm/core/period.hpp>
#include <spm/demo/company.hpp>
#include <spm/io/table.hpp>

namespace spm::demo {

/// Tables for spm::quota, built from a generated company for the plan year after its history.
struct QuotaInputs {
  Period plan_year;   ///< the year after the history: [as_of, as_of + 12 months)
  Period base_year;   ///< the last history year
  io::Table targets;  ///< node_id, target: the director's (company) target
  io::Table org;      ///< node_id, parent_id: director -> regions -> managers
  /// rep_id, parent_id (manager), accounts, potential (sum over owned accounts), last_quota (the
  /// base year's quarterly quotas summed; null for reps without one): reps employed on as_of.
  io::Table reps;
  io::Table history;     ///< rep_id, period_start (quarter), sales: base-year bookings
  io::Table employment;  ///< rep_id, start, end, hire_date for phasing
  /// Back-test of the base year for reps employed all of it: rep_id, quota (base-year quota),
  /// sales (base-year bookings), and sizes rep_id, accounts, potential.
  io::Table backtest_quotas, backtest_actuals, backtest_sizes;
  Decimal base_bookings;  ///< company bookings in the base year
};

/// Builds the inputs; the target is base-year bookings x (1 + growth), rounded to 1,000.
[[nodiscard]] QuotaInputs quota_inputs(const Company& company, const Decimal& growth);

}  // namespace spm::demo
