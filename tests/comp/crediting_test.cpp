// Crediting: direct credit to the transaction's payee, split credits that add up exactly to the
// deal, effective-dated assignments and quotas prorated by the days assigned.
#include <gtest/gtest.h>
#include <variant>
#include <utility>
#include <memory>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

// 10% of every credited amount, no quota needed.
Plan ten_percent() {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])");
}
constexpr std::string_view no_quotas = "payee_id,period_start,quota\n";
constexpr std::string_view one_deal = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n";

TEST(Crediting, DirectCreditGoesToThePayeeOfTheTransaction) {
  const auto r = run_text(ten_percent(), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,B,2026-01-11,2000
)",
                          no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "measure_value"), dec("1000"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "c", "measure_value"), dec("2000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));  // 1000 x 10%
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("200"));  // 2000 x 10%
  EXPECT_EQ(r.credits, 2u);
}

// When every transaction has lines, the lines' transaction ids are the transactions' own id
// strings, shared (copy on write), not copied: changing or dropping the transactions afterwards
// leaves the lines as they were.
TEST(Crediting, LinesShareTheTransactionIdsWhenEveryRowHasLines) {
  auto tx = std::make_unique<io::Table>(table("transaction_id,payee_id,date,amount\n"
                                              "T1,A,2026-01-10,1000\nT2,B,2026-01-11,2000\n"));
  const io::Table q = table(no_quotas);
  const Plan p = ten_percent();
  CompInputs in;
  in.transactions = tx.get();
  in.quotas = &q;
  const CompResult r = run(p, in, parse_run_range("2026-Q1", p));
  const auto& ids = std::get<io::DictionaryStrings>(r.lines.column("transaction_id").data());
  EXPECT_EQ(ids.dictionary.get(), &std::as_const(*tx).values<std::string>("transaction_id"));
  tx->columns()[0].values<std::string>()[0] = "changed";
  tx.reset();
  EXPECT_EQ(r.lines.strings("transaction_id")[0], "T1");
  EXPECT_EQ(r.lines.strings("transaction_id")[1], "T2");

  // A row without lines (after the run's range): the lines' ids are a copy of the ids with lines.
  const io::Table tx2 = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\nT2,B,2026-05-11,5\n");
  in.transactions = &tx2;
  const CompResult r2 = run(p, in, parse_run_range("2026-Q1", p));
  const auto& ids2 = std::get<io::DictionaryStrings>(r2.lines.column("transaction_id").data());
  EXPECT_EQ(*ids2.dictionary, std::vector<std::string>{"T1"});
}

