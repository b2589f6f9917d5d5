// The solver: contiguous, balanced where the instance allows, locked units stay, budgets hold,
// the same seed gives the same answer, and bad problems are named.
#include <gtest/gtest.h>

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
  const auto s = spm::territory::solve(pr, spm::ExecutionContext().seed(2));
  EXPECT_EQ(s.status, SolveStatus::infeasible);
  ASSERT_FALSE(s.violations.empty());
  EXPECT_GT(s.violations[0].excess, 0.0);
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
}

}  // namespace
