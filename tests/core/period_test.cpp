#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/period.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using test::throws_error;

Date d(const char* text) { return Date::parse(text); }
Period p(const char* begin, const char* end) { return Period::make(d(begin), d(end)); }

constexpr PeriodKind all_kinds[] = {PeriodKind::month, PeriodKind::quarter,
                                    PeriodKind::half_year, PeriodKind::year};

// ---------------------------------------------------------------------------------------------
// Periods.

TEST(Period, BasicsTable) {
  // Day counts from a paper calendar: leap Februaries in 2000 and 2024, not in 1900/2023/2100.
  struct Row {
    const char* begin;
    const char* end;
    std::int32_t days;
  };
  const Row rows[] = {
      {"2024-02-01", "2024-03-01", 29}, {"2023-02-01", "2023-03-01", 28},
      {"2000-02-01", "2000-03-01", 29}, {"2100-02-01", "2100-03-01", 28},
      {"1900-02-01", "1900-03-01", 28}, {"2024-01-01", "2025-01-01", 366},
      {"2023-01-01", "2024-01-01", 365}, {"2024-01-01", "2024-04-01", 91},
      {"2023-01-01", "2023-04-01", 90}, {"2024-12-31", "2025-01-01", 1},
      {"2024-05-05", "2024-05-05", 0},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("[") + r.begin + ", " + r.end + ") expected " +
                 std::to_string(r.days) + " days");
    const Period x = p(r.begin, r.end);
    EXPECT_EQ(x.days(), r.days);
    EXPECT_EQ(x.empty(), r.days == 0);
    EXPECT_EQ(x.contains(x.begin), r.days > 0);
    EXPECT_FALSE(x.contains(x.end));
    EXPECT_FALSE(x.contains(x.begin - 1));
  }
  EXPECT_EQ(p("2024-01-01", "2024-04-01").to_string(), "[2024-01-01, 2024-04-01)");
}

TEST(Period, Intersect) {
  struct Row {
    Period a, b;
    std::optional<Period> expected;
  };
  const Row rows[] = {
      {p("2024-01-01", "2024-04-01"), p("2024-03-01", "2024-06-01"), p("2024-03-01", "2024-04-01")},
      {p("2024-01-01", "2024-02-01"), p("2024-02-01", "2024-03-01"), std::nullopt},  // touching
      {p("2024-01-01", "2024-01-01"), p("2023-01-01", "2025-01-01"), std::nullopt},  // empty
      {p("2024-01-01", "2025-01-01"), p("2024-02-10", "2024-02-11"), p("2024-02-10", "2024-02-11")},
      {p("2024-01-01", "2024-02-01"), p("2024-06-01", "2024-07-01"), std::nullopt},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.a.to_string() + " with " + r.b.to_string() + " expected " +
                 (r.expected ? r.expected->to_string() : "none"));
    EXPECT_EQ(r.a.intersect(r.b), r.expected);
    EXPECT_EQ(r.b.intersect(r.a), r.expected);
  }
}

// Period text as spm comp run ranges and spm quota base windows take it (the fiscal forms are
// covered with the run ranges in tests/comp/run_range_explain_test.cpp).
TEST(PeriodText, FormsAndTheSideThatIsNotAPeriod) {
  const FiscalCalendar cal;
  EXPECT_EQ(parse_period_text("2025", cal), p("2025-01-01", "2026-01-01"));
  EXPECT_EQ(parse_period_text("2025-Q4", cal), p("2025-10-01", "2026-01-01"));
  EXPECT_EQ(parse_period_text("2025-01..2025-06", cal), p("2025-01-01", "2025-07-01"));
  EXPECT_EQ(parse_period_text("2025-01-01..2025-07-01", cal), p("2025-01-01", "2025-07-01"));
  EXPECT_EQ(parse_period_text("2025", FiscalCalendar(2)), p("2024-02-01", "2025-02-01"));
  const std::string help =
      ": not a period; write 2026-Q1, 2026-03, 2026, 2026-01..2026-06 or 2026-01-01..2026-07-01";
  EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)parse_period_text("2025-Q5", cal); },
                                              "period.text", "[period.text] 2025-Q5" + help));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)parse_period_text("2025-01..2025-13", cal); }, "period.text",
      "[period.text] 2025-13" + help));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)parse_period_text("2025-06..2025-01", cal); }, "period.text",
      "[period.text] 2025-06..2025-01" + help));
}