TEST(Crediting, SplitCreditsSumExactlyToTheDeal) {
  Extra extra;
  extra.credits = R"(transaction_id,payee_id,percent
T1,C,25
T1,A,50
T1,B,25
T2,A,33.33
T2,B,33.33
T2,C,33.34
)";
  // T1's payee_id X is not credited: the split replaces it. The split payees need no row of
  // their own in the transactions.
  const auto r = run_text(ten_percent(), R"(transaction_id,payee_id,date,amount
T1,X,2026-01-10,100000.01
T2,,2026-01-11,100
)",
                          no_quotas, "2026-Q1", extra);
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  // T1 100000.01 at 50/25/25: exact shares 50000.005, 25000.0025, 25000.0025; in cents
  // 50000.00 + 25000.00 + 25000.00 = 100000.00 and the last cent goes to the largest remainder
  // (A's 0.005): 50000.01 + 25000.00 + 25000.00 = 100000.01.
  // T2 100 at 33.33/33.33/33.34: 33.33 + 33.33 + 33.34 = 100.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 50000.01 10 5000.00", "tier T2 1 33.33 10 3.33"}));
  EXPECT_EQ(lines(r, "B", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 25000 10 2500.00", "tier T2 1 33.33 10 3.33"}));
  EXPECT_EQ(lines(r, "C", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 25000 10 2500.00", "tier T2 1 33.34 10 3.33"}));
  EXPECT_FALSE(statement_row(r, "X", "2026-Q1", "TOTAL"));
  EXPECT_EQ(r.credits, 6u);
  Decimal credited;
  for (const char* payee : {"A", "B", "C"}) {
    credited += statement(r, payee, "2026-Q1", "c", "measure_value");
  }
  EXPECT_EQ(credited, dec("100100.01"));  // 100000.01 + 100
}

// A payee listed twice for one transaction gets the sum of its shares.
TEST(Crediting, RepeatedSplitPayeeIsMerged) {
  Extra extra;
  extra.credits = R"(transaction_id,payee_id,percent
T1,A,30
T1,B,50
T1,A,20
)";
  const auto r = run_text(ten_percent(), one_deal, no_quotas, "2026-Q1", extra);
  EXPECT_EQ(lines(r, "A", "2026-Q1"), std::vector<std::string>{"tier T1 1 500 10 50.00"});
  EXPECT_EQ(lines(r, "B", "2026-Q1"), std::vector<std::string>{"tier T1 1 500 10 50.00"});
  EXPECT_EQ(r.credits, 2u);
}

constexpr std::string_view tiered = R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
    "measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                                     {"from": "100", "rate": "12"}]}])";

TEST(Crediting, AssignmentsProrateQuotasByDays) {
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-02-01,\n";
  const auto r = run_text(plan(tiered), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,10000
T2,A,2026-02-10,59000
)",
                          R"(payee_id,period_start,quota
A,2026-01-01,90000
)",
                          "2026-Q1", extra);
  // Q1 has 90 days; A is assigned from February 1: 28 + 31 = 59 days, quota 90000 x 59/90 =
  // 59000. T1 (January) is not credited; T2 59000 of 59000 = 100%: 59000 x 8% = 4720.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("59000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "attainment_percent"), dec("100"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("4720"));
  EXPECT_EQ(rejects(r),
            std::vector<std::string>{
                "transactions 1 T1 A  | payee A is not assigned to plan t on 2026-01-15"});
}

TEST(Crediting, ProrationIsExactToTwelvePlaces) {
  Extra extra;
  // Two stints: January (31 days) and from March 1 (31 days in Q1): 62 of 90 days; 'to' is the
  // first day no longer assigned.
  extra.assignments = "payee_id,from,to\nA,2026-01-01,2026-02-01\nA,2026-03-01,\n";
  const auto r = run_text(plan(tiered), "transaction_id,payee_id,date,amount\nT1,A,2026-03-10,1\n",
                          "payee_id,period_start,quota\nA,2026-01-01,100000\n", "2026-Q1",
                          extra);
  // 100000 x 62/90 = 68888.888... -> 68888.888888888889 (12 places, half even).
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("68888.888888888889"));
}

// Overlapping or repeated assignment rows count each day once: the quota is never more than the
// pay period's.
TEST(Crediting, OverlappingAssignmentsCountEachDayOnce) {
  Extra extra;
  extra.assignments = R"(payee_id,from,to
A,2026-01-01,
A,2026-01-01,
A,2026-02-01,2026-03-01
)";
  const auto r = run_text(plan(tiered), "transaction_id,payee_id,date,amount\nT1,A,2026-03-10,1\n",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-Q1", extra);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("90000"));
  // Touching stints are one: Jan 1 - Feb 1 and Feb 1 - Mar 1 = 59 of 90 days = 59000.
  extra.assignments = "payee_id,from,to\nA,2026-02-01,2026-03-01\nA,2026-01-01,2026-02-01\n";
  const auto t = run_text(plan(tiered), "transaction_id,payee_id,date,amount\nT1,A,2026-02-10,1\n",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-Q1", extra);
  EXPECT_EQ(statement(t, "A", "2026-Q1", "c", "quota"), dec("59000"));
}

// Pay periods in which a payee is not assigned at all give no statement and need no quota.
TEST(Crediting, UnassignedPeriodsHaveNoStatement) {
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-01-01,2026-02-15\n";
  const auto r = run_text(plan(tiered), R"(transaction_id,payee_id,date,amount
T1,A,2026-02-14,9000
T2,A,2026-02-15,1000
)",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-01..2026-06",
                          extra);
  // Jan 1 - Feb 15: 45 of 90 days, quota 45000; T2 on Feb 15 is after the assignment ends.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("45000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("720"));  // 9000 x 8%
  EXPECT_FALSE(statement_row(r, "A", "2026-Q2", "TOTAL"));
  EXPECT_EQ(rejects(r),
            std::vector<std::string>{
                "transactions 2 T2 A  | payee A is not assigned to plan t on 2026-02-15"});
}

