// True-ups: each pay period pays the window's earnings (year or quarter to date) minus what the
// window already paid; a later quota can lower attainment and give a negative true-up.
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

std::string plan_body() {
  return R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                                       {"from": "100", "rate": "12"}]}])";
}

constexpr std::string_view quarterly_quotas = R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
A,2026-07-01,100000
)";

TEST(TrueUp, YearToDate) {
  const auto p = plan(plan_body(), R"("true_up": "year_to_date")");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
T2,A,2026-08-10,100000
)",
                          quarterly_quotas, "2026-01..2026-09");
  // Q1: 120000 of 100000 = 120%: 100000 x 8% + 20000 x 12% = 10400, paid 10400.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 100000 8 8000.00", "tier T1 2 20000 12 2400.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("10400"));
  // Q2: no deals; year to date 120000 of 200000 = 60%: 120000 x 8% = 9600; paid before 10400:
  // payout 9600 - 10400 = -800, one negative true-up line.
  EXPECT_EQ(lines(r, "A", "2026-Q2"), std::vector<std::string>{"true_up   9600  -800.00"});
  EXPECT_EQ(notes(r, "A", "2026-Q2"),
            std::vector<std::string>{
                "year_to_date: window earnings 9600 - paid before 10400 - lines above 0"});
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "earnings"), dec("9600"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "paid_before"), dec("10400"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "quota"), dec("200000"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "attainment_percent"), dec("60"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("-800"));
  // Q3: 220000 of 300000 = 73.33%: 220000 x 8% = 17600; paid before 10400 - 800 = 9600;
  // payout 8000, exactly T2's line 100000 x 8%, so no true-up line.
  EXPECT_EQ(lines(r, "A", "2026-Q3"), std::vector<std::string>{"tier T2 1 100000 8 8000.00"});
  EXPECT_EQ(statement(r, "A", "2026-Q3", "TOTAL"), dec("8000"));
  EXPECT_EQ(statement(r, "A", "2026-Q3", "commission", "paid_before"), dec("9600"));
  EXPECT_EQ(statement(r, "A", "2026-Q3", "commission", "attainment_percent"), dec("73.3333"));
  // The year's payouts add up to its window earnings: 10400 - 800 + 8000 = 17600.
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

// An annual quota paid quarterly ("quota_period": "year"): every window is measured against the
// whole year's quota, so the accelerator starts at 100% of the year, not of the quarters so far.
TEST(TrueUp, YearToDateAgainstAnAnnualQuota) {
  const auto p = plan(plan_body(), R"("true_up": "year_to_date", "quota_period": "year")");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,250000
T2,A,2026-05-10,200000
T3,A,2026-08-10,50000
)",
                          "payee_id,period_start,quota\nA,2026-01-01,400000\nA,2026-04-01,1\n",
                          "2026-01..2026-09");
  // The quarter row is not a year's first day: rejected, the annual row is used.
  ASSERT_EQ(r.rejects.num_rows(), 1u) << dump(r);
  EXPECT_EQ(r.rejects.strings("reason")[0],
            "period_start 2026-04-01 is not the first day of a year (the plan's quota_period)");
  // Q1: 250000 of 400000 = 62.5%, all at 8%: 20000.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "commission", "quota"), dec("400000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "commission", "attainment_percent"), dec("62.5"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("20000"));
  // Q2: 450000 of 400000 = 112.5%: T2's 150000 to the year's quota at 8%, 50000 above at 12%.
  EXPECT_EQ(lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"tier T2 1 150000 8 12000.00", "tier T2 2 50000 12 6000.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "commission", "attainment_percent"), dec("112.5"));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("18000"));
  // Q3: 500000 = 125%: 32000 + 100000 x 12% = 44000 for the year, 38000 paid before: T3 at 12%.
  EXPECT_EQ(lines(r, "A", "2026-Q3"), std::vector<std::string>{"tier T3 2 50000 12 6000.00"});
  EXPECT_EQ(statement(r, "A", "2026-Q3", "commission", "earnings"), dec("44000"));
  EXPECT_TRUE(lines_sum_to_payouts(r));
  // A version change inside a quota period would measure each part against a part of the
  // year's quota: refused.
  const auto v2 = [](std::string_view from, std::string_view to, int number) {
    return parse_plan(R"({"id": "t", "version": )" + std::to_string(number) +
                      R"(, "effective": {"from": ")" + std::string(from) + R"(", "to": ")" +
                      std::string(to) + R"("}, "quota_period": "year", )" + plan_body() + "}");
  };
  const std::vector<Plan> split{v2("2026-01-01", "2026-07-01", 1), v2("2026-07-01", "2027-01-01", 2)};
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-15,1\n");
  const io::Table q = table("payee_id,period_start,quota\nA,2026-01-01,400000\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(split, in, parse_run_range("2026", split.front())); }, "plan.versions",
      "[plan.versions] t version 2: it starts on 2026-07-01, inside a year of the plan's "
      "quota_period: attainment against the whole quota across a version change is not "
      "supported; start the version on the first day of a year, or give quotas per pay period; "
      "versions of one plan share id, currency, pay period and fiscal year start, and follow one "
      "another without overlap"));
  // Quotas for a period shorter than the pay period are refused.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)plan(plan_body(), R"("quota_period": "month")"); }, "plan.invalid",
      "[plan.invalid] t: 1 problem in the plan; nothing was computed:\n  quota_period: must be "
      "the pay period or longer (quotas for a whole quarter at least)"));
}

