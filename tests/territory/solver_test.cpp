// The solver: contiguous, balanced where the instance allows, locked units stay, budgets hold,
// the same seed gives the same answer, and bad problems are named.
#include <gtest/gtest.h>

#include <algorithm>

#include <spm/core/error.hpp>
#include <spm/territory/solver.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::territory::Problem;
using spm::territory::SolveStatus;

spm::territory::Instance instance(std::size_t n, std::size_t p, std::uint64_t seed) {
  spm::territory::InstanceOptions o;
  o.units = n;
  o.territories = p;
  o.seed = seed;
  return spm::territory::generate_instance(o);
}

Problem problem(const spm::territory::Instance& inst) {
  Problem pr;
  pr.units = &inst.units;
  pr.territories = inst.territories;
  pr.tolerance = inst.tolerance;
  return pr;
}

TEST(Solver, FeasibleAndContiguousOnAMidSizedInstance) {
  const auto inst = instance(1000, 20, 1);
  const auto s = spm::territory::solve(problem(inst), spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.status, SolveStatus::feasible) << (s.violations.empty() ? "" : s.violations[0].message);
  EXPECT_EQ(s.metrics.non_contiguous, 0U);
  EXPECT_EQ(s.metrics.empty, 0U);
  for (const auto& b : s.metrics.balance) EXPECT_LE(b.max_deviation, 0.05 + 1e-12);
  // The same seed, the same assignment.
  const auto again = spm::territory::solve(problem(inst), spm::ExecutionContext().seed(1));
  EXPECT_EQ(again.assignment, s.assignment);
}

TEST(Solver, InfeasibleComesBackAsAStatusWithEveryViolation) {
  const auto inst = instance(60, 6, 3);
  auto pr = problem(inst);
  pr.tolerance = {0.0};  // exact balance: impossible with real-valued activities
  pr.restarts = 1;
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(2));
  EXPECT_EQ(s.status, SolveStatus::infeasible);
  ASSERT_FALSE(s.violations.empty());
  EXPECT_GT(s.violations[0].excess, 0.0);
  // The message names the territory, the measure, the deviation and the band (one sign).
  EXPECT_NE(s.violations[0].message.find("territory "), std::string::npos) << s.violations[0].message;
  EXPECT_NE(s.violations[0].message.find("from its target (band +-0.0%)"), std::string::npos)
      << s.violations[0].message;
  EXPECT_EQ(s.metrics.non_contiguous, 0U);  // contiguity still holds
}

TEST(Solver, LockedUnitsStayAndTheMoveBudgetHolds) {
  const auto inst = instance(300, 10, 4);
  auto pr = problem(inst);
  const auto first = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  // Rebalance after the activities change: at most 15 units may move, unit 0 stays.
  auto changed = inst.units;
  for (auto& v : changed.activity[1]) v *= 1.1;
  changed.activity[1][5] *= 3;
  pr.units = &changed;
  pr.current = first.assignment;
  pr.locked.assign(changed.size(), -1);
  pr.locked[0] = first.assignment[0];
  pr.max_moved = 15;
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.assignment[0], first.assignment[0]);
  EXPECT_LE(s.metrics.moved_units, 15U);
  EXPECT_EQ(s.metrics.non_contiguous, 0U);
}

TEST(Solver, BadProblemsAreNamed) {
  const auto inst = instance(20, 2, 5);
  auto pr = problem(inst);
  pr.territories = 21;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] territories: p = 21 must be between 1 and the 20 units"));
  auto split = inst.units;
  split.edges.clear();
  split.edges.emplace_back(0, 1);  // units 2.. are cut off
  pr = problem(inst);
  pr.units = &split;
  try {
    (void)spm::territory::solve(pr);
    FAIL() << "a disconnected graph must be refused";
  } catch (const spm::InvalidInputError& e) {
    EXPECT_EQ(e.id(), "territory.problem");
    EXPECT_NE(std::string(e.what()).find("separate pieces"), std::string::npos);
  }
  auto negative = inst.units;
  negative.activity[0][3] = -1;
  pr.units = &negative;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] units.U000004.customers: activity must be a finite number >= 0"));
  auto none = inst.units;
  none.activity.clear();
  none.measures.clear();
  pr.units = &none;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] activity: no activity measure to balance: give at least one (a column "
      "of ones balances the number of units)"));
  pr = problem(inst);
  pr.tolerance = {5};  // 5 for 5%
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] tolerance: tau 5 is a band of +-500%; give a fraction below 1 (0.05 "
      "for +-5%)"));
}

