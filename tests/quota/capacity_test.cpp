// Capacity model, JSON model documents and the bottom-up pipeline, checked against hand-worked
// examples.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/quota/capacity.hpp>

#include "../support/throws_error.hpp"

namespace spm::quota {
namespace {

using namespace spm::literals;

// Every cell of a row as text, compared column by column; a mismatch names the column.
void expect_row(const io::Table& t, std::size_t row, const std::vector<std::string>& expected) {
  ASSERT_EQ(t.num_columns(), expected.size());
  for (std::size_t c = 0; c < expected.size(); ++c) {
    EXPECT_EQ(t.columns()[c].text(row), expected[c])
        << "row " << row << " column " << t.columns()[c].name();
  }
}

Decimal cell(const io::Table& t, std::string_view column, std::size_t row) {
  return t.values<Decimal>(column)[row];
}

// The hand-worked model: 2 cohorts, a 3-month ramp, 10% monthly attrition, hires in months 1
// and 4, 6 months reported by quarter.
CapacityModel worked_model() {
  CapacityModel m;
  m.start = Date(2026, 1, 1);
  m.months = 6;
  m.report = PeriodKind::quarter;
  m.cohorts = {{12, 10}, {1, 2}};  // 10 fully ramped reps; 2 reps in their second month
  m.ramp = {"0.25"_d, "0.5"_d, "0.75"_d};
  m.productivity = 10000;
  m.monthly_attrition = "0.1"_d;
  m.hires = {1, 0, 0, 2};
  m.over_assignment = "0.1"_d;
  m.target = 660000;
  m.win_rate = "0.25"_d;
  m.average_deal_size = 20000;
  m.coverage = 3;
  return m;
}

const std::vector<std::string> columns = {
    "period",          "period_start", "period_end", "months",         "headcount_start",
    "hires",           "attrition",    "headcount_end", "ramped_reps", "capacity",
    "target",          "quota_assigned", "gap",      "pipeline_needed", "deals_needed",
    "opportunities_needed"};

TEST(CapacityModel, WorkedExampleEveryColumn) {
  // Buckets by tenure month: b1 (ramp 0.25), b2 (0.5), b3 (0.75), R (ramped, 1).
  // Start: R = 10, b2 = 2 (tenure 1 completed). Attrition 0.1 of every bucket at month end.
  // Jan: start 12, hire 1 -> b1 = 1. ramped = 1x0.25 + 2x0.5 + 10 = 11.25, cap 112500.
  //      attrition 0.1 + 0.2 + 1 = 1.3, end 11.7; age: b2 = 0.9, b3 = 1.8, R = 9.
  // Feb: start 11.7. ramped = 0.9x0.5 + 1.8x0.75 + 9 = 10.8, cap 108000.
  //      attrition 0.09 + 0.18 + 0.9 = 1.17, end 10.53; age: b3 = 0.81, R = 1.62 + 8.1 = 9.72.
  // Mar: start 10.53. ramped = 0.81x0.75 + 9.72 = 10.3275, cap 103275.
  //      attrition 0.081 + 0.972 = 1.053, end 9.477; age: R = 9.477.
  // Apr: start 9.477, hires 2 -> b1 = 2. ramped = 0.5 + 9.477 = 9.977, cap 99770.
  //      attrition 0.2 + 0.9477 = 1.1477, end 10.3293; age: b2 = 1.8, R = 8.5293.
  // May: start 10.3293. ramped = 0.9 + 8.5293 = 9.4293, cap 94293.
  //      attrition 0.18 + 0.85293 = 1.03293, end 9.29637; age: b3 = 1.62, R = 7.67637.
  // Jun: start 9.29637. ramped = 1.215 + 7.67637 = 8.89137, cap 88913.7.
  //      attrition 0.162 + 0.767637 = 0.929637, end 8.366733.
  // Q1: attrition 1.3 + 1.17 + 1.053 = 3.523; ramped (11.25 + 10.8 + 10.3275) / 3 = 10.7925;
  //     capacity 323775.
  // Q2: attrition 1.1477 + 1.03293 + 0.929637 = 3.110267; ramped 28.29767 / 3 =
  //     9.43255666666|67 (12 places, half-even); capacity 282976.7.
  // TOTAL: ramped 60.67517 / 6 = 10.112528333333|3; capacity 606751.7.
  // Target 660000 by days: Q1 90/181 = 328176.7955..., Q2 91/181 = 331823.2044...; floors
  // 328176.79 + 331823.20 leave one cent for the larger remainder (Q1): 328176.80, 331823.20.
  // quota_assigned x1.1: 360994.48, 365005.52, 726000. gap: 323775 - 328176.80 = -4401.80,
  // 282976.70 - 331823.20 = -48846.50, 606751.70 - 660000 = -53248.30. Pipeline x3: 984530.40,
  // 995469.60, 1980000. Deals /20000: 16.41 -> 17, 16.59 -> 17, 33; opportunities /0.25: 68,
  // 68, 132.
  const auto r = plan_capacity(worked_model());
  const auto& t = r.periods;
  ASSERT_EQ(t.num_rows(), 3u);
  for (std::size_t c = 0; c < columns.size(); ++c) EXPECT_EQ(t.columns()[c].name(), columns[c]);
  expect_row(t, 0,
             {"2026-Q1", "2026-01-01", "2026-04-01", "3", "12", "1", "3.523", "9.477", "10.7925",
              "323775.00", "328176.80", "360994.48", "-4401.80", "984530.40", "17", "68"});
  expect_row(t, 1,
             {"2026-Q2", "2026-04-01", "2026-07-01", "3", "9.477", "2", "3.110267", "8.366733",
              "9.432556666667", "282976.70", "331823.20", "365005.52", "-48846.50", "995469.60",
              "17", "68"});
  expect_row(t, 2,
             {"TOTAL", "2026-01-01", "2026-07-01", "6", "12", "3", "6.633267", "8.366733",
              "10.112528333333", "606751.70", "660000.00", "726000.00", "-53248.30",
              "1980000.00", "33", "132"});
  // reps_needed = 53248.3 / (10000 x 6) = 0.88747166666|67.
  EXPECT_EQ(r.reps_needed, "0.887471666667"_d);
  // One January hire: 0.25 + 0.9x0.5 + 0.81x0.75 + 0.729 + 0.6561 + 0.59049 = 3.28309 ramped
  // rep-months, x10000 = 32830.9; 53248.3 / 32830.9 = 1.62 -> 2 hires.
  EXPECT_EQ(r.hire_contribution, "32830.9"_d);
  EXPECT_EQ(r.hires_needed, "2"_d);
  EXPECT_TRUE(r.hires_close_gap);
}

TEST(CapacityModel, NoAttritionNoRampIsHeadcountTimesProductivityTimesMonths) {
  // 5 reps x 1000 a month x 3 months = 15000. February to April against calendar quarters:
  // Q1 reports February and March only (2 months, 10000), Q2 April (5000).
  CapacityModel m;
  m.start = Date(2026, 2, 1);
  m.months = 3;
  m.cohorts = {{0, 5}};
  m.productivity = 1000;
  const auto r = plan_capacity(m);
  const auto& t = r.periods;
  ASSERT_EQ(t.num_rows(), 3u);
  // No target: target 0, gap = capacity, deals and opportunities null (no deal size).
  expect_row(t, 0, {"2026-Q1", "2026-02-01", "2026-04-01", "2", "5", "0", "0", "5", "5",
                    "10000.00", "0.00", "0.00", "10000.00", "0.00", "", ""});
  expect_row(t, 1, {"2026-Q2", "2026-04-01", "2026-05-01", "1", "5", "0", "0", "5", "5",
                    "5000.00", "0.00", "0.00", "5000.00", "0.00", "", ""});
  expect_row(t, 2, {"TOTAL", "2026-02-01", "2026-05-01", "3", "5", "0", "0", "5", "5",
                    "15000.00", "0.00", "0.00", "15000.00", "0.00", "", ""});
  EXPECT_EQ(r.reps_needed, "0"_d);
  EXPECT_EQ(r.hires_needed, "0"_d);
  EXPECT_EQ(r.hire_contribution, "3000"_d);  // a hire with no ramp: 1000 x 3 months
}

TEST(CapacityModel, FiscalMonthLabelsAndCoverageFromWinRate) {
  // Fiscal year from February: February 2026 is FY2027-M01. Coverage zero: pipeline = target /
  // win rate = 1000 / 0.4 = 2500 (TOTAL); by days Feb 28/59 x 1000 = 474.576... -> 474.58
  // (larger remainder than March's 525.42|37...), March 525.42; pipeline 1186.45, 1313.55.
  CapacityModel m;
  m.start = Date(2026, 2, 1);
  m.months = 2;
  m.report = PeriodKind::month;
  m.calendar = FiscalCalendar(2);
  m.cohorts = {{3, 1}};
  m.productivity = 600;
  m.target = 1000;
  m.win_rate = "0.4"_d;
  const auto r = plan_capacity(m);
  const auto& t = r.periods;
  ASSERT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(t.columns()[0].text(0), "FY2027-M01");
  EXPECT_EQ(t.columns()[0].text(1), "FY2027-M02");
  EXPECT_EQ(t.column("target").text(0), "474.58");
  EXPECT_EQ(t.column("target").text(1), "525.42");
  EXPECT_EQ(t.column("pipeline_needed").text(0), "1186.45");
  EXPECT_EQ(t.column("pipeline_needed").text(1), "1313.55");
  EXPECT_EQ(t.column("pipeline_needed").text(2), "2500.00");
  // Capacity 1 rep x 600 x 2 months = 1200 exceeds the target: gap +200, nothing is needed.
  EXPECT_EQ(t.column("gap").text(2), "200.00");
  EXPECT_EQ(r.reps_needed, "0"_d);
  EXPECT_EQ(r.hires_needed, "0"_d);
}

TEST(CapacityModel, HiresCannotCloseGapWhenTheRampIsZeroThroughoutTheSpan) {
  // Ramp 0, 0 over a 2-month span: a hire brings nothing, so hires never close the gap of 100;
  // reps_needed = 100 / (50 x 2) = 1.
  CapacityModel m;
  m.months = 2;
  m.ramp = {0, 0};
  m.productivity = 50;
  m.target = 100;
  const auto r = plan_capacity(m);
  EXPECT_EQ(r.hire_contribution, "0"_d);
  EXPECT_FALSE(r.hires_close_gap);
  EXPECT_EQ(r.hires_needed, "0"_d);
  EXPECT_EQ(r.reps_needed, "1"_d);
}

TEST(CapacityProperties, HeadcountBalancesTotalsAddUpAndHiresNeededIsMinimal) {
  // Invariants over a few varied models: every row balances exactly (end = start + hires -
  // attrition), rows add up to TOTAL for hires, attrition and target, and adding hires_needed
  // January hires closes the gap while one fewer does not.
  std::vector<CapacityModel> models;
  for (const auto& attrition : {"0"_d, "0.015"_d, "0.333333"_d, "1"_d}) {
    auto m = worked_model();
    m.monthly_attrition = attrition;
    m.months = 12;
    m.hires = {"1.5"_d, 0, 2, 0, 0, "0.25"_d};
    m.target = "3000000.01"_d;
    models.push_back(m);
  }
  int gaps_checked = 0;
  for (const auto& m : models) {
    SCOPED_TRACE("attrition " + m.monthly_attrition.to_string());
    const auto r = plan_capacity(m);
    const auto& t = r.periods;
    const std::size_t total = t.num_rows() - 1;
    Decimal hires, attrition, target;
    for (std::size_t i = 0; i <= total; ++i) {
      EXPECT_EQ(cell(t, "headcount_end", i),
                cell(t, "headcount_start", i) + cell(t, "hires", i) - cell(t, "attrition", i));
    }
    for (std::size_t i = 0; i < total; ++i) {
      hires += cell(t, "hires", i);
      attrition += cell(t, "attrition", i);
      target += cell(t, "target", i);
    }
    EXPECT_EQ(hires, cell(t, "hires", total));
    EXPECT_EQ(attrition, cell(t, "attrition", total));
    EXPECT_EQ(target, cell(t, "target", total));
    for (const char* money : {"capacity", "quota_assigned", "gap", "pipeline_needed"}) {
      Decimal sum;
      for (std::size_t i = 0; i < total; ++i) sum += cell(t, money, i);
      EXPECT_EQ(sum, cell(t, money, total)) << money;
    }
    if (!r.hires_close_gap || r.hires_needed.is_zero()) continue;
    auto with_hires = [&](const Decimal& extra) {
      auto more = m;
      more.hires[0] += extra;
      return cell(plan_capacity(more).periods, "gap", total);
    };
    EXPECT_GE(with_hires(r.hires_needed), "0"_d);
    EXPECT_LT(with_hires(r.hires_needed - 1), "0"_d);
    ++gaps_checked;
  }
  EXPECT_EQ(gaps_checked, 4);  // every model is short of the target
}

// A user test's model: by month, pipeline = target / 0.3 rounded per row summed to
// 3333333.35 against a TOTAL of 3333333.37 (the docs promised a cent at most). TOTAL is the
// exact 1000000.01 / 0.3 = 3333333.3666.. rounded once; the rows share it by largest remainder.
TEST(CapacityModel, MoneyRowsAddUpToTotalExactly) {
  CapacityModel m;
  m.start = Date(2026, 1, 1);
  m.months = 12;
  m.report = PeriodKind::month;
  m.cohorts = {{0, 10}};
  m.productivity = 10000;
  m.target = "1000000.01"_d;
  m.win_rate = "0.3"_d;
  const auto t = plan_capacity(m).periods;
  ASSERT_EQ(t.num_rows(), 13u);
  Decimal sum;
  for (std::size_t i = 0; i < 12; ++i) {
    sum += cell(t, "pipeline_needed", i);
    // Each row within a cent of its exact target / 0.3.
    EXPECT_LT((cell(t, "pipeline_needed", i) - cell(t, "target", i) / "0.3"_d).abs(), "0.01"_d);
  }
  EXPECT_EQ(cell(t, "pipeline_needed", 12), "3333333.37"_d);
  EXPECT_EQ(sum, "3333333.37"_d);
}

// ---- validation ------------------------------------------------------------------------------

struct BadModel {
  const char* name;
  std::function<void(CapacityModel&)> change;
  const char* what;
};

TEST(CapacityValidation, EveryErrorOnceWordForWord) {
  const std::vector<BadModel> cases = {
      {"months", [](CapacityModel& m) { m.months = 0; },
       "[quota.capacity] capacity.months: must be at least 1 (the number of months to simulate), "
       "not 0"},
      {"start", [](CapacityModel& m) { m.start = Date(2026, 1, 15); },
       "[quota.capacity] capacity.start: must be the first day of a month, not 2026-01-15"},
      {"tenure", [](CapacityModel& m) { m.cohorts[0].tenure_months = -1; },
       "[quota.capacity] capacity.cohorts[0].tenure_months: must not be negative (months of "
       "tenure completed at the start), not -1"},
      {"cohort reps", [](CapacityModel& m) { m.cohorts[1].reps = -2; },
       "[quota.capacity] capacity.cohorts[1].reps: must not be negative, not -2"},
      {"ramp length", [](CapacityModel& m) { m.months = 2; },
       "[quota.capacity] capacity.ramp: has 3 months but the model runs 2; shorten the ramp or "
       "run more months"},
      {"ramp value", [](CapacityModel& m) { m.ramp[1] = "1.2"_d; },
       "[quota.capacity] capacity.ramp[1]: must be between 0 and 1 (the fraction of full "
       "productivity), not 1.2"},
      {"productivity", [](CapacityModel& m) { m.productivity = 0; },
       "[quota.capacity] capacity.productivity: must be greater than zero (bookings of one fully "
       "ramped rep per month), not 0"},
      {"attrition", [](CapacityModel& m) { m.monthly_attrition = "1.5"_d; },
       "[quota.capacity] capacity.monthly_attrition: must be between 0 and 1 (the fraction "
       "leaving each month, e.g. 0.015), not 1.5"},
      {"hires length", [](CapacityModel& m) { m.hires.resize(7); },
       "[quota.capacity] capacity.hires: has 7 months but the model runs 6; remove the extra "
       "months"},
      {"hires value", [](CapacityModel& m) { m.hires[1] = -1; },
       "[quota.capacity] capacity.hires[1]: must not be negative, not -1"},
      {"over-assignment", [](CapacityModel& m) { m.over_assignment = "-0.1"_d; },
       "[quota.capacity] capacity.over_assignment: must not be negative, not -0.1"},
      {"target sign", [](CapacityModel& m) { m.target = -5; },
       "[quota.capacity] capacity.target: must not be negative (zero = no target), not -5"},
      {"target cents", [](CapacityModel& m) { m.target = "0.001"_d; },
       "[quota.capacity] capacity.target: has more than 2 decimals (0.001); give the target in "
       "cents"},
      {"win rate zero", [](CapacityModel& m) { m.win_rate = 0; },
       "[quota.capacity] capacity.win_rate: must be greater than 0 and at most 1, not 0"},
      {"win rate above one", [](CapacityModel& m) { m.win_rate = "1.5"_d; },
       "[quota.capacity] capacity.win_rate: must be greater than 0 and at most 1, not 1.5"},
      {"deal size", [](CapacityModel& m) { m.average_deal_size = -1; },
       "[quota.capacity] capacity.average_deal_size: must not be negative (zero = no deal "
       "counts), not -1"},
      {"coverage", [](CapacityModel& m) { m.coverage = -1; },
       "[quota.capacity] capacity.coverage: must not be negative (zero = 1 / win rate), not -1"},
  };
  for (const auto& c : cases) {
    auto m = worked_model();
    c.change(m);
    EXPECT_TRUE(test::throws_error<InvalidInputError>([&] { (void)plan_capacity(m); },
                                                      "quota.capacity", c.what))
        << c.name;
  }
}

// ---- JSON ------------------------------------------------------------------------------------

constexpr const char* worked_json = R"({
  "start": "2026-01-01", "months": 6, "report": "quarter", "fiscal_year_start_month": 1,
  "cohorts": [{"tenure_months": 12, "reps": 10}, {"tenure_months": 1, "reps": "2"}],
  "ramp": ["0.25", "0.5", "0.75"], "productivity": "10000", "monthly_attrition": "0.1",
  "hires": [1, 0, 0, "2"], "over_assignment": "0.1", "target": "660000",
  "win_rate": "0.25", "average_deal_size": 20000, "coverage": "3"
})";

