// Rates in percent of target incentive: each payee's rate is the plan's rate x its target
// incentive / its quota, per window (true-ups sum both), rounded at Decimal::scale.
#include <gtest/gtest.h>

#include <spm/comp/whatif.hpp>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view on_target = R"("measures": [{"id": "bookings"}], "components": [
    {"id": "c", "measure": "bookings", "rate_unit": "target_incentive",
     "tiers": [{"from": "0", "to": "100", "rate": "100"}, {"from": "100", "rate": "200"}]}])";

TEST(TargetIncentive, RateIsTheShareOfTargetIncentivePerPercentOfAttainment) {
  const auto r = run_text(plan(on_target), R"(transaction_id,payee_id,date,amount
A1,A,2026-01-15,150000
A2,A,2026-03-01,100000
B1,B,2026-02-10,120000
)",
                          R"(payee_id,period_start,quota,target_incentive
A,2026-01-01,200000,20000
B,2026-01-01,300000,25000
)",
                          "2026-Q1");
  // A: 10% up to the quota, 20% above; 125% attainment pays 100% + 2 x 25% of 20000.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier A1 1 150000 10 15000.00", "tier A2 1 50000 10 5000.00",
                                      "tier A2 2 50000 20 10000.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("30000"));
  // B: 100 x 25000 / 300000 = 8.333...% rounded at the 12th place; 120000 of it is 40% of 25000.
  EXPECT_EQ(lines(r, "B", "2026-Q1"),
            std::vector<std::string>{"tier B1 1 120000 8.333333333333 10000.00"});
  EXPECT_EQ(notes(r, "B", "2026-Q1"),
            std::vector<std::string>{"rate = the plan's rate x target incentive 25000 / quota 300000"});
  EXPECT_TRUE(lines_sum_to_payouts(r));
  EXPECT_TRUE(r.rejects.num_rows() == 0) << dump(r);
}

// With a year-to-date true-up the window's rate comes from the window's sums: Q2's window pays
// at (10000 + 20000) / (100000 + 100000) = 15%.
TEST(TargetIncentive, TrueUpWindowsSumQuotasAndTargets) {
  const auto r = run_text(plan(on_target, R"("true_up": "year_to_date")"),
                          R"(transaction_id,payee_id,date,amount
T1,A,2026-02-01,50000
T2,A,2026-05-01,50000
)",
                          R"(payee_id,period_start,quota,target_incentive
A,2026-01-01,100000,10000
A,2026-04-01,100000,20000
)",
                          "2026-01..2026-06");
  EXPECT_EQ(lines(r, "A", "2026-Q1"), std::vector<std::string>{"tier T1 1 50000 10 5000.00"});
  // Window earnings 100000 x 15% = 15000, of which Q1 paid 5000: T2's line 7500 and a true-up of
  // 2500 for T1, now at 15%.
  EXPECT_EQ(statement(r, "A", "2026-Q2", "c", "earnings"), dec("15000"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("10000"));
  EXPECT_EQ(lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"tier T2 1 50000 15 7500.00", "true_up   15000  2500.00"}));
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

TEST(TargetIncentive, MissingOrNegativeTargetIsRejected) {
  const auto r = run_text(plan(on_target), R"(transaction_id,payee_id,date,amount
A1,A,2026-01-15,1000
B1,B,2026-01-15,1000
C1,C,2026-01-15,1000
)",
                          R"(payee_id,period_start,quota,target_incentive
A,2026-01-01,10000,
B,2026-01-01,10000,-5
C,2026-01-01,10000,0
)",
                          "2026-Q1");
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "quotas 2 bookings B 2026-01-01 | the target_incentive -5 must be 0 or more",
                "payees 0 A A 2026-Q1 | no target_incentive for measure 'bookings' in the quota "
                "period starting 2026-01-01; give it in the quotas table's target_incentive "
                "column (the plan's rates are in percent of target incentive); not paid: its 1 "
                "credit in the period (transaction A1)",
                "payees 0 B B 2026-Q1 | no quota for measure 'bookings' in the pay period "
                "starting 2026-01-01; add a row to the quotas table; not paid: its 1 credit in "
                "the period (transaction B1)"}));
  EXPECT_EQ(statement(r, "C", "2026-Q1", "TOTAL"), dec("0"));  // a target of 0 pays nothing
}

// A plan not paying in percent of target incentive leaves such a column alone, whatever it holds.
TEST(TargetIncentive, UnusedColumnIsNotRead) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "tiers": [{"from": "0", "rate": "10"}]}])");
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n");
  io::Table q = table("payee_id,period_start,quota\nA,2026-01-01,10000\n");
  q.add(io::Column::of("target_incentive", std::vector<std::string>{"$25,000"}));
  q.add(io::Column::of("days_prorated", std::vector<std::string>{"FALSE"}));
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  const auto r = run(p, in, parse_run_range("2026-Q1", p));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100")) << dump(r);
  // days_prorated as text: true/false/1/0, anything else rejects the row.
  q = table("payee_id,period_start,quota\nA,2026-01-01,10000\n");
  q.add(io::Column::of("days_prorated", std::vector<std::string>{"maybe"}));
  EXPECT_EQ(rejects(run(p, in, parse_run_range("2026-Q1", p)))[0],
            "quotas 1 bookings A 2026-01-01 | days_prorated 'maybe' must be true or false");
}

// A what-if raising quotas keeps the target incentives: the rate falls with the quota.
TEST(TargetIncentive, WhatIfQuotaFactorLowersTheRate) {
  const auto p = plan(on_target);
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,50000\n");
  const io::Table q = table("payee_id,period_start,quota,target_incentive\nA,2026-01-01,100000,10000\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  const auto range = parse_run_range("2026-Q1", p);
  const std::vector<Variant> variants{Variant{"higher", p, dec("1.25")}};
  const auto w = what_if(p, variants, in, range);
  // Baseline 50000 x 10% = 5000; quotas x 1.25: 50000 x 8% = 4000.
  const auto& payees = w.payees;
  std::map<std::string, Decimal> total;
  for (std::size_t i = 0; i < payees.num_rows(); ++i) {
    total[payees.column("variant").text(i)] += payees.values<Decimal>("payout")[i];
  }
  EXPECT_EQ(total.at("baseline"), dec("5000"));
  EXPECT_EQ(total.at("higher"), dec("4000"));
}

}  // namespace
}  // namespace spm::comp::test
