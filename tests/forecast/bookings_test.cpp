// Bookings distributions: exact against full enumeration, the FFT path against the direct one,
// Monte Carlo against exact, and the lattice rules.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/rollup.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::Decimal;
using spm::forecast::exact_bookings;

// Every won/lost combination of the deals, summed into a distribution on the lattice.
std::vector<double> enumerate(const std::vector<double>& p, const std::vector<std::int64_t>& units) {
  std::int64_t total = 0;
  for (const auto u : units) total += u;
  std::vector<double> pmf(static_cast<std::size_t>(total) + 1, 0.0);
  for (std::uint32_t mask = 0; mask < (1U << p.size()); ++mask) {
    double prob = 1;
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const bool won = ((mask >> i) & 1U) != 0;
      prob *= won ? p[i] : 1 - p[i];
      sum += won ? units[i] : 0;
    }
    pmf[static_cast<std::size_t>(sum)] += prob;
  }
  return pmf;
}

// The mean of the simulated totals (a distribution's `mean` is the exact expected total).
double pmf_mean(const spm::forecast::BookingsDistribution& d) {
  double m = 0;
  for (std::size_t k = 0; k < d.pmf.size(); ++k) m += d.pmf[k] * static_cast<double>(k) * d.step.to_double();
  return m;
}

TEST(ExactBookings, EqualsEnumerationOnRandomSmallPipelines) {
  spm::Random rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 1 + rng.below(16);
    std::vector<double> p(n);
    std::vector<Decimal> amount(n);
    std::vector<std::int64_t> units(n);
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = rng.uniform();
      units[i] = static_cast<std::int64_t>(1 + rng.below(400));
      amount[i] = Decimal(units[i] * 250);  // all multiples of 250: the lattice step
    }
    const auto d = exact_bookings(p, amount);
    const auto expected = enumerate(p, units);
    // The chosen step is the amounts' gcd: a multiple of 250.
    const auto ratio = static_cast<std::size_t>(d.step.raw() / Decimal(250).raw());
    ASSERT_GE(ratio, 1U);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const double got = k % ratio == 0 && k / ratio < d.pmf.size() ? d.pmf[k / ratio] : 0.0;
      ASSERT_NEAR(got, expected[k], 1e-12) << "trial " << trial << " total " << k * 250;
    }
  }
}

TEST(ExactBookings, FftPathMatchesTheDirectRule) {
  spm::Random rng(11);
  const std::size_t n = 3000;
  std::vector<double> p(n);
  std::vector<Decimal> amount(n);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = rng.uniform(0.05, 0.95);
    amount[i] = Decimal(static_cast<std::int64_t>(1 + rng.below(60)));
  }
  const auto fast = exact_bookings(p, amount);
  EXPECT_EQ(fast.method, "exact (fft)");
  // The direct rule, deal by deal.
  std::vector<double> pmf{1.0};
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(amount[i].to_double());
    std::vector<double> next(pmf.size() + k, 0.0);
    for (std::size_t j = 0; j < pmf.size(); ++j) {
      next[j] += (1 - p[i]) * pmf[j];
      next[j + k] += p[i] * pmf[j];
    }
    pmf.swap(next);
  }
  ASSERT_EQ(fast.pmf.size(), pmf.size());
  double worst = 0, total = 0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    worst = std::max(worst, std::abs(fast.pmf[k] - pmf[k]));
    total += fast.pmf[k];
  }
  EXPECT_LT(worst, 1e-12);
  EXPECT_NEAR(total, 1.0, 1e-10);
}