TEST(CapacityJson, ParsesTheWorkedModel) {
  const auto m = parse_capacity_model(worked_json);
  const auto w = worked_model();
  EXPECT_EQ(m.start, w.start);
  EXPECT_EQ(m.months, 6);
  EXPECT_EQ(m.report, PeriodKind::quarter);
  EXPECT_EQ(m.calendar.first_month(), 1u);
  ASSERT_EQ(m.cohorts.size(), 2u);
  EXPECT_EQ(m.cohorts[1].tenure_months, 1);
  EXPECT_EQ(m.cohorts[1].reps, "2"_d);
  EXPECT_EQ(m.ramp, w.ramp);
  EXPECT_EQ(m.hires, w.hires);
  EXPECT_EQ(m.productivity, w.productivity);
  EXPECT_EQ(m.monthly_attrition, w.monthly_attrition);
  EXPECT_EQ(m.over_assignment, w.over_assignment);
  EXPECT_EQ(m.target, w.target);
  EXPECT_EQ(m.win_rate, w.win_rate);
  EXPECT_EQ(m.average_deal_size, w.average_deal_size);
  EXPECT_EQ(m.coverage, w.coverage);
  // Same model, same plan: TOTAL capacity 606751.70 as worked by hand above.
  EXPECT_EQ(plan_capacity(m).periods.column("capacity").text(2), "606751.70");
}

