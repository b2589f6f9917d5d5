// Run ranges ("2026-Q1", "2026-01..2026-06", ...) against calendar and fiscal years, and the
// plain-text explanation of a statement, word for word.
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view spif_only =
    R"("measures": [{"id": "b"}], "components": [{"id": "s", "type": "spif", "amount": "1"}])";

Plan with_calendar(int first_month) {
  return plan(spif_only, R"("fiscal_year_start_month": )" + std::to_string(first_month));
}

TEST(RunRange, CalendarYear) {
  const Plan p = with_calendar(1);
  struct Row {
    const char* text;
    const char* period;
  };
  for (const auto& [text, period] : std::vector<Row>{
           {"2026-Q1", "[2026-01-01, 2026-04-01)"},
           {"2026-Q4", "[2026-10-01, 2027-01-01)"},
           {"2026-H2", "[2026-07-01, 2027-01-01)"},
           {"2026-03", "[2026-03-01, 2026-04-01)"},
           {"2026-M03", "[2026-03-01, 2026-04-01)"},                 // as statements label it
           {"2026", "[2026-01-01, 2027-01-01)"},
           {"2026-03-15", "[2026-03-15, 2026-03-16)"},               // one day
           {"2026-01..2026-06", "[2026-01-01, 2026-07-01)"},         // months, inclusive
           {"2026-Q1..2026-Q3", "[2026-01-01, 2026-10-01)"},         // quarters, inclusive
           {"2026-01-01..2026-07-01", "[2026-01-01, 2026-07-01)"},   // dates, half-open
           {"2025..2026", "[2025-01-01, 2027-01-01)"},
           {"2026-M01..2026-M06", "[2026-01-01, 2026-07-01)"},
       }) {
    EXPECT_EQ(parse_run_range(text, p).to_string(), period) << text;
  }
}

// A fiscal year starting in February is named by the calendar year it ends in: FY2026 runs from
// 2025-02-01. Quarters and years follow the fiscal calendar, "YYYY-MM" is a calendar month and
// "FYYYYY-MM" the n-th month of the fiscal year.
TEST(RunRange, FiscalYear) {
  const Plan p = with_calendar(2);
  struct Row {
    const char* text;
    const char* period;
  };
  for (const auto& [text, period] : std::vector<Row>{
           {"FY2026", "[2025-02-01, 2026-02-01)"},
           {"2026", "[2025-02-01, 2026-02-01)"},
           {"FY2026-Q1", "[2025-02-01, 2025-05-01)"},
           {"2026-Q4", "[2025-11-01, 2026-02-01)"},
           {"FY2026-H2", "[2025-08-01, 2026-02-01)"},
           {"2026-03", "[2026-03-01, 2026-04-01)"},
           {"FY2026-03", "[2025-04-01, 2025-05-01)"},
           {"FY2026-M03", "[2025-04-01, 2025-05-01)"},  // the label statements print
           {"FY2026-M12", "[2026-01-01, 2026-02-01)"},
           {"2026-M12", "[2026-01-01, 2026-02-01)"},
           {"FY2026-M11..FY2027-Q1", "[2025-12-01, 2026-05-01)"},
       }) {
    EXPECT_EQ(parse_run_range(text, p).to_string(), period) << text;
  }
}

TEST(RunRange, Errors) {
  const Plan p = with_calendar(1);
  const std::string help =
      ": not a period; write 2026-Q1, 2026-03, 2026, 2026-01..2026-06 or 2026-01-01..2026-07-01";
  for (const char* text : {"2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "2026-1x",
                           "26", "abc", "2026-Q1x", "FY20x6", "2026-", "2026-M13", "2026-M00",
                           "2026-M3"}) {
    EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)parse_run_range(text, p); },
                                                "comp.period",
                                                "[comp.period] " + std::string(text) + help))
        << text;
  }
  // Ranges that end before they start.
  for (const char* text : {"2026-06..2026-01", "2026-07-01..2026-07-01"}) {
    EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)parse_run_range(text, p); },
                                                "comp.period",
                                                "[comp.period] " + std::string(text) + help))
        << text;
  }
  // One bad side names that side.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)parse_run_range("2026-01..2026-13", p); }, "comp.period",
      "[comp.period] 2026-13" + help));
}

