#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include <spm/core/decimal.hpp>
#include <spm/core/rounding.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using test::all_modes;
using test::BigInt;
using test::int128;
using test::ref_div_round;
using test::str;

TEST(Rounding, NamesRoundTrip) {
  // Names as written in plans and on the command line.
  const std::pair<Rounding, const char*> rows[] = {
      {Rounding::half_even, "half_even"},
      {Rounding::half_up, "half_up"},
      {Rounding::half_down, "half_down"},
      {Rounding::half_away_from_zero, "half_away_from_zero"},
      {Rounding::half_toward_zero, "half_toward_zero"},
      {Rounding::down, "down"},
      {Rounding::up, "up"},
      {Rounding::floor, "floor"},
      {Rounding::ceiling, "ceiling"},
  };
  for (const auto& [mode, name] : rows) {
    SCOPED_TRACE(name);
    EXPECT_EQ(to_string(mode), name);
    ASSERT_TRUE(parse_rounding(name).has_value());
    EXPECT_EQ(*parse_rounding(name), mode);
  }
  for (const char* bad : {"", "HALF_EVEN", "half-even", "bankers", "ROUND_HALF_UP", " up"}) {
    SCOPED_TRACE(std::string("'") + bad + "'");
    EXPECT_FALSE(parse_rounding(bad).has_value());
  }
}

TEST(Rounding, DocumentedTable) {
  // The table in include/spm/core/rounding.hpp (columns 2.5, -2.5, 2.4, -2.6), which matches
  // Python decimal's ROUND_* definitions; extended with 0.5, -0.5, 1.5, -1.5 and -2.4 by hand.
  struct Row {
    Rounding mode;
    int at[9];  // 2.5, -2.5, 2.4, -2.6, 0.5, -0.5, 1.5, -1.5, -2.4
  };
  const char* inputs[9] = {"2.5", "-2.5", "2.4", "-2.6", "0.5", "-0.5", "1.5", "-1.5", "-2.4"};
  const Row rows[] = {
      {Rounding::half_even, {2, -2, 2, -3, 0, 0, 2, -2, -2}},
      {Rounding::half_up, {3, -2, 2, -3, 1, 0, 2, -1, -2}},
      {Rounding::half_down, {2, -3, 2, -3, 0, -1, 1, -2, -2}},
      {Rounding::half_away_from_zero, {3, -3, 2, -3, 1, -1, 2, -2, -2}},
      {Rounding::half_toward_zero, {2, -2, 2, -3, 0, 0, 1, -1, -2}},
      {Rounding::down, {2, -2, 2, -2, 0, 0, 1, -1, -2}},
      {Rounding::up, {3, -3, 3, -3, 1, -1, 2, -2, -3}},
      {Rounding::floor, {2, -3, 2, -3, 0, -1, 1, -2, -3}},
      {Rounding::ceiling, {3, -2, 3, -2, 1, 0, 2, -1, -2}},
  };
  for (const auto& r : rows) {
    for (int i = 0; i < 9; ++i) {
      SCOPED_TRACE(std::string(to_string(r.mode)) + " of " + inputs[i] + ", expected " +
                   std::to_string(r.at[i]));
      const Decimal x = Decimal::parse(inputs[i]);
      EXPECT_EQ(x.round(0, r.mode), Decimal(r.at[i]));
      // The same through the integer kernel: tenths over 10.
      const auto tenths = static_cast<std::int64_t>(x.raw() / (Decimal::unit / 10));
      EXPECT_EQ(detail::div_round<std::int64_t>(tenths, 10, r.mode), r.at[i]);
      EXPECT_EQ(detail::div_round<std::int64_t>(-tenths, -10, r.mode), r.at[i]);
    }
  }
}

TEST(Rounding, ExactValuesAreUnchanged) {
  for (Rounding mode : all_modes) {
    SCOPED_TRACE(std::string(to_string(mode)));
    for (const char* t : {"0", "3", "-3", "1.25", "-1.25", "0.000000000001"}) {
      const Decimal x = Decimal::parse(t);
      EXPECT_EQ(x.round(12, mode), x) << t;
    }
    EXPECT_EQ(Decimal::parse("1.25").round(2, mode), Decimal::parse("1.25"));
    EXPECT_EQ(Decimal().round(0, mode), Decimal());
    EXPECT_EQ(detail::div_round<std::int64_t>(0, 7, mode), 0);
    EXPECT_EQ(detail::div_round<std::int64_t>(-21, 7, mode), -3);
  }
}

TEST(Rounding, CentTiesOnDecimal) {
  // Hand-checked cent roundings on exact ties: 0.125, -0.125, 0.135, -0.135.
  struct Row {
    Rounding mode;
    const char* at[4];
  };
  const Row rows[] = {
      {Rounding::half_even, {"0.12", "-0.12", "0.14", "-0.14"}},
      {Rounding::half_up, {"0.13", "-0.12", "0.14", "-0.13"}},
      {Rounding::half_down, {"0.12", "-0.13", "0.13", "-0.14"}},
      {Rounding::half_away_from_zero, {"0.13", "-0.13", "0.14", "-0.14"}},
      {Rounding::half_toward_zero, {"0.12", "-0.12", "0.13", "-0.13"}},
  };
  const char* inputs[4] = {"0.125", "-0.125", "0.135", "-0.135"};
  for (const auto& r : rows) {
    for (int i = 0; i < 4; ++i) {
      SCOPED_TRACE(std::string(to_string(r.mode)) + " of " + inputs[i] + ", expected " + r.at[i]);
      EXPECT_EQ(Decimal::parse(inputs[i]).round(2, r.mode), Decimal::parse(r.at[i]));
    }
  }
}

