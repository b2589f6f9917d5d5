// SPIFs (a fixed amount per qualifying credited transaction, scaled by the credit share) and
// step bonuses (a fixed amount per attainment step reached).
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view no_quotas = "payee_id,period_start,quota\n";

TEST(Spif, FilterAndSplitShare) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [
      {"id": "enterprise_spif", "type": "spif", "filter": {"product_id": "P-ENTS"},
       "amount": "1000"}])");
  Extra extra;
  extra.credits = R"(transaction_id,payee_id,percent
T3,A,40
T3,B,60
)";
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,product_id
T1,A,2026-01-10,50000,P-ENTS
T2,A,2026-02-15,80000,P-X
T3,A,2026-03-01,20000,P-ENTS
)",
                          no_quotas, "2026-Q1", extra);
  // A: T1 1000 in full; T3 40% of 1000 = 400. B: T3 60% of 1000 = 600. T2 does not qualify.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"spif T1  1000  1000.00", "spif T3  1000  400.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1"), (std::vector<std::string>{"", "credit share 40%"}));
  EXPECT_EQ(lines(r, "B", "2026-Q1"), std::vector<std::string>{"spif T3  1000  600.00"});
  EXPECT_EQ(notes(r, "B", "2026-Q1"), std::vector<std::string>{"credit share 60%"});
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("1400"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("600"));
  // A SPIF has no measure: its statement leaves measure, quota and attainment empty.
  const auto row = *statement_row(r, "A", "2026-Q1", "enterprise_spif");
  EXPECT_TRUE(r.statements.column("measure").is_null(row));
  EXPECT_TRUE(r.statements.column("quota").is_null(row));
}

// A return (negative amount) is not a sale: it earns no SPIF.
TEST(Spif, ReturnsEarnNothing) {
  const auto p = plan(R"("allow_negative": true, "measures": [{"id": "bookings"}], "components": [
      {"id": "s", "type": "spif", "filter": {"product_id": "P-ENTS"}, "amount": "1000"}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,product_id
T1,A,2026-01-10,50000,P-ENTS
R1,A,2026-02-10,-50000,P-ENTS
)",
                          no_quotas, "2026-Q1");
  EXPECT_EQ(lines(r, "A", "2026-Q1"), std::vector<std::string>{"spif T1  1000  1000.00"});
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("1000"));
}

// Several values for a column match any of them; several columns must all match.
TEST(Spif, FilterWithListsAndSeveralColumns) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [
      {"id": "s", "type": "spif", "amount": "250",
       "filter": {"product_id": ["P-ENTS", "P-PLUS"], "region": "EMEA"}}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,product_id,region
T1,A,2026-01-10,1,P-ENTS,EMEA
T2,A,2026-01-11,1,P-PLUS,EMEA
T3,A,2026-01-12,1,P-PLUS,AMER
T4,A,2026-01-13,1,P-X,EMEA
T5,A,2026-01-14,1,P-ENTS,
)",
                          no_quotas, "2026-Q1");
  // T1 and T2 qualify: 2 x 250 = 500; T3 (AMER), T4 (P-X), T5 (no region) do not.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"spif T1  250  250.00", "spif T2  250  250.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("500"));
}

// Without a filter every credited transaction qualifies; a 1/3 share of 100 rounds per line.
TEST(Spif, NoFilterAndSharesAddUp) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [
      {"id": "s", "type": "spif", "amount": "100"}])");
  Extra extra;
  extra.credits = R"(transaction_id,payee_id,percent
T1,A,33.333
T1,B,33.333
T1,C,33.334
)";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,9\n",
                          no_quotas, "2026-Q1", extra);
  // The SPIF is allocated over the split, like its amount: 33.333, 33.333, 33.334 to cents by
  // largest remainder, 33.33 + 33.33 + 33.34 = 100 (each rounded alone, 99.99 in all).
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("33.33"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("33.33"));
  EXPECT_EQ(statement(r, "C", "2026-Q1", "TOTAL"), dec("33.34"));
}

