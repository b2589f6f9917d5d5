// Returns (negative amounts) against tiers and caps, and rounding of a true-up window's pay: a
// returned deal takes back what it paid, no more and no less. Lines read "kind tx tier base
// rate amount".
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view no_quotas = "payee_id,period_start,quota\n";
constexpr std::string_view sale_and_return = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,15000
T1-R,A,2026-02-10,-15000
)";

// One component on bookings (amount tiers) with `fields`, negatives allowed.
Plan amounts(std::string_view fields) {
  return plan(R"("allow_negative": true, "measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", )" + std::string(fields) + "}]");
}

TEST(Returns, PerTransactionReturnMirrorsTheSale) {
  const std::string tiers = R"("tiers": [{"from": "0", "to": "10000", "rate": "5"}, {"from": "10000", "rate": "8"}])";
  // Marginal: 10000 x 5% + 5000 x 8% = 900 each way (from zero down it would be 15000 x 5%).
  const auto r = run_text(amounts(R"("processing": "per_transaction", )" + tiers), sale_and_return,
                          no_quotas, "2026-Q1");
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 10000 5 500.00", "tier T1 2 5000 8 400.00",
                                      "tier T1-R 1 -10000 5 -500.00", "tier T1-R 2 -5000 8 -400.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[2], "a return, priced as the sale of its size, negated");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0"));
  // Retroactive: 15000 x 8% = 1200 each way.
  const auto retro = run_text(amounts(R"("processing": "per_transaction", "mode": "retroactive", )" + tiers),
                              sale_and_return, no_quotas, "2026-Q1");
  EXPECT_EQ(lines(retro, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 2 15000 8 1200.00", "tier T1-R 2 -15000 8 -1200.00"}));
  EXPECT_TRUE(lines_sum_to_payouts(retro));
}

TEST(Returns, PerTransactionCapBoundsAReturn) {
  const std::string flat = R"("mode": "flat", "tiers": [{"from": "0", "rate": "10"}], "limits": {"cap_per_transaction": "1000"})";
  for (const std::string processing : {"per_transaction", "running_total"}) {
    // The sale earns 1500, cut to 1000; its return takes back 1000, not 1500.
    const auto r = run_text(amounts(R"("processing": ")" + processing + "\", " + flat), sale_and_return,
                            no_quotas, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 1 15000 10 1500.00", "cap T1    -500.00",
                                        "tier T1-R 1 -15000 10 -1500.00", "cap T1-R    500.00"}))
        << processing;
    EXPECT_EQ(notes(r, "A", "2026-Q1")[3], "per-transaction cap 1000 (a return takes back at most the cap)");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0")) << processing;
  }
}

TEST(Returns, YearlyCapReturnComesOutOfWhatTheCapHeldBack) {
  const auto p = amounts(R"("mode": "flat", "tiers": [{"from": "0", "rate": "10"}], "limits": {"cap_per_year": "10000"})");
  // Q1 earns 12000, paid 10000 (2000 held back). A Q2 return of 5000 (-500) leaves the year at
  // 11500 earned, still above the cap: Q2 pays 0. A bigger one (-3000) leaves 9000: Q2 pays -1000.
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-02-10,120000
R1,A,2026-05-10,-5000
)", no_quotas, "2026-01-01..2026-07-01");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("10000"));
  EXPECT_EQ(lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"tier R1 1 -5000 10 -500.00", "cap     500.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q2")[1], "yearly cap 10000 (a return taken out of earnings the cap held back)");
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("0"));
  const auto big = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-02-10,120000
R1,A,2026-05-10,-30000
T2,A,2026-08-10,50000
)", no_quotas, "2026-01-01..2026-10-01");
  EXPECT_EQ(statement(big, "A", "2026-Q2", "TOTAL"), dec("-1000"));
  // Q3: 5000 more earned, the year at 14000: room 10000 - 9000 = 1000.
  EXPECT_EQ(statement(big, "A", "2026-Q3", "TOTAL"), dec("1000"));
  EXPECT_TRUE(lines_sum_to_payouts(big));
}

TEST(Returns, YearlyCapHeldBackInATrueUpWindowCountsOnce) {
  // Monthly pay with a quarter-to-date true-up: the cap holds back within the quarter's window;
  // the next quarter sees what the whole window held back, once.
  const auto p = plan(R"("allow_negative": true, "pay_period": "month", "true_up": "quarter_to_date",
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}],
      "limits": {"cap_per_year": "10000"}}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,80000
