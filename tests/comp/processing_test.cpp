// How transactions meet the rate table: canonical order, restarts per pay period, returns, and
// which transactions a run counts. Lines read "kind tx tier base rate amount".
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view quota_100k = R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
)";

std::string marginal(std::string_view processing, std::string_view mode = "marginal",
                     std::string_view head = "") {
  return plan_text(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                       R"("id": "commission", "measure": "bookings", "mode": ")" +
                       std::string(mode) + R"(", "processing": ")" + std::string(processing) +
                       R"(", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                                       {"from": "100", "rate": "12"}]}])",
                   head);
}

// Running totals accumulate in canonical order: date, then transaction id in byte order ("B-10"
// sorts before "B-9"), whatever the row order of the input.
TEST(Processing, RunningTotalFollowsDateThenIdOrder) {
  const auto r = run_text(parse_plan(marginal("running_total")),
                          R"(transaction_id,payee_id,date,amount
B-9,A,2026-02-10,30000
A-1,A,2026-03-01,30000
B-10,A,2026-02-10,60000
)",
                          quota_100k, "2026-Q1");
  // B-10 60000 x 8% = 4800; B-9 30000 x 8% = 2400 (cum 90000);
  // A-1 10000 x 8% = 800 + 20000 x 12% = 2400 (cum 120000).
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier B-10 1 60000 8 4800.00", "tier B-9 1 30000 8 2400.00",
                                      "tier A-1 1 10000 8 800.00", "tier A-1 2 20000 12 2400.00"}))
      << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("10400"));
  EXPECT_EQ(r.credits, 3u);
}

// Ids of 8 bytes and more past a long shared prefix, of different lengths, one a prefix of
// another: still byte order (the engine orders by 8-byte keys taken after the shared prefix).
TEST(Processing, RunningTotalOrdersLongIdsByBytes) {
  const auto r = run_text(parse_plan(marginal("running_total")),
                          R"(transaction_id,payee_id,date,amount
INV-2026-1,A,2026-02-10,5000
INV-2026-0001,A,2026-02-10,4000
INV-2026-000090,A,2026-02-10,3000
INV-2026-00009,A,2026-02-10,2000
INV-2026-000010,A,2026-02-10,1000
)",
                          quota_100k, "2026-Q1");
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier INV-2026-000010 1 1000 8 80.00",
                                      "tier INV-2026-00009 1 2000 8 160.00",
                                      "tier INV-2026-000090 1 3000 8 240.00",
                                      "tier INV-2026-0001 1 4000 8 320.00",
                                      "tier INV-2026-1 1 5000 8 400.00"}))
      << dump(r);
}

// A year-to-date true-up prices the earlier quarters' credits again against the larger quota:
// a credit in the accelerator in its own quarter can fall back to the base rate.
TEST(Processing, YearToDateRepricesEarlierCreditsAtTheirNewTier) {
  const auto r = run_text(parse_plan(marginal("running_total", "marginal",
                                              R"("true_up": "year_to_date")")),
                          R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,100000
T2,A,2026-02-01,20000
T3,A,2026-04-10,10000
)",
                          quota_100k, "2026-01..2026-06");
  // Q1 (quota 100000): T1 100000 x 8% = 8000, T2 20000 x 12% = 2400.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 100000 8 8000.00", "tier T2 2 20000 12 2400.00"}));
  // Year to date (quota 200000): T1 8000, T2 20000 x 8% = 1600, T3 10000 x 8% = 800: 10400
  // earned, 10400 paid in Q1, nothing more.
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "earnings"), dec("10400")) << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("0"));
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

// Without a true-up each pay period starts from zero against its own quota.
TEST(Processing, RunningTotalRestartsEachPayPeriod) {
  const auto r = run_text(parse_plan(marginal("running_total")),
                          R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
T2,A,2026-05-10,60000
)",
                          quota_100k, "2026-01..2026-06");
  // Q1: 100000 x 8% + 20000 x 12% = 10400. Q2: 60000 x 8% = 4800 (not 12%: Q2 starts at 0).
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("10400"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("4800"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "paid_before"), dec("0"));
  EXPECT_EQ(lines(r, "A", "2026-Q2"), std::vector<std::string>{"tier T2 1 60000 8 4800.00"});
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

// Returns (negative amounts, when the plan allows them) walk the running total back down
// through the tiers they came up through.
TEST(Processing, ReturnsUnwindTheRunningTotal) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
R1,A,2026-02-10,-30000
)";
  {
    // marginal: T1 100000 x 8% + 20000 x 12% = 10400; R1 takes 120000 -> 90000:
    // -10000 x 8% - 20000 x 12% = -800 - 2400 = -3200; total 7200 = 90000 x 8%.
    const auto r = run_text(parse_plan(marginal("running_total", "marginal",
                                                R"("allow_negative": true)")),
                            tx, quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 1 100000 8 8000.00", "tier T1 2 20000 12 2400.00",
                                        "tier R1 1 -10000 8 -800.00",
                                        "tier R1 2 -20000 12 -2400.00"}))
        << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("7200"));
  }
  {
    // retroactive: T1 120000 x 12% = 14400 (+ uplift 0 on nothing before); R1 back to 90% at
    // 8%: -30000 x 8% = -2400 and 120000 x (8 - 12)% = -4800; total 7200 = 90000 x 8%.
    const auto r = run_text(parse_plan(marginal("running_total", "retroactive",
                                                R"("allow_negative": true)")),
                            tx, quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 2 120000 12 14400.00",
                                        "tier R1 1 -30000 8 -2400.00",
                                        "retro R1 1 120000 -4 -4800.00"}))
        << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("7200"));
  }
}

