// Draws and guarantees: pay brought up to the draw, the recoverable part recovered from later
// earnings (within the plan's limits), forgiven at plan-year end or on termination.
#include "lifecycle_test_support.hpp"

namespace spm::comp::test {
namespace {

// 10% of: Q1 10000, Q2 60000, Q3 40000.
constexpr std::string_view deals = R"(transaction_id,payee_id,date,amount
T1,A,2026-02-10,10000
T2,A,2026-05-10,60000
T3,A,2026-08-10,40000
)";

TEST(Draw, RecoverableIsRecoveredAboveTheDraw) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-09",
                             {.draws = "payee_id,from,to,amount,type\nA,2026-01-01,,3000,recoverable\n"});
  // Q1: earns 1000 < 3000: a 2000 draw, balance 2000.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"commission  1000.00", "draw  2000.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("3000"));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "draw_balance"), dec("2000"));
  // Q2: earns 6000; above the draw by 3000, so all 2000 is recovered: pay 4000 >= 3000.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"commission  6000.00", "draw_recovery  -2000.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "draw_balance"), dec("0"));
  // Q3: earns 4000, nothing owed.
  EXPECT_EQ(pay(r, "A", "2026-Q3"), dec("4000"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

TEST(Draw, RecoveryPercentAndLimit) {
  const auto r = settle_text(ten_percent(R"("draws": {"recovery_percent": "50"})"), deals, "",
                             "2026-01..2026-09",
                             {.draws = "payee_id,from,to,amount,type\nA,2026-01-01,,3000,recoverable\n"});
  // Q2: 50% of (6000 - 3000) = 1500 recovered, 500 left; Q3: 50% of 1000 = 500, balance 0.
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("4500"));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "draw_balance"), dec("500"));
  EXPECT_EQ(pay(r, "A", "2026-Q3"), dec("3500"));
  EXPECT_EQ(pay(r, "A", "2026-Q3", "draw_balance"), dec("0"));
  const auto capped = settle_text(ten_percent(R"("draws": {"recovery_limit_per_period": "800"})"),
                                  deals, "", "2026-01..2026-09",
                                  {.draws = "payee_id,from,to,amount,type\nA,2026-01-01,,3000,recoverable\n"});
  EXPECT_EQ(pay(capped, "A", "2026-Q2", "draw_recovered"), dec("-800"));
  EXPECT_EQ(pay(capped, "A", "2026-Q3", "draw_recovered"), dec("-800"));  // 1200 left, 1000 above
  EXPECT_EQ(pay(capped, "A", "2026-Q3", "draw_balance"), dec("400"));
}

TEST(Draw, NonRecoverableIsAGuarantee) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.draws = "payee_id,from,to,amount,type\nA,2026-01-01,2026-07-01,3000,non_recoverable\n"});
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"commission  1000.00", "guarantee  2000.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("6000"));  // nothing to recover
  EXPECT_EQ(pay(r, "A", "2026-Q1", "draw_balance"), dec("0"));
}

TEST(Draw, ForgivenAtYearEnd) {
  const auto r = settle_text(ten_percent(R"("draws": {"forgive": ["year_end"]})"), R"(transaction_id,payee_id,date,amount
T1,A,2026-11-10,10000
)", "", "2026-10..2026-12", {.draws = "payee_id,from,to,amount,type\nA,2026-10-01,,3000,recoverable\n"});
  EXPECT_EQ(pay_lines(r, "A", "2026-Q4"),
            (std::vector<std::string>{"commission  1000.00", "draw  2000.00", "draw_forgiven  0.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q4", "draw_balance"), dec("0"));
}

TEST(Draw, ProratedToTerminationAndForgiven) {
  const auto p = ten_percent(R"("draws": {"forgive": ["termination"]})");
  const Life life{.draws = "payee_id,from,to,amount,type\nA,2026-01-01,,3000,recoverable\n",
                  .terminations = "payee_id,date\nA,2026-05-16\n"};
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-04-10,5000
)", "", "2026-04..2026-06", life);
  // Q2 has 91 days; employed 2026-04-01..2026-05-16, 45 days: 3000 x 45 / 91 = 1483.52.
  // Earned 500: draw 983.52, forgiven on termination.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"commission  500.00", "draw  983.52", "draw_forgiven  0.00"}));
  // Business days: Q2 2026 has 65; 2026-04-01..2026-05-15 has 33: 3000 x 33 / 65 = 1523.08.
  const auto b = settle_text(ten_percent(R"("proration": "business_days")"), R"(transaction_id,payee_id,date,amount
T1,A,2026-04-10,5000
)", "", "2026-04..2026-06", life);
  EXPECT_EQ(pay(b, "A", "2026-Q2", "draw"), dec("1023.08"));
}

TEST(Draw, FullyRecoveredLeavesZero) {
  // Property: however the earnings fall, a balance fully recovered is exactly zero and the
  // draws paid equal the recoveries.
  const auto r = settle_text(ten_percent(), R"(transaction_id,payee_id,date,amount
T1,A,2026-02-10,1234.56
T2,A,2026-05-10,99999.99
)", "", "2026-01..2026-06", {.draws = "payee_id,from,to,amount,type\nA,2026-01-01,2026-04-01,3000,recoverable\n"});
  EXPECT_EQ(pay(r, "A", "2026-Q1", "draw"), dec("2876.54"));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "draw_recovered"), dec("-2876.54"));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "draw_balance"), dec("0"));
}

TEST(Draw, BalancesCarryIntoTheNextSettle) {
  // Settling Q1 alone leaves a 2,000 draw balance; Q2 settled on its own with that opening
  // balance pays what the whole half-year settle pays.
  const Life draws{.draws = "payee_id,from,to,amount,type\nA,2026-01-01,,3000,recoverable\n"};
  const auto q1 = settle_text(ten_percent(), deals, "", "2026-Q1", draws);
  EXPECT_EQ(pay(q1, "A", "2026-Q1", "draw_balance"), dec("2000"));
  Life next = draws;
  next.opening = "payee_id,draw_balance,owed\nA,2000,0\n";
  const auto q2 = settle_text(ten_percent(), deals, "", "2026-Q2", next);
  const auto both = settle_text(ten_percent(), deals, "", "2026-01..2026-06", draws);
  EXPECT_EQ(pay(q2, "A", "2026-Q2"), pay(both, "A", "2026-Q2"));
  EXPECT_EQ(pay(q2, "A", "2026-Q2", "draw_balance"), dec("0"));
  EXPECT_EQ(pay(q2, "A", "2026-Q2"), dec("4000"));
}

TEST(Draw, OverlappingDrawsAreRejected) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-03", {.draws = R"(payee_id,from,to,amount,type
A,2026-01-01,2026-06-01,3000,recoverable
A,2026-03-01,,1000,recoverable
A,2026-01-01,,1000,weekly
)"});
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{
                "draws 3  | type 'weekly' is not recoverable or non_recoverable",
                "draws 2  | overlaps the payee's draw from 2026-01-01; end one draw before the next starts"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("3000"));
}

}  // namespace
}  // namespace spm::comp::test