TEST(Solver, HomesStayExclusionsHoldAndAPartialCurrentKeepsItsBudget) {
  const auto inst = instance(200, 8, 6);
  auto pr = problem(inst);
  pr.home.assign(8, -1);
  pr.home[2] = 17;
  pr.excluded = {{5, 0}, {5, 1}, {40, 3}};
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(3));
  EXPECT_EQ(s.assignment[17], 2);
  // The home is the territory's centre in the metrics, and its p-median term is measured from it.
  EXPECT_EQ(s.metrics.centre[2], 17U);
  double from_home = 0;
  for (std::size_t i = 0; i < s.assignment.size(); ++i) {
    if (s.assignment[i] == 2) from_home += pr.units->distance(17, static_cast<std::uint32_t>(i));
  }
  const auto medoids = spm::territory::evaluate(*pr.units, s.assignment, 8, std::vector<double>{0.05});
  const auto homes = spm::territory::evaluate(*pr.units, s.assignment, 8, std::vector<double>{0.05}, {}, {}, pr.home);
  EXPECT_NEAR(homes.p_median - medoids.p_median, from_home - [&] {
    double m = 0;
    for (std::size_t i = 0; i < s.assignment.size(); ++i) {
      if (s.assignment[i] == 2) m += pr.units->distance(medoids.centre[2], static_cast<std::uint32_t>(i));
    }
    return m;
  }(), 1e-6);
  EXPECT_NEAR(s.metrics.p_median, homes.p_median, 1e-6);
  EXPECT_NE(s.assignment[5], 0);
  EXPECT_NE(s.assignment[5], 1);
  EXPECT_NE(s.assignment[40], 3);
  EXPECT_EQ(s.metrics.non_contiguous, 0U);
  // 20 new units have no current territory; at most 10 of the others may move.
  auto partial = problem(inst);
  partial.current = s.assignment;
  for (std::size_t i = 0; i < partial.current.size(); i += 10) partial.current[i] = -1;
  partial.max_moved = 10;
  const auto r = spm::territory::solve(partial, spm::ExecutionContext().seed(3));
  EXPECT_LE(r.metrics.moved_units, 10U);
  // Whatever the budget leaves broken is listed: one contiguity violation per territory in pieces.
  std::size_t in_pieces = 0;
  for (const auto& v : r.violations) in_pieces += v.measure == "contiguity" ? 1 : 0;
  EXPECT_EQ(in_pieces, r.metrics.non_contiguous);
  EXPECT_EQ(r.status == SolveStatus::feasible, r.violations.empty());
}

TEST(Solver, CapacityBreachesAreListed) {
  const auto inst = instance(120, 4, 8);
  auto pr = problem(inst);
  double total = 0;
  for (const double v : inst.units.activity[2]) total += v;
  pr.capacity.assign(4, total / 4 * 0.5);  // half a fair share: cannot hold
  pr.capacity_measure = 2;
  pr.restarts = 1;
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.status, SolveStatus::infeasible);
  std::size_t breaches = 0;
  for (const auto& v : s.violations) breaches += v.measure == "capacity" ? 1 : 0;
  EXPECT_EQ(breaches, 4U);
}

TEST(Solver, LockedUnitsBeyondTheirBandAreRefused) {
  const auto inst = instance(60, 6, 9);
  auto pr = problem(inst);
  pr.locked.assign(60, -1);
  for (std::size_t i = 0; i < 30; ++i) pr.locked[i] = 0;  // half the units in territory 0
  try {
    (void)spm::territory::solve(pr);
    FAIL() << "locked units above the band must be refused";
  } catch (const spm::InvalidInputError& e) {
    // The territory's first units by id, and plain numbers (no "1500.000000").
    const std::string what = e.what();
    EXPECT_NE(what.find("the units locked to territory 0 (" + inst.units.id[0] + ", " +
                        inst.units.id[1]),
              std::string::npos)
        << what;
    EXPECT_NE(what.find(", ...) have "), std::string::npos) << what;
    EXPECT_EQ(what.find(".000000"), std::string::npos) << what;
  }
}

TEST(Solver, WithoutEdgesTheGabrielGraphIsUsed) {
  auto inst = instance(150, 10, 10);
  const auto edges = inst.units.edges;
  inst.units.edges.clear();
  auto pr = problem(inst);
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  inst.units.edges = edges;  // the same graph: the same pieces
  const auto m = spm::territory::evaluate(inst.units, s.assignment, 10, pr.tolerance);
  EXPECT_EQ(m.non_contiguous, 0U);
  EXPECT_EQ(m.components, s.metrics.components);
}

