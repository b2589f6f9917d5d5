// Caps (per transaction, period, year, attainment), floors, gates and multipliers.
// Lines read "kind tx tier base rate amount".
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view quotas_2026 = R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
A,2026-07-01,100000
A,2026-10-01,100000
)";

// A flat 10% commission on bookings with `extra` fields (limits, gates, ...).
Plan flat_10(std::string_view extra, std::string_view head = "") {
  return plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}])") +
                  (extra.empty() ? "" : ", ") + std::string(extra) + "}]",
              head);
}

TEST(Limits, CapPerTransaction) {
  const auto r = run_text(flat_10(R"("limits": {"cap_per_transaction": "5000"})"),
                          R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,60000
T2,A,2026-02-10,30000
)",
                          quotas_2026, "2026-Q1");
  // T1 60000 x 10% = 6000, capped at 5000 (-1000); T2 30000 x 10% = 3000; total 8000.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 60000 10 6000.00", "cap T1    -1000.00",
                                      "tier T2 1 30000 10 3000.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[1], "per-transaction cap 5000");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("8000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "earnings"), dec("8000"));
}

TEST(Limits, CapPerPeriod) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,60000
T2,A,2026-02-10,30000
)";
  {
    // 90000 x 10% = 9000 earned, 8000 paid (-1000); without a true-up the excess is lost.
    const auto r = run_text(flat_10(R"("limits": {"cap_per_period": "8000"})"), tx, quotas_2026,
                            "2026-01..2026-06");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 1 60000 10 6000.00",
                                        "tier T2 1 30000 10 3000.00", "cap     -1000.00"}));
    EXPECT_EQ(notes(r, "A", "2026-Q1")[2], "cap per period 8000");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "earnings"), dec("9000"));
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("8000"));
    EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("0"));
  }
  {
    // With a year-to-date true-up the excess stays earned: Q2 pays 9000 - 8000 = 1000.
    const auto r = run_text(flat_10(R"("limits": {"cap_per_period": "8000"})",
                                    R"("true_up": "year_to_date")"),
                            tx, quotas_2026, "2026-01..2026-06");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("8000"));
    EXPECT_EQ(notes(r, "A", "2026-Q1")[2],
              "cap per period 8000; the excess stays earned and is paid by a later true-up if "
              "room remains");
    EXPECT_EQ(lines(r, "A", "2026-Q2"), std::vector<std::string>{"true_up   9000  1000.00"});
    EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("1000"));
  }
}

TEST(Limits, CapPerYear) {
  // Amount basis: no quota needed. Plan years 2026 and 2027.
  const auto p = parse_plan(R"({"id": "t", "effective": {"from": "2026-01-01", "to": "2028-01-01"},
      "measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}],
      "limits": {"cap_per_year": "10000"}}]})");
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-02-15,80000
T2,A,2026-05-10,60000
T3,A,2026-08-01,10000
T4,A,2027-01-10,10000
)";
  const auto r = run_text(p, tx, "payee_id,period_start,quota\n", "2026-01-01..2027-04-01");
  // Q1 8000 (room 10000). Q2 6000 earned, room 10000 - 8000 = 2000: cap -4000. Q3 1000 earned,
  // room 0: cap -1000. 2027-Q1 is a new year: 1000.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("8000"));
  EXPECT_EQ(lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"tier T2 1 60000 10 6000.00", "cap     -4000.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q2")[1], "yearly cap 10000");
  EXPECT_EQ(statement(r, "A", "2026-Q2", "TOTAL"), dec("2000"));
  EXPECT_EQ(statement(r, "A", "2026-Q3", "TOTAL"), dec("0"));
  EXPECT_EQ(statement(r, "A", "2026-Q4", "TOTAL"), dec("0"));
  EXPECT_EQ(statement(r, "A", "2027-Q1", "TOTAL"), dec("1000"));
  // Run of 2026-Q3 alone: the engine computes the year from January to know what was paid.
  const auto q3 = run_text(p, tx, "payee_id,period_start,quota\n", "2026-Q3");
  EXPECT_EQ(lines(q3, "A", "2026-Q3"),
            (std::vector<std::string>{"tier T3 1 10000 10 1000.00", "cap     -1000.00"}));
  // With a year-to-date true-up the year's window earnings are capped: 150000 x 10% = 15000
  // earned by Q3, 10000 paid over the year.
  const auto ytd = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}], "limits": {"cap_per_year": "10000"}}])",
                        R"("true_up": "year_to_date")");
  const auto y = run_text(ytd, tx.substr(0, tx.find("T4")), "payee_id,period_start,quota\n",
                          "2026");
  EXPECT_EQ(statement(y, "A", "2026-Q1", "TOTAL"), dec("8000"));
  EXPECT_EQ(statement(y, "A", "2026-Q2", "TOTAL"), dec("2000"));
  EXPECT_EQ(statement(y, "A", "2026-Q3", "TOTAL"), dec("0"));
  EXPECT_EQ(statement(y, "A", "2026-Q3", "c", "earnings"), dec("10000"));
  EXPECT_TRUE(lines_sum_to_payouts(y));
}

