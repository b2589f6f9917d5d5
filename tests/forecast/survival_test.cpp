// Kaplan-Meier and Aalen-Johansen on small samples worked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/forecast/survival.hpp>

#include "support/throws_error.hpp"

namespace {

TEST(KaplanMeier, HandWorkedCurveWithCensoring) {
  // Five deals: closed at 1, 2, 3; still open at 2 and 4 (censored).
  // t=1: 5 at risk, 1 closes: S = 4/5 = 0.8
  // t=2: 4 at risk, 1 closes, 1 censored: S = 0.8 x 3/4 = 0.6
  // t=3: 2 at risk, 1 closes: S = 0.6 x 1/2 = 0.3
  // t=4: 1 at risk, censored: S stays 0.3
  const std::vector<double> d{2, 1, 2, 3, 4};
  const std::vector<std::uint8_t> e{1, 1, 0, 1, 0};
  const auto c = spm::forecast::kaplan_meier(d, e);
  ASSERT_EQ(c.time, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(c.at_risk, (std::vector<std::size_t>{5, 4, 2, 1}));
  EXPECT_EQ(c.censored, (std::vector<std::size_t>{0, 1, 0, 1}));
  EXPECT_NEAR(c.survival[0], 0.8, 1e-15);
  EXPECT_NEAR(c.survival[1], 0.6, 1e-15);
  EXPECT_NEAR(c.survival[2], 0.3, 1e-15);
  EXPECT_NEAR(c.survival[3], 0.3, 1e-15);
  // Greenwood at t=1: 0.8 x sqrt(1 / (5 x 4)).
  EXPECT_NEAR(c.std_error[0], 0.8 * std::sqrt(1.0 / 20), 1e-15);
  EXPECT_DOUBLE_EQ(c.survival_at(0.5), 1.0);
  EXPECT_DOUBLE_EQ(c.survival_at(2.5), c.survival[1]);
  EXPECT_EQ(c.table().num_rows(), 4U);
  // P(T >= t) is the curve just before t: 1 at t = 1, 0.8 at t = 2, 0.6 at t = 3.
  EXPECT_DOUBLE_EQ(c.survival_before(1), 1.0);
  EXPECT_NEAR(c.survival_before(3), 0.6, 1e-15);
  // Nothing in the history closed after day 3, so past it the curve goes on at a constant hazard:
  // the 3 closes (all used, from day 0) over the 2 + 1 + 2 + 3 + 3 = 11 days open up to day 3,
  // weighed as one close against the 1 day the last deal was open past day 3: 1 / (11/3 + 1).
  const double h = 3.0 / 14;
  EXPECT_NEAR(c.tail_hazard, h, 1e-15);
  // Open at age 2 (T >= 2, P = 0.8): closes before age 3 with (0.8 - 0.6) / 0.8 = 0.25;
  // before age 4 with (0.8 - 0.3 e^-h) / 0.8 (one day past the last close).
  EXPECT_NEAR(c.close_within(2, 1), 0.25, 1e-15);
  EXPECT_NEAR(c.close_within(2, 2), (0.8 - 0.3 * std::exp(-h)) / 0.8, 1e-15);
  // Open at age 4 (P = 0.3 e^-h): closes within 10 days with 1 - e^(-10 h).
  EXPECT_NEAR(c.close_within(4, 10), 1 - std::exp(-h * 10), 1e-12);
}

TEST(KaplanMeier, DealsOpenLongPastTheLastCloseLowerTheTail) {
  // Found by a user test: 100 deals closing at 10..50 days and 50 deals open for 243 days that
  // never closed. The slope of the last closes alone gave the old deals p_close 0.96 in 90 days.
  // Now the last tenth of the closes (10, from a) over every deal's days open past a.
  std::vector<double> d;
  std::vector<std::uint8_t> e;
  for (int i = 0; i < 100; ++i) {
    d.push_back(10 + i % 41);
    e.push_back(1);
  }
  const auto closes_only = spm::forecast::kaplan_meier(d, e);
  for (int i = 0; i < 50; ++i) {
    d.push_back(243);
    e.push_back(0);
  }
  const auto c = spm::forecast::kaplan_meier(d, e);
  // The latest closes until there are at least 10 (a tenth of 100), a the time before the first of
  // them; their days open from a to the last close (50), and the 50 deals' 193 days past it.
  std::size_t closes = 0;
  double a = 0;
  for (std::size_t m = c.time.size(); m-- > 0;) {
    if (c.events[m] == 0) continue;
    closes += c.events[m];
    a = m > 0 ? c.time[m - 1] : 0;
    if (closes >= 10) break;
  }
  double recent = 0;
  for (const double x : d) recent += std::clamp(x, a, 50.0) - a;
  EXPECT_NEAR(c.tail_hazard, 1 / (recent / static_cast<double>(closes) + 50 * 193.0), 1e-15);
  const double p = c.close_within(243, 90);
  EXPECT_NEAR(p, 1 - std::exp(-90 * c.tail_hazard), 1e-12);
  EXPECT_LT(p, 0.01) << "tail_hazard " << c.tail_hazard;
  // Without the open deals the history says nothing against a fast tail.
  EXPECT_GT(closes_only.tail_hazard, 10 * c.tail_hazard);
}

TEST(AalenJohansen, WonAndLostCompete) {
  // t=1: 4 at risk, one won: CIF_won = 1/4; S = 3/4
  // t=2: 3 at risk, one lost: CIF_lost = 3/4 x 1/3 = 1/4; S = 1/2
  // t=3: 2 at risk, one censored; t=4: 1 at risk, won: CIF_won = 1/4 + 1/2 x 1 = 3/4
  const std::vector<double> d{1, 2, 3, 4};
  const std::vector<int> cause{1, 2, 0, 1};
  const auto r = spm::forecast::aalen_johansen(d, cause, 2);
  ASSERT_EQ(r.time.size(), 4U);
  EXPECT_NEAR(r.incidence[0][0], 0.25, 1e-15);
  EXPECT_NEAR(r.incidence[1][1], 0.25, 1e-15);
  EXPECT_NEAR(r.incidence[0][3], 0.75, 1e-15);
  EXPECT_NEAR(r.survival[3], 0.0, 1e-15);
  // Incidences and survival add to one at every time.
  for (std::size_t i = 0; i < r.time.size(); ++i) {
    EXPECT_NEAR(r.incidence[0][i] + r.incidence[1][i] + r.survival[i], 1.0, 1e-15) << "t=" << r.time[i];
  }
  EXPECT_DOUBLE_EQ(r.incidence_at(2, 10), 0.25);
  const std::vector<std::string> names{"won", "lost"};
  EXPECT_EQ(r.table(names).columns().back().name(), "incidence_lost");
}

TEST(Survival, BadDurationsAndCausesAreNamed) {
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)spm::forecast::kaplan_meier(std::vector<double>{1, -2}, std::vector<std::uint8_t>{1, 1}); },
      "forecast.duration",
      "[forecast.duration] [1]: duration -2.000000 must be a finite number >= 0 (a close before creation?)"));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)spm::forecast::aalen_johansen(std::vector<double>{1}, std::vector<int>{3}, 2); },
      "forecast.cause", "[forecast.cause] [0]: cause 3 must be 0 (still open) to 2"));
}