TEST(ExactBookings, QuantilesTargetsAndMoments) {
  // Two deals: 100 at 0.5 and 300 at 0.5 -> totals 0, 100, 300, 400 each with 1/4.
  const std::vector p{0.5, 0.5};
  const std::vector amount{Decimal(100), Decimal(300)};
  const auto d = exact_bookings(p, amount);
  EXPECT_EQ(d.step, Decimal(100));
  EXPECT_EQ(d.quantile(0.1), Decimal(0));
  EXPECT_EQ(d.quantile(0.25), Decimal(0));
  EXPECT_EQ(d.quantile(0.5), Decimal(100));
  EXPECT_EQ(d.quantile(0.9), Decimal(400));
  EXPECT_DOUBLE_EQ(d.probability_at_least(Decimal(300)), 0.5);
  EXPECT_DOUBLE_EQ(d.probability_at_least(Decimal(250)), 0.5);
  EXPECT_DOUBLE_EQ(d.probability_at_least(Decimal(401)), 0.0);
  EXPECT_EQ(d.mean, Decimal(200));
  EXPECT_DOUBLE_EQ(d.sd, std::sqrt(0.25 * 100 * 100 + 0.25 * 300 * 300));
  EXPECT_EQ(d.table().num_rows(), 4U);
  // A deal won for sure shifts everything.
  const auto shifted = exact_bookings(std::vector{0.5, 1.0}, std::vector{Decimal(100), Decimal(300)});
  EXPECT_EQ(shifted.quantile(0.0), Decimal(300));
  EXPECT_DOUBLE_EQ(shifted.probability_at_least(Decimal(400)), 0.5);
}

TEST(Lattice, CommonDivisorOrARoundStep) {
  const std::vector a{Decimal::from_units(1050, 2), Decimal::from_units(2100, 2)};  // 10.50, 21.00
  const auto exact = spm::forecast::make_lattice(a, {});
  EXPECT_EQ(exact.step, Decimal::from_units(1050, 2));
  EXPECT_EQ(exact.units, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(exact.max_rounding, Decimal(0));
  // 1,234,567 and 7 at most 1,000 points: the step 2,000 is the smallest round one that fits.
  spm::forecast::LatticeOptions small;
  small.max_points = 1000;
  const auto rounded = spm::forecast::make_lattice(std::vector{Decimal(1234567), Decimal(7)}, small);
  EXPECT_EQ(rounded.step, Decimal(2000));
  EXPECT_EQ(rounded.units, (std::vector<std::int64_t>{617, 0}));  // whole steps, and the fractions left
  EXPECT_EQ(rounded.fraction, (std::vector<double>{567.0 / 2000, 7.0 / 2000}));
  EXPECT_EQ(rounded.max_rounding, Decimal(567));
}

TEST(MonteCarlo, AgreesWithExactAndIgnoresTheThreadCount) {
  spm::Random rng(3);
  std::vector<double> p(200);
  std::vector<Decimal> amount(200);
  for (std::size_t i = 0; i < p.size(); ++i) {
    p[i] = rng.uniform(0.1, 0.9);
    amount[i] = Decimal(static_cast<std::int64_t>(1000 * (1 + rng.below(50))));
  }
  const auto exact = exact_bookings(p, amount);
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 20000;
  const auto one = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().threads(1).seed(5));
  const auto two = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().threads(2).seed(5));
  EXPECT_EQ(one.pmf, two.pmf);
  // Mean within 4 standard errors; P50 within a few lattice steps of exact.
  EXPECT_EQ(one.mean, exact.mean);
  EXPECT_NEAR(pmf_mean(one), exact.mean.to_double(), 4 * exact.sd / std::sqrt(20000.0));
  EXPECT_NEAR(one.quantile(0.5).to_double(), exact.quantile(0.5).to_double(), 3 * exact.sd / std::sqrt(20000.0) * 3);
  // A shared factor widens the spread: the deals move together.
  o.period_sd = 1.0;
  const auto wide = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().seed(5));
  EXPECT_GT(wide.sd, 2 * exact.sd);
  // A count no memory holds (or -5 read into an unsigned option) is named, not a bad_alloc.
  o.scenarios = static_cast<std::size_t>(-5);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext()); },
      "forecast.options",
      "[forecast.options] scenarios: 18446744073709551611 scenarios is more than the 100000000 "
      "allowed; give a positive count (100000 is usual)"));
}