// Letters in lower case read as in upper case: user testing found 2025-q4 refused.
TEST(PeriodText, LowerCaseLetters) {
  const FiscalCalendar cal;
  EXPECT_EQ(parse_period_text("2025-q4", cal), parse_period_text("2025-Q4", cal));
  EXPECT_EQ(parse_period_text("2025-h2", cal), p("2025-07-01", "2026-01-01"));
  EXPECT_EQ(parse_period_text("2025-q1..2025-h2", cal), p("2025-01-01", "2026-01-01"));
  const FiscalCalendar feb(2);
  EXPECT_EQ(parse_period_text("fy2026-q1", feb), parse_period_text("FY2026-Q1", feb));
  EXPECT_EQ(parse_period_text("Fy2026", feb), p("2025-02-01", "2026-02-01"));
  // Errors still name the text as written.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)parse_period_text("2025-q5", cal); }, "period.text",
      "[period.text] 2025-q5: not a period; write 2026-Q1, 2026-03, 2026, 2026-01..2026-06 or "
      "2026-01-01..2026-07-01"));
}

// Month labels as statements print them ("2026-M03", "FY2026-M12"): user testing found
// --period FY2026-M12 refused although the run's own statements name the period so. M counts
// months from the fiscal year start, as Q and H do.
TEST(PeriodText, MonthLabels) {
  const FiscalCalendar cal;
  EXPECT_EQ(parse_period_text("2026-M03", cal), p("2026-03-01", "2026-04-01"));
  EXPECT_EQ(parse_period_text("2026-m12", cal), p("2026-12-01", "2027-01-01"));
  EXPECT_EQ(parse_period_text("2026-M01..2026-M06", cal), p("2026-01-01", "2026-07-01"));
  const FiscalCalendar april(4);  // FY2026 runs 2025-04-01 to 2026-03-31
  EXPECT_EQ(parse_period_text("FY2026-M12", april), p("2026-03-01", "2026-04-01"));
  EXPECT_EQ(parse_period_text("FY2026-M01", april), p("2025-04-01", "2025-05-01"));
  EXPECT_EQ(parse_period_text("FY2026-M12", april), parse_period_text("FY2026-12", april));
  EXPECT_EQ(parse_period_text("FY2026-M10..FY2026-M12", april), p("2026-01-01", "2026-04-01"));
  EXPECT_EQ(parse_period_text("FY2026-Q4..FY2027-M01", april), p("2026-01-01", "2026-05-01"));
  const FiscalCalendar by_start(4, true);  // FY2026 runs 2026-04-01 to 2027-03-31
  EXPECT_EQ(parse_period_text("FY2026-M12", by_start), p("2027-03-01", "2027-04-01"));
  for (const char* bad : {"2026-M13", "2026-M00", "2026-M3", "2026-M1x", "2026-M123", "FY2026-M",
                          "2026-X03"}) {
    EXPECT_TRUE(throws_error<InvalidInputError>(
        [&] { (void)parse_period_text(bad, cal); }, "period.text",
        std::string("[period.text] ") + bad +
            ": not a period; write 2026-Q1, 2026-03, 2026, 2026-01..2026-06 or "
            "2026-01-01..2026-07-01"))
        << bad;
  }
}

