// Amounts between lattice points are split between their two neighbours, so that each deal keeps
// its expected amount. User report: 20,000 deals of 55 and one of 60,001, each won with 1/2, on
// the chosen step of 20: every 55 was rounded to 60, and the exact method gave P10 596,400, P90
// 663,600 and P(>= 600,000) 0.751 where the truth is ~546,800, ~613,200 and 0.497.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <spm/core/random.hpp>
#include <spm/forecast/bookings.hpp>

namespace {

using spm::Decimal;
using spm::forecast::BookingsDistribution;

double pmf_moment(const BookingsDistribution& d, double about, int power) {
  double m = 0;
  for (std::size_t k = 0; k < d.pmf.size(); ++k) {
    m += d.pmf[k] * std::pow(d.origin.to_double() + static_cast<double>(k) * d.step.to_double() - about, power);
  }
  return m;
}

struct Pipeline {
  std::vector<double> p;
  std::vector<Decimal> amount;
};

Pipeline reported() {
  Pipeline d{std::vector<double>(20001, 0.5), std::vector<Decimal>(20000, Decimal(55))};
  d.amount.push_back(Decimal(60001));
  return d;
}

// On step 1 (every amount exact), the reference.
const BookingsDistribution& truth() {
  static const auto t = [] {
    spm::forecast::LatticeOptions fine;
    fine.max_points = std::size_t{1} << 21;
    const auto d = reported();
    return spm::forecast::exact_bookings(d.p, d.amount, fine);
  }();
  return t;
}

// The quantiles away from the gap between the two modes (P50 falls in it, where any total between
// the modes is a median) and the chance of reaching targets.
void expect_close_to_truth(const BookingsDistribution& d, double reach_tolerance) {
  const auto& t = truth();
  ASSERT_EQ(t.step, Decimal(1));
  for (const double q : {0.05, 0.1, 0.25, 0.75, 0.9, 0.95}) {
    EXPECT_NEAR(d.quantile(q).to_double(), t.quantile(q).to_double(), d.lattice_sd) << "q " << q;
  }
  for (const std::int64_t target : {540000, 560000, 600000, 615000}) {
    EXPECT_NEAR(d.probability_at_least(Decimal(target)), t.probability_at_least(Decimal(target)), reach_tolerance)
        << "target " << target;
  }
}

TEST(LatticeSplit, TheExactMethodKeepsEachDealsMean) {
  const auto r = reported();
  const auto d = spm::forecast::exact_bookings(r.p, r.amount);
  ASSERT_EQ(d.step, Decimal(20));
  EXPECT_EQ(d.max_rounding, Decimal(5));
  // 55 = 2.75 steps: 0.75 of a step over 40, variance 0.75 x 0.25 per won deal; 60,001 = 3000.05.
  EXPECT_NEAR(d.lattice_sd, 20 * std::sqrt(20000 * 0.5 * 0.75 * 0.25 + 0.5 * 0.05 * 0.95), 1e-9);
  EXPECT_NEAR(pmf_moment(d, 0, 1), d.mean.to_double(), 1e-9 * d.mean.to_double() + 0.005);  // mean to the cent
  EXPECT_NEAR(truth().probability_at_least(Decimal(600000)), 0.4975, 0.001);
  expect_close_to_truth(d, 0.01);
}

TEST(LatticeSplit, MonteCarloKeepsEachDealsMean) {
  const auto r = reported();
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 40000;
  const auto d = spm::forecast::simulate_bookings(r.p, r.amount, o, spm::ExecutionContext().seed(3));
  ASSERT_EQ(d.step, Decimal(20));
  EXPECT_NEAR(pmf_moment(d, 0, 1), d.mean.to_double(), 4 * d.sd / std::sqrt(40000.0));
  // The scenarios' sd less the split's variance: the total's own.
  EXPECT_NEAR(d.sd, truth().sd, 0.02 * truth().sd);
  expect_close_to_truth(d, 0.015);
}

// A deal won for sure between lattice points moves the distribution by its exact amount (it is
// not split): found by a user test, where P(reach 1,000,000.37) was 0.002 with it certain.
TEST(LatticeSplit, ADealWonForSureIsNotSplit) {
  std::vector<double> p(301, 1e-9);
  std::vector<Decimal> amount(301, Decimal(5000));
  p[0] = 1;
  amount[0] = Decimal::parse("1000000.37");
  spm::forecast::LatticeOptions lattice;
  lattice.step = Decimal(200);
  const auto exact = spm::forecast::exact_bookings(p, amount, lattice);
  spm::forecast::MonteCarloOptions o;
  o.scenarios = 20000;
  o.lattice = lattice;
  const auto mc = spm::forecast::simulate_bookings(p, amount, o, spm::ExecutionContext().seed(3));
  for (const auto* d : {&exact, &mc}) {
    // The first lattice point: no total is below the certain deal.
    EXPECT_EQ(d->origin, Decimal::parse("1000000.37")) << d->method;
    EXPECT_EQ(d->quantile(0.1), Decimal::parse("1000000.37")) << d->method;
    EXPECT_EQ(d->quantile(0.9), Decimal::parse("1000000.37")) << d->method;
    EXPECT_NEAR(d->probability_at_least(Decimal::parse("1000000.37")), 1.0, 1e-12) << d->method;
    EXPECT_EQ(d->lattice_sd, 0.0) << d->method;
    EXPECT_EQ(d->table().values<Decimal>("amount")[0], Decimal::parse("1000000.37")) << d->method;
  }
  // The mean is to the cent (the 300 unlikely deals add 0.0015 to 1000000.37).
  EXPECT_NEAR(pmf_moment(exact, 0, 1), exact.mean.to_double(), 0.005);
  EXPECT_EQ(exact.mean, Decimal::parse("1000000.37"));
}

// Mean exact and variance = the total's + lattice_sd^2, with sure deals and new-deal arrivals
// between lattice points too.
TEST(LatticeSplit, TheSplitAddsExactlyLatticeSdSquaredToTheVariance) {
  spm::Random rng(17);
  std::vector<double> p;
  std::vector<Decimal> amount;
  for (int i = 0; i < 300; ++i) {
    p.push_back(i % 10 == 0 ? 1.0 : rng.uniform(0.05, 0.95));
    amount.push_back(Decimal::from_units(static_cast<std::int64_t>(1 + rng.below(5000000)), 2));
  }
  const spm::forecast::Arrivals arrivals{2.5, {Decimal(1234), Decimal::from_units(98765, 1)}};
  spm::forecast::LatticeOptions o;
  o.step = Decimal(700);
  const auto d = spm::forecast::exact_bookings(p, amount, o, arrivals);
  ASSERT_GT(d.lattice_sd, 0);
  EXPECT_NEAR(pmf_moment(d, 0, 1), d.mean.to_double(), 1e-9 * d.mean.to_double() + 0.005);  // mean to the cent
  EXPECT_NEAR(pmf_moment(d, d.mean.to_double(), 2), d.sd * d.sd + d.lattice_sd * d.lattice_sd, 1e-9 * d.sd * d.sd);
  // Monte Carlo draws the same split (and its sd leaves it out).
  spm::forecast::MonteCarloOptions mc;
  mc.scenarios = 50000;
  mc.lattice = o;
  mc.arrivals = arrivals;
  const auto s = spm::forecast::simulate_bookings(p, amount, mc, spm::ExecutionContext().seed(4));
  EXPECT_DOUBLE_EQ(s.lattice_sd, d.lattice_sd);
  EXPECT_NEAR(pmf_moment(s, 0, 1), d.mean.to_double(), 4 * d.sd / std::sqrt(50000.0));
  EXPECT_NEAR(s.sd, d.sd, 0.02 * d.sd);
}

TEST(LatticeSplit, AmountsOnTheLatticeAddNothing) {
  const auto d = spm::forecast::exact_bookings(std::vector{0.5, 0.3}, std::vector{Decimal(100), Decimal(300)});
  EXPECT_EQ(d.lattice_sd, 0.0);
  EXPECT_EQ(d.max_rounding, Decimal(0));
}

// Found by a user test: 400 deals at 0.999999, amounts in cents between 100 and 1,000. Split on
// the won side, every deal booked up to one step past its amount: P10-P90 lay above the largest
// possible total and P(reach every deal won) was 0.49 (truth 0.999999^400 = 0.9996). Deals more
// likely won are split on their lost side; no total leaves [least, largest possible].
TEST(LatticeSplit, NearCertainDealsReachTheirExactTotal) {
  spm::Random rng(5);
  for (const double prob : {0.999999, 1e-6, 0.7}) {
    std::vector<double> p(400, prob);
    std::vector<Decimal> amount;
    Decimal total;
    for (int i = 0; i < 400; ++i) {
      amount.push_back(Decimal::from_units(static_cast<std::int64_t>(10000 + rng.below(90000)), 2));
      total += amount.back();
    }
    spm::forecast::LatticeOptions lattice;
    lattice.step = Decimal(7);  // every amount between points
    spm::forecast::MonteCarloOptions mc;
    mc.scenarios = 20000;
    mc.lattice = lattice;
    const auto exact = spm::forecast::exact_bookings(p, amount, lattice);
    const auto sim = spm::forecast::simulate_bookings(p, amount, mc, spm::ExecutionContext().seed(2));
    for (const auto* d : {&exact, &sim}) {
      const auto t = d->table();
      const auto& at = t.values<Decimal>("amount");
      EXPECT_GE(at.front(), Decimal(0)) << prob << " " << d->method;
      EXPECT_LE(at.back(), total) << prob << " " << d->method;
      for (const double q : {0.0, 0.1, 0.5, 0.9, 1.0}) {
        EXPECT_LE(d->quantile(q), total) << prob << " q " << q << " " << d->method;
        EXPECT_GE(d->quantile(q), Decimal(0)) << prob << " q " << q << " " << d->method;
      }
    }
    // Every deal won: exact when they are likely won; none won: exact when they are unlikely.
    if (prob > 0.5) {
      EXPECT_NEAR(exact.probability_at_least(total), std::pow(prob, 400), 1e-9) << prob;
      EXPECT_NEAR(sim.probability_at_least(total), std::pow(prob, 400), 0.01) << prob;
    } else {
      EXPECT_NEAR(1 - exact.probability_at_least(Decimal::parse("0.01")), std::pow(1 - prob, 400), 1e-9) << prob;
    }
    EXPECT_NEAR(pmf_moment(exact, 0, 1), exact.mean.to_double(), 1e-9 * total.to_double() + 0.005) << prob;
  }
  // The user's case: p10, p50 and p90 are the largest possible total.
  std::vector<double> p(400, 0.999999);
  std::vector<Decimal> amount;
  Decimal total;
  for (int i = 0; i < 400; ++i) {
    amount.push_back(Decimal::from_units(static_cast<std::int64_t>(10000 + rng.below(90000)), 2));
    total += amount.back();
  }
  const auto d = spm::forecast::exact_bookings(p, amount);
  EXPECT_EQ(d.quantile(0.1), total);
  EXPECT_EQ(d.quantile(0.9), total);
  EXPECT_NEAR(d.probability_at_least(total), std::pow(0.999999, 400), 1e-9);
}

// Found by a user test: on 100,000 deals the automatic step (1% of the largest amount, over 0 to
// the sum) added 42% of the real sd to the company total. The step is kept within 0.2 sd /
// sqrt(sum min(p, 1 - p)), so the split adds at most a tenth of the sd.
TEST(LatticeSplit, TheChosenStepIsFineAgainstTheTotalsSpread) {
  spm::Random rng(11);
  std::vector<double> p;
  std::vector<Decimal> amount;
  for (int i = 0; i < 20000; ++i) {
    p.push_back(std::round(rng.uniform(0.02, 0.6) * 1e6) / 1e6);
    amount.push_back(Decimal::from_double(std::exp(10 + 1.5 * rng.normal()), 2));
  }
  const auto d = spm::forecast::exact_bookings(p, amount);
  EXPECT_GT(d.lattice_sd, 0);
  EXPECT_LE(d.lattice_sd, 0.1 * d.sd) << "step " << d.step.to_string() << " sd " << d.sd;
  EXPECT_LE(d.pmf.size(), std::size_t{1} << 20);
}

}  // namespace
