// The win model: saturated fits reproduce observed rates, no signal gives the base rate,
// calibration and the leakage guard, bad rows and bad options.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/win_model.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::forecast::WinModel;
using spm::forecast::WinModelOptions;
using spm::io::Column;
using spm::io::Table;

Table segment_table() {
  // Segment A: 3 of 4 won; segment B: 1 of 4 won; plus two open deals (not fitted).
  Table t;
  t.add(Column::of("segment", std::vector<std::string>{"A", "A", "A", "A", "B", "B", "B", "B", "A", "B"}));
  t.add(Column::of("stage", std::vector<std::string>{"won", "Won", "WON", "lost", "won", "lost", "Loss",
                                                     "lost", "Negotiation", "Prospecting"}));
  return t;
}

TEST(WinModel, UnpenalisedOneHotReproducesTheObservedRates) {
  WinModelOptions o;
  o.outcome = "stage";
  o.categorical = {"segment"};
  o.l2 = 0;
  o.min_per_class = 1;
  const auto m = WinModel::fit(segment_table(), o);
  EXPECT_EQ(m.rows_used(), 8U);
  EXPECT_EQ(m.fit_rejects().num_rows(), 2U);
  EXPECT_EQ(m.fit_rejects().strings("reason")[0], "no outcome yet (not won or lost): an open deal is not fitted");
  EXPECT_DOUBLE_EQ(m.base_rate(), 0.5);
  const auto s = m.predict(segment_table());
  ASSERT_EQ(s.probability.size(), 10U);
  EXPECT_NEAR(s.probability[0], 0.75, 1e-8);  // the saturated model's maximum likelihood
  EXPECT_NEAR(s.probability[4], 0.25, 1e-8);
  EXPECT_TRUE(m.converged());
}

TEST(WinModel, PenaltyShrinksTowardTheBaseRate) {
  WinModelOptions o;
  o.outcome = "stage";
  o.categorical = {"segment"};
  o.min_per_class = 1;
  o.l2 = 1000;
  const auto s = WinModel::fit(segment_table(), o).predict(segment_table());
  EXPECT_NEAR(s.probability[0], 0.5, 0.01);
  EXPECT_GT(s.probability[0], 0.5);  // still on the right side
}

// n deals whose outcome depends on x1 only (x2 is noise); seeded.
Table signal_table(std::size_t n, double strength, std::uint64_t seed) {
  spm::Random rng(seed);
  std::vector<double> x1(n), x2(n);
  std::vector<std::int64_t> won(n);
  std::vector<std::string> region(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = rng.normal();
    x2[i] = rng.normal(100, 20);
    region[i] = std::string(1, static_cast<char>('a' + rng.below(4)));
    const double p = 1 / (1 + std::exp(-(strength * x1[i] - 0.5)));
    won[i] = rng.bernoulli(p) ? 1 : 0;
  }
  Table t;
  t.add(Column::of("x1", std::move(x1)));
  t.add(Column::of("x2", std::move(x2)));
  t.add(Column::of("region", std::move(region)));
  t.add(Column::of("won", std::move(won)));
  return t;
}

std::vector<double> outcomes(const Table& t) {
  const auto& w = t.values<std::int64_t>("won");
  return {w.begin(), w.end()};
}

TEST(WinModel, FindsTheSignalAndTheGradientVanishes) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1", "x2"};
  o.categorical = {"region"};
  const auto train = signal_table(4000, 1.5, 1);
  const auto m = WinModel::fit(train, o);
  EXPECT_TRUE(m.converged());
  const auto test = signal_table(4000, 1.5, 2);
  const auto s = m.predict(test);
  const auto metrics = spm::forecast::score(s.probability, outcomes(test));
  EXPECT_GT(metrics.auc, 0.8);
  EXPECT_LT(metrics.log_loss, metrics.base_log_loss - 0.1);
  // x1 carries the signal: its standardised coefficient is about 1.5 x sd(x1) = 1.5.
  EXPECT_NEAR(m.coefficients()[1].value, 1.5, 0.15);
  EXPECT_NEAR(m.coefficients()[2].value, 0.0, 0.1);
  // At the optimum the penalised gradient is zero: sum (p - y) = 0 for the intercept.
  const auto fitted = m.predict(train);
  double residual = 0;
  const auto y = outcomes(train);
  for (std::size_t i = 0; i < y.size(); ++i) residual += fitted.probability[i] - y[i];
  EXPECT_NEAR(residual, 0.0, 1e-6);
}