TEST(Bookings, BadDealsAreNamed) {
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)exact_bookings(std::vector{0.5, 1.5}, std::vector{Decimal(1), Decimal(2)}); },
      "forecast.probability", "[forecast.probability] [1]: deal 2: probability 1.500000 is outside [0, 1]"));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)exact_bookings(std::vector{0.5}, std::vector{Decimal(-1)}); }, "forecast.amount",
      "[forecast.amount] [0]: deal 1: amount -1 is negative"));
}

TEST(ExactBookings, TheExpectedTotalUsesTheExactAmounts) {
  // A step of 1,000 rounds 100, 300 and 200 to 0: the lattice says so, the expected total does not.
  const std::vector p{0.5, 0.5, 0.9};
  const std::vector amount{Decimal(100), Decimal(300), Decimal(200)};
  spm::forecast::LatticeOptions coarse;
  coarse.step = Decimal(1000);
  const auto d = exact_bookings(p, amount, coarse);
  EXPECT_EQ(d.max_rounding, Decimal(300));
  EXPECT_EQ(d.mean, Decimal(380));
  EXPECT_DOUBLE_EQ(d.sd, std::sqrt(0.25 * 100 * 100 + 0.25 * 300 * 300 + 0.09 * 200 * 200));
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 1000;
  o.lattice = coarse;
  EXPECT_EQ(spm::forecast::simulate_bookings(p, amount, o).mean, Decimal(380));
}

TEST(Lattice, AChosenStepRoundsNoDealAway) {
  // 20,000 deals of 1,001 to 1,000,001: a step from the total over 65,536 points would be
  // 200,000 (rounding the smaller deals to 0); each amount moves by at most 1% of the largest.
  std::vector<Decimal> amount;
  for (std::int64_t i = 0; i < 20000; ++i) amount.push_back(Decimal((1 + i % 1000) * 1000 + 1));
  const auto l = spm::forecast::make_lattice(amount, {});
  EXPECT_EQ(l.step, Decimal(20000));
  EXPECT_LE(l.max_rounding, Decimal(10000));
  // 300,000 such deals need more than 2^20 points for that: refused, not rounded to nothing.
  std::vector<Decimal> many;
  for (std::int64_t i = 0; i < 300000; ++i) many.push_back(Decimal((1 + i % 1000) * 1000 + 1));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::make_lattice(many, {}); }, "forecast.lattice",
      "[forecast.lattice] step: 300000 amounts totalling 150150300000 need more than 1048576 lattice points to "
      "put each within 1% of the largest (1000001) of a lattice point; give a step (the spread it adds is "
      "reported as lattice_sd), a larger max_points, or use the saddlepoint method"));
}

TEST(Lattice, MaxPointsBelowTwoIsAnError) {
  for (const std::size_t points : {0, 1}) {
    spm::forecast::LatticeOptions o;
    o.max_points = points;
    EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
        [&] { (void)exact_bookings(std::vector{0.5, 0.5}, std::vector{Decimal(1), Decimal(3)}, o); },
        "forecast.lattice",
        "[forecast.lattice] max_points: max_points is " + std::to_string(points) +
            "; a lattice needs at least 2 points (the default is 1048576)"));
  }
}

TEST(Bookings, TotalsBeyondTheLimitAreNamed) {
  const auto big = Decimal::parse("100000000000000000000000000", "amount");  // 10^26
  const std::string what =
      "[forecast.amount] [1]: deal 2: the amounts add up to more than 10000000000000000000000000, the largest "
      "total a forecast takes; state them in thousands or millions";
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)exact_bookings(std::vector{0.5, 0.5}, std::vector{Decimal(1), big}); }, "forecast.amount", what));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::SaddlepointBookings(std::vector{0.5, 0.5}, std::vector{Decimal(1), big}); },
      "forecast.amount", what));
}

}  // namespace

