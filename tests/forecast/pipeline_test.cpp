// Pipeline analytics on small tables worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/forecast/pipeline.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::Date;
using spm::Decimal;
using spm::io::Column;
using spm::io::Table;

template <class T>
Column nullable(const std::string& name, std::vector<T> v, std::vector<std::uint8_t> valid) {
  auto c = Column::of(name, std::move(v));
  c.set_validity(std::move(valid));
  return c;
}

TEST(AmountRatios, WonDealsBySegmentThenEveryone) {
  Table t;
  t.add(Column::of("segment", std::vector<std::string>{"A", "A", "B", "B", "B", "C"}));
  t.add(Column::of("outcome", std::vector<std::string>{"won", "won", "won", "lost", "", ""}));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200), Decimal(100), Decimal(500), Decimal(80), Decimal(80)}));
  t.add(nullable("close_amount", std::vector<Decimal>{Decimal(110), Decimal(190), Decimal(150), Decimal(), Decimal(), Decimal()},
                 {1, 1, 1, 0, 0, 0}));
  spm::forecast::AmountRatioOptions o;
  o.segment = "segment";
  const auto r = spm::forecast::amount_ratios(t, o);
  // A: 300 / 300 = 1; B: 150 / 100 = 1.5; everyone: 450 / 400 = 1.125.
  ASSERT_EQ(r.ratios.num_rows(), 3U);
  EXPECT_EQ(r.ratios.values<Decimal>("ratio")[0], Decimal(1));
  EXPECT_EQ(r.ratios.values<Decimal>("ratio")[1], Decimal::parse("1.5"));
  EXPECT_EQ(r.ratios.values<Decimal>("ratio")[2], Decimal::parse("1.125"));
  const auto e = spm::forecast::expected_close_amounts(t, r, o);
  // The open B deal: 80 x 1.5 = 120; the C deal has no won deal in its segment: 80 x 1.125 = 90.
  EXPECT_EQ(e.values<Decimal>("expected_amount")[4], Decimal(120));
  EXPECT_EQ(e.values<Decimal>("expected_amount")[5], Decimal(90));
}

TEST(Slippage, DaysLateAndOverdueOpenDeals) {
  Table t;
  const Date d(2025, 1, 1);
  t.add(Column::of("created_date", std::vector<Date>{d, d, d, d, d, d}));
  t.add(Column::of("expected_close_date", std::vector<Date>{d + 30, d + 30, d + 30, d + 30, d + 40, d + 100}));
  // Closed 5 days early, on time, 10 and 20 days late; two still open on day 60.
  t.add(nullable("close_date", std::vector<Date>{d + 25, d + 30, d + 40, d + 50, Date(), Date()}, {1, 1, 1, 1, 0, 0}));
  spm::forecast::SlippageOptions o;
  o.as_of = d + 60;
  const auto s = spm::forecast::slippage(t, o);
  EXPECT_EQ(s.closed, 4U);
  EXPECT_DOUBLE_EQ(s.share_late, 0.5);
  // Sorted -5, 0, 10, 20: P50 = 5 (halfway), P10 = -5 + 0.3 x 5 = -3.5, P90 = 10 + 0.7 x 10 = 17.
  EXPECT_DOUBLE_EQ(s.p50, 5);
  EXPECT_DOUBLE_EQ(s.p10, -3.5);
  EXPECT_DOUBLE_EQ(s.p90, 17);
  EXPECT_EQ(s.open, 2U);
  EXPECT_EQ(s.overdue, 1U);  // expected on day 40, still open on day 60
}

TEST(Categories, RollUpPerGroupWithCallAndUpside) {
  Table t;
  t.add(Column::of("owner_id", std::vector<std::string>{"ana", "ana", "ana", "ben", "ben"}));
  t.add(Column::of("forecast_category", std::vector<std::string>{"Commit", "Best Case", "closed", "pipeline", "maybe"}));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(50), Decimal(30), Decimal(70), Decimal(10)}));
  spm::forecast::CategoryOptions o;
  o.group = "owner_id";
  const auto r = spm::forecast::category_rollup(t, o);
  ASSERT_EQ(r.table.num_rows(), 3U);
  // ana: call = closed 30 + commit 100 = 130; upside = 130 + best case 50 = 180.
  EXPECT_EQ(r.table.values<Decimal>("call")[0], Decimal(130));
  EXPECT_EQ(r.table.values<Decimal>("upside")[0], Decimal(180));
  EXPECT_EQ(r.table.values<Decimal>("pipeline")[1], Decimal(70));
  EXPECT_EQ(r.table.values<Decimal>("call")[2], Decimal(130));
  ASSERT_EQ(r.rejects.num_rows(), 1U);
  EXPECT_EQ(r.rejects.values<std::int64_t>("row")[0], 5);
  EXPECT_EQ(r.rejects.strings("reason")[0], "unknown forecast category; use Closed, Commit, Best Case, Pipeline or Omitted");
}

