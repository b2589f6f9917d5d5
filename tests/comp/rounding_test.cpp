// Rounding: where (each earning line, or the payout only) and how (every mode, on exact ties).
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view no_quotas = "payee_id,period_start,quota\n";

// 10% of every amount, negative amounts allowed, rounding as given.
Plan ten_percent(std::string_view rounding, std::string_view currency = "USD") {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])",
              R"("allow_negative": true, "currency": ")" + std::string(currency) +
                  R"(", "rounding": )" + std::string(rounding));
}

// Three deals of 1.25 earn 0.125 each.
constexpr std::string_view three_ties = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1.25
T2,A,2026-01-11,1.25
T3,A,2026-01-12,1.25
)";

TEST(Rounding, EarningLineRoundsEachLine) {
  const auto r = run_text(ten_percent(R"({"mode": "half_even", "point": "earning_line"})"),
                          three_ties, no_quotas, "2026-Q1");
  // 0.125 -> 0.12 (half even) on each line: 0.12 x 3 = 0.36.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 1.25 10 0.12", "tier T2 1 1.25 10 0.12",
                                      "tier T3 1 1.25 10 0.12"}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0.36"));
}

TEST(Rounding, PayoutPointRoundsOnceAndShowsTheRounding) {
  const auto r = run_text(ten_percent(R"({"mode": "half_even", "point": "payout"})"), three_ties,
                          no_quotas, "2026-Q1");
  // Lines exact: 0.125 x 3 = 0.375 -> 0.38 (half even: 7 is odd), a rounding line of +0.005.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 1.25 10 0.125", "tier T2 1 1.25 10 0.125",
                                      "tier T3 1 1.25 10 0.125", "rounding   0.375  0.005"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[3], "payout rounded half_even to 2 places");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0.38"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "earnings"), dec("0.375"));
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

// Every mode on an exact tie, positive (1.25 x 10% = 0.125) and negative (-0.125), at both
// rounding points (one line, so both points give the same payout).
TEST(Rounding, EveryModeOnATie) {
  struct Row {
    const char* mode;
    const char* positive;
    const char* negative;
  };
  const std::vector<Row> rows = {
      {"half_even", "0.12", "-0.12"},            // to the even neighbour
      {"half_up", "0.13", "-0.12"},              // ties toward +infinity
      {"half_down", "0.12", "-0.13"},            // ties toward -infinity
      {"half_away_from_zero", "0.13", "-0.13"},  // ties away from zero
      {"half_toward_zero", "0.12", "-0.12"},     // ties toward zero
      {"down", "0.12", "-0.12"},                 // toward zero
      {"up", "0.13", "-0.13"},                   // away from zero
      {"floor", "0.12", "-0.13"},                // toward -infinity
      {"ceiling", "0.13", "-0.12"},              // toward +infinity
  };
  for (const auto& row : rows) {
    for (const char* point : {"earning_line", "payout"}) {
      SCOPED_TRACE(std::string(row.mode) + " at " + point);
      const auto p = ten_percent(std::string(R"({"mode": ")") + row.mode + R"(", "point": ")" +
                                 point + R"("})");
      const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1.25
T2,B,2026-01-10,-1.25
)",
                              no_quotas, "2026-Q1");
      EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(row.positive)) << dump(r);
      EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec(row.negative)) << dump(r);
      EXPECT_TRUE(lines_sum_to_payouts(r));
    }
  }
}

// Places default to the currency's minor units: yen round to whole units.
TEST(Rounding, PlacesFollowTheCurrency) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])",
                      R"("currency": "JPY")");
  EXPECT_EQ(p.rounding_places, 0);
  const auto r = run_text(
      p, "transaction_id,payee_id,date,amount,currency\nT1,A,2026-01-10,125,JPY\n", no_quotas,
      "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("12"));  // 12.5 -> 12 (half even)
  EXPECT_EQ(csv(r.lines),
            "payee_id,period,component,line,kind,transaction_id,date,credit,tier,base,rate,amount,"
            "note\n"
            "A,2026-Q1,c,1,tier,T1,2026-01-10,direct,1,125,10,12,\n");
  // Explicit places: 3 decimals for a USD plan that pays in tenths of a cent.
  const auto mills = ten_percent(R"({"mode": "half_up", "places": 3})");
  const auto m = run_text(mills, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,0.0125\n",
                          no_quotas, "2026-Q1");
  EXPECT_EQ(statement(m, "A", "2026-Q1", "TOTAL"), dec("0.001"));  // 0.00125 -> 0.001
}

}  // namespace
}  // namespace spm::comp::test
