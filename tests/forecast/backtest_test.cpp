// Window forecasts use only what was known on the as-of date; the backtest scores them and its
// intervals; bad cuts are named.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <spm/core/error.hpp>
#include <spm/demo/company.hpp>
#include <spm/forecast/backtest.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::Date;

const spm::demo::Company& company() {
  static const auto c = [] {
    spm::demo::CompanyOptions o;
    o.reps = 30;
    o.seed = 11;
    return spm::demo::generate_company(o);
  }();
  return c;
}

spm::forecast::WindowForecastOptions options(Date as_of) {
  spm::forecast::WindowForecastOptions o;
  o.model.outcome = "outcome";
  o.model.numeric = {"amount"};
  o.model.categorical = {"source", "product_id"};
  o.as_of = as_of;
  o.window_days = 90;
  return o;
}

TEST(WindowForecast, UsesOnlyWhatWasKnownOnTheAsOfDate) {
  const auto& deals = company().opportunities;
  const Date as_of(2025, 4, 1);
  const auto w = spm::forecast::forecast_window(deals, options(as_of));
  const auto& created = deals.values<Date>("created_date");
  const auto& closed = deals.column("close_date");
  std::size_t closed_before = 0, open = 0;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (!(created[r] < as_of)) continue;
    const bool done = !closed.is_null(r) && closed.values<Date>()[r] < as_of;
    (done ? closed_before : open) += 1;
  }
  // Deals closed later are open on the as-of date (their outcome is not used); deals created
  // later do not exist yet.
  EXPECT_EQ(w.train_deals, closed_before);
  EXPECT_EQ(w.rows.size(), open);
  for (std::size_t i = 0; i < w.rows.size(); ++i) {
    ASSERT_GE(w.p[i], 0.0);
    ASSERT_LE(w.p[i], w.p_close[i]);
    EXPECT_LT(created[w.rows[i]], as_of);
  }
}

TEST(WindowForecast, AnAsOfDatePastTheDataIsNoted) {
  // Found by a user test: an as-of date after the data ends counts the open deals as open,
  // without closing, over days the data does not cover.
  const auto& deals = company().opportunities;
  EXPECT_TRUE(spm::forecast::forecast_window(deals, options(Date(2025, 4, 1))).notes.empty());
  const auto& created = deals.values<Date>("created_date");
  const auto& closed = deals.column("close_date");
  Date last = created[0];
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    last = std::max(last, created[r]);
    if (!closed.is_null(r)) last = std::max(last, closed.values<Date>()[r]);
  }
  EXPECT_TRUE(spm::forecast::forecast_window(deals, options(last + 1)).notes.empty());
  const auto w = spm::forecast::forecast_window(deals, options(last + 30));
  ASSERT_EQ(w.notes.size(), 1U);
  EXPECT_EQ(w.notes[0], "as of " + (last + 30).to_string() + " is 30 days after the last date in the data (" +
                            last.to_string() +
                            "): the deals open then are counted as open, without closing, over days the data does "
                            "not cover, which lowers their chance of closing; use an as-of date within the data");
}

TEST(Backtest, ScoresEachCutBesideTheBaseRateAndTheIntervals) {
  spm::forecast::BacktestOptions o;
  o.forecast = options(Date(2025, 1, 1));
  o.cuts = {Date(2024, 10, 1), Date(2025, 1, 1), Date(2025, 4, 1), Date(2025, 7, 1)};
  o.scenarios = 4000;
  const auto b = spm::forecast::backtest(company().opportunities, o);
  ASSERT_EQ(b.cuts.size(), 4U);
  EXPECT_EQ(b.table().num_rows(), 4U);
  for (const auto& c : b.cuts) {
    EXPECT_GT(c.open_deals, 50U);
    EXPECT_LE(c.p10, c.p90);
    EXPECT_LE(c.mc_p5, c.mc_p10);
    // The shift reproduces the actual total: zero when the forecast was exactly right.
    EXPECT_TRUE(std::isfinite(c.shift));
    EXPECT_GT(c.period_sd, 0.0);
  }
  // The demo's outcomes depend on source and size: the deal scores beat the base rate.
  EXPECT_GT(b.mean_auc, 0.55);
  EXPECT_LT(b.mean_log_loss, b.mean_base_log_loss);
  EXPECT_LT(b.mean_ape, 0.25);
  // The factor only widens the intervals.
  for (const auto& c : b.cuts) EXPECT_GE((c.mc_p90 - c.mc_p10).to_double(), 0.9 * (c.p90 - c.p10).to_double());
  // The actual total booked is money: exact in the table (cents, not 335910.69999999995).
  const auto t = b.table();
  for (std::size_t i = 0; i < b.cuts.size(); ++i) {
    EXPECT_EQ(t.values<spm::Decimal>("actual")[i], b.cuts[i].actual_booked);
    EXPECT_TRUE(b.cuts[i].actual_booked.has_places(2));
    EXPECT_GT(b.cuts[i].actual_booked, spm::Decimal(0));
  }
}