// A repeated id is rejected naming the first row (as the win model does); a misspelt outcome is
// a reject naming the value, while an open stage name ("open") leaves the deal open.
TEST(DealDurations, RepeatedIdsAndMisspeltOutcomesAreRejected) {
  using spm::Date;
  using spm::io::Column;
  const Date d(2025, 1, 1);
  spm::io::Table t;
  t.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D1", "D3", "D4"}));
  t.add(Column::of("created_date", std::vector<Date>{d, d, d, d, d}));
  t.add(Column::of("close_date", std::vector<Date>{d + 10, d + 20, d + 10, d + 30, d + 300}));
  t.add(Column::of("outcome", std::vector<std::string>{"won", "lost", "won", "Wonn", "open"}));
  spm::forecast::DealDurationsOptions o;
  o.as_of = d + 100;
  o.id = "deal_id";
  const auto r = spm::forecast::deal_durations(t, o);
  EXPECT_EQ(r.rows, (std::vector<std::size_t>{0, 1, 4}));
  EXPECT_EQ(r.cause, (std::vector<int>{1, 2, 0}));
  ASSERT_EQ(r.rejects.num_rows(), 2U);
  EXPECT_EQ(r.rejects.values<std::int64_t>("row"), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(r.rejects.strings("reason")[0],
            "duplicate id: row 1 has it already; that row stands for the deal (the first row of the id not rejected "
            "for another reason)");
  EXPECT_EQ(r.rejects.strings("reason")[1],
            "unknown outcome 'Wonn'; use won (win, closed won, yes, true, 1) or lost (loss, closed lost, no, "
            "false, 0), in any case, or leave it empty while the deal is open");
}

}  // namespace

namespace {

// Found by a user test: 0/1 integer and boolean outcomes worked in the win model only;
// deal_durations (and so forecast_window, the hazard model, backtest) refused them.
TEST(DealDurations, ReadIntegerAndBooleanOutcomesAsText) {
  using spm::Date;
  using spm::io::Column;
  const std::vector<std::string> text{"won", "lost", "", "won", "lost"};
  const std::vector<std::int64_t> ints{1, 0, 0, 1, 0};
  const std::vector<std::uint8_t> bools{1, 0, 0, 1, 0}, valid{1, 1, 0, 1, 1};
  const auto deals = [&](Column outcome) {
    spm::io::Table t;
    t.add(Column::of("created_date", std::vector<Date>(5, Date(2025, 1, 1))));
    auto closed = Column::of("close_date", std::vector<Date>{Date(2025, 2, 1), Date(2025, 3, 1), Date(2025, 1, 1),
                                                             Date(2025, 4, 1), Date(2025, 5, 1)});
    closed.set_validity(valid);
    t.add(std::move(closed));
    outcome.set_validity(valid);
    t.add(std::move(outcome));
    return t;
  };
  spm::forecast::DealDurationsOptions o;
  o.as_of = Date(2025, 4, 15);
  const auto want = spm::forecast::deal_durations(deals(Column::of("outcome", text)), o);
  EXPECT_EQ(want.cause, (std::vector<int>{1, 2, 0, 1, 0}));
  EXPECT_EQ(want.not_created_yet, 0U);
  o.as_of = Date(2025, 1, 1);  // every deal created on the as-of date: none exists yet
  EXPECT_EQ(spm::forecast::deal_durations(deals(Column::of("outcome", text)), o).not_created_yet, 5U);
  o.as_of = Date(2025, 4, 15);
  for (auto c : {Column::of("outcome", ints), Column::of("outcome", bools)}) {
    const auto got = spm::forecast::deal_durations(deals(std::move(c)), o);
    EXPECT_EQ(got.cause, want.cause);
    EXPECT_EQ(got.days, want.days);
    EXPECT_EQ(got.rejects.num_rows(), 0U);
  }
  // 2 is no outcome: the same reject as a misspelt text.
  const auto two = spm::forecast::deal_durations(deals(Column::of("outcome", std::vector<std::int64_t>{1, 2, 0, 1, 0})), o);
  ASSERT_EQ(two.rejects.num_rows(), 1U);
  EXPECT_EQ(two.rejects.strings("reason")[0].rfind("unknown outcome '2'", 0), 0U);
}

}  // namespace