constexpr std::string_view step_plan = R"("measures": [{"id": "bookings"}], "components": [
    {"id": "steps", "type": "step_bonus", "measure": "bookings",
     "steps": [{"attainment_percent": "100", "to": "120", "amount": "1000"},
               {"attainment_percent": "120", "to": "150", "amount": "1500"},
               {"attainment_percent": "150", "amount": "2500"}]}])";

TEST(StepBonus, EachStepReachedPaysItsAmount) {
  struct Row {
    const char* amount;  // bookings against a quota of 100000
    std::vector<std::string> lines;
    const char* payout;
  };
  const std::vector<Row> rows = {
      {"99999.99", {}, "0.00"},                                        // 99.99%: no step
      {"100000", {"step     1000.00"}, "1000.00"},                     // exactly 100%: step 1
      {"130000", {"step     1000.00", "step     1500.00"}, "2500.00"},  // 130%: 1000 + 1500
      {"150000", {"step     1000.00", "step     1500.00", "step     2500.00"},
       "5000.00"},  // 150%: 1000 + 1500 + 2500
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.amount);
    const auto r = run_text(
        plan(step_plan),
        "transaction_id,payee_id,date,amount\nT1,A,2026-01-10," + std::string(row.amount) + "\n",
        "payee_id,period_start,quota\nA,2026-01-01,100000\n", "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"), row.lines) << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(row.payout));
  }
  const auto r = run_text(plan(step_plan),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,130000\n",
                          "payee_id,period_start,quota\nA,2026-01-01,100000\n", "2026-Q1");
  EXPECT_EQ(notes(r, "A", "2026-Q1"),
            (std::vector<std::string>{"reached 100% attainment", "reached 120% attainment"}));
}

// With a year-to-date true-up a step reached in Q1 and lost to Q2's quota is taken back.
TEST(StepBonus, TrueUpTakesBackALostStep) {
  const auto r = run_text(plan(step_plan, R"("true_up": "year_to_date")"),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,100000\n",
                          R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
)",
                          "2026-01..2026-06");
  // Q1 100%: 1000. Q2 year to date 100000 of 200000 = 50%: earned 0, paid 1000: -1000.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("1000"));
  EXPECT_EQ(lines(r, "A", "2026-Q2"), std::vector<std::string>{"true_up   0  -1000.00"});
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("-1000"));
}

// A payee on the plan for part of the window gets the bonus prorated by those days, exactly.
TEST(StepBonus, ProratedByDaysOnThePlan) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "bonus",
      "type": "step_bonus", "measure": "bookings",
      "steps": [{"attainment_percent": "100", "amount": "1000"}]}])");
  Extra e;
  e.assignments = "payee_id,from,to\nA,2026-02-15,\n";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-03-01,50000\n",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-Q1", e);
  // On the plan 45 of Q1's 90 days: quota 45,000, 50,000 = 111%; bonus 1,000 x 45/90 = 500.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("500"));
  EXPECT_EQ(notes(r, "A", "2026-Q1"),
            std::vector<std::string>{"reached 100% attainment; prorated 45/90 days on the plan"});
  const auto b = run_text(plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "bonus",
      "type": "step_bonus", "measure": "bookings",
      "steps": [{"attainment_percent": "100", "amount": "1000"}]}])", R"("proration": "business_days")"),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-03-01,50000\n",
                          "payee_id,period_start,quota\nA,2026-01-01,90000\n", "2026-Q1", e);
  // Business days: Q1 2026 has 64, 2026-02-15..03-31 has 32: 1,000 x 32/64 = 500; the quota is
  // 90,000 x 32/64 = 45,000 as well.
  EXPECT_EQ(notes(b, "A", "2026-Q1"),
            std::vector<std::string>{"reached 100% attainment; prorated 32/64 days on the plan"});
}

}  // namespace
}  // namespace spm::comp::test