// Attainment above the cap earns nothing more, in every tier mode and whatever the basis.
TEST(Limits, AttainmentCap) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,90000
T2,A,2026-03-05,60000
)";
  struct Row {
    const char* mode;
    const char* basis;
    const char* tiers;
    std::vector<std::string> lines;
    const char* payout;
  };
  const std::vector<Row> rows = {
      // marginal: T1 90000 x 5% = 4500; T2 10000 x 5% = 500, 20000 x 10% = 2000, the 30000
      // above 120% at 0; total 7000.
      {"marginal", "attainment_percent",
       R"([{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "10"}])",
       {"tier T1 1 90000 5 4500.00", "tier T2 1 10000 5 500.00", "tier T2 2 20000 10 2000.00",
        "tier T2 3 30000 0 0.00"},
       "7000.00"},
      // retroactive: 150% is counted as 120%: 120000 x 10% = 12000; T1 90000 x 5% = 4500;
      // T2 takes 90000 to 120000: 30000 x 10% = 3000 + uplift 90000 x 5% = 4500.
      {"retroactive", "attainment_percent",
       R"([{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "10"}])",
       {"tier T1 1 90000 5 4500.00", "tier T2 2 30000 10 3000.00", "retro T2 2 90000 5 4500.00"},
       "12000.00"},
      // interpolated (5% -> 10% over 100-200%): at the 120% cap 5 + 5 x 20/100 = 6%:
      // 120000 x 6% = 7200 (uncapped, 150%: 150000 x 7.5% = 11250). T1 at 90% earns 90000 x 5%.
      {"interpolated", "attainment_percent",
       R"([{"from": "0", "to": "100", "rate": "5", "rate_to": "5"},
           {"from": "100", "to": "200", "rate": "5", "rate_to": "10"},
           {"from": "200", "rate": "10"}])",
       {"tier T1 1 90000 5 4500.00", "tier T2 2 30000 6 1800.00", "retro T2 2 90000 1 900.00"},
       "7200.00"},
      // flat 10%: 120000 x 10% = 12000.
      {"flat", "attainment_percent", R"([{"from": "0", "rate": "10"}])",
       {"tier T1 1 90000 10 9000.00", "tier T2 1 30000 10 3000.00"}, "12000.00"},
      // amount tiers: the cap is still a percent of quota, 120% of 100000 = 120000 x 10%.
      {"flat", "amount", R"([{"from": "0", "rate": "10"}])",
       {"tier T1 1 90000 10 9000.00", "tier T2 1 30000 10 3000.00"}, "12000.00"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(row.mode) + " / " + row.basis);
    const auto p = plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                        R"("id": "c", "measure": "bookings", "mode": ")" + row.mode +
                        R"(", "basis": ")" + row.basis + R"(", "tiers": )" + row.tiers +
                        R"(, "limits": {"attainment_cap_percent": "120"}}])");
    const auto r = run_text(p, tx, quotas_2026, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"), row.lines) << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(row.payout));
  }
}

