#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include <spm/core/random.hpp>

namespace spm {
namespace {

TEST(Random, FirstValuesArePinned) {
  // From an independent Python implementation of splitmix64 seeding + xoshiro256** (Blackman and
  // Vigna's reference algorithm). Any change of platform, compiler or code that alters generated
  // data fails here.
  struct Row {
    std::uint64_t seed;
    std::array<std::uint64_t, 4> first;
  };
  const Row rows[] = {
      {0, {0x99ec5f36cb75f2b4, 0xbf6e1f784956452a, 0x1a5f849d4933e6e0, 0x6aa594f1262d2d2c}},
      {42, {0x15780b2e0c2ec716, 0x6104d9866d113a7e, 0xae17533239e499a1, 0xecb8ad4703b360a1}},
  };
  for (const auto& r : rows) {
    Random rng(r.seed);
    for (std::size_t i = 0; i < r.first.size(); ++i) {
      EXPECT_EQ(rng.next(), r.first[i]) << "seed " << r.seed << ", value " << i;
    }
  }
}

TEST(Random, DistributionsArePinned) {
  // Same Python reference: uniform = (next >> 11) * 2^-53, below = Lemire's multiply-shift.
  Random u(42);
  const double uniforms[] = {0.08386297105988216, 0.3789802506626686, 0.6800434110281394};
  for (double expected : uniforms) EXPECT_EQ(u.uniform(), expected);

  Random b(7);
  const std::uint64_t below10[] = {7, 2, 8, 9, 9, 8, 0, 1, 4, 1};
  for (std::uint64_t expected : below10) EXPECT_EQ(b.below(10), expected);
  Random b2(7);
  const std::uint64_t below_big[] = {700578, 278752, 839629, 981100, 990863};
  for (std::uint64_t expected : below_big) EXPECT_EQ(b2.below(1000003), expected);

  // Box-Muller goes through log and cos, which may differ in the last bit between libms.
  Random nrm(2024);
  const double normals[] = {0.06788824651552398, 0.20780665233422843, 0.05552889597059467};
  for (double expected : normals) EXPECT_NEAR(nrm.normal(), expected, 1e-14);
}

TEST(Random, SameSeedSameSequence) {
  Random a(123456789);
  Random b(123456789);
  Random c(123456790);
  int differ = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t x = a.next();
    ASSERT_EQ(x, b.next()) << "at " << i;
    differ += x != c.next() ? 1 : 0;
  }
  EXPECT_EQ(differ, 10000);
  Random d1(99);
  Random d2(99);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(d1.uniform(0.5, 2.5), d2.uniform(0.5, 2.5));
    ASSERT_EQ(d1.normal(1.0, 2.0), d2.normal(1.0, 2.0));
    ASSERT_EQ(d1.lognormal(0.0, 0.5), d2.lognormal(0.0, 0.5));
    ASSERT_EQ(d1.bernoulli(0.3), d2.bernoulli(0.3));
    ASSERT_EQ(d1.below(17), d2.below(17));
  }
}

TEST(Random, RangesAndRoughMoments) {
  // Loose statistical sanity (many standard errors wide), not a test of quality.
  Random rng(5);
  const int n = 20000;
  double sum = 0, sum_sq = 0, nsum = 0, nsum_sq = 0;
  std::array<int, 6> counts{};
  int heads = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_sq += u * u;
    const double v = rng.uniform(-3.0, 5.0);
    ASSERT_GE(v, -3.0);
    ASSERT_LT(v, 5.0);
    counts[rng.below(6)] += 1;
    const double z = rng.normal();
    ASSERT_TRUE(std::isfinite(z));
    nsum += z;
    nsum_sq += z * z;
    ASSERT_GT(rng.lognormal(0.0, 1.0), 0.0);
    heads += rng.bernoulli(0.25) ? 1 : 0;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0 / 12.0, 0.005);
  for (int c : counts) EXPECT_NEAR(c, n / 6.0, 300.0);
  EXPECT_NEAR(nsum / n, 0.0, 0.03);
  EXPECT_NEAR(nsum_sq / n, 1.0, 0.05);
  EXPECT_NEAR(heads, n / 4.0, 300.0);
  Random edge(6);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(edge.below(1), 0u);
    EXPECT_FALSE(edge.bernoulli(0.0));
    EXPECT_TRUE(edge.bernoulli(1.0));
    EXPECT_LT(edge.below(0x8000000000000001ULL), 0x8000000000000001ULL);
  }
}

}  // namespace
}  // namespace spm