TEST(Overrides, ForceSetAndRejectUnknownDeals) {
  Table deals;
  deals.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2"}));
  deals.add(Column::of("probability", std::vector<double>{0.3, 0.5}));
  Table ov;
  ov.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D9", "D2"}));
  ov.add(nullable("action", std::vector<std::string>{"won", "", "", ""}, {1, 0, 0, 0}));
  ov.add(nullable("probability", std::vector<double>{0, 0.9, 0.5, 1.5}, {0, 1, 1, 1}));
  const auto r = spm::forecast::apply_overrides(deals, ov, {});
  EXPECT_EQ(r.applied, 2U);
  EXPECT_EQ(r.deals.values<double>("probability"), (std::vector<double>{1.0, 0.9}));
  EXPECT_EQ(r.deals.strings("override")[0], "forced won");
  EXPECT_EQ(r.deals.strings("override")[1], "probability 0.9");
  ASSERT_EQ(r.rejects.num_rows(), 2U);
  EXPECT_EQ(r.rejects.strings("reason")[0], "no deal has this id");
  EXPECT_EQ(r.rejects.strings("reason")[1], "the probability must be between 0 and 1");
}

TEST(SnapshotDiff, NewWonPushedChangedRemoved) {
  const Date feb(2026, 2, 1), mar(2026, 3, 1), apr(2026, 4, 1);
  Table before;
  before.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D3"}));
  before.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200), Decimal(50)}));
  before.add(Column::of("expected_close_date", std::vector<Date>{feb, mar, mar}));
  before.add(nullable("outcome", std::vector<std::string>{"", "", ""}, {0, 0, 0}));
  Table after;
  after.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D4"}));
  after.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(250), Decimal(70)}));
  after.add(Column::of("expected_close_date", std::vector<Date>{feb, apr, apr}));
  after.add(nullable("outcome", std::vector<std::string>{"won", "", ""}, {1, 0, 0}));
  const auto d = spm::forecast::snapshot_diff(before, after, {});
  ASSERT_EQ(d.changes.num_rows(), 5U);
  EXPECT_EQ(d.changes.strings("change")[0], "won");             // D1
  EXPECT_EQ(d.changes.strings("change")[1], "pushed");          // D2: March -> April
  EXPECT_EQ(d.changes.strings("change")[2], "amount_changed");  // D2: 200 -> 250
  EXPECT_EQ(d.changes.strings("change")[3], "new");             // D4
  EXPECT_EQ(d.changes.strings("change")[4], "removed");         // D3
  const auto& deals = d.summary.values<std::int64_t>("deals");
  EXPECT_EQ(deals, (std::vector<std::int64_t>{1, 1, 0, 1, 0, 1, 1}));
  EXPECT_EQ(d.summary.values<Decimal>("amount")[0], Decimal(70));
}