TEST(Limits, FloorPerPeriod) {
  const auto r = run_text(flat_10(R"("limits": {"floor_per_period": "1000"})"),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,4000\n",
                          quotas_2026, "2026-Q1");
  // 4000 x 10% = 400 earned; the floor adds 600 to pay 1000.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 4000 10 400.00", "floor     600.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[1], "floor per period 1000");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "earnings"), dec("400"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("1000"));
}

TEST(Gates, NoPayBelowTheThreshold) {
  const auto p = flat_10(
      R"("gates": [{"measure": "bookings", "min_attainment_percent": "50", "window": "period"}])");
  {
    // 40000 of 100000 = 40% < 50%: the 4000 earned is taken back.
    const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,40000\n",
                            quotas_2026, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 1 40000 10 4000.00", "gate     -4000.00"}));
    EXPECT_EQ(notes(r, "A", "2026-Q1")[1], "gate: bookings attainment 40% < 50%, no pay");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0"));
  }
  {
    // Exactly 50% passes: 50000 x 10% = 5000.
    const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,50000\n",
                            quotas_2026, "2026-Q1");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("5000"));
  }
}

// A gate on the measure's value (an SDR paid per meeting once 10 meetings are held): no quota.
TEST(Gates, OnTheMeasuresValue) {
  const auto p = plan(R"("pay_period": "month", "measures": [{"id": "meetings", "count": true}],
      "components": [{"id": "c", "measure": "meetings", "basis": "amount", "mode": "flat",
        "rate_unit": "per_deal", "tiers": [{"from": "0", "rate": "50"}],
        "gates": [{"measure": "meetings", "min_value": "10", "window": "period"}]}])");
  std::string tx = "transaction_id,payee_id,date,amount\n";
  for (int k = 0; k < 19; ++k) {
    tx += "M" + std::to_string(k) + (k < 9 ? ",A" : ",B") + ",2026-01-" + std::to_string(10 + k % 9) + ",1\n";
  }
  const auto r = run_text(p, tx, "payee_id,period_start,quota\n", "2026-01");
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-M01", "TOTAL"), dec("0"));  // 9 meetings < 10
  EXPECT_EQ(notes(r, "A", "2026-M01").back(), "gate: meetings 9 < 10, no pay");
  EXPECT_EQ(statement(r, "B", "2026-M01", "TOTAL"), dec("500"));  // 10 x 50
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] {
        (void)plan(R"("measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b",
            "tiers": [{"from": "0", "rate": "1"}], "gates": [{"measure": "b", "min_value": "1",
            "min_attainment_percent": "50"}]}])");
      },
      "plan.invalid",
      "[plan.invalid] t: 1 problem in the plan; nothing was computed:\n  "
      "components[0].gates[0].min_value: give min_attainment_percent or min_value, not both"));
}

TEST(Gates, NoAcceleratorPaysTheBaseRate) {
  const auto p = plan(R"("quota_measure": "bookings",
      "measures": [{"id": "bookings"}, {"id": "new_logo", "filter": {"type": "new"}}],
      "components": [{"id": "c", "measure": "bookings",
        "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "rate": "12"}],
        "gates": [{"measure": "new_logo", "min_attainment_percent": "100", "window": "period",
                   "effect": "no_accelerator"}]}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,type
T1,A,2026-01-15,100000,renewal
T2,A,2026-02-15,20000,new
)",
                          R"(payee_id,period_start,quota,measure
A,2026-01-01,100000,
A,2026-01-01,40000,new_logo
)",
                          "2026-Q1");
  // bookings 120000 of 100000: 100000 x 8% + 20000 x 12% = 10400. new_logo 20000 of 40000 = 50%
  // < 100%: no accelerator, 120000 x 8% = 9600, so the gate takes 800.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 100000 8 8000.00", "tier T2 2 20000 12 2400.00",
                                      "gate     -800.00"}))
      << dump(r);
  EXPECT_EQ(notes(r, "A", "2026-Q1")[2],
            "gate: new_logo attainment 50% < 100%, no accelerator: measure at base rate 8");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("9600"));
}

