#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using namespace spm::literals;
using test::big;
using test::BigInt;
using test::throws_error;

std::vector<Decimal> decimals(std::initializer_list<const char*> texts) {
  std::vector<Decimal> out;
  for (const char* t : texts) out.push_back(Decimal::parse(t));
  return out;
}

std::string join(const std::vector<Decimal>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i].to_string();
  return s + "}";
}

TEST(Allocate, HandCheckedTable) {
  // Worked by hand with the largest-remainder rule: floors first, then one unit each to the
  // largest remainders, ties to the earlier position.
  struct Row {
    const char* total;
    std::vector<Decimal> weights;
    int places;
    std::vector<Decimal> expected;
  };
  const std::vector<Row> rows = {
      {"100", decimals({"1", "1", "1"}), 2, decimals({"33.34", "33.33", "33.33"})},
      {"100", decimals({"1", "1", "1"}), 0, decimals({"34", "33", "33"})},
      {"-100", decimals({"1", "1", "1"}), 2, decimals({"-33.34", "-33.33", "-33.33"})},
      // shares 1.666.., 3.333.., 5: floors 1.66, 3.33, 5.00 leave one cent; the first has the
      // larger remainder (0.00666.. > 0.00333..).
      {"10", decimals({"1", "2", "3"}), 2, decimals({"1.67", "3.33", "5"})},
      {"1", decimals({"0", "1", "1"}), 2, decimals({"0", "0.5", "0.5"})},
      {"0.05", decimals({"1", "1"}), 2, decimals({"0.03", "0.02"})},
      {"0", decimals({"3", "1"}), 2, decimals({"0", "0"})},
      {"0.01", decimals({"1", "1", "1"}), 2, decimals({"0.01", "0", "0"})},
      // 0.0000000001-weights are as good as whole ones: only the ratios matter.
      {"1", decimals({"0.000000000001", "0.000000000002"}), 2, decimals({"0.33", "0.67"})},
      // shares 2.857.., 7.142..: the first has the larger remainder (6/7 against 1/7).
      {"10", decimals({"2", "5"}), 0, decimals({"3", "7"})},
      {"1000000000000000.0000", decimals({"1", "1", "1"}), 4,
       decimals({"333333333333333.3334", "333333333333333.3333", "333333333333333.3333"})},
      {"7", decimals({"1"}), 12, decimals({"7"})},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("total ") + r.total + " weights " + join(r.weights) + " places " +
                 std::to_string(r.places));
    const auto got = allocate(Decimal::parse(r.total), r.weights, r.places);
    EXPECT_EQ(join(got), join(r.expected));
  }
}

TEST(Allocate, TieKeysDecideEqualRemainders) {
  // Three equal shares of 100.00: the cent goes to the smallest key, not the first position.
  const auto w = decimals({"1", "1", "1"});
  const std::vector<std::size_t> keys = {2, 0, 1};
  EXPECT_EQ(join(allocate("100"_d, w, 2, keys)), "{33.33, 33.34, 33.33}");
  const std::vector<std::size_t> keys2 = {5, 9, 3};
  EXPECT_EQ(join(allocate("100"_d, w, 2, keys2)), "{33.33, 33.33, 33.34}");
  // Two cents over four equal parts go to keys 0 and 1 wherever they stand.
  const auto w4 = decimals({"1", "1", "1", "1"});
  const std::vector<std::size_t> keys4 = {3, 1, 2, 0};
  EXPECT_EQ(join(allocate("0.06"_d, w4, 2, keys4)), "{0.01, 0.02, 0.01, 0.02}");
  // Negative totals use the same keys: allocate(-x) == -allocate(x).
  EXPECT_EQ(join(allocate("-100"_d, w, 2, keys)), "{-33.33, -33.34, -33.33}");
}