TEST(CapacityBySize, WinRatesShrinkTowardTheTeam) {
  // Two reps, small deals only: ana won 8 of 10, ben 2 of 10. Team rate m = 0.5.
  // Spread over reps: 10 x 0.3^2 x 2 = 1.8; binomial noise 2 x 0.25 = 0.5; tau^2 = 1.3 / 20 = 0.065.
  // Prior strength 0.25 / 0.065 - 1 = 2.846; ana: (8 + 0.5 x 2.846) / (10 + 2.846) = 0.7335.
  const Date d(2025, 1, 1);
  std::vector<std::string> owner, outcome;
  std::vector<Decimal> amount;
  std::vector<Date> created, closed;
  for (int i = 0; i < 20; ++i) {
    owner.emplace_back(i < 10 ? "ana" : "ben");
    outcome.emplace_back((i < 8 || (i >= 10 && i < 12)) ? "won" : "lost");
    amount.emplace_back(500);
    created.push_back(d + i);
    closed.push_back(d + i + 30);
  }
  owner.emplace_back("ana");  // one big deal still open
  outcome.emplace_back("");
  amount.emplace_back(5000);
  created.push_back(d + 100);
  closed.push_back(d);
  Table t;
  t.add(Column::of("owner_id", owner));
  t.add(Column::of("outcome", outcome));
  t.add(Column::of("amount", amount));
  t.add(Column::of("created_date", created));
  std::vector<std::uint8_t> valid(21, 1);
  valid[20] = 0;
  t.add(nullable("close_date", closed, valid));
  spm::forecast::CapacityBySizeOptions o;
  o.bands = {Decimal(1000)};
  o.as_of = d + 200;
  o.history_days = 365;
  o.period_days = 73;  // five periods in the history: 10 deals created -> 2 per period
  const auto r = spm::forecast::capacity_by_size(t, o);
  ASSERT_EQ(r.reps.num_rows(), 4U);  // ana and ben x two bands
  EXPECT_EQ(r.reps.strings("band")[0], "0-1000");
  EXPECT_EQ(r.reps.strings("band")[1], "1000+");
  EXPECT_NEAR(r.reps.values<double>("win_rate_shrunk")[0], (8 + 0.5 * (0.25 / 0.065 - 1)) / (10 + 0.25 / 0.065 - 1), 1e-12);
  EXPECT_NEAR(r.reps.values<double>("win_rate_shrunk")[0], 0.7335, 1e-4);
  EXPECT_DOUBLE_EQ(r.reps.values<double>("created_per_period")[0], 2.0);
  EXPECT_DOUBLE_EQ(r.reps.values<double>("cycle_days")[0], 30.0);
  EXPECT_EQ(r.reps.values<Decimal>("average_won_amount")[0], Decimal(500));
  // The expected value per period is money: expected wins (to 12 places) x 500, to the cent,
  // computed exactly rather than as a product of doubles.
  const double wins = r.reps.values<double>("expected_won_per_period")[0];
  EXPECT_EQ(r.reps.values<Decimal>("expected_value_per_period")[0],
            Decimal::mul(Decimal(500), Decimal::from_double(wins, 12), 2));
  EXPECT_NEAR(r.reps.values<Decimal>("expected_value_per_period")[0].to_double(), 500 * wins, 0.005);
  // Bands are positive and strictly ascending (user testing: --bands -5 was taken).
  const auto refused = [&](std::vector<Decimal> bands, const std::string& what) {
    return spm::test::throws_error<spm::InvalidInputError>(
        [&] {
          auto bad = o;
          bad.bands = bands;
          (void)spm::forecast::capacity_by_size(t, bad);
        },
        "forecast.options", what);
  };
  EXPECT_TRUE(refused({Decimal(10), Decimal(5)},
                      "[forecast.options] bands[1]: band bounds must be strictly ascending: 5 "
                      "follows 10; list each bound once, smallest first (e.g. 10000,50000)"));
  EXPECT_TRUE(refused({Decimal(10), Decimal(10)},
                      "[forecast.options] bands[1]: band bounds must be strictly ascending: 10 "
                      "follows 10; list each bound once, smallest first (e.g. 10000,50000)"));
  EXPECT_TRUE(refused({Decimal(-5)},
                      "[forecast.options] bands[0]: the band bound -5 is not a deal size; bounds "
                      "are positive upper bounds, smallest first (e.g. 10000,50000)"));
  EXPECT_TRUE(refused({Decimal(0), Decimal(1000)},
                      "[forecast.options] bands[0]: the band bound 0 is not a deal size; bounds "
                      "are positive upper bounds, smallest first (e.g. 10000,50000)"));
}

// Repeated deal ids: the later copies are left out and rejected naming the first row, so that an
// override reaches the one deal kept.
TEST(Overrides, RepeatedDealIdsAreRejectedNamingTheFirstRow) {
  Table deals;
  deals.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D1"}));
  deals.add(Column::of("probability", std::vector<double>{0.3, 0.5, 0.2}));
  Table ov;
  ov.add(Column::of("deal_id", std::vector<std::string>{"D1"}));
  ov.add(Column::of("probability", std::vector<double>{0.9}));
  const auto r = spm::forecast::apply_overrides(deals, ov, {});
  EXPECT_EQ(r.deals.values<double>("probability"), (std::vector<double>{0.9, 0.5}));
  ASSERT_EQ(r.deal_rejects.num_rows(), 1U);
  EXPECT_EQ(r.deal_rejects.values<std::int64_t>("row")[0], 3);
  EXPECT_EQ(r.deal_rejects.strings("reason")[0],
            "duplicate id: row 1 has it already; that row stands for the deal (the first row of the id "
            "not rejected for another reason)");
  EXPECT_EQ(r.rejects.num_rows(), 0U);
}

TEST(Overrides, AMissingProbabilityColumnIsNamed) {
  Table deals;
  deals.add(Column::of("deal_id", std::vector<std::string>{"D1"}));
  Table ov;
  ov.add(Column::of("deal_id", std::vector<std::string>{"D1"}));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::apply_overrides(deals, ov, {}); }, "forecast.column",
      "[forecast.column] deals.probability: the deals table has no column 'probability' (it has: deal_id)"));
}