TEST(CapacityJson, ErrorsNameTheField) {
  const auto expect = [](const std::string& json, const char* what) {
    EXPECT_TRUE(test::throws_error<InvalidInputError>([&] { (void)parse_capacity_model(json); },
                                                      "quota.capacity", what))
        << json;
  };
  expect(R"({"start": "2026-01-01", "productivity": 100.5})",
         "[quota.capacity] capacity.productivity: write decimals as strings (\"0.08\", not 0.08) "
         "so they stay exact");
  expect(R"({"start": "2026-01-01", "productivity": "1", "ramp": [0.5]})",
         "[quota.capacity] capacity.ramp[0]: write decimals as strings (\"0.08\", not 0.08) so "
         "they stay exact");
  expect(R"({"start": "2026-01-01", "productivity": "1", "cohorts": [{"reps": "1x"}]})",
         "[quota.capacity] capacity.cohorts[0].reps: '1x' is not a decimal: 'x' is not allowed; use digits, at most one "
         "'.' and an optional leading '-'");
  expect(R"({"productivity": "1"})", "[quota.capacity] capacity.start: is required");
  expect(R"({"start": "2026-01-01", "productivity": "1", "productivity": "2"})",
         "[quota.capacity] capacity.productivity: appears twice in the same object; keep one");
  expect(R"({"start": "2026-01-01", "productivity": "1", "colour": "red"})",
         "[quota.capacity] capacity.colour: unknown field; known fields here: average_deal_size, "
         "cohorts, coverage, fiscal_year_start_month, hires, monthly_attrition, months, "
         "over_assignment, productivity, ramp, report, start, target, win_rate");
  expect(R"({"start": "2026-01-01", "productivity": "1", "report": "week"})",
         "[quota.capacity] capacity.report: must be one of: month, quarter, half_year, year");
  // Values are checked as plan_capacity checks them.
  expect(R"({"start": "2026-01-01", "productivity": "1", "win_rate": "0"})",
         "[quota.capacity] capacity.win_rate: must be greater than 0 and at most 1, not 0");
}

