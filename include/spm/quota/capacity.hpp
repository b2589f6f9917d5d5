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
struct CapacityModel {
  /// First month of the model and number of months (12 = a year); reported by `report` periods.
  Date start = Date(2026, 1, 1);
  int months = 12;
  PeriodKind report = PeriodKind::quarter;
  FiscalCalendar calendar;
  std::vector<Cohort> cohorts;
  /// Productivity fraction by tenure month (ramp[0] = first month); 1 after the last.
  std::vector<Decimal> ramp;
  /// Bookings of one fully ramped rep per month.
  Decimal productivity;
  /// Fraction of headcount leaving each month (e.g. 0.015).
  Decimal monthly_attrition;
  /// New hires per month (index 0 = first month); missing months hire nobody.
  std::vector<Decimal> hires;
  /// Over-assignment: quota assigned = target x (1 + over_assignment).
  Decimal over_assignment;
  /// The bookings target for the whole model span (optional: zero = none).
  Decimal target;
  /// Funnel: win rate (0..1], average deal size, pipeline coverage (pipeline / target; zero =
  /// 1 / win rate).
  Decimal win_rate = 1;
  Decimal average_deal_size;
  Decimal coverage;
};

/// Per report period and for the whole span: headcount_start, hires, attrition, headcount_end,
/// ramped_reps (ramped rep equivalents), capacity (ramped_reps x productivity), target (the
/// model target split by days), quota_assigned (target x (1 + over_assignment)), gap
/// (capacity - target), pipeline_needed, deals_needed, opportunities_needed.
struct CapacityResult {
  io::Table periods;  ///< one row per report period, then a "TOTAL" row
  /// Fully ramped reps (at `productivity`) needed for the target over the span, given the
  /// model's ramp and attrition for its current headcount: extra ramped equivalents and the
  /// hires at month 1 that would provide them.
  Decimal reps_needed;
  Decimal hires_needed;
};

/// Runs the capacity model month by month. Throws InvalidInputError "quota.capacity" naming the
/// field for negative counts or rates, a win rate outside (0, 1], a ramp longer than the span.
[[nodiscard]] CapacityResult plan_capacity(const CapacityModel& model);

/// The model from JSON text (docs/quota.md "Capacity"); decimals as strings or integers.
[[nodiscard]] CapacityModel parse_capacity_model(std::string_view json);

/// Bottom-up from pipeline for each rep: rep_id, quota (decimal), and optionally
/// average_deal_size, win_rate (per rep; else the defaults). Adds deals_needed = quota /
/// average_deal_size and opportunities_needed = deals / win_rate, rounded up to whole deals.
[[nodiscard]] io::Table pipeline_needed(const io::Table& quotas, const Decimal& average_deal_size,
                                        const Decimal& win_rate);

}  // namespace spm::quota