// Adding a rep: the current alignment uses fewer territories than p. The new territories start
// from units the others can spare (this once crashed: no free unit was left to seed them).
TEST(Solver, ACurrentAlignmentWithFewerTerritoriesGetsNewOnes) {
  spm::territory::Units line;  // four units on a line, one account each: East A B, West C D
  line.id = {"A", "B", "C", "D"};
  line.x = {0, 1, 2, 3};
  line.y = {0, 0, 0, 0};
  line.measures = {"accounts"};
  line.activity = {{1, 1, 1, 1}};
  Problem pr;
  pr.units = &line;
  pr.territories = 3;
  pr.tolerance = {0.05};
  pr.current = {0, 0, 1, 1};
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  ASSERT_EQ(s.assignment.size(), 4U);
  EXPECT_EQ(s.metrics.empty, 0U);
  EXPECT_EQ(s.metrics.non_contiguous, 0U);
  EXPECT_EQ(s.metrics.moved_units, 1U);  // one unit starts the new territory
  // 200 units in 7 territories now, 8 wanted.
  const auto inst = instance(200, 7, 11);
  const auto seven = spm::territory::solve(problem(inst), spm::ExecutionContext().seed(1));
  auto eight = problem(inst);
  eight.territories = 8;
  eight.current = seven.assignment;
  const auto r = spm::territory::solve(eight, spm::ExecutionContext().seed(1));
  EXPECT_EQ(r.metrics.empty, 0U);
  EXPECT_EQ(r.metrics.non_contiguous, 0U);
  EXPECT_EQ(r.status, SolveStatus::feasible) << (r.violations.empty() ? "" : r.violations[0].message);
  // With 20 new units (no territory yet) too, the new territory starts from one of them. (A new
  // unit that held a current territory together can leave it in pieces, as with p = 7: listed.)
  for (std::size_t i = 0; i < eight.current.size(); i += 10) eight.current[i] = -1;
  const auto with_new = spm::territory::solve(eight, spm::ExecutionContext().seed(1));
  EXPECT_EQ(with_new.metrics.empty, 0U);
  EXPECT_EQ(with_new.status == SolveStatus::feasible, with_new.violations.empty());
  // A current alignment naming more territories than p is refused with the p it needs.
  auto fewer = problem(inst);
  fewer.territories = 6;
  fewer.current = seven.assignment;
  std::size_t at = 0;
  while (seven.assignment[at] != 6) ++at;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(fewer); }, "territory.problem",
      "[territory.problem] current." + inst.units.id[at] +
          ": territory 6 is not in [0, 6) (or -1 for none); current uses territories up to 6: "
          "give p = 7 or more, or number them from 0"));
}

// New territories at the edges: as many territories as units; every unit locked (no unit can
// start the new territory: it stays empty and is listed, nothing read out of bounds); a home
// for the new territory; a unit excluded from it.
TEST(Solver, NewTerritoriesWithLocksHomesAndExclusions) {
  spm::territory::Units line;
  line.id = {"A", "B", "C", "D"};
  line.x = {0, 1, 2, 3};
  line.y = {0, 0, 0, 0};
  line.measures = {"accounts"};
  line.activity = {{1, 1, 1, 1}};
  Problem pr;
  pr.units = &line;
  pr.tolerance = {0.05};
  pr.territories = 4;
  pr.current = {0, 0, 0, 0};
  auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.status, SolveStatus::feasible);  // one unit each
  EXPECT_EQ(s.metrics.empty, 0U);
  pr.territories = 3;
  pr.tolerance = {0.9};
  pr.current = {0, 0, 1, 1};
  pr.locked = pr.current;
  s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.metrics.empty, 1U);
  EXPECT_EQ(s.status, SolveStatus::infeasible);
  EXPECT_EQ(s.assignment, pr.current);
  pr.locked.clear();
  pr.tolerance = {0.05};
  pr.home = {-1, -1, 3};
  s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.assignment[3], 2);
  pr.home.clear();
  pr.excluded = {{1, 2}, {3, 2}};  // only A or C may start territory 2
  s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.metrics.empty, 0U);
  EXPECT_NE(s.assignment[1], 2);
  EXPECT_NE(s.assignment[3], 2);
}

// A budget or a weight on moves counts them against the current alignment: without one it would
// bound nothing, which is refused rather than ignored.
TEST(Solver, MoveLimitsNeedACurrentAlignment) {
  const auto inst = instance(30, 3, 1);
  auto pr = problem(inst);
  pr.max_moved = 5;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] max_moved: a budget of moved units needs the current alignment "
      "(current) to count moves against; give current, or leave max_moved out"));
  pr.max_moved.reset();
  pr.disruption_weight = 2;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] disruption_weight: a weight on moved units needs the current alignment "
      "(current) to count moves against; give current, or leave the weight out"));
  pr.disruption_weight = 0;  // costs nothing: nothing to count
  EXPECT_NO_THROW((void)spm::territory::solve(pr));
  pr.disruption_weight = -1;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] disruption_weight: give a finite number >= 0 (0: moves cost nothing), or "
      "none to move units only where the balance needs it"));
}