TEST(CapacityJson, InvalidJsonSaysSo) {
  try {
    (void)parse_capacity_model("{\"start\": ");
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.id(), "quota.capacity");
    EXPECT_EQ(e.path(), "capacity");
    EXPECT_EQ(e.detail().rfind("the capacity model is not valid JSON: ", 0), 0u) << e.detail();
  }
}

// ---- pipeline_needed -------------------------------------------------------------------------

io::Table rep_quotas() {
  io::Table t;
  t.add(io::Column::of("rep_id", std::vector<std::string>{"A", "B", "C", "D"}));
  t.add(io::Column::of("quota", std::vector<Decimal>{100000, 95000, 0, 90000}));
  io::Column size("average_deal_size", io::ColumnType::decimal);
  size.push_null();
  size.push_null();
  size.push(Decimal(20000));
  size.push_null();
  t.add(std::move(size));
  io::Column rate("win_rate", io::ColumnType::decimal);
  rate.push_null();
  rate.push("0.25"_d);
  rate.push_null();
  rate.push_null();
  t.add(std::move(rate));
  return t;
}

TEST(CapacityPipeline, RoundsDealsAndOpportunitiesUp) {
  // Defaults: deal 30000, win rate 0.3.
  // A: 100000 / 30000 = 3.33 -> 4 deals; 4 / 0.3 = 13.33 -> 14 opportunities.
  // B: 95000 / 30000 = 3.17 -> 4 deals; own win rate 0.25: 4 / 0.25 = 16.
  // C: quota 0 -> 0 and 0 (own deal size 20000).
  // D: 90000 / 30000 = 3 exactly -> 3 deals; 3 / 0.3 = 10 exactly -> 10.
  const auto r = pipeline_needed(rep_quotas(), 30000, "0.3"_d);
  const auto& t = r.reps;
  EXPECT_EQ(r.rejects.num_rows(), 0u);
  ASSERT_EQ(t.num_rows(), 4u);
  expect_row(t, 0, {"A", "100000", "30000", "0.3", "4", "14"});
  expect_row(t, 1, {"B", "95000", "30000", "0.25", "4", "16"});
  expect_row(t, 2, {"C", "0", "20000", "0.3", "0", "0"});
  expect_row(t, 3, {"D", "90000", "30000", "0.3", "3", "10"});
}