TEST(PeriodErrors, MessagesWordForWord) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)p("2024-02-01", "2024-01-01"); }, "period.invalid",
      "[period.invalid] a period cannot end (2024-01-01) before it begins (2024-02-01)"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_period_kind("week"); }, "period.kind",
      "[period.kind] 'week' is not a period kind; use month, quarter, half_year or year"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)FiscalCalendar(13); }, "calendar.first_month",
      "[calendar.first_month] first_month: the fiscal year's first month must be 1 (January) to "
      "12 (December), got 13"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)FiscalCalendar(0, true); }, "calendar.first_month",
      "[calendar.first_month] first_month: the fiscal year's first month must be 1 (January) to "
      "12 (December), got 0"));
  const Period jan = p("2024-01-01", "2024-02-01");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)day_fraction(jan, p("2024-01-01", "2024-01-01"), DayCount::calendar_days); },
      "period.empty",
      "[period.empty] the period [2024-01-01, 2024-01-01) has no days, so nothing can be "
      "prorated over it"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)day_fraction(jan, p("2024-01-06", "2024-01-08"), DayCount::business_days); },
      "period.empty",
      "[period.empty] the period [2024-01-06, 2024-01-08) has no business days, so nothing can "
      "be prorated over it"));
  // A period built by hand backwards has no days either (Period is an aggregate).
  const Period backwards{d("2024-02-01"), d("2024-01-01")};
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)day_fraction(jan, backwards, DayCount::calendar_days); }, "period.empty",
      "[period.empty] the period [2024-02-01, 2024-01-01) has no days, so nothing can be "
      "prorated over it"));
}

TEST(PeriodKinds, NamesAndLengths) {
  const std::tuple<PeriodKind, const char*, int> rows[] = {
      {PeriodKind::month, "month", 1},
      {PeriodKind::quarter, "quarter", 3},
      {PeriodKind::half_year, "half_year", 6},
      {PeriodKind::year, "year", 12},
  };
  for (const auto& [kind, name, months] : rows) {
    SCOPED_TRACE(name);
    EXPECT_EQ(to_string(kind), name);
    EXPECT_EQ(parse_period_kind(name), kind);
    EXPECT_EQ(months_in(kind), months);
  }
  EXPECT_THROW((void)parse_period_kind("Quarter"), InvalidInputError);
  EXPECT_THROW((void)parse_period_kind(""), InvalidInputError);
}

// ---------------------------------------------------------------------------------------------
// Fiscal calendars.