// The property loops build their failure text only on failure, to stay fast under sanitizers.

TEST(RoundingProperty, Int64KernelAgainstFloorCeilReference) {
  // Random numerators and denominators of both signs; every third case is forced onto an exact
  // tie (n = k*d + d/2 with d even) so the half modes are exercised as often as the rest.
  Random rng(11);
  for (int i = 0; i < 15000; ++i) {
    auto d = static_cast<std::int64_t>(rng.below(1'000'000) + 1);
    std::int64_t n = 0;
    if (i % 3 == 0) {
      d += d % 2;
      n = static_cast<std::int64_t>(rng.below(2'000'000)) - 1'000'000;
      n = n * d + d / 2 * (rng.below(2) == 0 ? 1 : -1);
    } else {
      n = static_cast<std::int64_t>(rng.next() >> 2) - (std::int64_t{1} << 61);
    }
    if (rng.below(2) == 0) d = -d;
    for (Rounding mode : all_modes) {
      const std::int64_t got = detail::div_round<std::int64_t>(n, d, mode);
      const int128 expected = ref_div_round<int128>(n, d, mode);
      ASSERT_TRUE(got == expected) << n << " / " << d << " with " << to_string(mode)
                                   << ": expected " << str(expected) << ", got " << got;
    }
  }
}

TEST(RoundingProperty, DecimalRoundAgainstReferenceOnTiesAndNonTies) {
  Random rng(12);
  for (int i = 0; i < 10000; ++i) {
    const int places = static_cast<int>(rng.below(12));  // 12 places never rounds
    const int128 step = detail::pow10_128(Decimal::scale - places);
    int128 raw = test::random_raw(rng, 110);
    if (i % 2 == 0) raw = raw / step * step + (raw < 0 ? -step / 2 : step / 2);  // exact tie
    const Decimal x = Decimal::from_raw(raw);
    auto ctx = [&] { return x.to_string() + " at " + std::to_string(places) + " places"; };
    for (Rounding mode : all_modes) {
      const int128 expected = ref_div_round<int128>(raw, step, mode) * step;
      const Decimal got = x.round(places, mode);
      ASSERT_TRUE(got.raw() == expected) << ctx() << " with " << to_string(mode) << ": expected "
                                         << Decimal::from_raw(expected).to_string() << ", got "
                                         << got.to_string();
    }
    // Relations between modes that hold for every value.
    const Decimal fl = x.round(places, Rounding::floor);
    const Decimal ce = x.round(places, Rounding::ceiling);
    ASSERT_LE(fl, x) << ctx();
    ASSERT_GE(ce, x) << ctx();
    ASSERT_LE(x.round(places, Rounding::down).abs(), x.abs()) << ctx();
    ASSERT_GE(x.round(places, Rounding::up).abs(), x.abs()) << ctx();
    ASSERT_EQ((-x).round(places, Rounding::floor), -ce) << ctx();
    ASSERT_EQ((-x).round(places, Rounding::half_up), -x.round(places, Rounding::half_down))
        << ctx();
    ASSERT_EQ((-x).round(places, Rounding::half_even), -x.round(places, Rounding::half_even))
        << ctx();
    ASSERT_EQ((-x).round(places, Rounding::half_away_from_zero),
              -x.round(places, Rounding::half_away_from_zero))
        << ctx();
    const Decimal half = Decimal::from_raw(step / 2);
    for (Rounding mode : {Rounding::half_even, Rounding::half_up, Rounding::half_down,
                          Rounding::half_away_from_zero, Rounding::half_toward_zero}) {
      ASSERT_LE((x.round(places, mode) - x).abs(), half) << ctx() << " " << to_string(mode);
    }
  }
}

TEST(RoundingProperty, KernelIsTheSameForEveryIntegerWidth) {
  // The template promises one rule for int64, int128 and Boost.Multiprecision.
  Random rng(13);
  for (int i = 0; i < 2000; ++i) {
    const auto n = static_cast<std::int64_t>(rng.next() >> 1) * (rng.below(2) == 0 ? 1 : -1);
    const auto d = static_cast<std::int64_t>(rng.below(1000) + 1) * (rng.below(2) == 0 ? 1 : -1);
    for (Rounding mode : all_modes) {
      const std::int64_t a = detail::div_round<std::int64_t>(n, d, mode);
      const int128 b = detail::div_round<int128>(n, d, mode);
      const BigInt c = detail::div_round<BigInt>(BigInt(n), BigInt(d), mode);
      ASSERT_TRUE(a == b && BigInt(a) == c)
          << n << " / " << d << " " << to_string(mode) << ": int64 " << a << ", int128 "
          << str(b) << ", BigInt " << c;
    }
  }
}

}  // namespace
}  // namespace spm