// A run of one quarter computes the earlier ones of its true-up window without reporting them:
// their rejects are kept (the quarter reported rests on them), marked as before the range.
TEST(RunRange, RejectsBeforeTheRangeSaySo) {
  const auto p = plan(R"("true_up": "year_to_date", "measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "tiers": [{"from": "0", "rate": "10"}]}])");
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-02-10,1000\nT2,A,2026-08-10,1000\n",
                          "payee_id,period_start,quota\nA,2026-04-01,1000\nA,2026-07-01,1000\n", "2026-Q3");
  const auto got = rejects(r);
  // Q1 has no quota: Q1, Q2 and Q3's year-to-date windows all lack it.
  ASSERT_EQ(got.size(), 3U) << dump(r);
  for (const std::size_t i : {0U, 1U}) {
    EXPECT_EQ(got[i].substr(0, got[i].find(" | ")), std::string("payees 0 A A 2026-Q") + char('1' + i));
    EXPECT_NE(got[i].find(" | before the range (computed for the windows of true-ups and of yearly caps and gates, not reported): no quota"),
              std::string::npos) << got[i];
  }
  EXPECT_EQ(got[2].substr(0, got[2].find(" | ")), "payees 0 A A 2026-Q3");
  EXPECT_EQ(got[2].find("before the range"), std::string::npos);
}

TEST(Explain, StatementWithEveryKindOfLine) {
  const auto p = plan(R"("measures": [{"id": "bookings"}, {"id": "seats", "sum": "units"}],
      "quota_measure": "bookings", "true_up": "year_to_date",
      "components": [
        {"id": "commission", "measure": "bookings", "mode": "retroactive",
         "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "rate": "12"}],
         "limits": {"cap_per_transaction": "5000"}},
        {"id": "per_seat", "measure": "seats", "basis": "amount", "rate_unit": "per_unit",
         "tiers": [{"from": "0", "rate": "50"}]},
        {"id": "spif", "type": "spif", "amount": "1000", "filter": {"product": "ENT"}}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,units,product
T1,A,2026-01-15,60000,6,ENT
T2,A,2026-02-10,50000,4,SMB
T3,A,2026-05-10,30000,0,SMB
)",
                          R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
)",
                          "2026-01..2026-06");
  // Q1: T1 60000 x 8% = 4800; T2 reaches 110%: 50000 x 12% = 6000 + uplift 60000 x 4% = 2400
  // = 8400, capped at 5000 (-3400); earnings 9800. Seats 6 x 50 + 4 x 50 = 500. SPIF 1000.
  EXPECT_EQ(explain(r, "A", "2026-Q1"),
            "Statement for A, 2026-Q1 [2026-01-01, 2026-04-01)\n"
            "\n"
            "commission: bookings = 110000, quota 100000, attainment 110%\n"
            "  1. tier T1 (2026-01-15) tier 1: 60000 x 8% = 4800.00\n"
            "  2. tier T2 (2026-02-10) tier 2: 50000 x 12% = 6000.00\n"
            "  3. retro T2 (2026-02-10) tier 2: 60000 x 4% = 2400.00  [uplift on earlier measure to "
            "the new rate]\n"
            "  4. cap T2 (2026-02-10) = -3400.00  [per-transaction cap 5000]\n"
            "  earnings 9800.00, paid before 0.00, payout 9800.00\n"
            "\n"
            "per_seat: seats = 10\n"
            "  5. tier T1 (2026-01-15) tier 1: 6 x 50 = 300.00\n"
            "  6. tier T2 (2026-02-10) tier 1: 4 x 50 = 200.00\n"
            "  earnings 500.00, paid before 0.00, payout 500.00\n"
            "\n"
            "spif:\n"
            "  7. spif T1 (2026-01-15) = 1000.00\n"
            "  earnings 1000.00, paid before 0.00, payout 1000.00\n"
            "\n"
            "TOTAL payout 11300.00\n");
  // Q2, year to date 140000 of 200000 = 70%, all at 8%: 11200; paid 9800; T3 30000 x 8% = 2400
  // and a true-up of -1000 (Q1's uplift, less the part the cap had already taken back).
  EXPECT_EQ(explain(r, "A", "2026-Q2"),
            "Statement for A, 2026-Q2 [2026-04-01, 2026-07-01)\n"
            "\n"
            "commission: bookings = 140000, quota 200000, attainment 70%\n"
            "  1. tier T3 (2026-05-10) tier 1: 30000 x 8% = 2400.00\n"
            "  2. true_up = -1000.00  [year_to_date: window earnings 11200 - paid before 9800 - lines "
            "above 2400]\n"
            "  earnings 11200.00, paid before 9800.00, payout 1400.00\n"
            "\n"
            "per_seat: seats = 10\n"
            "  3. tier T3 (2026-05-10) tier 1: 0 x 50 = 0.00\n"
            "  earnings 500.00, paid before 500.00, payout 0.00\n"
            "\n"
            "spif:\n"
            "  earnings 1000.00, paid before 1000.00, payout 0.00\n"
            "\n"
            "TOTAL payout 1400.00\n");
}

