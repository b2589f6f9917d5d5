#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include <spm/core/date.hpp>
#include <spm/core/error.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using test::throws_error;

// Independent calendar rules for the properties below.
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(int y, unsigned m) {
  constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : table[m - 1];
}

TEST(Date, KnownDays) {
  // Days since 1970-01-01 and weekdays (0 = Sunday) from Python's datetime.date.
  struct Row {
    const char* text;
    std::int32_t days;
    unsigned weekday;
  };
  const Row rows[] = {
      {"1970-01-01", 0, 4},          {"1969-12-31", -1, 3},       {"2000-03-01", 11017, 3},
      {"2024-01-01", 19723, 1},      {"2024-02-29", 19782, 4},    {"1900-03-01", -25508, 4},
      {"2100-02-28", 47540, 0},      {"0001-01-01", -719162, 1},  {"9999-12-31", 2932896, 5},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.text) + " expected day " + std::to_string(r.days) +
                 ", weekday " + std::to_string(r.weekday));
    const Date d = Date::parse(r.text);
    EXPECT_EQ(d.days_since_epoch(), r.days);
    EXPECT_EQ(d.weekday(), r.weekday);
    EXPECT_EQ(d.to_string(), r.text);
    EXPECT_EQ(Date::from_days(r.days), d);
    EXPECT_EQ(Date(d.year(), d.month(), d.day()), d);
    EXPECT_EQ(Date(d.ymd()), d);
    EXPECT_EQ(Date(d.sys_days()), d);
  }
  EXPECT_EQ(Date(), Date::from_days(0));
  EXPECT_EQ(Date(2024, 2, 29).year(), 2024);
  EXPECT_EQ(Date(2024, 2, 29).month(), 2u);
  EXPECT_EQ(Date(2024, 2, 29).day(), 29u);
}

TEST(Date, Arithmetic) {
  const Date d(2024, 2, 28);
  EXPECT_EQ(d + 1, Date(2024, 2, 29));
  EXPECT_EQ(d + 2, Date(2024, 3, 1));
  EXPECT_EQ(Date(2024, 1, 1) - 1, Date(2023, 12, 31));
  EXPECT_EQ(Date(2025, 1, 1) - Date(2024, 1, 1), 366);
  EXPECT_EQ(Date(2024, 1, 1) - Date(2025, 1, 1), -366);
  EXPECT_LT(Date(2023, 12, 31), Date(2024, 1, 1));
  EXPECT_EQ(Date(2024, 2, 29).month_start(), Date(2024, 2, 1));
  EXPECT_EQ(Date(2024, 2, 1).month_start(), Date(2024, 2, 1));
}

TEST(Date, AddMonthsClampsToMonthEnd) {
  // Hand-checked against a paper calendar.
  struct Row {
    const char* from;
    int months;
    const char* expected;
  };
  const Row rows[] = {
      {"2024-01-31", 1, "2024-02-29"},  {"2023-01-31", 1, "2023-02-28"},
      {"2024-03-31", -1, "2024-02-29"}, {"2024-02-29", 12, "2025-02-28"},
      {"2024-10-31", 4, "2025-02-28"},  {"2024-05-31", 1, "2024-06-30"},
      {"2024-01-15", -13, "2022-12-15"}, {"2000-02-29", 48, "2004-02-29"},
      {"2100-01-31", 1, "2100-02-28"},  {"1999-12-31", 2, "2000-02-29"},
      {"2024-12-15", 1, "2025-01-15"},  {"2025-01-31", -11, "2024-02-29"},
      {"2024-01-31", 0, "2024-01-31"},  {"2024-01-31", 1200, "2124-01-31"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.from) + " + " + std::to_string(r.months) + " months, expected " +
                 r.expected);
    EXPECT_EQ(Date::parse(r.from).add_months(r.months).to_string(), r.expected);
  }
}

TEST(DateErrors, ParseMessages) {
  struct Row {
    const char* text;
    const char* what;
  };
  const Row rows[] = {
      {"2024-02-30", "[date.parse] '2024-02-30' is not a valid date: that month has 29 days"},
      {"2023-02-29", "[date.parse] '2023-02-29' is not a valid date: that month has 28 days"},
      {"2024-04-31", "[date.parse] '2024-04-31' is not a valid date: that month has 30 days"},
      {"2024-13-01", "[date.parse] '2024-13-01' is not a valid date: the month must be 01 to 12"},
      {"2024-00-10", "[date.parse] '2024-00-10' is not a valid date: the month must be 01 to 12"},
      {"03/04/2024",
       "[date.parse] '03/04/2024' is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)"},
      {"", "[date.parse] an empty value is not a date; write YYYY-MM-DD"},
      {"2024-1-01",
       "[date.parse] '2024-1-01' is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)"},
      {"2024-01-01T00:00",
       "[date.parse] '2024-01-01T00:00' is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("'") + r.text + "'");
    EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)Date::parse(r.text); }, "date.parse",
                                                r.what));
  }
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date::parse("31.12.2024", "hire_date"); }, "date.parse",
      "[date.parse] hire_date: '31.12.2024' is not an ISO date; write YYYY-MM-DD (e.g. "
      "2024-03-31)"));
}