TEST(FiscalCalendar, HandCheckedTable) {
  // Real fiscal years: calendar year; retail (Feb start, named by end: FY2025 = Feb 2024 - Jan
  // 2025); Microsoft (Jul start, named by end); Japan/India (Apr start, named by start: FY2024 =
  // Apr 2024 - Mar 2025); US federal (Oct start, named by end); a December start.
  struct Row {
    unsigned first_month;
    bool by_start;
    const char* date;
    PeriodKind kind;
    const char* begin;
    const char* end;
    const char* label;
    int fiscal_year;
    int index;
  };
  const Row rows[] = {
      {1, false, "2024-05-15", PeriodKind::quarter, "2024-04-01", "2024-07-01", "2024-Q2", 2024, 2},
      {1, false, "2024-05-15", PeriodKind::month, "2024-05-01", "2024-06-01", "2024-M05", 2024, 5},
      {1, false, "2024-05-15", PeriodKind::half_year, "2024-01-01", "2024-07-01", "2024-H1", 2024,
       1},
      {1, false, "2024-12-31", PeriodKind::year, "2024-01-01", "2025-01-01", "2024", 2024, 1},
      {1, false, "2024-02-29", PeriodKind::month, "2024-02-01", "2024-03-01", "2024-M02", 2024, 2},
      {1, true, "2024-12-31", PeriodKind::quarter, "2024-10-01", "2025-01-01", "2024-Q4", 2024, 4},
      {2, false, "2025-01-31", PeriodKind::quarter, "2024-11-01", "2025-02-01", "FY2025-Q4", 2025,
       4},
      {2, false, "2024-02-01", PeriodKind::quarter, "2024-02-01", "2024-05-01", "FY2025-Q1", 2025,
       1},
      {2, false, "2024-02-01", PeriodKind::month, "2024-02-01", "2024-03-01", "FY2025-M01", 2025,
       1},
      {2, false, "2025-01-31", PeriodKind::month, "2025-01-01", "2025-02-01", "FY2025-M12", 2025,
       12},
      {2, false, "2024-08-01", PeriodKind::half_year, "2024-08-01", "2025-02-01", "FY2025-H2",
       2025, 2},
      {2, false, "2024-06-30", PeriodKind::year, "2024-02-01", "2025-02-01", "FY2025", 2025, 1},
      {2, true, "2025-01-31", PeriodKind::quarter, "2024-11-01", "2025-02-01", "FY2024-Q4", 2024,
       4},
      {7, false, "2024-07-01", PeriodKind::quarter, "2024-07-01", "2024-10-01", "FY2025-Q1", 2025,
       1},
      {7, false, "2024-06-30", PeriodKind::quarter, "2024-04-01", "2024-07-01", "FY2024-Q4", 2024,
       4},
      {7, false, "2025-03-15", PeriodKind::half_year, "2025-01-01", "2025-07-01", "FY2025-H2",
       2025, 2},
      {4, true, "2025-03-31", PeriodKind::quarter, "2025-01-01", "2025-04-01", "FY2024-Q4", 2024,
       4},
      {4, true, "2024-04-01", PeriodKind::year, "2024-04-01", "2025-04-01", "FY2024", 2024, 1},
      {10, false, "2024-10-01", PeriodKind::quarter, "2024-10-01", "2025-01-01", "FY2025-Q1", 2025,
       1},
      {10, false, "2024-09-30", PeriodKind::month, "2024-09-01", "2024-10-01", "FY2024-M12", 2024,
       12},
      {12, false, "2025-02-28", PeriodKind::quarter, "2024-12-01", "2025-03-01", "FY2025-Q1", 2025,
       1},
      {12, false, "2024-11-30", PeriodKind::quarter, "2024-09-01", "2024-12-01", "FY2024-Q4", 2024,
       4},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE("first month " + std::to_string(r.first_month) +
                 (r.by_start ? " (named by start)" : "") + ", " + r.date + ", " +
                 std::string(to_string(r.kind)) + ": expected [" + r.begin + ", " + r.end + ") " +
                 r.label + " FY" + std::to_string(r.fiscal_year) + " #" +
                 std::to_string(r.index));
    const FiscalCalendar cal(r.first_month, r.by_start);
    EXPECT_EQ(cal.first_month(), r.first_month);
    EXPECT_EQ(cal.period_containing(d(r.date), r.kind), p(r.begin, r.end));
    EXPECT_EQ(cal.label(d(r.date), r.kind), r.label);
    EXPECT_EQ(cal.fiscal_year(d(r.date)), r.fiscal_year);
    EXPECT_EQ(cal.index_in_year(d(r.date), r.kind), r.index);
  }
  EXPECT_EQ(FiscalCalendar().first_month(), 1u);
  EXPECT_EQ(FiscalCalendar().label(d("2025-08-01"), PeriodKind::quarter), "2025-Q3");
}

TEST(FiscalCalendar, PeriodsTable) {
  struct Row {
    unsigned first_month;
    const char* begin;
    const char* end;
    PeriodKind kind;
    std::vector<Period> expected;
  };
  const std::vector<Row> rows = {
      {1, "2024-01-15", "2024-04-01", PeriodKind::month,
       {p("2024-01-01", "2024-02-01"), p("2024-02-01", "2024-03-01"),
        p("2024-03-01", "2024-04-01")}},
      {1, "2024-01-15", "2024-04-01", PeriodKind::quarter, {p("2024-01-01", "2024-04-01")}},
      {1, "2024-03-31", "2024-04-02", PeriodKind::quarter,
       {p("2024-01-01", "2024-04-01"), p("2024-04-01", "2024-07-01")}},
      {1, "2024-01-01", "2024-01-01", PeriodKind::month, {}},
      {1, "2024-06-30", "2024-07-01", PeriodKind::half_year, {p("2024-01-01", "2024-07-01")}},
      {2, "2024-01-01", "2025-12-31", PeriodKind::year,
       {p("2023-02-01", "2024-02-01"), p("2024-02-01", "2025-02-01"),
        p("2025-02-01", "2026-02-01")}},
      {11, "2024-12-31", "2025-01-02", PeriodKind::quarter, {p("2024-11-01", "2025-02-01")}},
  };
  for (const auto& r : rows) {
    std::string want;
    for (const auto& x : r.expected) want += x.to_string() + " ";
    SCOPED_TRACE("first month " + std::to_string(r.first_month) + ", [" + r.begin + ", " + r.end +
                 ") by " + std::string(to_string(r.kind)) + ": expected " + want);
    EXPECT_EQ(FiscalCalendar(r.first_month).periods(p(r.begin, r.end), r.kind), r.expected);
  }
}