T2,A,2026-02-10,40000
R1,A,2026-04-10,-10000
)", no_quotas, "2026-01-01..2026-05-01");
  // Q1 earned 12000 (held back 2000), paid 8000 + 2000. April's return of 1000 is out of it.
  EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("8000"));
  EXPECT_EQ(statement(r, "A", "2026-M02", "TOTAL"), dec("2000"));
  EXPECT_EQ(statement(r, "A", "2026-M03", "TOTAL"), dec("0"));
  EXPECT_EQ(statement(r, "A", "2026-M04", "TOTAL"), dec("0"));
}

TEST(Returns, YearlyCapHeldBackIsNeverPaidOutOtherwise) {
  // A per-period cap keeps January at 80 of 150 earned, under a yearly cap of 100 (50 held back
  // by the yearly cap). February earns nothing: it pays 0, not the room the year has left; a
  // return of 300 (-30) comes out of what was held back: 0 too.
  const auto p = plan(R"("allow_negative": true, "pay_period": "month", "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount", "processing": "per_transaction",
      "tiers": [{"from": "0", "rate": "10"}], "limits": {"cap_per_year": "100", "cap_per_period": "80"}}])");
  for (const std::string feb : {"", "R1,A,2026-02-10,-300\n"}) {
    const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1500\n" + feb,
                            no_quotas, "2026-01..2026-03");
    EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("80")) << feb;
    EXPECT_EQ(statement(r, "A", "2026-M02", "TOTAL"), dec("0")) << feb;
    EXPECT_EQ(statement(r, "A", "2026-M03", "TOTAL"), dec("0")) << feb;
  }
}

TEST(Returns, YearlyCapHeldBackSurvivesAMonthOffThePlan) {
  // Quarter-to-date true-up; the payee is off the plan in March, the window's last month.
  const auto p = plan(R"("allow_negative": true, "pay_period": "month", "true_up": "quarter_to_date",
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "basis": "amount", "processing": "per_transaction", "tiers": [{"from": "0", "rate": "10"}],
      "limits": {"cap_per_year": "100"}}])");
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-01-01,2026-03-01\nA,2026-04-01,2027-01-01\n";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1500\nR1,A,2026-04-10,-300\n",
                          no_quotas, "2026-01..2026-04", extra);
  EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("100"));  // 150 earned, 50 held back
  EXPECT_EQ(statement(r, "A", "2026-M04", "TOTAL"), dec("0"));    // the -30 comes out of the 50
}

TEST(Returns, NoAcceleratorGateKeepsAnInterpolatedFirstTier) {
  // The first tier climbs from 4% to 8% at 100%: below quota there is no accelerator to remove.
  const auto p = plan(R"("measures": [{"id": "bookings"}, {"id": "services", "filter": {"type": "services"}}],
      "components": [{"id": "c", "measure": "bookings", "mode": "interpolated",
      "tiers": [{"from": "0", "to": "100", "rate": "4"}, {"from": "100", "to": "150", "rate": "8", "rate_to": "12"},
                {"from": "150", "rate": "12"}],
      "gates": [{"measure": "services", "min_value": "1", "window": "period", "effect": "no_accelerator"}]}])");
  constexpr std::string_view quotas = "payee_id,period_start,quota,measure\nA,2026-01-01,100000,bookings\nB,2026-01-01,100000,bookings\n";
  // No services sold: the gate fails for both.
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,type
T1,A,2026-01-10,90000,licence
T2,B,2026-01-10,130000,licence
)", quotas, "2026-Q1");
  // A at 90%: 90000 x 7.6% = 6840, untouched. B at 130%: 10.4% gated to 8%: 10400.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("6840"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("10400"));
}

TEST(Returns, PayoutRoundingRoundsTheWindowOnce) {
  // Monthly pay, quarter-to-date true-up, rounded once per payout half-even: the quarter pays
  // round(0.425) = 0.42 in all, not 0.12 + 0.13 + round(0.175) = 0.43.
  const auto p = plan(R"("pay_period": "month", "true_up": "quarter_to_date",
      "rounding": {"mode": "half_even", "places": 2, "point": "payout"},
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "0.5"}]}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,25
T2,A,2026-02-10,25
T3,A,2026-03-10,35
)", no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("0.12"));
  EXPECT_EQ(statement(r, "A", "2026-M02", "TOTAL"), dec("0.13"));
  EXPECT_EQ(statement(r, "A", "2026-M03", "TOTAL"), dec("0.17"));
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

}  // namespace
}  // namespace spm::comp::test