TEST(DateErrors, TryParseRejectsWithoutTouchingOutput) {
  for (const char* text : {"", "2024-1-01", "2024-01-1", " 2024-01-01", "2024-01-01 ",
                           "2024/01/01", "+024-01-01", "2024-0a-01", "2024-02-30", "2023-02-29",
                           "2024-00-01", "2024-01-00", "20240101", "2024-001-1"}) {
    SCOPED_TRACE(std::string("'") + text + "'");
    Date out = Date(2000, 1, 1);
    EXPECT_FALSE(Date::try_parse(text, out));
    EXPECT_EQ(out, Date(2000, 1, 1));
  }
}

TEST(DateErrors, ImpossibleComponents) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(2023, 2, 29); }, "date.invalid",
      "[date.invalid] year 2023, month 2, day 29 is not a calendar date"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(2024, 13, 1); }, "date.invalid",
      "[date.invalid] year 2024, month 13, day 1 is not a calendar date"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(2024, 1, 0); }, "date.invalid",
      "[date.invalid] year 2024, month 1, day 0 is not a calendar date"));
  // Components beyond what chrono's month and day can hold must not wrap around to valid ones
  // (chrono::day(257) is unspecified, and libstdc++ keeps 257 % 256 = 1).
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(2024, 1, 257); }, "date.invalid",
      "[date.invalid] year 2024, month 1, day 257 is not a calendar date"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(2024, 257, 1); }, "date.invalid",
      "[date.invalid] year 2024, month 257, day 1 is not a calendar date"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Date(100000, 1, 1); }, "date.invalid",
      "[date.invalid] year 100000, month 1, day 1 is not a calendar date"));
  using namespace std::chrono;
  EXPECT_THROW((void)Date(year_month_day{year{2023}, February, day{29}}), InvalidInputError);
}

TEST(DateProperty, DaysRoundTripThroughText) {
  // Every day of years 0001 to 9999 is reachable; sample them at random.
  Random rng(51);
  const std::int32_t lo = Date::parse("0001-01-01").days_since_epoch();
  const std::int32_t hi = Date::parse("9999-12-31").days_since_epoch();
  for (int i = 0; i < 10000; ++i) {
    const auto n = lo + static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(hi - lo)));
    const Date d = Date::from_days(n);
    const std::string s = d.to_string();
    auto ctx = [&] { return "day " + std::to_string(n) + " = " + s; };
    ASSERT_EQ(Date::parse(s), d) << ctx();
    ASSERT_EQ(Date(d.year(), d.month(), d.day()), d) << ctx();
    ASSERT_GE(d.day(), 1u) << ctx();
    ASSERT_LE(d.day(), days_in_month(d.year(), d.month())) << ctx();
    // 1970-01-01 was a Thursday (4).
    ASSERT_EQ(d.weekday(), static_cast<unsigned>(((n % 7) + 7 + 4) % 7)) << ctx();
    // The next day is the next calendar position.
    const Date next = d + 1;
    if (d.day() < days_in_month(d.year(), d.month())) {
      ASSERT_EQ(next.day(), d.day() + 1) << ctx();
    } else if (d.month() < 12) {
      ASSERT_EQ(next, Date(d.year(), d.month() + 1, 1)) << ctx();
    } else {
      ASSERT_EQ(next, Date(d.year() + 1, 1, 1)) << ctx();
    }
    ASSERT_LT(s, next.to_string()) << ctx();  // ISO text sorts like dates
  }
}

TEST(DateProperty, AddMonthsMatchesCalendarRule) {
  Random rng(52);
  for (int i = 0; i < 10000; ++i) {
    const int y = 1900 + static_cast<int>(rng.below(300));
    const auto m = static_cast<unsigned>(rng.below(12) + 1);
    const auto dd = static_cast<unsigned>(rng.below(days_in_month(y, m)) + 1);
    const int n = static_cast<int>(rng.below(401)) - 200;
    const Date d(y, m, dd);
    const Date got = d.add_months(n);
    // Reference: month index arithmetic, then clamp to the target month's length.
    const int index = y * 12 + static_cast<int>(m) - 1 + n;
    const int ty = index / 12;
    const auto tm = static_cast<unsigned>(index % 12 + 1);
    const unsigned td = std::min(dd, days_in_month(ty, tm));
    ASSERT_EQ(got, Date(ty, tm, td)) << d.to_string() << " + " << n << " months";
    if (dd <= 28) {
      ASSERT_EQ(got.add_months(-n), d) << d.to_string() << " + " << n;
    }
    ASSERT_EQ(d.month_start().add_months(n), Date(ty, tm, 1));
  }
}

}  // namespace
}  // namespace spm