TEST(Explain, UnknownStatement) {
  const auto p = plan(spif_only);
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n",
                          "payee_id,period_start,quota\n", "2026-Q1");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)explain(r, "B", "2026-Q1"); }, "comp.explain",
      "[comp.explain] B 2026-Q1: no statement for payee 'B' in the run (its payees: A); check the "
      "id, or the payee's rejects"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)explain(r, "A", "2026-Q2"); }, "comp.explain",
      "[comp.explain] A 2026-Q2: no statement for this period: A has statements for 2026-Q1; "
      "explain one of those (a period outside the run's range, or one the payee was not on the "
      "plan in, has none)"));
  // A payee-period the run rejected: the reason, not "check the ids".
  const auto q = run_text(plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "tiers": [{"from": "0", "rate": "10"}]}])"),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n",
                          "payee_id,period_start,quota\n", "2026-Q1");
  try {
    (void)explain(q, "A", "2026-Q1");
    FAIL() << "no statement";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[comp.explain] A 2026-Q1: the run rejected this payee "
                                          "and period: no quota",
                                          0),
              0u)
        << e.what();
  }
}

// A result that run() did not make (a default CompResult) is refused by name, not by a column.
TEST(Explain, ADefaultResult) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)explain(CompResult{}, "A", "2026-Q1"); }, "comp.explain",
      "[comp.explain] result: the result has no statements table; explain a result of comp::run"));
}

// A split credit's line says the payee's share, so that a rep can see why 4000 of a 10000 deal.
TEST(Explain, SplitCreditsShowTheShare) {
  const auto p = plan(R"("measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b",
      "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}]}])");
  Extra extra;
  extra.credits = "transaction_id,payee_id,percent\nT2,A,40\nT2,B,60\n";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,100\nT2,A,2026-02-10,10000\n",
                          "payee_id,period_start,quota\n", "2026-Q1", extra);
  EXPECT_EQ(explain(r, "A", "2026-Q1"),
            "Statement for A, 2026-Q1 [2026-01-01, 2026-04-01)\n"
            "\n"
            "c: b = 4100\n"
            "  1. tier T1 (2026-01-10) tier 1: 100 x 10% = 10.00\n"
            "  2. tier T2 (2026-02-10, split 40%) tier 1: 4000 x 10% = 400.00\n"
            "  earnings 410.00, paid before 0.00, payout 410.00\n"
            "\n"
            "TOTAL payout 410.00\n");
}

}  // namespace
}  // namespace spm::comp::test