TEST(Allocate, MoneyAndPercent) {
  const Currency jpy("JPY");
  const auto parts = allocate(Money("100"_d, jpy), decimals({"1", "1", "1"}));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], Money("34"_d, jpy));
  EXPECT_EQ(parts[1], Money("33"_d, jpy));
  EXPECT_EQ(parts[2], Money("33"_d, jpy));
  const Currency kwd("KWD");
  const auto k = allocate(Money("1"_d, kwd), decimals({"1", "1", "1"}));
  EXPECT_EQ(k[0].amount(), "0.334"_d);
  EXPECT_EQ(k[2].currency(), kwd);
  // Split credit 33.33 / 33.33 / 33.34 percent of 1000.00.
  EXPECT_EQ(join(allocate_percent("1000"_d, decimals({"33.33", "33.33", "33.34"}), 2)),
            "{333.3, 333.3, 333.4}");
  EXPECT_EQ(join(allocate_percent("0.99"_d, decimals({"50", "50"}), 2)), "{0.5, 0.49}");
}

TEST(AllocateErrors, MessagesWordForWord) {
  const auto w = decimals({"1", "-1", "2"});
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("10"_d, w, 2); }, "allocate.negative_weight",
      "[allocate.negative_weight] weights[1]: weight -1 is negative; weights must be zero or "
      "more"));
  const char* zero =
      "[allocate.zero_weights] weights: all weights are zero (or there are none), so there is no "
      "share to give; give at least one positive weight";
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("10"_d, decimals({"0", "0"}), 2); }, "allocate.zero_weights", zero));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("10"_d, std::vector<Decimal>{}, 2); }, "allocate.zero_weights", zero));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("1.005"_d, decimals({"1"}), 2); }, "allocate.places",
      "[allocate.places] total: the total 1.005 has more than 2 decimals, so no parts in that "
      "unit can add up to it; round it first"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate(Money("1.005"_d, Currency("USD")), decimals({"1"})); },
      "allocate.places",
      "[allocate.places] total: the total 1.005 has more than 2 decimals, so no parts in that "
      "unit can add up to it; round it first"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("1"_d, decimals({"1"}), 13); }, "allocate.places",
      "[allocate.places] places: places must be between 0 and 12"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("1"_d, decimals({"1"}), -1); }, "allocate.places",
      "[allocate.places] places: places must be between 0 and 12"));
  const std::vector<std::size_t> keys = {0, 1};
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate("1"_d, decimals({"1", "1", "1"}), 2, keys); }, "allocate.tie_keys",
      "[allocate.tie_keys] tie_keys: give one tie key per weight (3), got 2"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)allocate_percent("1"_d, decimals({"33.33", "33.33", "33.33"}), 2); },
      "allocate.percent_sum",
      "[allocate.percent_sum] percents: percentages sum to 99.99, not 100; fix them or allocate "
      "by weights instead"));
}

