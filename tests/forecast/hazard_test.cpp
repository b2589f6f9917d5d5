// The discrete-time hazard model: without covariates it reproduces the competing-risks curves;
// with them it separates deals; its outputs are probabilities that add up.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include <spm/core/error.hpp>
#include <spm/demo/company.hpp>
#include <spm/forecast/hazard.hpp>
#include <spm/forecast/survival.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::Date;

const spm::io::Table& deals() {
  static const auto t = [] {
    spm::demo::CompanyOptions o;
    o.reps = 40;
    o.seed = 5;
    return spm::demo::generate_company(o).opportunities;
  }();
  return t;
}

TEST(Hazard, WithoutCovariatesItMatchesAalenJohansen) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  o.period_days = 30;
  o.l2 = 1e-6;  // the saturated baseline: one hazard per age period
  const auto m = spm::forecast::HazardModel::fit(deals(), o);
  EXPECT_GT(m.person_periods(), deals().num_rows());
  const auto f = m.predict(deals(), o.as_of, 90);
  ASSERT_GT(f.rows.size(), 50U);
  const auto d = spm::forecast::deal_durations(deals(), {"created_date", "close_date", "outcome", o.as_of, "", {}});
  const auto aj = spm::forecast::aalen_johansen(d.days, d.cause, 2);
  const auto& created = deals().values<Date>("created_date");
  double worst = 0;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    // The model rounds the age down to its period; compare with the curves from there.
    const double start = 30.0 * std::floor((o.as_of - created[f.rows[i]]) / 30.0);
    const double open = 1 - aj.incidence_before(1, start) - aj.incidence_before(2, start);
    if (open < 0.2) continue;  // few deals that old: both estimates are noisy
    const double want = (aj.incidence_before(1, start + 90) - aj.incidence_before(1, start)) / open;
    worst = std::max(worst, std::abs(f.p_won[i] - want));
    EXPECT_LE(f.p_won[i] + f.p_lost[i], 1.0 + 1e-12);
  }
  EXPECT_LT(worst, 0.05);
}

TEST(Hazard, CovariatesSeparateDealsAndClosePeriodsAddUp) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  o.categorical = {"source"};
  const auto m = spm::forecast::HazardModel::fit(deals(), o);
  const auto f = m.predict(deals(), o.as_of, 90, 24);
  // The demo's expansion deals win far more often than its outbound ones.
  std::map<std::string, std::pair<double, int>> by_source;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    auto& [sum, n] = by_source[std::string(deals().strings("source")[f.rows[i]])];
    sum += f.p_won[i];
    ++n;
    double closes = 0;
    for (std::size_t j = 0; j < f.horizon; ++j) closes += f.close_by_period[i * f.horizon + j];
    ASSERT_LE(closes, 1.0 + 1e-12);
    ASSERT_GT(closes, 0.5);  // two years of periods: most deals close
  }
  ASSERT_TRUE(by_source.count("expansion") && by_source.count("outbound"));
  EXPECT_GT(by_source["expansion"].first / by_source["expansion"].second,
            by_source["outbound"].first / by_source["outbound"].second + 0.05);
  EXPECT_EQ(f.periods_table(deals(), 30).num_rows(), f.rows.size() * 24);
}

TEST(Hazard, BadOptions) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  o.period_days = 0;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::HazardModel::fit(deals(), o); }, "forecast.options",
      "[forecast.options] period_days: a period is at least one day"));
}

TEST(Hazard, AWindowOfNoDaysIsAnError) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  const auto model = spm::forecast::HazardModel::fit(deals(), o);
  for (const int window : {0, -5}) {
    EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
        [&] { (void)model.predict(deals(), o.as_of, window, 12); }, "forecast.options",
        "[forecast.options] window_days: the window is " + std::to_string(window) +
            " days; it must be at least one day"));
  }
}

// A deal listed twice (an export that repeats rows) is forecast once; the copy is a reject.
TEST(Hazard, RepeatedIdsAreRejectedNotForecastTwice) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  o.id = "deal_id";
  std::vector<std::size_t> first(20);
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
  const auto twice = spm::io::concat(deals(), spm::io::take(deals(), first));
  const auto once = spm::forecast::HazardModel::fit(deals(), o).predict(deals(), o.as_of, 90);
  const auto m = spm::forecast::HazardModel::fit(twice, o);
  const auto f = m.predict(twice, o.as_of, 90);
  EXPECT_EQ(f.rows, once.rows);
  ASSERT_EQ(f.rejects.num_rows(), 20U);
  EXPECT_EQ(f.rejects.values<std::int64_t>("row")[0], static_cast<std::int64_t>(deals().num_rows()) + 1);
  EXPECT_EQ(f.rejects.strings("reason")[0],
            "duplicate id: row 1 has it already; that row stands for the deal (the first row of the id "
            "not rejected for another reason)");
}

TEST(Hazard, FitListsTheRowsItCouldNotUse) {
  // A deal closed before it was created: not fitted on, and listed (the CLI writes it).
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  auto t = deals();
  auto& closed = t.columns()[*t.find("close_date")];
  const auto& created = t.column("created_date").values<Date>();
  std::size_t r = 0;
  while (closed.is_null(r) || !(created[r] < o.as_of)) ++r;
  closed.values<Date>()[r] = created[r] - 10;
  const auto m = spm::forecast::HazardModel::fit(t, o);
  ASSERT_EQ(m.rejects().num_rows(), 1U);
  EXPECT_EQ(m.rejects().values<std::int64_t>("row")[0], static_cast<std::int64_t>(r) + 1);
  EXPECT_NE(std::string(m.rejects().strings("reason")[0]).find("before"), std::string::npos)
      << m.rejects().strings("reason")[0];
  EXPECT_EQ(spm::forecast::HazardModel::fit(deals(), o).rejects().num_rows(), 0U);
}

TEST(Hazard, TooLittleHistoryNamesTheOutcomeAndTheDate) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2020, 1, 1);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::HazardModel::fit(deals(), o); }, "forecast.history",
      "[forecast.history] outcome: as of 2020-01-01, the hazard model needs at least 10 won and 10 lost deals "
      "closed before then; the deals have 0 won and 0 lost (use a later as-of date or more history)"));
}

}  // namespace