// A split payee not assigned on the date (say, on another plan) is not credited and its share is
// rejected; the assigned payees keep their shares.
TEST(Crediting, SplitWithUnassignedPayeeCreditsTheOthers) {
  Extra extra;
  extra.credits = "transaction_id,payee_id,percent\nT1,A,50\nT1,B,50\n";
  extra.assignments = "payee_id,from,to\nA,2026-01-01,\nB,2026-03-01,\n";
  const auto r = run_text(ten_percent(), one_deal, no_quotas, "2026-Q1", extra);
  EXPECT_EQ(rejects(r),
            std::vector<std::string>{
                "transactions 1 T1 B  | payee B is not assigned to plan t on 2026-01-10"});
  EXPECT_EQ(r.credits, 1u);
  EXPECT_EQ(lines(r, "A", "2026-Q1"), std::vector<std::string>{"tier T1 1 500 10 50.00"});
  EXPECT_TRUE(lines(r, "B", "2026-Q1").empty());
}

// Count measures: a deal counts once, shared like its amount (so the payees' counts add up to one
// deal); a return (negative amount) is not a deal.
TEST(Crediting, CountMeasuresShareDealsAndSkipReturns) {
  const auto p = plan(R"("allow_negative": true, "measures": [{"id": "deals", "count": true}],
      "components": [{"id": "c", "measure": "deals", "basis": "amount", "rate_unit": "per_deal",
        "mode": "flat", "tiers": [{"from": "0", "rate": "150"}]}])");
  Extra extra;
  extra.credits = "transaction_id,payee_id,percent\nT2,A,33.33\nT2,B,66.67\n";
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,A,2026-01-11,2000
R1,A,2026-01-12,-1000
)",
                          no_quotas, "2026-Q1", extra);
  // A: T1 1 deal x 150 = 150; T2 0.3333 deal x 150 = 49.995 -> 50.00 (half even). R1 is not
  // counted. B: T2 0.6667 x 150 = 100.005 -> 100.00.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 1 150 150.00", "tier T2 1 0.3333 150 50.00"}));
  EXPECT_EQ(lines(r, "B", "2026-Q1"), std::vector<std::string>{"tier T2 1 0.6667 150 100.00"});
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "measure_value"), dec("1.3333"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "c", "measure_value"), dec("0.6667"));
}


// Credit by rule: the account's owner on the transaction's date, effective-dated; two rules in
// force are shares; no rule falls back to the transaction's payee_id; no rule and no payee is a
// reject; rules in force must total 100%.
TEST(Crediting, CreditRulesMapAKeyToPayeesOnTheDate) {
  const Plan p = plan(R"("credit": {"by": "account_id"}, "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])");
  Extra extra;
  extra.credit_rules = R"(key,payee_id,from,to,percent
ACME,alice,2026-01-01,2026-02-01,
ACME,bob,2026-02-01,,
SPLIT,alice,2026-01-01,,60
SPLIT,bob,2026-01-01,,40
HALF,carol,2026-01-01,,50
)";
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,account_id
T1,,2026-01-10,1000,ACME
T2,,2026-02-10,1000,ACME
T3,rep9,2026-02-11,500,NOPE
T4,,2026-02-12,700,NOPE
T5,,2026-03-01,300,SPLIT
T6,,2026-03-02,100,HALF
)",
                          no_quotas, "2026-Q1", extra);
  // alice: T1 (owner in January) 1000 x 10% = 100; T5 60% of 300 = 180 x 10% = 18.
  // bob: T2 (owner from February) 100; T5 40% = 120 x 10% = 12. rep9: T3 has no rule, 50.
  EXPECT_EQ(lines(r, "alice", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 1000 10 100.00", "tier T5 1 180 10 18.00"}));
  EXPECT_EQ(lines(r, "bob", "2026-Q1"),
            (std::vector<std::string>{"tier T2 1 1000 10 100.00", "tier T5 1 120 10 12.00"}));
  EXPECT_EQ(lines(r, "rep9", "2026-Q1"), std::vector<std::string>{"tier T3 1 500 10 50.00"});
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "transactions 4 T4   | no credit rule maps its account_id on 2026-02-12 and the "
                "payee_id is missing",
                "transactions 6 T6   | the credit rules in force for its account_id total 50%, "
                "not 100%; fix the credit rules"}));
  const auto& credit = r.lines.strings("credit");
  EXPECT_EQ(credit[0], "rule account_id 100%");
  EXPECT_EQ(credit[1], "rule account_id 60%");
}