// Per-transaction processing starts every deal at zero, a return too: -10000 x 8% = -800.
TEST(Processing, PerTransactionReturn) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "processing": "per_transaction",
      "tiers": [{"from": "0", "to": "50000", "rate": "8"}, {"from": "50000", "rate": "12"}]}])",
                      R"("allow_negative": true)");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,60000
R1,A,2026-02-10,-10000
)",
                          quota_100k, "2026-Q1");
  // T1: 50000 x 8% + 10000 x 12% = 4000 + 1200 = 5200; R1: -10000 x 8% = -800; total 4400.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 50000 8 4000.00", "tier T1 2 10000 12 1200.00",
                                      "tier R1 1 -10000 8 -800.00"}))
      << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("4400"));
}

// Grouped processing computes once per window on the total: its lines name no transaction.
TEST(Processing, GroupedLinesNameNoTransaction) {
  const auto r = run_text(parse_plan(marginal("grouped")), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,70000
T2,A,2026-03-31,50000
)",
                          quota_100k, "2026-Q1");
  // 120000: 100000 x 8% + 20000 x 12% = 10400.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier  1 100000 8 8000.00", "tier  2 20000 12 2400.00"}));
  EXPECT_TRUE(r.lines.column("date").is_null(0));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "commission", "measure_value"), dec("120000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "commission", "attainment_percent"), dec("120"));
}

// A run computes the pay periods overlapping its range; later and earlier transactions are
// counted, not rejected (without a true-up the earlier ones do not matter).
TEST(Processing, RunRangeSelectsPayPeriods) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,50000
T2,A,2026-05-10,10000
T3,A,2026-07-01,99999
)";
  const auto r = run_text(parse_plan(marginal("running_total")), tx, quota_100k, "2026-Q2");
  EXPECT_EQ(r.transactions_after_range, 1u);
  EXPECT_EQ(r.transactions_before_range, 1u);
  EXPECT_FALSE(statement_row(r, "A", "2026-Q1", "TOTAL"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("800"));  // 10000 x 8%
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  // A range inside a pay period computes the whole pay period it overlaps.
  const auto m = run_text(parse_plan(marginal("running_total")), tx, quota_100k, "2026-05");
  EXPECT_EQ(statement(m, "A", "2026-Q2", "TOTAL"), dec("800"));
  EXPECT_EQ(m.statements.num_rows(), 2u) << dump(m);  // commission and TOTAL
  // With a year-to-date true-up the run computes Q1 too: T1 counts, nothing is before it.
  const auto y = run_text(parse_plan(marginal("running_total", "marginal",
                                              R"("true_up": "year_to_date")")),
                          tx, quota_100k, "2026-Q2");
  EXPECT_EQ(y.transactions_before_range, 0u);
  EXPECT_EQ(y.transactions_after_range, 1u);
  EXPECT_EQ(y.credits, 2u);
}

// Statement rows: one per component plus TOTAL; a payee with a quota and no deals earns 0.
// A: 1000 of 100000 = 1%, 1000 x 8% = 80. B: nothing.
TEST(Processing, StatementsForPayeesWithQuotaOnly) {
  const auto r = run_text(parse_plan(marginal("running_total")),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,1000\n",
                          "payee_id,period_start,quota\nA,2026-01-01,100000\nB,2026-01-01,50000\n",
                          "2026-Q1");
  EXPECT_EQ(csv(r.statements),
            "payee_id,period,period_start,period_end,component,measure,measure_value,quota,"
            "attainment_percent,earnings,paid_before,payout\n"
            "A,2026-Q1,2026-01-01,2026-04-01,commission,bookings,1000,100000,1,80.00,0.00,80.00\n"
            "A,2026-Q1,2026-01-01,2026-04-01,TOTAL,,,,,80.00,0.00,80.00\n"
            "B,2026-Q1,2026-01-01,2026-04-01,commission,bookings,0,50000,0,0.00,0.00,0.00\n"
            "B,2026-Q1,2026-01-01,2026-04-01,TOTAL,,,,,0.00,0.00,0.00\n");
}

// A range outside the plan's effective dates has no pay period to compute.
TEST(Processing, RangeOutsideThePlanComputesNothing) {
  const auto r = run_text(parse_plan(marginal("running_total")),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,1000\n",
                          quota_100k, "2030-Q1");
  EXPECT_EQ(r.statements.num_rows(), 0u);
  EXPECT_EQ(r.lines.num_rows(), 0u);
  EXPECT_EQ(r.rejects.num_rows(), 0u);
}

}  // namespace
}  // namespace spm::comp::test
