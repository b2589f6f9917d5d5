// The Gabriel graph against its definition, and the seeded benchmark instances.
#include <gtest/gtest.h>

#include <algorithm>

#include <numeric>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/territory/instance.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::territory::Edge;

// Every pair whose diametral circle holds no other point: O(n^3), the definition itself.
std::vector<Edge> gabriel_by_definition(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<Edge> out;
  for (std::uint32_t i = 0; i < x.size(); ++i) {
    for (std::uint32_t j = i + 1; j < x.size(); ++j) {
      const double mx = (x[i] + x[j]) / 2, my = (y[i] + y[j]) / 2;
      const double r2 = ((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])) / 4;
      bool empty = true;
      for (std::size_t k = 0; k < x.size() && empty; ++k) {
        if (k == i || k == j) continue;
        empty = (x[k] - mx) * (x[k] - mx) + (y[k] - my) * (y[k] - my) >= r2 * (1 - 1e-12);
      }
      if (empty) out.emplace_back(i, j);
    }
  }
  return out;
}

TEST(GabrielGraph, EqualsTheDefinitionOnRandomPoints) {
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    spm::Random rng(seed);
    std::vector<double> x(250), y(250);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = rng.uniform(0, 500);
      y[i] = rng.uniform(0, 500);
    }
    EXPECT_EQ(spm::territory::gabriel_graph(x, y), gabriel_by_definition(x, y)) << "seed " << seed;
  }
}

// Whether the edges join every unit.
bool connected(std::size_t n, const std::vector<Edge>& edges) {
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  const auto find = [&](std::size_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  std::size_t pieces = n;
  for (const auto& [a, b] : edges) {
    const auto ra = find(a), rb = find(b);
    if (ra != rb) {
      parent[ra] = rb;
      --pieces;
    }
  }
  return pieces == 1;
}

TEST(Instance, SeededUniformAndClusteredInstances) {
  spm::territory::InstanceOptions o;
  o.units = 1000;
  o.seed = 7;
  const auto a = spm::territory::generate_instance(o);
  const auto b = spm::territory::generate_instance(o);
  EXPECT_EQ(a.units.x, b.units.x);
  EXPECT_EQ(a.units.edges, b.units.edges);
  EXPECT_EQ(a.territories, 67U);  // about n / 15
  EXPECT_EQ(a.units.id[0], "U000001");
  EXPECT_EQ(a.tolerance, (std::vector<double>{0.05, 0.05, 0.05}));
  for (std::size_t i = 0; i < a.units.size(); ++i) {
    ASSERT_GE(a.units.activity[0][i], 4);
    ASSERT_LE(a.units.activity[1][i], 400);
    ASSERT_GE(a.units.x[i], 0);
    ASSERT_LE(a.units.y[i], 500);
  }
  // A Gabriel graph contains the minimum spanning tree: it joins every unit. Planar: < 3n edges.
  EXPECT_TRUE(connected(a.units.size(), a.units.edges));
  EXPECT_LT(a.units.edges.size(), 3 * a.units.size());
  o.kind = spm::territory::InstanceKind::clustered;
  const auto c = spm::territory::generate_instance(o);
  EXPECT_TRUE(connected(c.units.size(), c.units.edges));
  EXPECT_NE(c.units.x, a.units.x);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] {
        spm::territory::InstanceOptions bad;
        bad.units = 10;
        bad.territories = 11;
        (void)spm::territory::generate_instance(bad);
      },
      "territory.options", "[territory.options] territories: 11 territories for 10 units; use at most one per unit"));
}

TEST(Units, GreatCircleDistance) {
  spm::territory::Units u;
  u.geographic = true;
  u.x = {-0.1278, 2.3522};  // London, Paris (longitude, latitude)
  u.y = {51.5074, 48.8566};
  EXPECT_NEAR(u.distance(0, 1), 343.5, 1.0);
}

TEST(Gabriel, UnitsAtTheSameSpotAreJoinedToTheFirst) {
  const std::vector<double> x{0, 1, 0, 2, 1}, y{0, 0, 0, 1, 0};
  const auto e = spm::territory::gabriel_graph(x, y);
  // 2 repeats 0 and 4 repeats 1: each joined to the first at its spot, and no unit left out.
  EXPECT_NE(std::find(e.begin(), e.end(), spm::territory::Edge{0, 2}), e.end());
  EXPECT_NE(std::find(e.begin(), e.end(), spm::territory::Edge{1, 4}), e.end());
  EXPECT_NE(std::find(e.begin(), e.end(), spm::territory::Edge{0, 1}), e.end());
  std::vector<int> degree(5, 0);
  for (const auto& [a, b] : e) ++degree[a], ++degree[b];
  for (const int d : degree) EXPECT_GT(d, 0);
}

}  // namespace