// Checks every invariant of one allocation against an unbounded-integer reference.
::testing::AssertionResult check_allocation(const Decimal& total,
                                            const std::vector<Decimal>& weights, int places,
                                            const std::vector<std::size_t>& keys,
                                            const std::vector<Decimal>& parts) {
  using ::testing::AssertionFailure;
  if (parts.size() != weights.size()) return AssertionFailure() << "wrong number of parts";
  const BigInt step = test::pow10(Decimal::scale - places);
  BigInt wsum = 0;
  for (const auto& w : weights) wsum += big(w.raw());
  const BigInt units = abs(big(total.raw())) / step;
  const int sign = total.sign() < 0 ? -1 : 1;

  Decimal sum;
  std::vector<bool> got_extra(parts.size());
  std::vector<BigInt> remainder(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sum += parts[i];
    if (!parts[i].has_places(places)) {
      return AssertionFailure() << "part " << i << " = " << parts[i].to_string()
                                << " has too many places";
    }
    // Exact share in units: units * w / wsum; the part is its floor or floor + 1.
    const BigInt n = units * big(weights[i].raw());
    const BigInt fl = n / wsum;
    remainder[i] = n % wsum;
    const BigInt got = big(parts[i].raw()) * sign / step;
    if (got != fl && got != fl + 1) {
      return AssertionFailure() << "part " << i << " = " << parts[i].to_string()
                                << " is neither the floor of its share (" << fl
                                << " units) nor one more";
    }
    got_extra[i] = got == fl + 1;
    if (got_extra[i] && remainder[i] == 0) {
      return AssertionFailure() << "part " << i << " has an exact share but got an extra unit";
    }
    if (weights[i].is_zero() && !parts[i].is_zero()) {
      return AssertionFailure() << "part " << i << " has zero weight but got "
                                << parts[i].to_string();
    }
  }
  if (sum != total) return AssertionFailure() << "parts add up to " << sum.to_string();
  // Largest remainders first, ties by (key, position).
  for (std::size_t i = 0; i < parts.size(); ++i) {
    for (std::size_t j = 0; j < parts.size(); ++j) {
      if (!got_extra[i] || got_extra[j]) continue;
      const bool before = remainder[i] > remainder[j] ||
                          (remainder[i] == remainder[j] &&
                           (keys[i] < keys[j] || (keys[i] == keys[j] && i < j)));
      if (!before) return AssertionFailure() << "part " << i << " got a unit before part " << j;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(AllocateProperty, ConservesTotalsAndFollowsTheRemainderRule) {
  Random rng(41);
  for (int c = 0; c < 2000; ++c) {
    const int places = static_cast<int>(rng.below(13));
    const std::size_t n = rng.below(12) + 1;
    std::vector<Decimal> weights(n);
    std::vector<std::size_t> keys(n);
    // Weights of mixed scales, often equal (to force ties) and sometimes zero.
    const int weight_bits = static_cast<int>(rng.below(100)) + 1;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t kind = rng.below(4);
      if (kind == 0) {
        weights[i] = Decimal(1);
      } else if (kind == 1 && i > 0) {
        weights[i] = Decimal();
      } else {
        weights[i] = Decimal::from_raw(test::random_raw(rng, weight_bits)).abs();
      }
      keys[i] = rng.below(n);  // duplicates on purpose: position breaks what keys do not
    }
    if (std::all_of(weights.begin(), weights.end(), [](const Decimal& w) { return w.is_zero(); })) {
      weights[0] = Decimal(1);
    }
    const Decimal total = test::random_decimal(rng, static_cast<int>(rng.below(110)) + 1, places);
    auto ctx = [&] {
      std::string k;
      for (auto key : keys) k += std::to_string(key) + " ";
      return "total " + total.to_string() + " weights " + join(weights) + " keys " + k +
             "places " + std::to_string(places);
    };
    const auto parts = allocate(total, weights, places, keys);
    ASSERT_TRUE(check_allocation(total, weights, places, keys, parts))
        << ctx() << "\n  parts " << join(parts);

    // allocate(-x) == -allocate(x)
    const auto negated = allocate(-total, weights, places, keys);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(negated[i], -parts[i]) << ctx() << " part " << i;

    // Permuting weights together with their keys permutes the parts, when keys are distinct
    // (with duplicate keys the position is the last tie-break, which a permutation changes).
    std::vector<std::size_t> distinct(n);
    std::iota(distinct.begin(), distinct.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(distinct[i - 1], distinct[rng.below(i)]);
    const auto base = allocate(total, weights, places, distinct);
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
    std::vector<Decimal> pw(n);
    std::vector<std::size_t> pk(n);
    for (std::size_t i = 0; i < n; ++i) {
      pw[i] = weights[perm[i]];
      pk[i] = distinct[perm[i]];
    }
    const auto permuted = allocate(total, pw, places, pk);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(permuted[i], base[perm[i]]) << ctx() << " position " << i << " from " << perm[i];
    }
  }
}

TEST(AllocateProperty, DefaultKeysArePositionsAndMoneyMatchesDecimal) {
  Random rng(42);
  const Currency currencies[] = {Currency("USD"), Currency("JPY"), Currency("KWD"),
                                 Currency("CLF")};
  for (int c = 0; c < 2000; ++c) {
    const Currency cur = currencies[rng.below(4)];
    const std::size_t n = rng.below(8) + 1;
    std::vector<Decimal> weights(n);
    for (auto& w : weights) w = Decimal::from_units(static_cast<std::int64_t>(rng.below(10)), 0);
    weights[rng.below(n)] = Decimal(1);
    const Decimal total = test::random_decimal(rng, 80, cur.minor_units());
    std::vector<std::size_t> positions(n);
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    const auto plain = allocate(total, weights, cur.minor_units());
    EXPECT_EQ(join(plain), join(allocate(total, weights, cur.minor_units(), positions)));
    const auto money = allocate(Money(total, cur), weights);
    ASSERT_EQ(money.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(money[i], Money(plain[i], cur)) << "total " << total.to_string() << " part " << i;
    }
  }
}

}  // namespace
}  // namespace spm
