// Quotas over time: seasonality, ramps for new hires, proration for starts, terminations and
// leaves, and quota relief when accounts move.
#pragma once

#include <string>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/period.hpp>
#include <spm/io/table.hpp>

namespace spm::quota {

/// How annual quotas become period quotas.
struct PhasingOptions {
  /// The plan year [begin, end) (usually 12 months) and its calendar.
  Period year;
  FiscalCalendar calendar;
  /// Output periods: month or quarter (half_year works too).
  PeriodKind kind = PeriodKind::quarter;
  /// Seasonality weights, one per output period of the year, summing to exactly 1. Empty: every
  /// period weighs its share of the year's days.
  std::vector<Decimal> seasonality;
  /// Ramp for new hires by tenure month: ramp[0] is the fraction of quota carried in the first
  /// month of tenure (the hire month), ramp[1] the second, ...; fully ramped (1) after the last.
  /// Longer than the plan year's months: InvalidInputError "quota.ramp".
  std::vector<Decimal> ramp;
  /// Reps hired before this date are fully ramped (default: the plan year's start, so only
  /// in-year hires ramp). A rep hired earlier keeps ramping into the year.
  bool ramp_prior_hires = true;
  /// Proration counts calendar days or business days.
  DayCount day_count = DayCount::calendar_days;
  HolidayCalendar holidays;
  /// Period quotas are multiples of this (cents by default); the seasonal split of an annual
  /// quota conserves it exactly (largest remainder).
  Decimal increment = Decimal::from_units(1, 2);
};

/// The input tables.
struct PhasingInputs {
  /// rep_id (string), quota (decimal): annual quotas (e.g. AllocationResult::quotas_table rows
  /// with is_rep, renamed).
  const io::Table* quotas = nullptr;
  /// Optional: rep_id, start (date, nullable = before the year), end (date, nullable = after
  /// the year; the first day no longer employed), hire_date (date, nullable: tenure for the
  /// ramp; default start).
  const io::Table* employment = nullptr;
  /// Optional leaves: rep_id, from (date), to (date, first day back).
  const io::Table* leaves = nullptr;
  /// Optional relief: account_id, from_rep, to_rep, effective (date), annual_quota (decimal: the
  /// moved accounts' part of the annual quota). The remaining-period part moves from from_rep
  /// to to_rep in every period from the effective date, prorated by days in the period where it
  /// falls; the two amounts are equal and opposite, so totals are conserved.
  const io::Table* relief = nullptr;
};

/// Per rep and period: the quota and how it came about.
struct PhasingResult {
  /// rep_id, period, period_start, period_end, seasonal (the annual quota's seasonal part),
  /// factor (exact fraction of the period carried: days employed x ramp, as text "20/29"),
  /// prorated, relief, quota.
  io::Table quotas;
  /// Input rows not used: source, row, id, reason.
  io::Table rejects;
};

/// Splits annual quotas into period quotas. Exact: a full-year rep's periods sum to the annual
/// quota; a start on the first day of a period gets that whole period.
[[nodiscard]] PhasingResult phase_quotas(const PhasingInputs& inputs, const PhasingOptions& options);

}  // namespace spm::quota
