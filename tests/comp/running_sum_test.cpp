// Schedule::running_sum (the credits of earlier periods of a true-up window, summed without
// lines) against slicing credit by credit, as the lines are made: the same cents in every tier
// mode, at tier bounds, with returns, odd decimals, huge amounts and per-transaction caps.
#include <gtest/gtest.h>

#include <vector>

#include <spm/core/random.hpp>

#include "../../src/comp/tiers.hpp"

namespace spm::comp::detail {
namespace {

Decimal by_credits(const Schedule& s, const std::vector<Decimal>& value,
                   const std::vector<std::uint8_t>& passes, Decimal& cum, int places,
                   Rounding mode, const std::optional<Decimal>& cap) {
  Decimal sum;
  std::vector<Slice> slices;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (passes[i] == 0) continue;
    const Decimal before = cum;
    cum += value[i];
    slices.clear();
    s.slices(before, cum, slices);
    Decimal total;
    for (const auto& sl : slices) total += slices_amount({&sl, 1}, s.percent(), places, mode);
    sum += total;
    if (cap && total > *cap) sum += *cap - total;
    if (cap && total < -*cap) sum += -*cap - total;  // a return takes back at most the cap
  }
  return sum;
}

Component table(TierMode mode, bool lower) {
  Component c;
  c.mode = mode;
  c.boundary_to_lower = lower;
  c.basis = TierBasis::amount;
  c.tiers = {{Decimal(0), Decimal(1000), Decimal(8), std::nullopt},
             {Decimal(1000), Decimal(2500), Decimal::from_units(125, 1), std::nullopt},
             {Decimal(2500), std::nullopt, Decimal(15), std::nullopt}};
  return c;
}

TEST(RunningSum, EqualsSlicingCreditByCredit) {
  Random rng(7);
  for (const auto mode : {TierMode::marginal, TierMode::retroactive, TierMode::interpolated, TierMode::flat}) {
    for (const bool lower : {false, true}) {
      for (const bool attainment_cap : {false, true}) {
        const Component c = table(mode, lower);
        // Amount tiers; a cap of 300% of a 1000 "quota" is a bound at 3000.
        const Schedule s(c, Decimal(1000), attainment_cap ? std::optional<Decimal>(Decimal(300)) : std::nullopt);
        for (int round = 0; round < 40; ++round) {
          std::vector<Decimal> value;
          std::vector<std::uint8_t> passes;
          for (int i = 0; i < 60; ++i) {
            const auto kind = rng.below(20);
            Decimal v = Decimal::from_units(static_cast<std::int64_t>(rng.below(30000)), 2);  // 0 .. 299.99
            if (kind == 0 && round % 2 == 1) v = -v;  // a return (prefix sums fall back)
            if (kind == 1) v = Decimal::from_units(static_cast<std::int64_t>(rng.below(3000000)), 5);
            if (kind == 2) v = Decimal(250);                      // lands on bounds from round sums
            if (kind == 3) v = Decimal(0);
            if (kind == 4) v = Decimal::from_units(123456789012345, 2);  // beyond 64-bit raw
            value.push_back(v);
            passes.push_back(rng.below(8) == 0 ? 0 : 1);
          }
          const Decimal start = round % 4 == 0 ? Decimal(0) : round % 4 == 1 ? Decimal(1000)
                              : round % 4 == 2 ? Decimal(-50) : Decimal::from_units(249999, 2);
          const int places = round % 3 == 0 ? Decimal::scale : 2;
          const Rounding rounding = round % 2 == 0 ? Rounding::half_even : Rounding::half_up;
          const std::optional<Decimal> cap =
              round % 5 == 0 ? std::optional<Decimal>(Decimal(20)) : std::nullopt;
          Decimal cum_ref = start, cum = start;
          const Decimal want = by_credits(s, value, passes, cum_ref, places, rounding, cap);
          const Decimal got = s.running_sum(value.data(), passes.data(), 0, value.size(), cum, places, rounding, cap);
          ASSERT_EQ(got, want) << "mode " << static_cast<int>(mode) << " lower " << lower
                               << " cap " << attainment_cap << " round " << round;
          ASSERT_EQ(cum, cum_ref);
          // With prefix sums over the same credits, from credit 0 and from a later one.
          for (const std::size_t from : {std::size_t{0}, std::size_t{17}}) {
            Decimal cum_a = start, cum_b = start;
            const Decimal want_from =
                s.running_sum(value.data(), passes.data(), from, value.size(), cum_a, places, rounding, cap);
            RiseSums sums(value.data(), passes.data(), 0, value.size(), places, rounding, cap);
            ASSERT_EQ(s.running_sum(value.data(), passes.data(), from, value.size(), cum_b, places,
                                    rounding, cap, &sums),
                      want_from)
                << "mode " << static_cast<int>(mode) << " round " << round << " from " << from;
            ASSERT_EQ(cum_b, cum_a);
          }
        }
      }
    }
  }
}

// A run that climbs through every tier one cent below, on and one cent above each bound.
TEST(RunningSum, StepsOverEveryBound) {
  const Schedule s(table(TierMode::marginal, false), Decimal(1000), std::nullopt);
  std::vector<Decimal> value{Decimal::from_units(99999, 2), Decimal::from_units(1, 2), Decimal::from_units(1, 2),
                             Decimal::from_units(149998, 2), Decimal::from_units(1, 2), Decimal(500)};
  const std::vector<std::uint8_t> passes(value.size(), 1);
  Decimal cum_ref, cum;
  const Decimal want = by_credits(s, value, passes, cum_ref, 2, Rounding::half_even, std::nullopt);
  EXPECT_EQ(s.running_sum(value.data(), passes.data(), 0, value.size(), cum, 2, Rounding::half_even, std::nullopt), want);
  // By hand: 999.99 x 8% = 80.00 (79.9992); 0.01 x 8% = 0.00; 0.01 x 12.5% = 0.00;
  // 1499.98 x 12.5% = 187.50 (187.4975); 0.01 x 12.5% = 0.00 (to 2500.00); 500 x 15% = 75.
  EXPECT_EQ(want, Decimal::from_units(34250, 2));
  EXPECT_EQ(cum, Decimal(3000));
}

// As the engine uses them: one RiseSums per payee and component, windows of a year to date
// growing quarter by quarter, each with its own tier bounds (the window's quota).
TEST(RunningSum, PrefixSumsServeEveryWindowOfAYear) {
  Random rng(11);
  for (int round = 0; round < 30; ++round) {
    std::vector<Decimal> value;
    std::vector<std::uint8_t> passes;
    for (int i = 0; i < 400; ++i) {
      value.push_back(rng.below(10) == 0 ? Decimal(0)
                                         : Decimal::from_units(static_cast<std::int64_t>(rng.below(200000)), 2));
      passes.push_back(rng.below(6) == 0 ? 0 : 1);
    }
    const std::optional<Decimal> cap =
        round % 3 == 0 ? std::optional<Decimal>(Decimal(90)) : std::nullopt;
    const Rounding rounding = round % 2 == 0 ? Rounding::half_even : Rounding::half_down;
    Component c = table(TierMode::marginal, false);
    c.basis = TierBasis::attainment_percent;
    c.tiers = {{Decimal(0), Decimal(100), Decimal(8), std::nullopt},
               {Decimal(100), Decimal(150), Decimal(12), std::nullopt},
               {Decimal(150), std::nullopt, Decimal(15), std::nullopt}};
    const std::size_t first = 3;  // the payee's credits start here
    RiseSums sums(value.data(), passes.data(), first, value.size(), 2, rounding, cap);
    for (std::size_t q = 1; q < 4; ++q) {
      const std::size_t end = first + q * 99;  // the earlier quarters of the window
      const Decimal quota = Decimal(5000 * static_cast<int>(q + 1) + round * 37);
      const Schedule s(c, quota, round % 4 == 1 ? std::optional<Decimal>(Decimal(200)) : std::nullopt);
      Decimal cum_ref, cum;
      std::vector<Decimal> v(value.begin() + first, value.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<std::uint8_t> ps(passes.begin() + first, passes.begin() + static_cast<std::ptrdiff_t>(end));
      const Decimal want = by_credits(s, v, ps, cum_ref, 2, rounding, cap);
      ASSERT_EQ(s.running_sum(value.data(), passes.data(), first, end, cum, 2, rounding, cap, &sums), want)
          << "round " << round << " quarter " << q;
      ASSERT_EQ(cum, cum_ref);
    }
  }
}

}  // namespace
}  // namespace spm::comp::detail