TEST(WinModel, WithoutSignalItIsNoWorseThanTheBaseRate) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1", "x2"};
  o.categorical = {"region"};
  const auto train = signal_table(500, 0.0, 3);
  const auto test = signal_table(5000, 0.0, 4);
  const auto m = WinModel::fit(train, o);
  const auto metrics = spm::forecast::score(m.predict(test).probability, outcomes(test));
  // The base rate is the train set's; allow for its sampling error only.
  EXPECT_LT(metrics.log_loss, metrics.base_log_loss + 0.005);
}

TEST(WinModel, PlattAndIsotonicCalibrationOnOutOfFoldScores) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1"};
  const auto train = signal_table(3000, 2.0, 5);
  const auto test = signal_table(3000, 2.0, 6);
  for (const auto c : {spm::forecast::Calibration::platt, spm::forecast::Calibration::isotonic}) {
    o.calibration = c;
    const auto m = WinModel::fit(train, o);
    EXPECT_EQ(m.calibrator().kind, c);
    const auto metrics = spm::forecast::score(m.predict(test).probability, outcomes(test));
    EXPECT_LT(metrics.ece, 0.04) << to_string(c);
    EXPECT_GT(metrics.auc, 0.85) << to_string(c);
  }
  o.calibration = spm::forecast::Calibration::platt;
  // Platt on a well-specified logistic model is close to the identity.
  const auto m = WinModel::fit(train, o);
  EXPECT_NEAR(m.calibrator().a, 1.0, 0.1);
  EXPECT_NEAR(m.calibrator().b, 0.0, 0.1);
}

TEST(WinModel, UnknownLevelsGetNoIndicatorAndBadRowsAreRejected) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1"};
  o.categorical = {"region"};
  const auto m = WinModel::fit(signal_table(300, 1.0, 7), o);
  Table t;
  t.add(Column::of("x1", std::vector<double>{0.5, NAN, 0.5}));
  t.add(Column::of("region", std::vector<std::string>{"a", "a", "zz"}));
  const auto s = m.predict(t);
  EXPECT_EQ(s.rows, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(s.rejects.num_rows(), 1U);
  EXPECT_EQ(s.rejects.strings("column")[0], "x1");
  EXPECT_EQ(s.rejects.strings("reason")[0], "the feature is not a finite number");
  EXPECT_NE(s.probability[0], s.probability[1]);
}

TEST(WinModel, LeakageHistoryAndColumnErrors) {
  WinModelOptions o;
  o.outcome = "stage";
  o.categorical = {"segment"};
  o.known_at_close = {"segment"};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)WinModel::fit(segment_table(), o); }, "forecast.leakage",
      "[forecast.leakage] categorical[0]: 'segment' is known only once a deal has closed; a model "
      "using it would see the answer. Leave it out of the features"));
  o.known_at_close.clear();
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)WinModel::fit(segment_table(), o); }, "forecast.history",
      "[forecast.history] stage: fitting needs at least 10 won and 10 lost deals; the table has 4 won "
      "and 4 lost with usable features"));
  o.categorical = {"region"};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)WinModel::fit(segment_table(), o); }, "forecast.column",
      "[forecast.column] deals.region: the deals table has no column 'region' (it has: segment, stage)"));
  o.categorical = {};
  o.numeric = {"segment"};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)WinModel::fit(segment_table(), o); }, "forecast.column",
      "[forecast.column] deals.segment: the column holds text, not numbers (row 1 holds 'A'); a "
      "numeric feature must be integer, decimal, float64 or text of numbers; name a column of "
      "categories in categorical"));
}

}  // namespace

namespace {

TEST(WinModel, SavedModelsPredictTheSame) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1", "x2"};
  o.categorical = {"region"};
  o.calibration = spm::forecast::Calibration::isotonic;
  const auto train = signal_table(800, 1.0, 8);
  const auto m = WinModel::fit(train, o);
  const auto back = WinModel::from_json(m.to_json());
  EXPECT_EQ(back.predict(train).probability, m.predict(train).probability);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)WinModel::from_json("{\"format\": \"x\"}"); }, "forecast.model",
      "[forecast.model] format: not a saved win model (expected \"format\": \"spm.win_model/1\")"));
}

}  // namespace

