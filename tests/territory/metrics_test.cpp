// Metrics of assignments worked by hand on four units in a row.
#include <gtest/gtest.h>

#include <cmath>
#include <span>

#include <spm/core/error.hpp>
#include <spm/territory/metrics.hpp>

#include "support/throws_error.hpp"

namespace {

// Units 0-1-2-3 at x = 0, 1, 2, 3, each adjacent to the next; activity 1 and 1, 1, 1, 5.
spm::territory::Units row() {
  spm::territory::Units u;
  u.id = {"a", "b", "c", "d"};
  u.x = {0, 1, 2, 3};
  u.y = {0, 0, 0, 0};
  u.measures = {"accounts", "potential"};
  u.activity = {{1, 1, 1, 1}, {1, 1, 1, 5}};
  u.edges = {{0, 1}, {1, 2}, {2, 3}};
  return u;
}

TEST(Metrics, CompactContiguousSplit) {
  const auto u = row();
  const std::vector<std::int32_t> split{0, 0, 1, 1};
  const std::vector<double> tau{0.05};
  const auto m = spm::territory::evaluate(u, split, 2, tau);
  // accounts: 2 and 2 against a target of 2; potential: 2 and 6 against 4 (both 50% off).
  EXPECT_DOUBLE_EQ(m.balance[0].max_deviation, 0.0);
  EXPECT_DOUBLE_EQ(m.balance[1].max_deviation, 0.5);
  EXPECT_EQ(m.balance[1].outside, 2U);
  // Each territory: two units 1 apart; the medoid's sum is 1. p-median 2, p-center 1, diameter 1.
  EXPECT_DOUBLE_EQ(m.p_median, 2.0);
  EXPECT_DOUBLE_EQ(m.p_center, 1.0);
  EXPECT_DOUBLE_EQ(m.diameter, 1.0);
  EXPECT_EQ(m.components, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(m.non_contiguous, 0U);
  const auto t = m.territories_table(u, split);
  EXPECT_EQ(t.values<double>("potential_deviation")[1], 0.5);
}

TEST(Metrics, InterleavedSplitIsNotContiguousAndMovesAgainstTheCurrent) {
  const auto u = row();
  const std::vector<std::int32_t> interleaved{0, 1, 0, 1}, current{0, 0, 1, 1};
  const std::vector<double> tau{0.05, 0.05};
  const auto m = spm::territory::evaluate(u, interleaved, 2, tau, {}, current);
  EXPECT_EQ(m.components, (std::vector<std::uint32_t>{2, 2}));
  EXPECT_EQ(m.non_contiguous, 2U);
  EXPECT_DOUBLE_EQ(m.diameter, 2.0);
  // Units b and c moved: activity 1 + 1 and 1 + 1; both territories touched.
  EXPECT_EQ(m.moved_units, 2U);
  EXPECT_EQ(m.moved_activity, (std::vector<double>{2, 2}));
  EXPECT_EQ(m.territories_affected, 2U);
}

TEST(Metrics, UnequalSharesAndBadInput) {
  const auto u = row();
  const std::vector<std::int32_t> split{0, 0, 0, 1};
  const std::vector<double> tau{0.0}, share{0.75, 0.25};
  // accounts 3 and 1 against 3 and 1: exact.
  EXPECT_DOUBLE_EQ(spm::territory::evaluate(u, split, 2, tau, share).balance[0].max_deviation, 0.0);
  const std::vector<std::int32_t> bad{0, 0, 2, 1};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(u, bad, 2, tau); }, "territory.assignment",
      "[territory.assignment] c: territory 2 is not in [0, 2)"));
}

// evaluate checks what solve checks: an assignment made by hand may come with bad units.
TEST(Metrics, BadUnitsSharesAndCurrentAreRefused) {
  const std::vector<std::int32_t> split{0, 0, 1, 1};
  const std::vector<double> tau{0.05};
  auto expect = [&](const spm::territory::Units& u, std::span<const double> share,
                    std::span<const std::int32_t> current, const char* code, const char* what) {
    EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
        [&] { (void)spm::territory::evaluate(u, split, 2, tau, share, current); }, code, what));
  };
  auto u = row();
  u.x[1] = NAN;
  expect(u, {}, {}, "territory.units", "[territory.units] units.b: the unit has no coordinates");
  u = row();
  u.y[2] = 1e300;  // its distances would overflow to infinity
  expect(u, {}, {}, "territory.units",
         "[territory.units] units.c: a coordinate beyond 1e12 would overflow distances; check its "
         "units");
  u = row();
  u.activity[1][3] = -5;
  expect(u, {}, {}, "territory.units",
         "[territory.units] units.d.potential: activity must be a finite number >= 0");
  const std::vector<double> negative{1.2, -0.2}, not_a_number{NAN, 0.5};
  expect(row(), negative, {}, "territory.options",
         "[territory.options] share[1]: a target share must be a finite number >= 0");
  expect(row(), not_a_number, {}, "territory.options",
         "[territory.options] share[0]: a target share must be a finite number >= 0");
  const std::vector<std::int32_t> current{0, 0, 5, -1};
  expect(row(), {}, current, "territory.options",
         "[territory.options] current.c: territory 5 is not in [0, 2) (or -1 for none); current "
         "uses territories up to 5: give p = 6 or more, or number them from 0");
}