TEST(Overrides, AForcedOutcomeWithAnotherProbabilityIsRejected) {
  Table deals;
  deals.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2"}));
  deals.add(Column::of("probability", std::vector<double>{0.3, 0.5}));
  Table ov;
  ov.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2"}));
  ov.add(Column::of("action", std::vector<std::string>{"lost", "won"}));
  ov.add(Column::of("probability", std::vector<double>{0.7, 1.0}));
  const auto r = spm::forecast::apply_overrides(deals, ov, {});
  EXPECT_EQ(r.applied, 1U);
  EXPECT_EQ(r.deals.values<double>("probability"), (std::vector<double>{0.3, 1.0}));
  ASSERT_EQ(r.rejects.num_rows(), 1U);
  EXPECT_EQ(r.rejects.values<std::int64_t>("row")[0], 1);
  EXPECT_EQ(r.rejects.strings("reason")[0],
            "the action forces lost (probability 0); leave the probability empty or drop the action");
}

TEST(Categories, ANegativeAmountIsRejected) {
  Table t;
  t.add(Column::of("forecast_category", std::vector<std::string>{"Commit", "Best Case"}));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(-50)}));
  const auto r = spm::forecast::category_rollup(t, {});
  EXPECT_EQ(r.table.values<Decimal>("best_case")[0], Decimal(0));
  ASSERT_EQ(r.rejects.num_rows(), 1U);
  EXPECT_EQ(r.rejects.values<std::int64_t>("row")[0], 2);
  EXPECT_EQ(r.rejects.strings("value")[0], "-50");
  EXPECT_EQ(r.rejects.strings("reason")[0], "the amount is negative; a deal's amount is 0 or more");
}

TEST(Slippage, TheSameColumnForExpectedAndActualIsAnError) {
  Table t;
  t.add(Column::of("created_date", std::vector<Date>{Date(2025, 1, 1)}));
  t.add(Column::of("close_date", std::vector<Date>{Date(2025, 2, 1)}));
  spm::forecast::SlippageOptions o;
  o.expected_close = "close_date";
  o.as_of = Date(2025, 6, 1);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::slippage(t, o); }, "forecast.options",
      "[forecast.options] expected_close: the expected and the actual close date are both 'close_date'; name "
      "the column holding the expected close date (e.g. expected_close_date)"));
}

// "WON " and "Wonn" are misspelt outcomes, not open deals; an open stage name stays open.
TEST(SnapshotDiff, AMisspeltOutcomeIsRejectedAndTheDealLeftOut) {
  const Date feb(2026, 2, 1);
  Table before;
  before.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2"}));
  before.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200)}));
  before.add(Column::of("expected_close_date", std::vector<Date>{feb, feb}));
  before.add(Column::of("outcome", std::vector<std::string>{"Prospecting", "open"}));
  Table after = before;
  after.columns()[*after.find("outcome")] = Column::of("outcome", std::vector<std::string>{"WON ", "Wonn"});
  const auto d = spm::forecast::snapshot_diff(before, after, {});
  EXPECT_EQ(d.changes.num_rows(), 0U);
  ASSERT_EQ(d.rejects.num_rows(), 2U);
  EXPECT_EQ(d.rejects.strings("value")[0], "WON ");
  EXPECT_EQ(d.rejects.strings("reason")[1],
            "in the after snapshot: unknown outcome 'Wonn'; use won (win, closed won, yes, true, 1) or lost (loss, "
            "closed lost, no, false, 0), in any case, or leave it empty while the deal is open; the deal is left "
            "out of the diff");
}

TEST(CapacityBySize, BadRowsAreRejectedNamingTheRow) {
  const Date d(2025, 1, 1);
  Table t;
  t.add(Column::of("owner_id", std::vector<std::string>{"ana", "ana", "ana", "ana"}));
  t.add(Column::of("outcome", std::vector<std::string>{"won", "won", "won", "2"}));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal(500), Decimal(-500), Decimal(500), Decimal(500)}));
  t.add(Column::of("created_date", std::vector<Date>{d, d, d + 40, d}));
  t.add(Column::of("close_date", std::vector<Date>{d + 30, d + 30, d + 30, d + 30}));
  spm::forecast::CapacityBySizeOptions o;
  o.bands = {Decimal(1000)};
  o.as_of = d + 200;
  o.history_days = 365;
  const auto c = spm::forecast::capacity_by_size(t, o);
  ASSERT_EQ(c.rejects.num_rows(), 3U);
  EXPECT_EQ(c.rejects.values<std::int64_t>("row"), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(c.rejects.strings("column")[0], "amount");
  EXPECT_EQ(c.rejects.strings("reason")[1], "the close date is before the creation date 2025-02-10");
  EXPECT_EQ(c.rejects.strings("column")[2], "outcome");
}

}  // namespace