// The property loops build their failure text only on failure, to stay fast under sanitizers.

TEST(FiscalCalendarProperty, PeriodsTileTheRangeWithoutGapsOrOverlaps) {
  Random rng(61);
  const std::int32_t base = d("1999-01-01").days_since_epoch();
  for (int i = 0; i < 3000; ++i) {
    const auto first = static_cast<unsigned>(rng.below(12) + 1);
    const FiscalCalendar cal(first, rng.below(2) == 1);
    const PeriodKind kind = all_kinds[rng.below(4)];
    const int len = months_in(kind);
    const Date b = Date::from_days(base + static_cast<std::int32_t>(rng.below(12000)));
    const Date e = b + static_cast<std::int32_t>(rng.below(1500));
    const Period range = Period::make(b, e);
    auto ctx = [&] {
      return "first month " + std::to_string(first) + ", " + range.to_string() + " by " +
             std::string(to_string(kind));
    };
    const auto ps = cal.periods(range, kind);
    if (range.empty()) {
      ASSERT_TRUE(ps.empty()) << ctx();
      continue;
    }
    ASSERT_FALSE(ps.empty()) << ctx();
    ASSERT_TRUE(ps.front().contains(range.begin)) << ctx();
    ASSERT_LT(ps.back().begin, range.end) << ctx();
    ASSERT_GE(ps.back().end, range.end) << ctx();
    for (std::size_t k = 0; k < ps.size(); ++k) {
      const Period& x = ps[k];
      ASSERT_EQ(x.begin.day(), 1u) << ctx() << " at " << x.to_string();
      ASSERT_EQ(x.end, x.begin.add_months(len)) << ctx() << " at " << x.to_string();
      ASSERT_EQ((x.begin.month() + 12 - first) % static_cast<unsigned>(len), 0u)
          << ctx() << " at " << x.to_string();
      ASSERT_EQ(cal.period_containing(x.begin, kind), x) << ctx();
      ASSERT_EQ(cal.period_containing(x.end - 1, kind), x) << ctx();
      if (k > 0) {
        ASSERT_EQ(ps[k - 1].end, x.begin) << ctx() << " gap or overlap at " << x.to_string();
      }
    }
  }
}

