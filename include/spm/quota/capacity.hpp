// Capacity planning and bottom-up quotas: ramped reps, productivity, attrition, hiring, and the
// pipeline a target needs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/period.hpp>
#include <spm/io/table.hpp>

namespace spm::quota {

/// Reps who share a tenure at the start of the plan.
struct Cohort {
  int tenure_months = 0;  ///< months of tenure completed at the start (0 = starts now)
  Decimal reps;           ///< how many (may be fractional in plans)
};

/// A capacity model. Expected values: headcounts may be fractional.
///
/// The simulation, month by month from `start` for `months` months:
///
/// 1. Headcount is kept by tenure month. A cohort with `tenure_months` = k is in its tenure
///    month k + 1 in the first month; hires of a month join at tenure month 1 at the month's
///    start (so a hire and a cohort with tenure_months = 0 behave alike).
/// 2. ramped_reps of a month = sum over tenure buckets of count x ramp[tenure month - 1] (1 after
///    the ramp); capacity of the month = ramped_reps x productivity.
/// 3. At the month's end, attrition removes monthly_attrition x count from every tenure bucket
///    (including this month's hires); each bucket's product is rounded to 12 places half-even,
///    and the month's attrition is the sum of those, so headcounts stay exact and
///    headcount_end = headcount_start + hires - attrition holds to the last digit.
/// 4. Every rep then moves up one tenure month.
///
/// Headcounts are exact Decimals (12 places); money is rounded to cents half-even only when the
/// result table is written.
struct CapacityModel {
  /// First month of the model (the first day of a month) and number of months (12 = a year);
  /// reported by `report` periods of `calendar`.
  Date start = Date(2026, 1, 1);
  int months = 12;
  PeriodKind report = PeriodKind::quarter;
  FiscalCalendar calendar;
  std::vector<Cohort> cohorts;
  /// Productivity fraction by tenure month (ramp[0] = first month), each in [0, 1]; 1 after the
  /// last. At most `months` long.
  std::vector<Decimal> ramp;
  /// Bookings of one fully ramped rep per month (greater than zero).
  Decimal productivity;
  /// Fraction of headcount leaving each month (e.g. 0.015), in [0, 1].
  Decimal monthly_attrition;
  /// New hires per month (index 0 = first month); missing months hire nobody. At most `months`
  /// long.
  std::vector<Decimal> hires;
  /// Over-assignment: quota assigned = target x (1 + over_assignment).
  Decimal over_assignment;
  /// The bookings target for the whole model span (optional: zero = none), in cents at most.
  Decimal target;
  /// Funnel: win rate (0..1], average deal size (zero = no deal counts), pipeline coverage
  /// (pipeline / target; zero = 1 / win rate).
  Decimal win_rate = 1;
  Decimal average_deal_size;
  Decimal coverage;
};

/// The capacity plan.
///
/// `periods` has one row per report period overlapping the span (a period partly inside the
/// span reports only its months), then a row "TOTAL" for the whole span. Columns:
///
/// | column | meaning |
/// |---|---|
/// | period | calendar label ("2026-Q1", "FY2027-H1") or "TOTAL" |
/// | period_start, period_end | the months reported, half-open: period_end is the first day after |
/// | months | number of months reported (integer) |
/// | headcount_start | headcount at the start of the first month, before its hires |
/// | hires, attrition | sums over the months |
/// | headcount_end | headcount after the last month's attrition |
/// | ramped_reps | mean over the months of the month's ramped rep equivalents (12 places half-even) |
/// | capacity | sum of the months' ramped_reps x productivity |
/// | target | the model target split by days (largest remainder in cents, so the periods sum to TOTAL exactly) |
/// | quota_assigned | target x (1 + over_assignment) |
/// | gap | capacity - target, both as written in cents (negative: short of target) |
/// | pipeline_needed | target x coverage (coverage zero: target / win_rate) |
/// | deals_needed | target / average_deal_size rounded up to a whole deal (null when average_deal_size is zero) |
/// | opportunities_needed | deals_needed / win_rate rounded up to a whole opportunity (null likewise) |
///
/// Money columns are in cents and the rows add up exactly to TOTAL: TOTAL's capacity,
/// quota_assigned and pipeline_needed are the span's exact values rounded once (half-even),
/// shared among the rows by their exact values (largest remainder, as target is by days), so each
/// row is within a cent of its own exact value; gap = capacity - target in every row. Deal and
/// opportunity counts are rounded up per row and in TOTAL separately, so the rows may add up to
/// more than TOTAL.
struct CapacityResult {
  io::Table periods;  ///< one row per report period, then a "TOTAL" row
  /// Fully ramped rep equivalents (at `productivity`, for the whole span) needed on top of the
  /// model: max(0, target - capacity) / (productivity x months), 12 places half-even.
  Decimal reps_needed;
  /// Bookings one rep hired at the start of month 1 is expected to bring over the span, from the
  /// same simulation (its ramp and the monthly attrition).
  Decimal hire_contribution;
  /// Hires at month 1 that would close the gap: max(0, target - capacity) / hire_contribution,
  /// rounded up to a whole hire. Zero when there is no gap.
  Decimal hires_needed;
  /// False when there is a gap but a hire contributes nothing within the span (ramp at zero for
  /// every month), so no number of hires closes it; hires_needed is then zero.
  bool hires_close_gap = true;
};

/// Runs the capacity model month by month. Throws InvalidInputError "quota.capacity" with the
/// field's path ("capacity.win_rate", "capacity.ramp[2]") for: months < 1, a start that is not
/// the first day of a month, negative cohort tenure or reps, a ramp value outside [0, 1], a ramp
/// or hires list longer than the span, productivity not above zero, monthly attrition outside
/// [0, 1], negative hires, over-assignment, target, average deal size or coverage, a target with
/// more than 2 decimals, a win rate outside (0, 1].
[[nodiscard]] CapacityResult plan_capacity(const CapacityModel& model);

/// The model from JSON text, checked as plan_capacity checks it. An object with the fields
/// start ("YYYY-MM-01", required), months (integer), report ("month", "quarter", "half_year",
/// "year"), fiscal_year_start_month (1-12), cohorts ([{"tenure_months": 12, "reps": "10"}]),
/// ramp (["0.25", "0.5"]), productivity (required), monthly_attrition, hires (list), target,
/// over_assignment, win_rate, average_deal_size, coverage. Decimals are strings or integers
/// (JSON floats are rejected: they are not exact); unknown fields are rejected. Errors:
/// InvalidInputError "quota.capacity" with the path of the field ("capacity.productivity").
[[nodiscard]] CapacityModel parse_capacity_model(std::string_view json);

/// What pipeline_needed gives: the reps computed and the rows left out.
struct PipelineResult {
  /// rep_id, quota, average_deal_size, win_rate (the values used), deals_needed,
  /// opportunities_needed, in input order.
  io::Table reps;
  /// source ("quotas"), row, id, reason: the rows not computed.
  io::Table rejects;
};

/// Bottom-up from pipeline for each rep. `quotas` has rep_id (string), quota (decimal, not
/// negative), and optionally average_deal_size, win_rate (decimal, per rep; a null cell takes the
/// default given here). Per rep: deals_needed = quota / average_deal_size rounded up to a whole
/// deal and opportunities_needed = deals_needed / win_rate rounded up to a whole opportunity.
///
/// The defaults are options: a deal size not above zero throws InvalidInputError
/// "quota.capacity" at "average_deal_size", a win rate outside (0, 1] at "win_rate". The rows
/// are bulk data: a row without rep_id, with a null or negative quota, a deal size not above
/// zero or a win rate outside (0, 1], or repeating a rep_id of an earlier row goes to rejects
/// with its reason, and the other rows are computed.
[[nodiscard]] PipelineResult pipeline_needed(const io::Table& quotas,
                                             const Decimal& average_deal_size,
                                             const Decimal& win_rate);

}  // namespace spm::quota