TEST(CapacityPipeline, BadDefaultsThrow) {
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [] { (void)pipeline_needed(rep_quotas(), 0, "0.3"_d); }, "quota.capacity",
      "[quota.capacity] average_deal_size: must be greater than zero, not 0"));
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [] { (void)pipeline_needed(rep_quotas(), 30000, "1.01"_d); }, "quota.capacity",
      "[quota.capacity] win_rate: must be greater than 0 and at most 1, not 1.01"));
}

// Rows are bulk data: a bad one goes to rejects with its reason and the others are computed
// (a negative quota stopped the whole run before, a repeated rep was counted twice).
TEST(CapacityPipeline, BadRowsAreRejectedAndTheRestComputed) {
  auto rows = rep_quotas();
  rows.columns()[3].values<Decimal>()[1] = "1.5"_d;   // B: win rate 1.5
  rows.columns()[2].values<Decimal>()[2] = 0;         // C: deal size 0
  rows.columns()[1].values<Decimal>()[3] = -1;        // D: quota -1
  auto r = pipeline_needed(rows, 30000, "0.3"_d);
  ASSERT_EQ(r.reps.num_rows(), 1u);
  expect_row(r.reps, 0, {"A", "100000", "30000", "0.3", "4", "14"});
  ASSERT_EQ(r.rejects.num_rows(), 3u);
  expect_row(r.rejects, 0, {"quotas", "2", "B", "win_rate must be greater than 0 and at most 1, not 1.5"});
  expect_row(r.rejects, 1, {"quotas", "3", "C", "average_deal_size must be greater than zero, not 0"});
  expect_row(r.rejects, 2, {"quotas", "4", "D", "quota is negative (-1); it must be 0 or more"});

  io::Table dup;
  dup.add(io::Column::of("rep_id", std::vector<std::string>{"A", "A", "B"}));
  dup.add(io::Column::of("quota", std::vector<Decimal>{100, 200, 300}));
  r = pipeline_needed(dup, 100, "0.5"_d);
  ASSERT_EQ(r.reps.num_rows(), 2u);
  expect_row(r.reps, 0, {"A", "100", "100", "0.5", "1", "2"});
  expect_row(r.reps, 1, {"B", "300", "100", "0.5", "3", "6"});
  ASSERT_EQ(r.rejects.num_rows(), 1u);
  expect_row(r.rejects, 0, {"quotas", "2", "A",
                            "rep_id 'A' is listed twice (first at row 1); keep one row per rep"});
}

}  // namespace
}  // namespace spm::quota