TEST(FiscalCalendarProperty, PeriodContainingAndLabelsAreConsistent) {
  Random rng(62);
  const std::int32_t base = d("1990-01-01").days_since_epoch();
  for (int i = 0; i < 4000; ++i) {
    const auto first = static_cast<unsigned>(rng.below(12) + 1);
    const bool by_start = rng.below(2) == 1;
    const FiscalCalendar cal(first, by_start);
    const PeriodKind kind = all_kinds[rng.below(4)];
    const int len = months_in(kind);
    const Date x = Date::from_days(base + static_cast<std::int32_t>(rng.below(20000)));
    auto ctx = [&] {
      return "first month " + std::to_string(first) + (by_start ? " by start, " : ", ") +
             x.to_string() + " " + std::string(to_string(kind));
    };
    const Period per = cal.period_containing(x, kind);
    ASSERT_TRUE(per.contains(x)) << ctx() << " in " << per.to_string();
    const Period year = cal.period_containing(x, PeriodKind::year);
    ASSERT_TRUE(year.contains(x)) << ctx();
    ASSERT_EQ(year.begin.month(), first) << ctx();
    ASSERT_LE(year.begin, per.begin) << ctx();
    ASSERT_LE(per.end, year.end) << ctx();
    // Naming rule written out: by the calendar year of the first or of the last day.
    const int expected_fy = (first == 1 || by_start) ? year.begin.year() : (year.end - 1).year();
    ASSERT_EQ(cal.fiscal_year(x), expected_fy) << ctx();
    // The index counts whole periods from the year start.
    const int months_from_start = (per.begin.year() - year.begin.year()) * 12 +
                                  static_cast<int>(per.begin.month()) -
                                  static_cast<int>(year.begin.month());
    ASSERT_EQ(cal.index_in_year(x, kind), months_from_start / len + 1) << ctx();
    ASSERT_EQ(cal.index_in_year(per.begin, kind), cal.index_in_year(x, kind)) << ctx();
    // One label per period: the same for all its days, different for the next period.
    const std::string label = cal.label(x, kind);
    ASSERT_EQ(cal.label(per.begin, kind), label) << ctx();
    ASSERT_EQ(cal.label(per.end - 1, kind), label) << ctx();
    ASSERT_NE(cal.label(per.end, kind), label) << ctx();
    ASSERT_EQ(label.rfind(first == 1 ? std::to_string(expected_fy) : "FY", 0), 0u)
        << ctx() << " label " << label;
  }
}

