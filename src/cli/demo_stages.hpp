// Stages of `spm demo` beyond the company itself, one file each.
#pragma once

#include <iosfwd>
#include <string>

#include <spm/core/decimal.hpp>
#include <spm/demo/company.hpp>

namespace spm::cli {

/// "12,345,678.90": grouping for people reading a summary (never for data files).
std::string grouped(const Decimal& d, int places);

/// The sum of a decimal column (for summaries).
Decimal column_total(const io::Table& table, const char* column);

/// Quotas for the year after the history: allocation down the org, phasing into quarters,
/// a fairness back-test of last year's quotas and a capacity check. Writes <out>/quota/ and
/// returns next year's quarterly quotas (payee_id, period_start, quota).
io::Table run_quota_stage(const demo::Company& company, const std::string& out_dir, std::ostream& out);

/// Next quarter's bookings from the open pipeline: a win model, time to close, the exact
/// distribution per rep and for the company beside the quarter's quotas, and a chart. Writes
/// <out>/forecast/.
void run_forecast_stage(const demo::Company& company, const io::Table& next_year_quotas,
                        const std::string& out_dir, std::ostream& out);

/// The year's pay: the demo plan with releases on payment, clawbacks, draws, adjustments and a
/// closed quarter with late data (writes <out>/lifecycle/); managers' overrides rolled up the
/// reporting lines; a what-if of three plan changes (writes <out>/whatif/).
void run_lifecycle_stage(const demo::Company& company, const std::string& out_dir, std::ostream& out);

/// Next year's territories: in each region its accounts balanced among its active reps (account
/// count and potential), contiguous, each rep's territory growing from their largest account.
/// Writes <out>/territory/ (assignment, territories, the commission engine's credit rules, map).
void run_territory_stage(const demo::Company& company, const std::string& out_dir, std::ostream& out);

}  // namespace spm::cli