namespace {

TEST(Saddlepoint, CloseToExactOnALargePipeline) {
  spm::Random rng(21);
  const std::size_t n = 3000;
  std::vector<double> p(n);
  std::vector<Decimal> amount(n);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = rng.uniform(0.02, 0.6);
    amount[i] = Decimal(static_cast<std::int64_t>(100 * (1 + rng.below(400))));
  }
  const auto exact = exact_bookings(p, amount);
  const spm::forecast::SaddlepointBookings sp(p, amount);
  EXPECT_NEAR(sp.mean(), exact.mean.to_double(), 1e-6 * exact.mean.to_double());
  EXPECT_NEAR(sp.sd(), exact.sd, 1e-9 * exact.sd);
  const std::vector<double> qs{0.01, 0.1, 0.5, 0.9, 0.99};
  const auto got = sp.quantiles(qs);
  for (std::size_t k = 0; k < qs.size(); ++k) {
    const double want = exact.quantile(qs[k]).to_double();
    // Within a tenth of a standard deviation plus one lattice step.
    EXPECT_NEAR(got[k].to_double(), want, 0.1 * exact.sd / 10 + 100) << "q=" << qs[k];
  }
  const double mean = exact.mean.to_double();
  for (const double x : {mean - 2 * exact.sd, mean, mean + 2.5 * exact.sd}) {
    const auto target = Decimal(static_cast<std::int64_t>(x / 100) * 100);
    EXPECT_NEAR(sp.probability_at_least(target), exact.probability_at_least(target), 0.003) << x;
  }
}

TEST(Saddlepoint, QuantilesStayWithinThePossibleTotals) {
  // One deal of 10^9 beside 250 of 1: too few saddlepoints survive, and a normal curve would put
  // P1 below 0 and P99 above the largest total.
  std::vector<double> p(251, 0.5);
  std::vector<Decimal> amount(250, Decimal(1));
  amount.push_back(Decimal(1000000000));
  const spm::forecast::SaddlepointBookings sp(p, amount);
  const std::vector<double> qs{0.01, 0.5, 0.99};
  for (const auto& q : sp.quantiles(qs)) {
    EXPECT_GE(q, Decimal(0));
    EXPECT_LE(q, Decimal(1000000250));
  }
}

TEST(Saddlepoint, NearCertainDeals) {
  // 400 deals of 7 at 1 - 1e-15: reaching all 2,800 is all but certain (K'' underflows there).
  const std::vector<double> p(400, 0.999999999999999);
  const std::vector<Decimal> amount(400, Decimal(7));
  const spm::forecast::SaddlepointBookings sp(p, amount);
  const double reach = sp.probability_at_least(Decimal(2800));
  EXPECT_TRUE(std::isfinite(reach));
  EXPECT_NEAR(reach, 1.0, 1e-9);
}

// Found by a user test: 400 deals of 500 at 10^-6 (P(total = 0) = 0.9996) had P50 0.20 and
// P90 13.02, totals no outcome gives.
TEST(Saddlepoint, NearImpossibleDealsHaveTheirAtomAtZero) {
  const std::vector<double> p(400, 1e-6);
  const std::vector<Decimal> amount(400, Decimal(500));
  const spm::forecast::SaddlepointBookings sp(p, amount);
  const std::vector<double> qs{0.1, 0.5, 0.9, 0.9995};
  for (const auto& q : sp.quantiles(qs)) EXPECT_EQ(q, Decimal(0));
  EXPECT_NEAR(sp.probability_at_least(Decimal::parse("0.01")), 1 - std::pow(1 - 1e-6, 400), 1e-12);
  // And the mirror: at 1 - 10^-6 every quantile up to P(all won) is the whole 200,000.
  const spm::forecast::SaddlepointBookings sure(std::vector<double>(400, 1 - 1e-6), amount);
  for (const auto& q : sure.quantiles(qs)) EXPECT_EQ(q, Decimal(200000));
}

