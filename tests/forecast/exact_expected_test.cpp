// Money in forecast results is exact: the expected bookings are summed in Decimal, never in
// binary double, so totals of 10^14 keep their cents (docs/forecast.md, "Exact money").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <spm/core/random.hpp>
#include <spm/demo/company.hpp>
#include <spm/forecast/backtest.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/rollup.hpp>

namespace {

using spm::Decimal;
using spm::io::Column;
using spm::io::Table;

struct Case {
  std::vector<double> p;
  std::vector<const char*> amount;
  const char* want;    // hand-checked with Python's decimal module (exact sum, to the cent)
  const char* double_; // what summing p x amount in double and rounding to the cent gave
};

// Provenance: each `want` is sum(amount x p) computed with decimal.Decimal at 60 digits and
// rounded half-even to 2 places; `double_` is the former double sum, from_double(mean, 2).
const std::vector<Case>& cases() {
  static const std::vector<Case> c{
      {{1, 1, 1}, {"100000000000000.37", "100000000000000.01", "0.05"}, "200000000000000.43",
       "200000000000000.44"},
      {{1, 1, 1}, {"123456789012345.67", "0.01", "0.01"}, "123456789012345.69", "123456789012345.70"},
      {{0.5, 0.25, 1},
       {"300000000000000.02", "400000000000000.04", "0.07"},
       "250000000000000.09",
       "250000000000000.06"},
  };
  return c;
}

std::vector<Decimal> amounts(const Case& c) {
  std::vector<Decimal> out;
  for (const auto* a : c.amount) out.push_back(Decimal::parse(a));
  return out;
}

Table deals(const Case& c) {
  Table t;
  t.add(Column::of("probability", c.p));
  t.add(Column::of("amount", amounts(c)));
  return t;
}

TEST(ExactExpected, TotalsOfTenToTheFourteenKeepTheirCents) {
  for (const auto& c : cases()) {
    const auto a = amounts(c);
    const auto want = Decimal::parse(c.want);
    const std::string inputs = "amounts " + std::string(c.amount[0]) + ", " + c.amount[1] + ", " + c.amount[2] +
                               " (double gave " + c.double_ + ")";
    EXPECT_EQ(spm::forecast::expected_bookings(c.p, a), want) << inputs;
    EXPECT_EQ(spm::forecast::exact_bookings(c.p, a).mean, want) << inputs;
    spm::forecast::MonteCarloOptions mc;
    mc.scenarios = 200;
    EXPECT_EQ(spm::forecast::simulate_bookings(c.p, a, mc).mean, want) << inputs;
    using spm::forecast::DistributionMethod;
    for (const auto method : {DistributionMethod::exact, DistributionMethod::monte_carlo}) {
      spm::forecast::RollupOptions o;
      o.method = method;
      o.monte_carlo.scenarios = 200;
      const auto r = spm::forecast::forecast_bookings(deals(c), nullptr, o);
      EXPECT_EQ(r.summary.values<Decimal>("expected").back(), want) << inputs << ", " << to_string(method);
      EXPECT_EQ(r.total.mean, want) << inputs;
    }
  }
}

// A saddlepoint group's expected total is the exact sum too, not the approximation's double.
TEST(ExactExpected, SaddlepointGroupsToo) {
  std::vector<double> p(300, 0.5);
  std::vector<Decimal> amount(300, Decimal::parse("1000000000000.01"));
  amount[0] = Decimal::parse("100000000000000.37");
  p[0] = 1;
  Table t;
  t.add(Column::of("probability", p));
  t.add(Column::of("amount", amount));
  spm::forecast::RollupOptions o;
  o.method = spm::forecast::DistributionMethod::saddlepoint;
  const auto r = spm::forecast::forecast_bookings(t, nullptr, o);
  ASSERT_EQ(r.summary.strings("method")[0], "saddlepoint");
  // 100000000000000.37 + 299 x 1000000000000.01 / 2 = 100000000000000.37 + 149500000000001.495
  EXPECT_EQ(r.summary.values<Decimal>("expected")[0], Decimal::parse("249500000000001.86"));
  EXPECT_EQ(r.total.mean, Decimal::parse("249500000000001.86"));
}

// The stated rule: p to 12 places (0.3 is 3/10, not the binary 0.2999...), each product to 12
// places, the total to the cent half-even; permuting the deals changes nothing.
TEST(ExactExpected, TheRuleIsStatedAndOrderFree) {
  const std::vector<double> p{0.3, 0.7, 0.125};
  const std::vector<Decimal> a{Decimal::parse("100000000000000.35"), Decimal::parse("0.05"), Decimal::parse("0.02")};
  // 30000000000000.105 + 0.035 + 0.0025 = 30000000000000.1425 -> .14
  EXPECT_EQ(spm::forecast::expected_bookings(p, a), Decimal::parse("30000000000000.14"));
  const std::vector<double> rp{0.125, 0.3, 0.7};
  const std::vector<Decimal> ra{a[2], a[0], a[1]};
  EXPECT_EQ(spm::forecast::expected_bookings(rp, ra), spm::forecast::expected_bookings(p, a));
  // Arrivals: rate x (sum of the pool) / pool size, exactly: 1.5 x (200 + 400.01) / 2 = 450.0075.
  const spm::forecast::Arrivals arrivals{1.5, {Decimal(200), Decimal::parse("400.01")}};
  EXPECT_EQ(spm::forecast::expected_bookings({}, {}, arrivals), Decimal::parse("450.01"));
}

// The backtest's money columns are decimal (exact), its statistics float64.
TEST(ExactExpected, BacktestMoneyColumnsAreDecimal) {
  spm::demo::CompanyOptions co;
  co.reps = 20;
  co.seed = 3;
  const auto deals = spm::demo::generate_company(co).opportunities;
  spm::forecast::BacktestOptions o;
  o.forecast.model.outcome = "outcome";
  o.forecast.model.categorical = {"source"};
  o.forecast.window_days = 90;
  o.cuts = {spm::Date(2024, 10, 1), spm::Date(2025, 1, 1)};
  o.scenarios = 500;
  const auto b = spm::forecast::backtest(deals, o);
  const auto t = b.table();
  for (const char* c : {"expected", "actual", "p5", "p10", "p90", "p95", "mc_p5", "mc_p10", "mc_p90", "mc_p95"}) {
    EXPECT_EQ(t.column(c).type(), spm::io::ColumnType::decimal) << c;
  }
  for (const char* c : {"ape", "bias", "in_80", "shift"}) {
    EXPECT_EQ(t.column(c).type(), spm::io::ColumnType::float64) << c;
  }
  for (std::size_t k = 0; k < b.cuts.size(); ++k) {
    EXPECT_EQ(t.values<Decimal>("expected")[k], b.cuts[k].expected);
    EXPECT_TRUE(b.cuts[k].expected.has_places(2));
  }
}

// Property: for probabilities with at most 6 decimals, the sum is that of Decimal::mul(amount, p)
// (p parsed from its text) over the deals, rounded to the cent: the integer fast path agrees.
TEST(ExactExpected, AgreesWithDecimalArithmetic) {
  spm::Random rng(5);
  std::vector<double> p;
  std::vector<Decimal> a;
  Decimal sum;
  for (int i = 0; i < 2000; ++i) {
    const auto units = static_cast<std::int64_t>(rng.below(1000001));
    const Decimal pd = Decimal::from_units(units, 6);
    p.push_back(std::stod(pd.to_string()));
    a.push_back(Decimal::from_units(static_cast<std::int64_t>(rng.below(std::uint64_t{1} << 62)), 5));
    sum += Decimal::mul(a.back(), pd);
  }
  EXPECT_EQ(spm::forecast::expected_bookings(p, a), sum.round(2));
}

}  // namespace
