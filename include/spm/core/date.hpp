// Calendar dates on C++20 chrono types.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace spm {

/// A calendar date (proleptic Gregorian, no time zone), stored as days since 1970-01-01 so that
/// tables of dates are compact and match Arrow's date32.
class Date {
 public:
  /// 1970-01-01.
  constexpr Date() = default;
  /// From a chrono date; throws InvalidInputError "date.invalid" when !ymd.ok().
  explicit Date(std::chrono::year_month_day ymd);
  /// From year, month (1-12) and day; throws "date.invalid" for impossible dates.
  Date(int year, unsigned month, unsigned day);
  /// From chrono days.
  explicit constexpr Date(std::chrono::sys_days d) : days_(static_cast<std::int32_t>(d.time_since_epoch().count())) {}
  /// From a count of days since 1970-01-01.
  static constexpr Date from_days(std::int32_t days) noexcept {
    Date d;
    d.days_ = days;
    return d;
  }

  /// Strict ISO 8601 "YYYY-MM-DD"; anything else throws InvalidInputError "date.parse"
  /// naming `path`.
  static Date parse(std::string_view text, std::string_view path = {});
  /// Non-throwing parse for bulk data; returns false on any malformed or impossible date.
  static bool try_parse(std::string_view text, Date& out) noexcept;

  [[nodiscard]] constexpr std::int32_t days_since_epoch() const noexcept { return days_; }
  [[nodiscard]] constexpr std::chrono::sys_days sys_days() const noexcept {
    return std::chrono::sys_days(std::chrono::days(days_));
  }
  [[nodiscard]] std::chrono::year_month_day ymd() const noexcept { return {sys_days()}; }
  [[nodiscard]] int year() const noexcept;
  [[nodiscard]] unsigned month() const noexcept;
  [[nodiscard]] unsigned day() const noexcept;
  /// 0 = Sunday ... 6 = Saturday (chrono's c_encoding).
  [[nodiscard]] unsigned weekday() const noexcept;
  /// "YYYY-MM-DD".
  [[nodiscard]] std::string to_string() const;

  /// The same day `n` months later (or earlier), clamped to the month's last day: Jan 31 + 1 month
  /// = Feb 28/29.
  [[nodiscard]] Date add_months(int n) const;
  /// The first day of this date's month.
  [[nodiscard]] Date month_start() const;

  friend constexpr Date operator+(Date d, std::int32_t days) noexcept { return from_days(d.days_ + days); }
  friend constexpr Date operator-(Date d, std::int32_t days) noexcept { return from_days(d.days_ - days); }
  /// Days from b to a.
  friend constexpr std::int32_t operator-(Date a, Date b) noexcept { return a.days_ - b.days_; }
  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  std::int32_t days_ = 0;
};

}  // namespace spm