// Determinism (docs/forecast.md): the same bytes whatever the order of the deals, for every
// method. Found by a user test: Monte Carlo changed with the row order, and the exact and
// saddlepoint sd and P(reach) in their last bits.
TEST(Bookings, PermutingTheDealsChangesNothing) {
  spm::Random rng(8);
  std::vector<double> p;
  std::vector<Decimal> amount;
  for (int i = 0; i < 3000; ++i) {
    p.push_back(std::round(rng.uniform() * 1000) / 1000);
    amount.push_back(Decimal::from_units(static_cast<std::int64_t>(100 + rng.below(10000000)), 2));
  }
  std::vector<std::size_t> order(p.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;
  for (std::size_t i = 0; i + 7 < order.size(); i += 7) std::swap(order[i], order[i + 5]);
  std::vector<double> p2;
  std::vector<Decimal> a2;
  for (const auto i : order) {
    p2.push_back(p[i]);
    a2.push_back(amount[i]);
  }
  const auto same = [](const spm::forecast::BookingsDistribution& x, const spm::forecast::BookingsDistribution& y) {
    EXPECT_EQ(x.pmf, y.pmf) << x.method;
    EXPECT_EQ(x.sd, y.sd) << x.method;
    EXPECT_EQ(x.lattice_sd, y.lattice_sd) << x.method;
    EXPECT_EQ(x.origin, y.origin) << x.method;
    EXPECT_EQ(x.mean, y.mean) << x.method;
  };
  same(exact_bookings(p, amount), exact_bookings(p2, a2));
  spm::forecast::MonteCarloOptions mc;
  mc.scenarios = 5000;
  mc.period_sd = 0.3;
  same(spm::forecast::simulate_bookings(p, amount, mc, spm::ExecutionContext().seed(7)),
       spm::forecast::simulate_bookings(p2, a2, mc, spm::ExecutionContext().seed(7)));
  const spm::forecast::SaddlepointBookings s1(p, amount), s2(p2, a2);
  EXPECT_EQ(s1.sd(), s2.sd());
  EXPECT_EQ(s1.mean(), s2.mean());
  const std::vector<double> qs{0.1, 0.5, 0.9};
  EXPECT_EQ(s1.quantiles(qs), s2.quantiles(qs));
  EXPECT_EQ(s1.probability_at_least(Decimal(6000000)), s2.probability_at_least(Decimal(6000000)));
}

TEST(Saddlepoint, SureAndImpossibleDeals) {
  const std::vector p{1.0, 0.0, 0.5};
  const std::vector amount{Decimal(1000), Decimal(500), Decimal(200)};
  const spm::forecast::SaddlepointBookings sp(p, amount);
  EXPECT_DOUBLE_EQ(sp.mean(), 1100.0);
  EXPECT_DOUBLE_EQ(sp.probability_at_least(Decimal(1000)), 1.0);
  EXPECT_DOUBLE_EQ(sp.probability_at_least(Decimal(1201)), 0.0);
}

}  // namespace

namespace {

TEST(Arrivals, CompoundPoissonExactAndSimulated) {
  // No open deals; new deals arrive at rate 2, each worth 100: the total is 100 x Poisson(2).
  spm::forecast::Arrivals arrivals{2.0, {Decimal(100)}};
  const auto d = exact_bookings({}, {}, {}, arrivals);
  ASSERT_EQ(d.step, Decimal(100));
  double term = std::exp(-2.0);
  for (std::size_t k = 0; k < 8; ++k) {
    EXPECT_NEAR(d.pmf[k], term, 1e-15) << k;
    term *= 2.0 / static_cast<double>(k + 1);
  }
  EXPECT_EQ(d.mean, Decimal(200));
  EXPECT_NEAR(d.sd, std::sqrt(2.0) * 100, 1e-9);
  // With a pipeline, exact and Monte Carlo agree on the mean, with or without a factor.
  const std::vector p{0.3, 0.6, 0.2};
  const std::vector amount{Decimal(500), Decimal(300), Decimal(1000)};
  spm::forecast::Arrivals more{1.5, {Decimal(200), Decimal(400)}};
  const auto exact = exact_bookings(p, amount, {}, more);
  EXPECT_EQ(exact.mean, Decimal(980));  // 0.3 x 500 + 0.6 x 300 + 0.2 x 1000 + 1.5 x 300, exactly
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 40000;
  o.arrivals = more;
  const auto mc = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().seed(2));
  EXPECT_NEAR(pmf_mean(mc), exact.mean.to_double(), 4 * exact.sd / std::sqrt(40000.0));
  EXPECT_NEAR(mc.quantile(0.5).to_double(), exact.quantile(0.5).to_double(), 100);
  o.period_sd = 0.8;
  const auto wide = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().seed(2));
  // The factor is centred: it widens the spread, the mean stays.
  EXPECT_NEAR(pmf_mean(wide), exact.mean.to_double(), 6 * wide.sd / std::sqrt(40000.0));
  EXPECT_GT(wide.sd, exact.sd);
}

