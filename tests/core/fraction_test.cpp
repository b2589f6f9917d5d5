#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <numeric>
#include <string>

#include <spm/core/error.hpp>
#include <spm/core/fraction.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using test::int128;
using test::str;
using test::throws_error;

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

TEST(Fraction, ReducesToLowestTermsWithPositiveDenominator) {
  // Hand-reduced.
  struct Row {
    std::int64_t num, den, want_num, want_den;
    const char* text;
  };
  const Row rows[] = {
      {10, 31, 10, 31, "10/31"},   {20, 62, 10, 31, "10/31"}, {6, -4, -3, 2, "-3/2"},
      {-8, -12, 2, 3, "2/3"},      {0, -5, 0, 1, "0"},        {0, 7, 0, 1, "0"},
      {29, 29, 1, 1, "1"},         {-42, 1, -42, 1, "-42"},   {i64_max, i64_max, 1, 1, "1"},
      {i64_max, 1, i64_max, 1, "9223372036854775807"},
      {i64_min, -2, std::int64_t{1} << 62, 1, "4611686018427387904"},
      {i64_min, i64_min, 1, 1, "1"},
      {i64_min, 3, i64_min, 3, "-9223372036854775808/3"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::to_string(r.num) + "/" + std::to_string(r.den) + " expected " + r.text);
    const Fraction f(r.num, r.den);
    EXPECT_EQ(f.num(), r.want_num);
    EXPECT_EQ(f.den(), r.want_den);
    EXPECT_EQ(f.to_string(), r.text);
  }
  EXPECT_EQ(Fraction(5), Fraction(10, 2));
  EXPECT_EQ(Fraction().to_string(), "0");
  EXPECT_EQ(Fraction(i64_min).num(), i64_min);
}

TEST(Fraction, ArithmeticTable) {
  // Hand-computed.
  struct Row {
    Fraction a;
    char op;
    Fraction b;
    Fraction expected;
  };
  const Row rows[] = {
      {Fraction(1, 2), '+', Fraction(1, 3), Fraction(5, 6)},
      {Fraction(1, 2), '-', Fraction(1, 3), Fraction(1, 6)},
      {Fraction(1, 3), '-', Fraction(1, 2), Fraction(-1, 6)},
      {Fraction(2, 3), '*', Fraction(3, 4), Fraction(1, 2)},
      {Fraction(1, 2), '/', Fraction(1, 4), Fraction(2)},
      {Fraction(-10, 31), '/', Fraction(5, -31), Fraction(2)},
      {Fraction(0), '*', Fraction(7, 9), Fraction(0)},
      {Fraction(20, 29), '+', Fraction(9, 29), Fraction(1)},
      {Fraction(1, 6), '+', Fraction(1, 10), Fraction(4, 15)},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.a.to_string() + " " + r.op + " " + r.b.to_string() + " expected " +
                 r.expected.to_string());
    Fraction got;
    switch (r.op) {
      case '+': got = r.a + r.b; break;
      case '-': got = r.a - r.b; break;
      case '*': got = r.a * r.b; break;
      default: got = r.a / r.b; break;
    }
    EXPECT_EQ(got, r.expected);
  }
}

TEST(Fraction, Ordering) {
  EXPECT_LT(Fraction(1, 3), Fraction(1, 2));
  EXPECT_LT(Fraction(-1, 2), Fraction(-1, 3));
  EXPECT_GT(Fraction(29, 28), Fraction(1));
  EXPECT_EQ(Fraction(2, 4) <=> Fraction(1, 2), std::strong_ordering::equal);
  // Cross products beyond 64 bits still compare correctly.
  EXPECT_LT(Fraction(i64_max - 1, i64_max), Fraction(1));
  EXPECT_GT(Fraction(i64_max, i64_max - 1), Fraction(1));
}

