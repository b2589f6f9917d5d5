// The run and its ExecutionContext: progress, cancellation and the time limit (a stopped run
// returns nothing rather than the statements of some payees).
#include <gtest/gtest.h>

#include <chrono>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

struct Fixture {
  Plan p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  io::Table tx =
      table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\nT2,B,2026-01-11,5\n");
  io::Table quotas = table("payee_id,period_start,quota\n");
  CompInputs inputs() const {
    CompInputs in;
    in.transactions = &tx;
    in.quotas = &quotas;
    return in;
  }
};

TEST(Execution, ReportsProgress) {
  const Fixture f;
  std::vector<std::pair<double, std::string>> seen;
  const auto ctx = ExecutionContext().progress(
      [&](double fraction, std::string_view stage) { seen.emplace_back(fraction, stage); });
  const auto r = run(f.p, f.inputs(), parse_run_range("2026-Q1", f.p), ctx);
  EXPECT_EQ(seen, (std::vector<std::pair<double, std::string>>{{0.0, "comp"}, {1.0, "comp"}}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
}

TEST(Execution, CancelledRunThrows) {
  const Fixture f;
  CancellationToken token;
  token.cancel();
  EXPECT_TRUE(throws_error<CancelledError>(
      [&] {
        (void)run(f.p, f.inputs(), parse_run_range("2026-Q1", f.p),
                  ExecutionContext().cancellation(token));
      },
      "execution.cancelled",
      "[execution.cancelled] the commission run was cancelled by the caller"));
}

TEST(Execution, TimeLimitReturnsNoPartialResult) {
  const Fixture f;
  EXPECT_TRUE(throws_error<CancelledError>(
      [&] {
        (void)run(f.p, f.inputs(), parse_run_range("2026-Q1", f.p),
                  ExecutionContext().time_limit(std::chrono::milliseconds(0)));
      },
      "execution.time_limit",
      "[execution.time_limit] the commission run reached its time limit before every payee was "
      "computed; nothing is returned (allow more time or fewer payees)"));
  // A generous limit changes nothing.
  const auto r = run(f.p, f.inputs(), parse_run_range("2026-Q1", f.p),
                     ExecutionContext().time_limit(std::chrono::hours(1)));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("0.5"));
}

}  // namespace
}  // namespace spm::comp::test