TEST(MonteCarlo, ThePeriodFactorKeepsTheMean) {
  spm::Random rng(4);
  std::vector<double> p(500);
  std::vector<Decimal> amount(500);
  for (std::size_t i = 0; i < p.size(); ++i) {
    p[i] = rng.uniform(0.05, 0.4);  // mostly below 1/2: a symmetric log-odds move would raise the mean
    amount[i] = Decimal(static_cast<std::int64_t>(100 * (1 + rng.below(50))));
  }
  const auto exact = exact_bookings(p, amount);
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 50000;
  o.period_sd = 1.0;
  const auto mc = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().seed(9));
  EXPECT_NEAR(pmf_mean(mc), exact.mean.to_double(), 0.01 * exact.mean.to_double());
}

// History deals closed before they were created, with a negative amount or a misspelt outcome
// are rejects naming their row in the history, not counted as arrivals.
TEST(Arrivals, BadHistoryRowsAreRejectedNamingTheRow) {
  using spm::Date;
  using spm::io::Column;
  const Date d(2025, 12, 1);
  spm::io::Table h;
  h.add(Column::of("created_date", std::vector<Date>{d, d + 5, d, d}));
  h.add(Column::of("close_date", std::vector<Date>{d + 10, d, d + 10, d + 10}));
  h.add(Column::of("outcome", std::vector<std::string>{"won", "won", "won", "WON "}));
  h.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200), Decimal(-300), Decimal(400)}));
  spm::forecast::ArrivalOptions o;
  o.as_of = Date(2026, 1, 1);
  o.window_days = 90;
  o.windows = 1;
  spm::io::Table rejects;
  const auto a = spm::forecast::estimate_arrivals(h, o, &rejects);
  EXPECT_EQ(a.at("(all)").amounts, (std::vector<Decimal>{Decimal(100)}));
  ASSERT_EQ(rejects.num_rows(), 3U);
  EXPECT_EQ(rejects.values<std::int64_t>("row"), (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(rejects.strings("reason")[0], "the close date is before the creation date 2025-12-06");
  EXPECT_EQ(rejects.strings("reason")[1], "the amount is negative; a deal's amount is 0 or more");
  EXPECT_EQ(rejects.strings("column")[2], "outcome");
}

// User testing: --period-sd under the exact method was silently ignored. Only the simulation
// has the period factor, so any other method refuses it.
TEST(Rollup, PeriodSdOutsideMonteCarloIsRefused) {
  using spm::io::Column;
  spm::io::Table deals;
  deals.add(Column::of("probability", std::vector<double>{0.5, 0.2}));
  deals.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200)}));
  spm::forecast::RollupOptions o;
  o.monte_carlo.period_sd = 0.3;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::forecast_bookings(deals, nullptr, o); }, "forecast.options",
      "[forecast.options] period_sd: period_sd 0.3 is used by the monte_carlo method only; the "
      "exact method treats deals as independent: choose monte_carlo, or leave period_sd at 0"));
  o.method = spm::forecast::DistributionMethod::saddlepoint;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::forecast::forecast_bookings(deals, nullptr, o); }, "forecast.options",
      "[forecast.options] period_sd: period_sd 0.3 is used by the monte_carlo method only; the "
      "saddlepoint method treats deals as independent: choose monte_carlo, or leave period_sd at 0"));
  o.method = spm::forecast::DistributionMethod::monte_carlo;
  o.monte_carlo.scenarios = 1000;
  EXPECT_NO_THROW((void)spm::forecast::forecast_bookings(deals, nullptr, o));
}

}  // namespace
