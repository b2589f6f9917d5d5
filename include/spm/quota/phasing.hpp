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
  /// The plan year [begin, end) (usually 12 months) and its calendar. The year must start and
  /// end on boundaries of `kind` periods of the calendar ("quota.options" otherwise).
  Period year;
  FiscalCalendar calendar;
  /// Output periods: month, quarter or half_year of the calendar.
  PeriodKind kind = PeriodKind::quarter;
  /// Seasonality weights, one per output period of the year, each >= 0, summing to exactly 1
  /// (InvalidInputError "quota.seasonality" otherwise). Empty: every period weighs its days
  /// (calendar or business days, as `day_count` counts them).
  std::vector<Decimal> seasonality;
  /// Ramp for new hires by tenure month: ramp[0] is the fraction of quota carried in the first
  /// month of tenure (the calendar month containing hire_date), ramp[1] the second, ...; fully
  /// ramped (1) after the last. Each fraction in [0, 1]; at most as many entries as the plan
  /// year has months. Otherwise InvalidInputError "quota.ramp".
  std::vector<Decimal> ramp;
  /// True: a rep hired before the year start keeps ramping by real tenure (a December hire is
  /// in tenure month 2 in January). False: reps hired before the year start are fully ramped;
  /// only in-year hires ramp.
  bool ramp_prior_hires = true;
  /// Proration counts calendar days or business days (weekends and `holidays` excluded).
  DayCount day_count = DayCount::calendar_days;
  HolidayCalendar holidays;
  /// Annual quotas and relief amounts must be multiples of this (cents by default; > 0, else
  /// "quota.options"): their seasonal split is made in whole increments by largest remainder,
  /// so it sums exactly to the annual amount. Prorated and relief amounts are rounded half-even
  /// to the increment's decimal places (0.01 -> 2, 1000 -> 0).
  Decimal increment = Decimal::from_units(1, 2);
};

/// The input tables.
struct PhasingInputs {
  /// rep_id (string), quota (decimal): annual quotas (e.g. AllocationResult::quotas_table rows
  /// with is_rep, renamed). Required (InvalidInputError "quota.input" when null).
  const io::Table* quotas = nullptr;
  /// Optional, one row per rep: rep_id, start (date, nullable = before the year), end (date,
  /// nullable = after the year; the first day no longer employed), hire_date (date, nullable:
  /// tenure for the ramp; default start). Any of start, end and hire_date may be absent (all
  /// null) but not all three (InvalidInputError "quota.column" naming the table's columns);
  /// other columns are ignored. A rep without a row is employed all year and fully ramped.
  const io::Table* employment = nullptr;
  /// Optional leaves: rep_id, from (date), to (date, first day back). Overlapping leaves count
  /// once; leave days outside employment change nothing.
  const io::Table* leaves = nullptr;
  /// Optional relief: account_id, from_rep, to_rep, effective (date), annual_quota (decimal: the
  /// moved accounts' part of the annual quota). The amount is split over the periods like a
  /// quota (same seasonality and increment); of each period ending after `effective`, the part
  /// from max(effective, period begin) to the period end (by days, as `day_count` counts them)
  /// moves: from_rep's relief gets -x and to_rep's +x, the same x rounded once, so totals are
  /// conserved exactly. Relief ignores employment and ramp.
  const io::Table* relief = nullptr;
  /// An employment or leaves row that could not be read at all (e.g. a CSV reader rejected it):
  /// its rep's dates are unknown, so the rep is not phased (as for a rejected employment row).
  struct UnreadRow {
    std::string rep_id;
    std::string source;  // "employment" or "leaves"
    std::int64_t row = 0;
  };
  std::vector<UnreadRow> unread;
};

/// Per rep and period: the quota and how it came about.
///
/// seasonal: the annual quota split by seasonality in whole increments (largest remainder; a
/// rep's seasonal column sums exactly to its annual quota).
/// factor: the exact fraction of the period carried, sum over the months m of the period of
/// (days employed in m / days in the period) x ramp(tenure month of m), where days employed
/// are the days of m in [start, end) not on leave (calendar or business days). A period with
/// no business days has factor 0. Written as text: "20/29", "1", "0".
/// prorated: seasonal x factor, rounded half-even once to the increment's places (== seasonal
/// when factor is 1).
/// relief: the sum of the relief moved into (+) or out of (-) the rep in the period.
/// quota: prorated + relief (may be negative if more is relieved than carried).
///
/// Bad rows go to rejects (source quotas/employment/leaves/relief, row, id, reason):
/// quotas: missing rep_id, duplicate rep_id (every row of that rep), missing or negative quota,
/// quota not a multiple of the increment. employment: missing or unknown rep_id, more than one
/// row for a rep (every row), end not after start, hire_date after start. leaves: missing or
/// unknown rep_id, missing from/to, to not after from. relief: missing or unknown reps, the
/// same rep on both sides, effective missing or outside the year, amount missing, negative or
/// not a multiple of the increment. Employment defines a rep's quota, so a rep whose
/// employment row is rejected is not phased at all (its quotas row is rejected too, pointing
/// at the employment row; likewise for an `unread` row); rows naming a rep that is not phased
/// are rejected. A rejected leave or relief row is left out and the rest is computed.
struct PhasingResult {
  /// rep_id, period (calendar label), period_start, period_end ([start, end)), seasonal,
  /// factor, prorated, relief, quota; ordered by rep_id, then period.
  io::Table quotas;
  /// Input rows not used: source, row, id, reason; by source (quotas, employment, leaves,
  /// relief), then row.
  io::Table rejects;
};

/// Splits annual quotas into period quotas. Exact: a full-year rep's periods sum to the annual
/// quota; a start on the first day of a period gets that whole period (factor 1) and nothing
/// before it. Throws InvalidInputError "quota.options" (year not aligned to `kind` periods,
/// increment not above 0), "quota.seasonality", "quota.ramp", "quota.input" (no quotas table)
/// and "quota.column" (missing or mistyped column; employment without start, end or hire_date).
[[nodiscard]] PhasingResult phase_quotas(const PhasingInputs& inputs,
                                        const PhasingOptions& options);

}  // namespace spm::quota
