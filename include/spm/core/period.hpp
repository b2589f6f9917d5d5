// Half-open periods, period sequences, fiscal calendars and exact day-count fractions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/fraction.hpp>

namespace spm {

/// A half-open span of days [begin, end): begin is the first day in it, end the first day after.
struct Period {
  Date begin;
  Date end;

  /// Throws InvalidInputError "period.invalid" unless begin <= end.
  static Period make(Date begin, Date end);
  /// Number of days in the period.
  [[nodiscard]] std::int32_t days() const noexcept { return end - begin; }
  [[nodiscard]] bool empty() const noexcept { return end <= begin; }
  [[nodiscard]] bool contains(Date d) const noexcept { return begin <= d && d < end; }
  /// The overlap of two periods, or nullopt if they share no day.
  [[nodiscard]] std::optional<Period> intersect(const Period& o) const noexcept;
  /// "[2024-01-01, 2024-04-01)".
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Period&, const Period&) = default;
};

/// Lengths of the periods in which plans, quotas and forecasts run.
enum class PeriodKind { month, quarter, half_year, year };

/// "month", "quarter", "half_year", "year".
[[nodiscard]] std::string_view to_string(PeriodKind kind) noexcept;
/// Parses a kind name; throws InvalidInputError "period.kind" when unknown.
[[nodiscard]] PeriodKind parse_period_kind(std::string_view name);
/// Months in a period of this kind (1, 3, 6, 12).
[[nodiscard]] int months_in(PeriodKind kind) noexcept;

/// A fiscal calendar: years start on the first day of `first_month` (1 = January = calendar year).
///
/// Fiscal years are named by the calendar year in which they end (FY2025 with first_month = 2
/// runs 2024-02-01 to 2025-01-31), unless `named_by_start` is set. Quarters, halves and months
/// are counted from the fiscal year start.
class FiscalCalendar {
 public:
  /// The calendar year (January start).
  FiscalCalendar() = default;
  /// Throws InvalidInputError "calendar.first_month" unless 1 <= first_month <= 12.
  explicit FiscalCalendar(unsigned first_month, bool named_by_start = false);

  [[nodiscard]] unsigned first_month() const noexcept { return first_month_; }
  /// True when fiscal years are named by the calendar year in which they start.
  [[nodiscard]] bool named_by_start() const noexcept { return named_by_start_; }
  /// The period of `kind` that contains `d`.
  [[nodiscard]] Period period_containing(Date d, PeriodKind kind) const;
  /// The consecutive periods of `kind` that overlap [range.begin, range.end), whole (not clipped).
  [[nodiscard]] std::vector<Period> periods(const Period& range, PeriodKind kind) const;
  /// The fiscal year containing `d` (by this calendar's naming rule).
  [[nodiscard]] int fiscal_year(Date d) const;
  /// 1-based index of the period of `kind` containing `d` within its fiscal year.
  [[nodiscard]] int index_in_year(Date d, PeriodKind kind) const;
  /// A label such as "FY2025", "FY2025-H1", "FY2025-Q3", "FY2025-M07" (or "2025-Q3" for the
  /// calendar year).
  [[nodiscard]] std::string label(Date d, PeriodKind kind) const;

 private:
  unsigned first_month_ = 1;
  bool named_by_start_ = false;
};

/// Parses period text against `calendar`: "2026" (the fiscal year so named), "2026-Q1",
/// "2026-H1", "2026-M03" (the 3rd month of the fiscal year), "2026-03" (a calendar month),
/// "2026-03-15" (one day); "FY2026", "FY2026-Q1", "FY2026-H1", "FY2026-M03" and "FY2026-03" (both
/// the 3rd month of the fiscal year) for fiscal labels; and ranges "A..B" of two of these, both
/// ends inclusive ("2026-01..2026-06"), or of two dates, half-open ("2026-01-01..2026-07-01").
/// Every label that FiscalCalendar::label prints reads back as its period. Letters may be lower
/// case ("2026-q1", "fy2026-h2"). Throws InvalidInputError "period.text" whose path is the text
/// (or the side of a range) that is not a period, or the whole range when it ends before it
/// starts.
[[nodiscard]] Period parse_period_text(std::string_view text, const FiscalCalendar& calendar);

/// Business days: weekdays that are not weekend days and not listed holidays.
class HolidayCalendar {
 public:
  /// Saturday and Sunday off, no holidays.
  HolidayCalendar() = default;
  /// `holidays` in any order (duplicates ignored); `weekend` as a bit per weekday, bit 0 = Sunday
  /// ... bit 6 = Saturday (default Saturday + Sunday = 0b1000001).
  explicit HolidayCalendar(std::vector<Date> holidays, unsigned weekend_mask = 0b1000001);

  [[nodiscard]] bool is_business_day(Date d) const noexcept;
  /// The holidays that fall on working weekdays, sorted (others never change a count).
  [[nodiscard]] const std::vector<Date>& holidays() const noexcept { return holidays_; }
  /// Weekend days as a bit per weekday, bit 0 = Sunday.
  [[nodiscard]] unsigned weekend_mask() const noexcept { return weekend_; }
  /// Business days in [p.begin, p.end), in O(log holidays).
  [[nodiscard]] std::int64_t business_days(const Period& p) const noexcept;

 private:
  std::vector<Date> holidays_;  // sorted, unique, business weekdays only
  unsigned weekend_ = 0b1000001;
};

/// How proration counts days.
enum class DayCount { calendar_days, business_days };

/// The exact fraction of `whole` covered by `part` (clipped to `whole`), counting calendar days or
/// business days. E.g. a hire on 2024-02-10 covers 20/29 of February 2024 in calendar days.
/// Throws InvalidInputError "period.empty" when `whole` has no (business) days.
[[nodiscard]] Fraction day_fraction(const Period& part, const Period& whole, DayCount count,
                                    const HolidayCalendar& holidays = {});

}  // namespace spm