// Every label the calendar prints reads back as its period, alone and as a range "A..B" of
// labels of any two kinds, so that a period named in a statement or a phasing table can be given
// back as written.
TEST(FiscalCalendarProperty, LabelsParseBackToTheirPeriods) {
  Random rng(63);
  const std::int32_t base = d("1990-01-01").days_since_epoch();
  for (int i = 0; i < 4000; ++i) {
    const auto first = static_cast<unsigned>(rng.below(12) + 1);
    const bool by_start = rng.below(2) == 1;
    const FiscalCalendar cal(first, by_start);
    const PeriodKind kind = all_kinds[rng.below(4)];
    const PeriodKind kind_b = all_kinds[rng.below(4)];
    const Date x = Date::from_days(base + static_cast<std::int32_t>(rng.below(20000)));
    const Date y = x + static_cast<std::int32_t>(rng.below(1000));
    const std::string a = cal.label(x, kind);
    const std::string b = cal.label(y, kind_b);
    auto ctx = [&] {
      return "first month " + std::to_string(first) + (by_start ? " by start, " : ", ") +
             x.to_string() + " " + std::string(to_string(kind)) + " '" + a + "', " +
             y.to_string() + " " + std::string(to_string(kind_b)) + " '" + b + "'";
    };
    const Period pa = cal.period_containing(x, kind);
    const Period pb = cal.period_containing(y, kind_b);
    ASSERT_EQ(parse_period_text(a, cal), pa) << ctx();
    if (pb.end > pa.begin) {
      ASSERT_EQ(parse_period_text(a + ".." + b, cal), Period::make(pa.begin, pb.end)) << ctx();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Business days.

// US federal holidays 2024 as published by OPM.
std::vector<Date> us_2024() {
  std::vector<Date> out;
  for (const char* t : {"2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19",
                        "2024-07-04", "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28",
                        "2024-12-25"}) {
    out.push_back(d(t));
  }
  return out;
}

TEST(HolidayCalendar, BusinessDaysTable) {
  // Counted by hand on a calendar and cross-checked with a day-by-day Python loop.
  struct Row {
    const char* begin;
    const char* end;
    std::vector<Date> holidays;
    unsigned weekend;
    std::int64_t expected;
  };
  const std::vector<Row> rows = {
      {"2024-01-01", "2024-02-01", {}, 0b1000001, 23},
      {"2024-01-01", "2024-02-01", {d("2024-01-01"), d("2024-01-15")}, 0b1000001, 21},
      // a Saturday holiday and a duplicate change nothing
      {"2024-01-01", "2024-02-01",
       {d("2024-01-15"), d("2024-01-06"), d("2024-01-01"), d("2024-01-01")}, 0b1000001, 21},
      {"2024-01-01", "2024-02-01", {}, 0b1100000, 23},  // Friday + Saturday weekend
      {"2024-01-01", "2024-02-01", {}, 0b0000001, 27},  // Sunday only
      {"2024-01-01", "2024-02-01", {}, 0, 31},
      {"2024-01-01", "2024-02-01", {}, 0xFF, 0},  // bits beyond Saturday are ignored
      {"2024-01-01", "2025-01-01", {}, 0b1000001, 262},
      {"2024-01-01", "2025-01-01", us_2024(), 0b1000001, 251},
      {"2024-01-01", "2024-04-01", us_2024(), 0b1000001, 62},
      {"2024-12-01", "2025-01-01", us_2024(), 0b1000001, 21},
      {"2024-02-01", "2024-03-01", {d("2024-01-01")}, 0b1000001, 21},  // holiday outside
      {"2024-01-06", "2024-01-08", {}, 0b1000001, 0},
      {"2024-01-01", "2024-01-08", {}, 0b1000001, 5},
      {"2024-01-01", "2024-01-01", {}, 0b1000001, 0},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("[") + r.begin + ", " + r.end + ") with " +
                 std::to_string(r.holidays.size()) + " holidays, weekend mask " +
                 std::to_string(r.weekend) + ", expected " + std::to_string(r.expected));
    const HolidayCalendar cal(r.holidays, r.weekend);
    EXPECT_EQ(cal.business_days(p(r.begin, r.end)), r.expected);
  }
  const HolidayCalendar plain;
  EXPECT_EQ(plain.business_days(p("2024-01-01", "2024-02-01")), 23);
  const HolidayCalendar us(us_2024());
  EXPECT_FALSE(us.is_business_day(d("2024-01-01")));
  EXPECT_TRUE(us.is_business_day(d("2024-01-02")));
  EXPECT_FALSE(us.is_business_day(d("2024-01-06")));
  EXPECT_FALSE(us.is_business_day(d("2024-01-07")));
}

TEST(HolidayCalendarProperty, BusinessDaysEqualADayByDayCount) {
  Random rng(63);
  const std::int32_t base = d("2020-01-01").days_since_epoch();
  for (int i = 0; i < 1500; ++i) {
    const auto weekend = static_cast<unsigned>(rng.below(128));
    std::vector<Date> holidays;
    const std::uint64_t n_holidays = rng.below(40);
    for (std::uint64_t k = 0; k < n_holidays; ++k) {
      holidays.push_back(Date::from_days(base + static_cast<std::int32_t>(rng.below(900))));
      if (rng.below(5) == 0) holidays.push_back(holidays.back());  // duplicates
    }
    const HolidayCalendar cal(holidays, weekend);
    const Date b = Date::from_days(base - 50 + static_cast<std::int32_t>(rng.below(900)));
    const Period per = Period::make(b, b + static_cast<std::int32_t>(rng.below(500)));
    // Reference: walk every day; weekday from the epoch (1970-01-01 was a Thursday).
    std::int64_t expected = 0;
    for (Date x = per.begin; x < per.end; x = x + 1) {
      const auto wd = static_cast<unsigned>((x.days_since_epoch() % 7 + 7 + 4) % 7);
      const bool weekend_day = ((weekend >> wd) & 1u) != 0;
      const bool holiday = std::find(holidays.begin(), holidays.end(), x) != holidays.end();
      const bool business = !weekend_day && !holiday;
      expected += business ? 1 : 0;
      ASSERT_TRUE(cal.is_business_day(x) == business)
          << x.to_string() << " weekend mask " << weekend << ", expected " << business;
    }
    ASSERT_EQ(cal.business_days(per), expected)
        << per.to_string() << " weekend mask " << weekend << ", " << holidays.size()
        << " holidays";
  }
}

// ---------------------------------------------------------------------------------------------
// Day-count fractions.

TEST(DayFraction, HandCheckedTable) {
  // Proration of a hire or a leave over a month; business days without holidays unless given.
  struct Row {
    Period part;
    Period whole;
    DayCount count;
    std::vector<Date> holidays;
    Fraction expected;
  };
  const Period feb24 = p("2024-02-01", "2024-03-01");
  const std::vector<Row> rows = {
      {p("2024-02-10", "2024-03-01"), feb24, DayCount::calendar_days, {}, Fraction(20, 29)},
      {p("2023-02-10", "2023-03-01"), p("2023-02-01", "2023-03-01"), DayCount::calendar_days,
       {}, Fraction(19, 28)},
      {p("2024-02-10", "2024-03-01"), feb24, DayCount::business_days, {}, Fraction(2, 3)},
      {p("2024-02-10", "2024-03-01"), feb24, DayCount::business_days, {d("2024-02-19")},
       Fraction(13, 20)},
      {p("2024-01-15", "2024-02-15"), feb24, DayCount::calendar_days, {}, Fraction(14, 29)},
      {p("2023-01-01", "2025-01-01"), feb24, DayCount::calendar_days, {}, Fraction(1)},
      {p("2024-03-01", "2024-04-01"), feb24, DayCount::calendar_days, {}, Fraction(0)},
      {p("2024-02-10", "2024-02-10"), feb24, DayCount::calendar_days, {}, Fraction(0)},
      {p("2024-02-10", "2024-02-12"), feb24, DayCount::business_days, {}, Fraction(0)},  // weekend
      {p("2024-10-01", "2025-01-01"), p("2024-01-01", "2025-01-01"), DayCount::calendar_days,
       {}, Fraction(92, 366)},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.part.to_string() + " of " + r.whole.to_string() +
                 (r.count == DayCount::calendar_days ? " calendar" : " business") +
                 " days, expected " + r.expected.to_string());
    EXPECT_EQ(day_fraction(r.part, r.whole, r.count, HolidayCalendar(r.holidays)), r.expected);
  }
}

TEST(DayFractionProperty, PartitionsSumToOne) {
  // Cutting a period into pieces and prorating each gives fractions that add up to exactly 1.
  Random rng(64);
  const std::int32_t base = d("2023-06-01").days_since_epoch();
  for (int i = 0; i < 2000; ++i) {
    const Date b = Date::from_days(base + static_cast<std::int32_t>(rng.below(800)));
    const Period whole = Period::make(b, b + static_cast<std::int32_t>(rng.below(400) + 1));
    std::vector<Date> cuts = {whole.begin, whole.end};
    const std::uint64_t n_cuts = rng.below(6);
    for (std::uint64_t k = 0; k < n_cuts; ++k) {
      cuts.push_back(whole.begin + static_cast<std::int32_t>(rng.below(
                                       static_cast<std::uint64_t>(whole.days()))));
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<Date> holidays;
    for (int k = 0; k < 5; ++k) {
      holidays.push_back(whole.begin + static_cast<std::int32_t>(rng.below(400)));
    }
    const HolidayCalendar cal(holidays);
    const bool has_business_days = cal.business_days(whole) > 0;
    auto ctx = [&] {
      std::string out = whole.to_string() + " cut at";
      for (const Date& c : cuts) out += " " + c.to_string();
      return out;
    };
    Fraction calendar_sum;
    Fraction business_sum;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const Period piece = Period::make(cuts[k], cuts[k + 1]);
      const Fraction f = day_fraction(piece, whole, DayCount::calendar_days);
      ASSERT_EQ(f, Fraction(piece.days(), whole.days())) << ctx() << " piece " << piece.to_string();
      calendar_sum = calendar_sum + f;
      if (has_business_days) {
        business_sum = business_sum + day_fraction(piece, whole, DayCount::business_days, cal);
      }
    }
    ASSERT_EQ(calendar_sum, Fraction(1)) << ctx();
    if (has_business_days) {
      ASSERT_EQ(business_sum, Fraction(1)) << ctx();
    }
    // Parts reaching outside the whole are clipped to it.
    const Period wider = Period::make(whole.begin - 10, whole.end + 10);
    ASSERT_EQ(day_fraction(wider, whole, DayCount::calendar_days), Fraction(1)) << ctx();
  }
}

}  // namespace
}  // namespace spm