// A period gate looks at the pay period's attainment, a year gate at the year to date.
TEST(Gates, PeriodVersusYearWindow) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-02-15,100000
T2,A,2026-05-10,20000
)";
  const auto gate = [](const char* window) {
    return flat_10(std::string(R"("gates": [{"measure": "bookings", "min_attainment_percent": "60",
                                             "window": ")") + window + R"("}])");
  };
  // Q2 alone: 20000 of 100000 = 20% < 60%: no pay.
  const auto period = run_text(gate("period"), tx, quotas_2026, "2026-01..2026-06");
  EXPECT_EQ(statement(period, "A", "2026-Q1", "TOTAL"), dec("10000"));
  EXPECT_EQ(statement(period, "A", "2026-Q2", "TOTAL"), dec("0"));
  // Year to date at Q2: 120000 of 200000 = 60%: passes, 20000 x 10% = 2000.
  const auto year = run_text(gate("year"), tx, quotas_2026, "2026-01..2026-06");
  EXPECT_EQ(statement(year, "A", "2026-Q1", "TOTAL"), dec("10000"));
  EXPECT_EQ(statement(year, "A", "2026-Q2", "TOTAL"), dec("2000"));
  // The default window is the year.
  const auto by_default = run_text(
      flat_10(R"("gates": [{"measure": "bookings", "min_attainment_percent": "60"}])"), tx,
      quotas_2026, "2026-Q2");
  EXPECT_EQ(statement(by_default, "A", "2026-Q2", "TOTAL"), dec("2000"));
}

// A gate holds back every kind of component, not only rate tables.
TEST(Gates, ApplyToStepBonusesAndSpifs) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [
      {"id": "steps", "type": "step_bonus", "measure": "bookings",
       "steps": [{"attainment_percent": "10", "amount": "500"}],
       "gates": [{"measure": "bookings", "min_attainment_percent": "50", "window": "period"}]},
      {"id": "spif", "type": "spif", "amount": "100",
       "gates": [{"measure": "bookings", "min_attainment_percent": "50", "window": "period"}]}])");
  // 40% < 50%: the 500 step and the 100 SPIF are both held back.
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,40000\n",
                          quotas_2026, "2026-Q1");
  EXPECT_EQ(lines(r, "A", "2026-Q1", "steps"),
            (std::vector<std::string>{"step     500.00", "gate     -500.00"}));
  EXPECT_EQ(lines(r, "A", "2026-Q1", "spif"),
            (std::vector<std::string>{"spif T1  100  100.00", "gate     -100.00"}));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0"));
}

constexpr std::string_view margin_plan = R"("quota_measure": "bookings",
    "measures": [{"id": "bookings"}, {"id": "margin", "sum": "margin"}],
    "components": [{"id": "c", "measure": "bookings", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}],
      "multipliers": [)";
constexpr std::string_view margin_kicker = R"({"id": "margin_kicker", "measure": "margin",
      "table": [{"from": "0", "to": "80", "factor": "0.5"},
                {"from": "80", "to": "100", "factor": "1"}, {"from": "100", "factor": "1.2"}]})";
constexpr std::string_view mbo = R"({"id": "mbo", "score": "mbo",
      "table": [{"from": "0", "to": "3", "factor": "0.8"}, {"from": "3", "to": "4", "factor": "1"},
                {"from": "4", "factor": "1.25"}]})";
constexpr std::string_view margin_tx = R"(transaction_id,payee_id,date,amount,margin
T1,A,2026-01-15,100000,25000
)";
constexpr std::string_view margin_quotas = R"(payee_id,period_start,quota,measure
A,2026-01-01,100000,bookings
A,2026-01-01,20000,margin
)";
constexpr std::string_view scores = R"(payee_id,period_start,score,value
A,2026-01-01,mbo,4.5
)";

TEST(Multipliers, ByMeasureAttainment) {
  const auto p = plan(std::string(margin_plan) + std::string(margin_kicker) + "]}]");
  const auto r = run_text(p, margin_tx, margin_quotas, "2026-Q1");
  // 100000 x 10% = 10000; margin 25000 of 20000 = 125% -> x1.2: + 10000 x 0.2 = 2000.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 100000 10 10000.00", "multiplier   10000  2000.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[1], "margin_kicker 125 -> x1.2 (factor 1.2)");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("12000"));
}