namespace {

TEST(WinModel, SameCoefficientsForAnyThreadCount) {
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1", "x2"};
  o.categorical = {"region"};
  const auto train = signal_table(30000, 1.0, 12);  // several row chunks
  const auto one = WinModel::fit(train, o, spm::ExecutionContext().threads(1));
  const auto two = WinModel::fit(train, o, spm::ExecutionContext().threads(2));
  const auto three = WinModel::fit(train, o, spm::ExecutionContext().threads(3));
  for (std::size_t k = 0; k < one.coefficients().size(); ++k) {
    EXPECT_EQ(one.coefficients()[k].value, two.coefficients()[k].value) << one.coefficients()[k].feature;
    EXPECT_EQ(one.coefficients()[k].value, three.coefficients()[k].value) << one.coefficients()[k].feature;
  }
}

}  // namespace

namespace {

TEST(WinModel, ManyDistinctLevelsTakeTheRowByRowPath) {
  // 400 deals, 300 distinct accounts: level combinations barely repeat, so the fit sums the
  // level terms row by row instead of per combination. The optimum still has a zero gradient.
  auto t = signal_table(400, 1.0, 13);
  std::vector<std::string> account(400);
  for (std::size_t i = 0; i < account.size(); ++i) account[i] = "acct" + std::to_string(i % 300);
  t.add(Column::of("account", std::move(account)));
  WinModelOptions o;
  o.outcome = "won";
  o.numeric = {"x1"};
  o.categorical = {"account"};
  const auto m = WinModel::fit(t, o);
  EXPECT_TRUE(m.converged());
  EXPECT_EQ(m.coefficients().size(), 2U + 300U);
  const auto s = m.predict(t);
  const auto y = outcomes(t);
  double residual = 0;
  for (std::size_t i = 0; i < y.size(); ++i) residual += s.probability[i] - y[i];
  EXPECT_NEAR(residual, 0.0, 1e-6);
}

}  // namespace

namespace {

TEST(WinModel, RepeatedIdsAreRejected) {
  auto t = segment_table();
  t.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D3", "D4", "D5", "D6", "D1", "D8", "D9", "D10"}));
  WinModelOptions o;
  o.outcome = "stage";
  o.categorical = {"segment"};
  o.min_per_class = 1;
  o.id = "deal_id";
  const auto m = WinModel::fit(t, o);
  EXPECT_EQ(m.rows_used(), 7U);
  const auto& r = m.fit_rejects();
  ASSERT_EQ(r.num_rows(), 3U);
  EXPECT_EQ(r.values<std::int64_t>("row")[0], 7);
  EXPECT_EQ(r.strings("reason")[0],
            "duplicate id: row 1 has it already; that row stands for the deal (the first row of the id "
            "not rejected for another reason)");
}

// "WON " and "Wonn" are misspelt, not open: the reject names the value and what is accepted.
TEST(WinModel, MisspeltOutcomesAreRejectedNamingTheValue) {
  auto t = segment_table();
  std::vector<std::string> v;
  for (std::size_t r = 0; r < t.num_rows(); ++r) v.emplace_back(t.strings("stage")[r]);
  v[8] = "WON ";
  v[9] = "Wonn";
  t.columns()[*t.find("stage")] = Column::of("stage", v);
  WinModelOptions o;
  o.outcome = "stage";
  o.categorical = {"segment"};
  o.min_per_class = 1;
  const auto m = WinModel::fit(t, o);
  const auto& r = m.fit_rejects();
  ASSERT_EQ(r.num_rows(), 2U);
  EXPECT_EQ(r.strings("value")[0], "WON ");
  EXPECT_EQ(r.strings("reason")[1],
            "unknown outcome 'Wonn'; use won (win, closed won, yes, true, 1) or lost (loss, closed lost, no, false, "
            "0), in any case, or leave it empty while the deal is open");
}

}  // namespace

namespace {

// A model declared before it is fitted (a class member, say) refuses to predict, rather than
// reading coefficients it does not have.
TEST(WinModel, AModelNotFittedRefusesToPredict) {
  const WinModel unfitted;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)unfitted.predict(Table{}); }, "forecast.model",
      "[forecast.model] the model is not fitted; make it with WinModel::fit (or from_parts)"));
}

// A distribution not computed (default) reaches nothing; it does not divide by its zero step.
TEST(BookingsDistribution, ADefaultOneReachesNothing) {
  const spm::forecast::BookingsDistribution none;
  EXPECT_EQ(none.probability_at_least(spm::Decimal(1)), 0.0);
  EXPECT_EQ(none.probability_at_least(spm::Decimal(0)), 1.0);
}

}  // namespace