TEST(FractionErrors, MessagesWordForWord) {
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)Fraction(1, 0); }, "fraction.zero_denominator",
      "[fraction.zero_denominator] a fraction with denominator 0 is undefined (e.g. a period of 0 "
      "days)"));
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)(Fraction(1, 2) / Fraction(0)); },
                                            "fraction.division_by_zero",
                                            "[fraction.division_by_zero] division of a fraction "
                                            "by zero"));
  const char* overflow =
      "[fraction.overflow] an exact fraction grew beyond 64 bits; the periods or weights involved "
      "are too fine-grained";
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)(Fraction(i64_max) + Fraction(1)); },
                                            "fraction.overflow", overflow));
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)(Fraction(i64_min) - Fraction(1)); },
                                            "fraction.overflow", overflow));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)(Fraction(1, 4'000'000'007) * Fraction(1, 3'000'000'019)); },
      "fraction.overflow", overflow));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)(Fraction(1, 4'000'000'007) + Fraction(1, 3'000'000'019)); },
      "fraction.overflow", overflow));
  // Negating the most negative 64-bit value does not fit either (it used to be undefined
  // behaviour in the constructor and in gcd).
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)Fraction(i64_min, -1); },
                                            "fraction.overflow", overflow));
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)Fraction(1, i64_min); },
                                            "fraction.overflow", overflow));
  EXPECT_TRUE(throws_error<ArithmeticError>([] { (void)(Fraction(i64_min) / Fraction(-1)); },
                                            "fraction.overflow", overflow));
}

TEST(FractionProperty, AgainstCrossMultiplicationReference) {
  // Small random fractions: results checked with 128-bit cross products.
  Random rng(21);
  auto random_fraction = [&] {
    const auto n = static_cast<std::int64_t>(rng.below(2001)) - 1000;
    const auto d = static_cast<std::int64_t>(rng.below(1000)) + 1;
    return Fraction(rng.below(2) == 0 ? n : -n, rng.below(2) == 0 ? d : -d);
  };
  // p/q == a/b as exact rationals (q, b > 0).
  auto same = [](const Fraction& f, int128 p, int128 q) {
    return static_cast<int128>(f.num()) * q == p * f.den();
  };
  for (int i = 0; i < 10000; ++i) {
    const Fraction a = random_fraction();
    const Fraction b = random_fraction();
    auto ctx = [&] { return "a=" + a.to_string() + " b=" + b.to_string(); };
    for (const Fraction& f : {a, b}) {
      ASSERT_GT(f.den(), 0) << ctx();
      ASSERT_EQ(std::gcd(f.num(), f.den()), 1) << ctx();
    }
    const int128 an = a.num(), ad = a.den(), bn = b.num(), bd = b.den();
    ASSERT_TRUE(same(a + b, an * bd + bn * ad, ad * bd)) << ctx() << " sum " << (a + b).to_string();
    ASSERT_TRUE(same(a - b, an * bd - bn * ad, ad * bd))
        << ctx() << " difference " << (a - b).to_string();
    ASSERT_TRUE(same(a * b, an * bn, ad * bd)) << ctx() << " product " << (a * b).to_string();
    ASSERT_EQ(a + b - b, a) << ctx();
    ASSERT_EQ(a + b, b + a) << ctx();
    ASSERT_EQ(a * b, b * a) << ctx();
    if (b.num() != 0) {
      const int128 sign = bn < 0 ? -1 : 1;
      ASSERT_TRUE(same(a / b, an * bd * sign, ad * bn * sign))
          << ctx() << " quotient " << (a / b).to_string();
      ASSERT_EQ(a / b * b, a) << ctx();
    }
    const auto cmp = a <=> b;
    const int128 l = an * bd, r = bn * ad;
    ASSERT_EQ(cmp == std::strong_ordering::less, l < r) << ctx();
    ASSERT_EQ(cmp == std::strong_ordering::equal, l == r) << ctx();
    ASSERT_EQ(a == b, l == r) << ctx();
  }
}

}  // namespace
}  // namespace spm