TEST(Multipliers, ByScore) {
  const auto p = plan(std::string(margin_plan) + std::string(mbo) + "]}]");
  Extra extra;
  extra.scores = scores;
  const auto r = run_text(p, margin_tx, margin_quotas, "2026-Q1", extra);
  // Score 4.5 -> x1.25: 10000 x 0.25 = 2500.
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 100000 10 10000.00", "multiplier   10000  2500.00"}));
  EXPECT_EQ(notes(r, "A", "2026-Q1")[1], "mbo 4.5 -> x1.25 (factor 1.25)");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("12500"));
}

TEST(Multipliers, CombineMultiplyOrAdd) {
  Extra extra;
  extra.scores = scores;
  const std::string both = std::string(margin_kicker) + ", " + std::string(mbo) + "]";
  {
    // multiply: 1.2 x 1.25 = 1.5: 10000 x 0.5 = 5000.
    const auto r = run_text(plan(std::string(margin_plan) + both + "}]"), margin_tx,
                            margin_quotas, "2026-Q1", extra);
    EXPECT_EQ(lines(r, "A", "2026-Q1")[1], "multiplier   10000  5000.00");
    EXPECT_EQ(notes(r, "A", "2026-Q1")[1],
              "margin_kicker 125 -> x1.2, mbo 4.5 -> x1.25 (factor 1.5)");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("15000"));
  }
  {
    // add: 1 + 0.2 + 0.25 = 1.45: 10000 x 0.45 = 4500.
    const auto r = run_text(plan(std::string(margin_plan) + both + R"(, "combine": "add"}])"),
                            margin_tx, margin_quotas, "2026-Q1", extra);
    EXPECT_EQ(lines(r, "A", "2026-Q1")[1], "multiplier   10000  4500.00");
    EXPECT_EQ(notes(r, "A", "2026-Q1")[1],
              "margin_kicker 125 -> x1.2, mbo 4.5 -> x1.25 (factor 1.45)");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("14500"));
  }
}

// A factor row is [from, to): a score of exactly 4 takes the 1.25 row; 2.99 takes 0.8.
TEST(Multipliers, RowBoundaries) {
  const auto p = plan(std::string(margin_plan) + std::string(mbo) + "]}]");
  for (const auto& [score, payout] : {std::pair{"4", "12500"}, std::pair{"3.99", "10000"},
                                      std::pair{"2.99", "8000"}, std::pair{"0", "8000"}}) {
    const std::string s = "payee_id,period_start,score,value\nA,2026-01-01,mbo," +
                          std::string(score) + "\n";
    Extra extra;
    extra.scores = s;
    const auto r = run_text(p, margin_tx, margin_quotas, "2026-Q1", extra);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(payout)) << "score " << score;
  }
}

// Outside its rows a factor table keeps the nearest row's factor (not 0, which would wipe the
// earnings): rows [1, 3) x0.8 and [3, 5) x1.2; a score of 5 or 7 takes 1.2, 0.5 takes 0.8.
TEST(Multipliers, ValuesOutsideTheTableTakeTheNearestRow) {
  const auto p = plan(std::string(margin_plan) + R"({"id": "mbo", "score": "mbo",
      "table": [{"from": "1", "to": "3", "factor": "0.8"},
                {"from": "3", "to": "5", "factor": "1.2"}]}]}])");
  for (const auto& [score, payout] : {std::pair{"5", "12000"}, std::pair{"7", "12000"},
                                      std::pair{"0.5", "8000"}, std::pair{"-1", "8000"}}) {
    const std::string s = "payee_id,period_start,score,value\nA,2026-01-01,mbo," +
                          std::string(score) + "\n";
    Extra extra;
    extra.scores = s;
    const auto r = run_text(p, margin_tx, margin_quotas, "2026-Q1", extra);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(payout)) << "score " << score;
  }
}

}  // namespace
}  // namespace spm::comp::test