// Found by a user test: the same unit as the home of two territories was taken (one territory
// ended empty, no violation listed); a home excluded from its own territory was not refused,
// nor latitude 95 or longitude 540 on geographic units, nor restarts = -1.
TEST(Solver, ContradictoryHomesCoordinatesAndRestartsAreRefused) {
  const auto inst = instance(40, 4, 2);
  auto pr = problem(inst);
  pr.home = {-1, 7, -1, 7};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] home[3]: unit U000008 is already the home of territory 1; it cannot also "
      "be the home of territory 3: give each territory its own home unit, or none"));
  pr.home = {-1, 7, -1, -1};
  pr.excluded = {{7, 1}};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] excluded.U000008: the unit is the home of territory 1, which it is excluded "
      "from"));
  pr.excluded = {{7, 2}};  // excluded elsewhere: fine
  pr.locked.assign(40, -1);
  pr.locked[7] = 2;
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(pr); }, "territory.problem",
      "[territory.problem] home[1]: the home unit U000008 is locked to territory 2, not to territory 1"));
  pr = problem(inst);
  for (const int bad : {-1, spm::territory::max_restarts + 1}) {
    pr.restarts = bad;
    EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
        [&] { (void)spm::territory::solve(pr); }, "territory.problem",
        "[territory.problem] restarts: " + std::to_string(bad) +
            " is not in [0, 100000]; give 0 for automatic, or the number of constructions to try"));
  }
  // Longitude and latitude: the library's own check, so that C++ callers get it too.
  spm::territory::Units geo;
  geo.geographic = true;
  geo.id = {"A", "B", "C"};
  geo.x = {2.35, 2.36, 2.37};
  geo.y = {48.85, 48.86, -200};
  geo.measures = {"accounts"};
  geo.activity = {{1, 1, 1}};
  Problem g;
  g.units = &geo;
  g.territories = 1;
  g.tolerance = {0.05};
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)spm::territory::solve(g); }, "territory.problem",
      "[territory.problem] units.C.y: latitude -200 is not within [-90, 90]; geographic units take x "
      "= longitude and y = latitude in degrees"));
  geo.y[2] = 48.87;
  EXPECT_EQ(spm::territory::solve(g).status, SolveStatus::feasible);
}

// Shares that miss 1 by rounding (thirds to six decimals) are scaled, in the solver as in the
// metrics: the same targets as exact thirds.
TEST(Solver, SharesWithinAMillionthOfOneAreScaled) {
  const auto inst = instance(60, 3, 4);
  auto pr = problem(inst);
  pr.share = {0.333333, 0.333333, 0.333333};
  pr.restarts = 2;
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  pr.share = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  const auto exact = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_EQ(s.assignment, exact.assignment);
  EXPECT_DOUBLE_EQ(s.metrics.share[0], 1.0 / 3);
}

// A rebalance from a balanced but stretched alignment (vertical strips): with no weight given,
// units move only where the balance needs it; a weight of 0 means moves cost nothing, so
// compaction re-draws the strips (as it does for any small positive weight).
TEST(Solver, DisruptionWeightZeroMeansMovesCostNothing) {
  const auto inst = instance(200, 4, 12);
  auto pr = problem(inst);
  pr.tolerance = {0.15};
  std::vector<std::uint32_t> order(inst.units.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return inst.units.x[a] < inst.units.x[b]; });
  pr.current.assign(inst.units.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k) pr.current[order[k]] = static_cast<std::int32_t>(k * 4 / order.size());
  pr.restarts = 1;
  const auto kept = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  pr.disruption_weight = 0;
  const auto free = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  pr.disruption_weight = 1e-3;
  const auto tiny = spm::territory::solve(pr, spm::ExecutionContext().seed(1));
  EXPECT_GT(free.metrics.moved_units, kept.metrics.moved_units + 20);
  EXPECT_LT(free.metrics.p_median, 0.9 * kept.metrics.p_median);
  // 0 is the limit of small weights, not a jump away from them.
  EXPECT_NEAR(free.metrics.p_median, tiny.metrics.p_median, 0.01 * kept.metrics.p_median);
  EXPECT_EQ(free.status, SolveStatus::feasible);
}

}  // namespace