// A later quota lowers attainment below a tier the window had reached: the true-up takes back
// the accelerator.
TEST(TrueUp, YearToDateLowerAttainmentGivesNegativeLine) {
  const auto p = plan(plan_body(), R"("true_up": "year_to_date")");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
T2,A,2026-05-10,40000
)",
                          quarterly_quotas, "2026-01..2026-06");
  // Q2: 160000 of 200000 = 80%: 160000 x 8% = 12800; paid before 10400; payout 2400.
  // T2's line 40000 x 8% = 3200, then the true-up 2400 - 3200 = -800 (Q1's 20000 x 4% uplift).
  EXPECT_EQ(lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"tier T2 1 40000 8 3200.00", "true_up   12800  -800.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("2400"));
}

// A run of a later period alone computes the earlier periods of the window to know what they
// paid, and reports only its own.
TEST(TrueUp, RunOfOnePeriodKnowsWhatWasPaid) {
  const auto p = plan(plan_body(), R"("true_up": "year_to_date")");
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
T2,A,2026-05-10,40000
)";
  const auto whole = run_text(p, tx, quarterly_quotas, "2026-01..2026-06");
  const auto q2 = run_text(p, tx, quarterly_quotas, "2026-Q2");
  EXPECT_FALSE(statement_row(q2, "A", "2026-Q1", "TOTAL"));
  EXPECT_EQ(statement(q2, "A", "2026-Q2", "TOTAL"), dec("2400"));
  EXPECT_EQ(lines(q2, "A", "2026-Q2"), lines(whole, "A", "2026-Q2"));
}

TEST(TrueUp, QuarterToDate) {
  const auto p = plan(plan_body(), R"("pay_period": "month", "true_up": "quarter_to_date")");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,36000
T2,A,2026-02-10,6000
T3,A,2026-04-20,10000
)",
                          R"(payee_id,period_start,quota
A,2026-01-01,30000
A,2026-02-01,30000
A,2026-03-01,30000
A,2026-04-01,30000
)",
                          "2026-01..2026-04");
  // January: 36000 of 30000 = 120%: 30000 x 8% + 6000 x 12% = 2400 + 720 = 3120.
  EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("3120"));
  // February: quarter to date 42000 of 60000 = 70%: 42000 x 8% = 3360; paid 3120; payout 240:
  // T2 6000 x 8% = 480 and a true-up of -240 (January's 6000 x 4% uplift).
  EXPECT_EQ(lines(r, "A", "2026-M02"),
            (std::vector<std::string>{"tier T2 1 6000 8 480.00", "true_up   3360  -240.00"}));
  EXPECT_EQ(statement(r, "A", "2026-M02", "TOTAL"), dec("240"));
  EXPECT_EQ(notes(r, "A", "2026-M02")[1],
            "quarter_to_date: window earnings 3360 - paid before 3120 - lines above 480");
  // March: 42000 of 90000: 3360, all paid: 0, no lines.
  EXPECT_EQ(statement(r, "A", "2026-M03", "TOTAL"), dec("0"));
  EXPECT_TRUE(lines(r, "A", "2026-M03").empty());
  // April starts a new quarter: 10000 x 8% = 800, nothing paid before.
  EXPECT_EQ(statement(r, "A", "2026-M04", "TOTAL"), dec("800"));
  EXPECT_EQ(statement(r, "A", "2026-M04", "commission", "paid_before"), dec("0"));
  EXPECT_EQ(statement(r, "A", "2026-M04", "commission", "quota"), dec("30000"));
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

// The year-to-date window restarts with the plan year (fiscal years starting in February here).
TEST(TrueUp, YearToDateRestartsWithTheFiscalYear) {
  const auto p = parse_plan(R"({"id": "t", "effective": {"from": "2025-02-01", "to": "2027-02-01"},
      "fiscal_year_start_month": 2, "true_up": "year_to_date",
      "measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                                       {"from": "100", "rate": "12"}]}]})");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,120000
T2,A,2026-02-10,50000
)",
                          R"(payee_id,period_start,quota
A,2025-02-01,25000
A,2025-05-01,25000
A,2025-08-01,25000
A,2025-11-01,25000
A,2026-02-01,100000
)",
                          "2025-11-01..2026-05-01");
  // Last quarter of the fiscal year ending January 2026: year to date 120000 of 100000 = 120%:
  // 100000 x 8% + 20000 x 12% = 10400, nothing paid before.
  EXPECT_EQ(statement(r, "A", "FY2026-Q4", "TOTAL"), dec("10400")) << dump(r);
  // First quarter of the next fiscal year starts over: 50000 of 100000, 50000 x 8% = 4000.
  EXPECT_EQ(statement(r, "A", "FY2027-Q1", "TOTAL"), dec("4000")) << dump(r);
  EXPECT_EQ(statement(r, "A", "FY2027-Q1", "commission", "paid_before"), dec("0"));
}

}  // namespace
}  // namespace spm::comp::test