// Found by a user test: longitude/latitude out of range gave great-circle distances that wrap
// around (lat 95, lon 540) with no error; an empty id could not be named; -1 in an assignment read
// "territory -1 is not in [0, 2)"; shares written as thirds (0.333333) were refused.
TEST(Metrics, GeographicRangeEmptyIdsNoTerritoryAndRoundedShares) {
  const std::vector<std::int32_t> split{0, 0, 1, 1};
  const std::vector<double> tau{0.05};
  auto u = row();
  u.geographic = true;
  EXPECT_NO_THROW((void)spm::territory::evaluate(u, split, 2, tau));
  u.y[1] = 95;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(u, split, 2, tau); }, "territory.units",
      "[territory.units] units.b.y: latitude 95 is not within [-90, 90]; geographic units take x = "
      "longitude and y = latitude in degrees"));
  u.y[1] = 0;
  u.x[3] = 540;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(u, split, 2, tau); }, "territory.units",
      "[territory.units] units.d.x: longitude 540 is not within [-180, 180]; geographic units take "
      "x = longitude and y = latitude in degrees"));
  u.geographic = false;  // planar: any coordinate up to 1e12
  EXPECT_NO_THROW((void)spm::territory::evaluate(u, split, 2, tau));
  u = row();
  u.id[2] = "";
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(u, split, 2, tau); }, "territory.units",
      "[territory.units] units.id: unit 2 (0-based) has an empty id; give every unit an id"));
  const std::vector<std::int32_t> none{0, -1, 1, 1};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(row(), none, 2, tau); }, "territory.assignment",
      "[territory.assignment] b: the unit has no territory (-1); every unit needs one in [0, 2)"));
  // Thirds to six decimals sum to 0.999999: scaled to sum to 1. 0.9 is refused, shown in full.
  const std::vector<double> thirds{0.333333, 0.333333, 0.333333};
  const std::vector<std::int32_t> three{0, 1, 2, 2};
  const auto m = spm::territory::evaluate(row(), three, 3, tau, thirds);
  ASSERT_EQ(m.share.size(), 3U);
  EXPECT_DOUBLE_EQ(m.share[0] + m.share[1] + m.share[2], 1.0);
  EXPECT_DOUBLE_EQ(m.share[0], 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.balance[0].max_deviation, 0.5);  // accounts 1, 1, 2 against 4/3 each
  const std::vector<double> short_by_a_tenth{0.3, 0.3, 0.3};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(row(), three, 3, tau, short_by_a_tenth); }, "territory.options",
      "[territory.options] share: the target shares must sum to 1 (they sum to 0.9; within 1e-6 of 1 "
      "they are scaled to sum to 1)"));
  const std::vector<double> near{0.33333, 0.33333, 0.33333};  // 0.99999: 1e-5 off
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(row(), three, 3, tau, near); }, "territory.options",
      "[territory.options] share: the target shares must sum to 1 (they sum to 0.99999; within 1e-6 "
      "of 1 they are scaled to sum to 1)"));
}

// The table of territories takes the assignment evaluate() took: one territory in range per unit.
// Ids and measure names, when given, are one per unit and per measure.
TEST(Metrics, TerritoriesTableAndUnitsOfMismatchedLengthsAreRefused) {
  const auto u = row();
  const std::vector<std::int32_t> split{0, 0, 1, 1}, none{0, -1, 1, 1}, short_one{0, 0, 1};
  const std::vector<double> tau{0.05};
  const auto m = spm::territory::evaluate(u, split, 2, tau);
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)m.territories_table(u, none); }, "territory.assignment",
      "[territory.assignment] assignment.b: territory -1 is not in [0, 2)"));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)m.territories_table(u, short_one); }, "territory.assignment",
      "[territory.assignment] 3 assignments for 4 units"));
  auto ids = row();
  ids.id.pop_back();
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(ids, split, 2, tau); }, "territory.units",
      "[territory.units] units.id: 3 ids for 4 units; give one per unit or none"));
  auto names = row();
  names.measures.push_back("extra");
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::evaluate(names, split, 2, tau); }, "territory.units",
      "[territory.units] units.measures: 3 measure names for 2 activity columns; give one per "
      "column or none"));
}

// Tables written out: sums without binary noise, near-zero deviations as 0, no -0.
TEST(Metrics, RoundForOutput) {
  using spm::territory::round_for_output;
  EXPECT_EQ(round_for_output(0.1 + 0.2), 0.3);
  EXPECT_EQ(round_for_output(1530592.3000000003), 1530592.3);
  EXPECT_EQ(round_for_output(1584801.0249999992), 1584801.025);
  EXPECT_EQ(round_for_output(1234567890.12), 1234567890.12);  // cents kept below 1e10
  EXPECT_EQ(round_for_output(2.2e-16, 1), 0.0);
  EXPECT_FALSE(std::signbit(round_for_output(-2.2e-16, 1)));
  EXPECT_EQ(round_for_output(-0.0496000000001, 1), -0.0496);
  EXPECT_EQ(round_for_output(1.5e-300), 1.5e-300);
  EXPECT_TRUE(std::isinf(round_for_output(INFINITY)));
  // The territories table holds them so.
  spm::territory::Units u;
  u.x = {0, 1, 2};
  u.y = {0, 0, 0};
  u.activity = {{0.1, 0.2, 0.3}};
  u.measures = {"revenue"};
  const std::vector<std::int32_t> a{0, 0, 1};
  const std::vector<double> tau{0.05};
  const auto m = spm::territory::evaluate(u, a, 2, tau);
  const auto t = m.territories_table(u, a);
  EXPECT_EQ(t.values<double>("revenue"), (std::vector<double>{0.3, 0.3}));
  EXPECT_EQ(t.values<double>("revenue_deviation"), (std::vector<double>{0, 0}));
}

}  // namespace
