// The commission engine: a validated plan over columnar transactions gives statements and lines
// that explain every cent.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/comp/plan.hpp>
#include <spm/core/execution.hpp>
#include <spm/core/period.hpp>
#include <spm/io/table.hpp>

namespace spm::comp {

/// The input tables (columns by name; extra columns are allowed and usable in filters). String
/// columns may be plain or dictionary-encoded (a table with a dictionary column is read from a
/// decoded copy).
struct CompInputs {
  /// transaction_id (string), payee_id (string; may be empty when split credits name the
  /// payees), date (date), amount (decimal), currency (string, optional: the plan currency when
  /// the column is absent or the value null), and any attribute columns.
  const io::Table* transactions = nullptr;
  /// payee_id, period_start (date: first day of a pay period, or of the plan's quota_period),
  /// quota (decimal), and optionally measure (string; rows without it are for the plan's quota
  /// measure).
  const io::Table* quotas = nullptr;
  /// Optional split credits: transaction_id, payee_id, percent (decimal). A transaction listed
  /// here is credited to these payees instead of its payee_id; percents must be 0 or more and
  /// total exactly 100 (a payee listed twice gets the sum). Summed columns are split in the
  /// currency's minor units (largest remainder), so the shares add up exactly to the deal.
  const io::Table* credits = nullptr;
  /// Credit rules, for plans with "credit": {"by": COLUMN}: key (string: a value of COLUMN),
  /// payee_id, from (date), to (date, nullable = open), percent (decimal, nullable = 100). A
  /// transaction is credited to the rules in force on its date for its key (several rules =
  /// shares that must total 100%); with no rule in force, to its own payee_id if it has one.
  /// Explicit split credits take precedence over rules.
  const io::Table* credit_rules = nullptr;
  /// Optional effective-dated assignments: payee_id, from (date), to (date, nullable = open).
  /// When given, a payee earns only on days assigned, and quotas are prorated by calendar days
  /// assigned within each pay period.
  const io::Table* assignments = nullptr;
  /// Optional scores for score multipliers: payee_id, period_start, score (string), value.
  const io::Table* scores = nullptr;
  /// Reporting lines, for plans with hierarchy roll-up rules: payee_id, manager_id, from (date),
  /// to (date, nullable = open). A payee reports to one manager at a time; a cycle throws
  /// InvalidInputError "comp.hierarchy".
  const io::Table* hierarchy = nullptr;
  /// Named relationships, for plans with overlay rules: relationship (e.g.
  /// "solution_engineer"), key (a value of the rule's `by` column), payee_id, from (date), to
  /// (date, nullable = open). One payee's dates for one relationship and key may not overlap.
  const io::Table* relationships = nullptr;
  /// Optional FX rates: currency, date (in force from), rate (plan-currency units per unit, any
  /// number of decimals up to 12). With it, transactions in other currencies are converted (see
  /// Plan::conversion_columns), a transaction without a rate on its date is rejected, and the
  /// lines gain an fx_rate column (null for plan-currency lines).
  const io::Table* fx_rates = nullptr;
};

/// Everything a run produces.
struct CompResult {
  /// One row per payee, pay period and component, plus a "TOTAL" row per payee and period:
  /// payee_id, period, period_start, period_end, component, measure, measure_value, quota,
  /// attainment_percent, earnings, paid_before, payout.
  io::Table statements;
  /// Payout lines that trace each cent: payee_id, period, component, line, kind, transaction_id,
  /// date, credit ("direct", "split 60%", "rule account_id 100%"), tier, base, rate, amount,
  /// note. Per payee and period, the lines sum to the payout. The string columns are
  /// dictionary-encoded: read them with Column::strings().
  io::Table lines;
  /// Input rows and payee-periods that could not be computed: source, row, id, payee_id, period,
  /// reason. Everything else is computed.
  io::Table rejects;
  /// Transactions dated after the run range (computed by a later run, not lost).
  std::size_t transactions_after_range = 0;
  /// Transactions dated before the first pay period the run computes (earlier runs' business;
  /// with a true-up the earlier periods of its window are computed, so their transactions count).
  std::size_t transactions_before_range = 0;
  /// Transactions credited (one per credit record).
  std::size_t credits = 0;
  /// Worth a look, not errors: a measure or SPIF filter that no transaction passes, with the
  /// values its column holds ("did you mean 'booking'?").
  std::vector<std::string> notes;
};

/// Computes every pay period of `plan` that overlaps `range`, for every payee with credits or
/// quotas. Same inputs, same bytes out, whatever the row order or thread count. Throws only for
/// unusable inputs (a missing required column: InvalidInputError "comp.column"; an invalid plan:
/// "plan.invalid") and when the context stops the run (CancelledError "execution.cancelled", or
/// "execution.time_limit" when the time limit passes before every payee is computed: there is
/// no partial result).
[[nodiscard]] CompResult run(const Plan& plan, const CompInputs& inputs, const Period& range,
                             const ExecutionContext& context = {});

/// Runs several effective-dated versions of one plan as one plan whose rules change on the
/// versions' start dates. Each transaction is computed by the version in force on its date;
/// a pay period that a version change splits is computed by each version on its own days (the
/// engine prorates the quota by days, exactly), and the statement's TOTAL adds them up. Each
/// version keeps its own true-up window: a new version starts accumulating on its first day.
/// The tables gain a `plan_version` column (statements: null on TOTAL rows); lines are numbered
/// per payee and period across versions. One version gives exactly run(plan, ...).
/// Throws InvalidInputError "plan.versions" unless the versions share id, currency, pay period
/// and fiscal year start, have distinct numbers and do not overlap.
[[nodiscard]] CompResult run(std::span<const Plan> versions, const CompInputs& inputs,
                             const Period& range, const ExecutionContext& context = {});

/// Parses a run range: "2026-Q1", "2026-03" (a month), "2026" (a plan year), "2026-01..2026-06"
/// (months, inclusive) or "2026-01-01..2026-07-01" (dates, half-open), against the plan's
/// calendar. Throws InvalidInputError "comp.period".
[[nodiscard]] Period parse_run_range(std::string_view text, const Plan& plan);

/// A plain-text explanation of one payee's statement for one period, from a run's result: the
/// measures, quota and attainment, each line with its arithmetic, and the total, so that a rep can
/// check it with a calculator. Throws InvalidInputError "comp.explain" when there is no such
/// statement.
[[nodiscard]] std::string explain(const CompResult& result, std::string_view payee_id,
                                  std::string_view period);

}  // namespace spm::comp