TEST(Backtest, ADealClosedBeforeItWasCreatedIsRejectedNotTrainedOn) {
  auto deals = company().opportunities;
  const auto& created = deals.values<Date>("created_date");
  auto& close = deals.columns()[*deals.find("close_date")];
  std::size_t r = 0;
  while (close.is_null(r) || !(close.values<Date>()[r] < Date(2024, 9, 1))) ++r;
  close.values<Date>()[r] = created[r] - 10;
  const auto w = spm::forecast::forecast_window(deals, options(Date(2024, 10, 1)));
  const auto before = spm::forecast::forecast_window(company().opportunities, options(Date(2024, 10, 1)));
  EXPECT_EQ(w.train_deals + 1, before.train_deals);
  spm::forecast::BacktestOptions o;
  o.forecast = options(Date(2025, 1, 1));
  o.cuts = {Date(2024, 10, 1), Date(2025, 1, 1)};
  o.scenarios = 1000;
  const auto b = spm::forecast::backtest(deals, o);
  // Listed once, though every cut meets it.
  ASSERT_EQ(b.rejects.num_rows(), 1U);
  EXPECT_EQ(b.rejects.values<std::int64_t>("row")[0], spm::io::row_number(deals, r));
  EXPECT_EQ(b.rejects.strings("column")[0], "close_date");
  EXPECT_EQ(std::string(b.rejects.strings("reason")[0]).rfind("the close date is before the creation date", 0), 0U);
}

TEST(Backtest, BadCutsAreNamed) {
  spm::forecast::BacktestOptions o;
  o.forecast = options(Date(2025, 1, 1));
  o.cuts = {Date(2025, 1, 1)};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::backtest(company().opportunities, o); }, "forecast.options",
      "[forecast.options] cuts: a backtest needs at least two cuts (as-of dates)"));
  o.cuts = {Date(2025, 1, 1), Date(2025, 12, 1)};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::backtest(company().opportunities, o); }, "forecast.options",
      "[forecast.options] cuts[1]: the window after 2025-12-01 runs past the last date in the data "
      "(2025-12-31); use an earlier cut or a shorter window"));
}

TEST(Backtest, TooLittleHistoryNamesTheCut) {
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::forecast_window(company().opportunities, options(Date(2020, 1, 1))); },
      "forecast.history",
      "[forecast.history] outcome: as of 2020-01-01 (deals closed before then): fitting needs at least 10 won and "
      "10 lost deals; the table has 0 won and 0 lost with usable features"));
}

TEST(Backtest, ATableWithoutRowsIsNamed) {
  const auto empty = spm::io::take(company().opportunities, std::vector<std::size_t>{});
  spm::forecast::BacktestOptions o;
  o.forecast = options(Date(2025, 1, 1));
  o.cuts = {Date(2024, 10, 1), Date(2025, 1, 1)};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::backtest(empty, o); }, "forecast.history",
      "[forecast.history] deals: the deals table has no creation or close dates (0 rows); a backtest needs the "
      "deals' history"));
}

// With an id, a repeated deal is trained on and forecast once; the copy is listed once.
TEST(Backtest, RepeatedIdsAreRejectedOnce) {
  const auto& deals = company().opportunities;
  std::vector<std::size_t> first(30);
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
  const auto twice = spm::io::concat(deals, spm::io::take(deals, first));
  spm::forecast::BacktestOptions o;
  o.forecast = options(Date(2025, 1, 1));
  o.forecast.model.id = "deal_id";
  o.cuts = {Date(2024, 10, 1), Date(2025, 1, 1)};
  o.scenarios = 1000;
  const auto want = spm::forecast::backtest(deals, o);
  const auto b = spm::forecast::backtest(twice, o);
  ASSERT_EQ(b.cuts.size(), 2U);
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(b.cuts[k].open_deals, want.cuts[k].open_deals);
    EXPECT_EQ(b.cuts[k].train_deals, want.cuts[k].train_deals);
  }
  ASSERT_EQ(b.rejects.num_rows(), want.rejects.num_rows() + 30);
  // The first copy's reject (rejects of the rows' own come before it, in row order).
  std::size_t first_copy = 0;
  while (first_copy < b.rejects.num_rows() && b.rejects.strings("reason")[first_copy].rfind("duplicate id", 0) != 0) {
    ++first_copy;
  }
  ASSERT_LT(first_copy, b.rejects.num_rows());
  EXPECT_EQ(b.rejects.values<std::int64_t>("row")[first_copy], static_cast<std::int64_t>(deals.num_rows()) + 1);
  EXPECT_EQ(b.rejects.strings("reason")[first_copy],
            "duplicate id: row 1 has it already; that row stands for the deal (the first row of the id "
            "not rejected for another reason)");
}

}  // namespace