TEST(Crediting, CreditRulesAreRequiredWhenThePlanCreditsByRule) {
  const Plan p = plan(R"("credit": {"by": "account_id"}, "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])");
  try {
    (void)run_text(p, one_deal, no_quotas, "2026-Q1");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(),
                 "[comp.inputs] credit_rules: the plan credits by 'account_id' but no "
                 "credit_rules table was given (key, payee_id, from, to, percent)");
  }
}

// A plan that starts inside a pay period prorates that period's quota by the days it covers:
// Q1 2026 has 90 days, the plan runs from 2026-02-01, so 59 of them (28 + 31):
// 90000 x 59/90 = 59000, and 59000 of bookings is exactly 100% attainment.
TEST(Crediting, PlanStartingMidPeriodProratesTheQuota) {
  const Plan p = parse_plan(R"({"id": "t", "effective": {"from": "2026-02-01", "to": "2027-01-01"},
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "tiers": [{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "10"}]}]})");
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-02-10,59000\n",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("59000")) << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "attainment_percent"), dec("100"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("2950"));  // 59000 x 5%
}

// A quota already prorated to the days worked (quota phase's days_prorated) is not prorated
// again by the assignment that ends with the employment: Q3 has 92 days, A works 62 of them.
TEST(Crediting, QuotaProratedForDaysWorkedIsNotProratedAgain) {
  const Plan p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "10"},
                                       {"from": "100", "rate": "20"}]}])");
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-01-01,2026-09-01\nB,2026-01-01,2026-09-01\n";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-08-10,80000\n"
                             "T2,B,2026-08-10,80000\n",
                          "payee_id,period_start,quota,days_prorated\n"
                          "A,2026-07-01,67945.21,true\nA,2026-10-01,0,true\n"
                          "B,2026-07-01,100821.92,false\n",
                          "2026-Q3", extra);
  EXPECT_EQ(statement(r, "A", "2026-Q3", "c", "quota"), dec("67945.21")) << dump(r);
  // 67945.21 x 10% + 12054.79 x 20% = 6794.52 + 2410.96
  EXPECT_EQ(statement(r, "A", "2026-Q3", "TOTAL"), dec("9205.48"));
  // B's full-quarter quota is prorated by the assignment: 100821.92 x 62/92.
  EXPECT_EQ(statement(r, "B", "2026-Q3", "c", "quota"), dec("67945.206956521739"));
  // The 0 for a quarter A does not work is skipped, with a note, not rejected.
  EXPECT_TRUE(r.rejects.num_rows() == 0) << dump(r);
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_NE(r.notes[0].find("1 quota rows of 0"), std::string::npos);
}

// A plan starting inside the period does not cut a quota already for the days worked again when
// assignments say which days those are: A started 02-15 (45000 of 90000, flagged), the plan
// runs from 02-01, so all of A's assigned days are on the plan. B's whole-quarter quota is cut
// to the plan's 59 days. A target incentive given for the whole period is prorated by the days
// assigned either way.
TEST(Crediting, DaysProratedQuotaAndAPlanStartingMidPeriod) {
  const Plan p = parse_plan(R"({"id": "t", "effective": {"from": "2026-02-01", "to": "2027-01-01"},
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "rate_unit": "target_incentive", "tiers": [{"from": "0", "rate": "100"}]}]})");
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-02-15,\nB,2026-01-01,\n";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-03-01,45000\n"
                             "T2,B,2026-03-01,59000\n",
                          "payee_id,period_start,quota,target_incentive,days_prorated\n"
                          "A,2026-01-01,45000,10000,true\nB,2026-01-01,90000,9000,false\n",
                          "2026-Q1", extra);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("45000")) << dump(r);
  // 100% of the target for A's 45 of 90 days: 10000 x 45/90.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("5000"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "c", "quota"), dec("59000"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("5900"));  // 9000 x 59/90
}

}  // namespace
}  // namespace spm::comp::test
