// Bad input: every row-level reject (the rest of the run goes on) and every error that stops a
// run, each triggered once with its message checked word for word. Rejects read
// "source row id payee period | reason".
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view quotas = "payee_id,period_start,quota\nA,2026-01-01,100000\n";

// 10% of bookings against attainment tiers (so a quota is needed).
Plan tiered(std::string_view head = "") {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "tiers": [{"from": "0", "rate": "10"}]}])",
              head);
}

TEST(Rejects, TransactionRows) {
  const auto r = run_text(tiered(), R"(transaction_id,payee_id,date,amount,currency
OK1,A,2026-01-10,1000,USD
DUP,A,2026-01-11,1,USD
EUR1,A,2026-01-12,1,EUR
NEG,A,2026-01-13,-5,USD
OLD,A,2025-12-31,1,USD
NOBODY,,2026-01-14,1,USD
NOAMT,A,2026-01-15,,USD
DUP,A,2026-01-16,1,USD
OK2,A,2026-02-01,500,
)",
                          quotas, "2026-Q1");
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "transactions 2 DUP A  | transaction_id 'DUP' appears more than once; ids must "
                "be unique",
                "transactions 3 EUR1 A  | currency 'EUR' differs from the plan currency USD; "
                "convert it first",
                "transactions 4 NEG A  | the amount -5 is negative; set \"allow_negative\": true "
                "in the plan to credit returns",
                "transactions 5 OLD A  | dated 2025-12-31, outside the plan's effective dates "
                "[2026-01-01, 2027-01-01)",
                "transactions 6 NOBODY   | the payee_id is missing; every transaction needs the "
                "payee it credits",
                "transactions 7 NOAMT A  | the amount is missing",
                "transactions 8 DUP A  | transaction_id 'DUP' appears more than once; ids must "
                "be unique",
            }));
  // The good rows are computed: OK1 and OK2 (a null currency is the plan currency):
  // 1500 x 10% = 150.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("150"));
  EXPECT_EQ(r.credits, 2u);
}

// Ids in increasing order skip the hash check; an equal neighbour, or a later id below an
// earlier one, still finds every duplicate.
TEST(Rejects, DuplicateIdsInIdOrder) {
  const auto sorted = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n"
                               "T2,A,2026-01-11,2\nT3,A,2026-01-12,3\n", quotas, "2026-Q1");
  EXPECT_TRUE(rejects(sorted).empty());
  EXPECT_EQ(sorted.credits, 3u);
  const std::string dup = "transaction_id 'T2' appears more than once; ids must be unique";
  const auto adjacent = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n"
                                 "T2,A,2026-01-11,2\nT2,A,2026-01-12,3\nT3,A,2026-01-13,4\n",
                                 quotas, "2026-Q1");
  EXPECT_EQ(rejects(adjacent), (std::vector<std::string>{"transactions 2 T2 A  | " + dup,
                                                         "transactions 3 T2 A  | " + dup}));
  const auto later = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n"
                              "T2,A,2026-01-11,2\nT3,A,2026-01-12,3\nT2,A,2026-01-13,4\n",
                              quotas, "2026-Q1");
  EXPECT_EQ(rejects(later), (std::vector<std::string>{"transactions 2 T2 A  | " + dup,
                                                      "transactions 4 T2 A  | " + dup}));
}

// Tables handed in from C++ or Python may hold nulls where a file could not: a missing id or date
// is a reject, not an empty id or the epoch.
TEST(Rejects, MissingIdOrDate) {
  const auto r = run_text(tiered(),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n"
                          ",A,2026-01-11,5\nT3,A,,7\n,A,2026-01-12,9\n",
                          quotas, "2026-Q1");
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "transactions 2  A  | the transaction_id is missing; every "
                            "transaction needs a unique id",
                            "transactions 3 T3 A  | the date is missing",
                            "transactions 4  A  | the transaction_id is missing; every "
                            "transaction needs a unique id",
                        }));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
}

// A quoted empty id ("") is read as an empty text, not a null: it is missing all the same (it
// was paid on a line with no transaction id).
TEST(Rejects, QuotedEmptyIdIsMissing) {
  const auto r = run_text(tiered(),
                          "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n"
                          "\"\",\"A\",2026-01-11,2000\n",
                          quotas, "2026-Q1");
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "transactions 2  A  | the transaction_id is missing; every "
                            "transaction needs a unique id",
                        }));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
}

// Without a currency column every amount is in the plan currency.
TEST(Rejects, NoCurrencyColumnMeansPlanCurrency) {
  const auto r = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          quotas, "2026-Q1");
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
}

TEST(Rejects, SplitCredits) {
  Extra extra;
  extra.credits = R"(transaction_id,payee_id,percent
T1,A,60
T1,B,30
T2,A,110
T2,B,-10
T9,B,100
T3,,50
T3,A,
)";
  const auto r = run_text(tiered(), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,A,2026-01-11,1000
T3,A,2026-01-12,1000
)",
                          quotas, "2026-Q1", extra);
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "credits 5 T9 B  | no transaction has id 'T9'",
                "credits 6 T3   | the split credit's payee_id is missing",
                "credits 7 T3 A  | the split credit's percent is missing",
                "transactions 1 T1 A  | split credits total 90%, not 100%; fix the credits",
                "transactions 2 T2 A  | the split credit to B is -10%; shares must be 0% or more",
                "transactions 3 T3 A  | its split credit on credits row 6 was rejected; fix that "
                "row (the other shares are not paid without it)",
            }));
  // T3's split is unknown, so nobody is paid for it (not its payee_id A in full).
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("0"));
}

// Split rows whose id differs from a transaction's only as a spreadsheet mangles ids (a trailing
// blank, leading zeros lost) are almost surely its split: the transaction is not paid in full to
// its own payee (which paid B's share to A), it waits for the id to be fixed.
TEST(Rejects, SplitRowsNamingANearlyEqualId) {
  Extra extra;
  extra.credits = "transaction_id,payee_id,percent\nT1 ,A,60\nT1 ,B,40\n123,A,50\n123,B,50\nT7,B,100\n";
  const auto r = run_text(tiered(), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
00123,A,2026-01-11,1000
T5,A,2026-01-12,1000
)",
                          quotas, "2026-Q1", extra);
  const std::string t1 = "' differs from it only by blanks, case or leading zeros: fix the id (that "
                         "transaction is not paid until then)";
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "credits 1 T1  A  | no transaction has id 'T1 '; transaction 'T1" + t1,
                "credits 2 T1  B  | no transaction has id 'T1 '; transaction 'T1" + t1,
                "credits 3 123 A  | no transaction has id '123'; transaction '00123" + t1,
                "credits 4 123 B  | no transaction has id '123'; transaction '00123" + t1,
                "credits 5 T7 B  | no transaction has id 'T7'",
                "transactions 1 T1 A  | credits row 1 names it only loosely; fix that row's id "
                "(the split is not known until then, so its payee is not paid in full in its place)",
                "transactions 2 00123 A  | credits row 3 names it only loosely; fix that row's id "
                "(the split is not known until then, so its payee is not paid in full in its place)",
            }));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));  // T5 alone
}

// A range whose end falls inside a pay period (an end date written as inclusive) leaves out that
// period's last transactions, which a run from the next period counts as before its range: noted.
TEST(Rejects, RangeEndingInsideAPayPeriodIsNoted) {
  const std::string tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\nT2,A,2026-03-31,1000\n";
  const auto r = run_text(tiered(), tx, quotas, "2026-01-01..2026-03-31");
  EXPECT_EQ(r.transactions_after_range, 1u);
  ASSERT_EQ(r.notes.size(), 1u) << dump(r);
  EXPECT_NE(r.notes[0].find("ends inside the pay period"), std::string::npos) << r.notes[0];
  EXPECT_NE(r.notes[0].find("to include 2026-03-31 write ..2026-04-01"), std::string::npos) << r.notes[0];
  EXPECT_TRUE(run_text(tiered(), tx, quotas, "2026-01-01..2026-04-01").notes.empty());
  EXPECT_TRUE(run_text(tiered(), tx, quotas, "2026-Q1").notes.empty());
}

TEST(Rejects, QuotaRows) {
  const auto r = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          R"(payee_id,period_start,quota,measure
A,2026-01-01,100000,
A,2026-04-01,50000,revenue
A,2026-04-01,0,
A,2026-05-01,100,
A,2026-01-01,90000,bookings
,2026-01-01,100,
A,2026-07-01,,
)",
                          "2026-Q1");
  // Rows 1 and 5 give A's Q1 two different quotas: keeping either would make the pay depend on
  // the order of the rows, so neither is used and the period is rejected for a missing quota.
  const std::string both = "different quotas for the same payee and period (row 1: 100000, row 5: "
                           "90000); none is used: keep one row";
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "quotas 1 bookings A 2026-01-01 | " + both,
                "quotas 2 revenue A 2026-04-01 | measure 'revenue' is not in the plan (its measures: bookings)",
                "quotas 3 bookings A 2026-04-01 | the quota 0 must be above 0",
                "quotas 4 bookings A 2026-05-01 | period_start 2026-05-01 is not the first day "
                "of a quarter pay period",
                "quotas 5 bookings A 2026-01-01 | " + both,
                "quotas 6 bookings  2026-01-01 | the payee_id is missing",
                "quotas 7 bookings A 2026-07-01 | the quota is missing; give the payee's quota "
                "for this period (above 0)",
                "payees 0 A A 2026-Q1 | the quotas rows for measure 'bookings' in the pay period "
                "starting 2026-01-01 disagree (see the quotas rejects); keep one; not paid: its 1 "
                "credit in the period (transaction T1)",
            }));
}

TEST(Rejects, RepeatedQuotaIsUsedOnce) {
  const std::string tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n";
  const auto r = run_text(tiered(), tx, "payee_id,period_start,quota\nA,2026-01-01,100000\nA,2026-01-01,100000\n",
                          "2026-Q1");
  EXPECT_EQ(rejects(r), std::vector<std::string>{
                            "quotas 2 bookings A 2026-01-01 | repeats the quota of row 1 for the same "
                            "payee and period; the repeat is not used"});
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "quota"), dec("100000"));
}

// Rows that differ only in target_incentive or days_prorated disagree too, and say how; a 0
// quota marked days_prorated (no day worked) beside a real quota for the period is a conflict.
TEST(Rejects, QuotaRowsDisagreeingBeyondTheQuotaSaySo) {
  const std::string tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\nT2,B,2026-01-10,1000\n";
  const auto r = run_text(tiered(), tx,
                          "payee_id,period_start,quota,days_prorated\nA,2026-01-01,100000,true\n"
                          "A,2026-01-01,100000,false\nB,2026-01-01,0,true\nB,2026-01-01,100000,false\n",
                          "2026-Q1");
  const auto all = rejects(r);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0], "quotas 1 bookings A 2026-01-01 | different quotas for the same payee and period "
                    "(row 1: 100000 days_prorated, row 2: 100000); none is used: keep one row");
  EXPECT_EQ(all[2], "quotas 3 bookings B 2026-01-01 | different quotas for the same payee and period "
                    "(row 3: 0 days_prorated, row 4: 100000); none is used: keep one row");
}

TEST(Rejects, ConflictingQuotasDoNotDependOnRowOrder) {
  const std::string tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,120000\n";
  const auto a = run_text(tiered(), tx, "payee_id,period_start,quota\nA,2026-01-01,100000\nA,2026-01-01,50000\n",
                          "2026-Q1");
  const auto b = run_text(tiered(), tx, "payee_id,period_start,quota\nA,2026-01-01,50000\nA,2026-01-01,100000\n",
                          "2026-Q1");
  EXPECT_EQ(a.statements.num_rows(), 0u);
  EXPECT_EQ(b.statements.num_rows(), 0u);
  EXPECT_EQ(rejects(a).back(), rejects(b).back());
}

TEST(Rejects, ScoreRows) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}],
      "multipliers": [{"id": "mbo", "score": "mbo",
                       "table": [{"from": "0", "to": "3", "factor": "1"},
                                 {"from": "3", "factor": "2"}]}]}])");
  Extra extra;
  extra.scores = R"(payee_id,period_start,score,value
A,2026-01-01,mbo,4
A,2026-01-01,mbo,1
A,2026-02-01,mbo,1
A,2026-04-01,mbo,
Z,2026-01-01,mbo,1
)";
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          "payee_id,period_start,quota\n", "2026-Q1", extra);
  const std::string both =
      "different scores for the same payee and period (row 1: 4, row 2: 1); none is used: keep one row";
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "scores 1 mbo A 2026-01-01 | " + both,
                "scores 2 mbo A 2026-01-01 | " + both,
                "scores 3 mbo A 2026-02-01 | period_start 2026-02-01 is not the first day of a "
                "quarter pay period",
                "scores 4 mbo A 2026-04-01 | the value is missing",
                "payees 0 A A 2026-Q1 | no score 'mbo' for the pay period starting 2026-01-01; "
                "not paid: its 1 credit in the period (transaction T1)",
            }));
  // Neither of two different scores is used (the pay would depend on the order of the rows).
  EXPECT_FALSE(statement_row(r, "A", "2026-Q1", "TOTAL"));
}

TEST(Rejects, AssignmentRows) {
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-01-01,\nA,2026-03-01,2026-03-01\n";
  const auto r = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          quotas, "2026-Q1", extra);
  EXPECT_EQ(rejects(r), std::vector<std::string>{"assignments 2 A A  | 'to' must be after 'from'"});
}

TEST(Rejects, PayeeNotAssigned) {
  Extra extra;
  extra.assignments = "payee_id,from,to\nA,2026-02-01,\n";
  const auto r = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          quotas, "2026-Q1", extra);
  EXPECT_EQ(rejects(r),
            std::vector<std::string>{
                "transactions 1 T1 A  | payee A is not assigned to plan t on 2026-01-10"});
}

// "A " in the quotas and "A" in the transactions are two payees; the missing quota says so.
TEST(Rejects, AnIdThatDiffersOnlyByBlanksIsNamed) {
  const auto r = run_text(tiered(), "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          "payee_id,period_start,quota\nA ,2026-01-01,1000\n", "2026-Q1");
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "payees 0 A A 2026-Q1 | no quota for measure 'bookings' in the pay period starting "
                "2026-01-01; add a row to the quotas table (payee 'A ' differs from 'A' only by "
                "blanks: fix the id in the file that has the blank); not paid: its 1 credit in the "
                "period (transaction T1)"}));
}

// A pay period that cannot be computed (no quota, no score) is rejected for that payee; other
// payees and periods go on.
TEST(Rejects, MissingQuotaOrScore) {
  const auto r = run_text(tiered(), R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,B,2026-01-10,1000
T3,A,2026-04-10,1000
)",
                          quotas, "2026-01..2026-06");
  EXPECT_EQ(rejects(r),
            (std::vector<std::string>{
                "payees 0 A A 2026-Q2 | no quota for measure 'bookings' in the pay period "
                "starting 2026-04-01; add a row to the quotas table; not paid: its 1 credit in "
                "the period (transaction T3)",
                "payees 0 B B 2026-Q1 | no quota for measure 'bookings' in the pay period "
                "starting 2026-01-01; add a row to the quotas table; not paid: its 1 credit in "
                "the period (transaction T2)",
                "payees 0 B B 2026-Q2 | no quota for measure 'bookings' in the pay period "
                "starting 2026-04-01; add a row to the quotas table",
            }));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
  EXPECT_FALSE(statement_row(r, "A", "2026-Q2", "TOTAL"));
  EXPECT_FALSE(statement_row(r, "B", "2026-Q1", "TOTAL"));

  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}],
      "multipliers": [{"id": "mbo", "score": "mbo", "table": [{"from": "0", "factor": "1"}]}]}])");
  Extra extra;
  extra.scores = "payee_id,period_start,score,value\nA,2026-04-01,mbo,3\n";
  const auto s = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n",
                          "payee_id,period_start,quota\n", "2026-Q1", extra);
  EXPECT_EQ(rejects(s), std::vector<std::string>{
                            "payees 0 A A 2026-Q1 | no score 'mbo' for the pay period starting "
                            "2026-01-01; not paid: its 1 credit in the period (transaction T1)"});
}

// Amounts beyond what a line can hold (base x rate above 1.7e14) reject the payee's period, not
// the run.
TEST(Rejects, ArithmeticOverflowRejectsThePeriod) {
  // Seats are summed from "units": A's 1e15 seats at 10% overflow a line (base x rate above
  // 1.7e14), so A's period is rejected. T3's amount at the plan's highest rate (10) would overflow
  // too: that row alone is rejected (limit 1.7e13) and C's period goes on.
  const auto p = plan(R"("measures": [{"id": "seats", "sum": "units"}], "components": [{"id": "c",
      "measure": "seats", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,units
T1,A,2026-01-10,1,1000000000000000
T2,B,2026-01-10,1000,1000
T3,C,2026-01-10,20000000000000,1
T4,C,2026-01-11,1,1
)",
                          "payee_id,period_start,quota\n", "2026-Q1");
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "transactions 3 T3 C  | the amount 20000000000000 at the plan's "
                            "highest rate (10) is beyond what a line computes exactly (base x "
                            "rate up to 1.7e14); check its units",
                            "payees 0 A A 2026-Q1 | a line's base x rate exceeds 1.7e14 currency "
                            "units; check the units of amounts and rates; not paid: its 1 "
                            "credit in the period (transaction T1)"}));
  EXPECT_FALSE(statement_row(r, "A", "2026-Q1", "TOTAL"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "TOTAL"), dec("100"));
  EXPECT_EQ(statement(r, "C", "2026-Q1", "TOTAL"), dec("0.1"));
  // 1.7e13 at 10% computes (1.7e12): the limit refuses only what would overflow.
  const auto big = run_text(p, "transaction_id,payee_id,date,amount,units\nT1,A,2026-01-10,"
                               "17000000000000,17000000000000\n",
                            "payee_id,period_start,quota\n", "2026-Q1");
  EXPECT_EQ(big.rejects.num_rows(), 0u) << dump(big);
  EXPECT_EQ(statement(big, "A", "2026-Q1", "TOTAL"), dec("1700000000000"));
}

// Whole-number columns (amounts, quotas built as int64 by a caller) are exact decimals: the
// same statements and lines as the decimal columns, nulls kept.
TEST(Rejects, IntegerAmountsAndQuotasAreExactDecimals) {
  const Plan p = tiered();
  const io::Table dec_tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,120000\n"
                                 "T2,A,2026-02-10,\nT3,A,2026-03-10,30000\n");
  const io::Table dec_q = table(quotas);
  auto as_integers = [](const io::Table& t, const char* name) {
    io::Table out;
    for (const auto& c : t.columns()) {
      if (c.name() != name) {
        out.add(c);
        continue;
      }
      std::vector<std::int64_t> v;
      for (std::size_t r = 0; r < c.size(); ++r) {
        v.push_back(c.is_null(r) ? 0 : c.values<Decimal>()[r].to_int64());
      }
      auto whole = io::Column::of(name, std::move(v));
      whole.set_validity(c.validity());
      out.add(std::move(whole));
    }
    return out;
  };
  const io::Table int_tx = as_integers(dec_tx, "amount"), int_q = as_integers(dec_q, "quota");
  ASSERT_EQ(int_tx.column("amount").type(), io::ColumnType::integer);
  CompInputs a, b;
  a.transactions = &dec_tx;
  a.quotas = &dec_q;
  b.transactions = &int_tx;
  b.quotas = &int_q;
  const auto range = parse_run_range("2026-Q1", p);
  const auto x = run(p, a, range), y = run(p, b, range);
  EXPECT_EQ(csv(x.statements), csv(y.statements));
  EXPECT_EQ(csv(x.lines), csv(y.lines));
  EXPECT_EQ(csv(x.rejects), csv(y.rejects));
  EXPECT_EQ(y.rejects.num_rows(), 1u);  // T2: the amount is missing, as with decimals
  // Only columns read as decimals convert: an integer id is refused as what it is.
  io::Table int_ids = as_integers(table("transaction_id,payee_id,date,amount\nT1,7,2026-01-10,1\n"), "");
  int_ids.columns()[1] = io::Column::of("payee_id", std::vector<std::int64_t>{7});
  b.transactions = &int_ids;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(p, b, range); }, "comp.column",
      "[comp.column] transactions.payee_id: column holds integer values; it must be string"));
}

// A required column that is absent or of the wrong type stops the run: InvalidInputError
// "comp.column" naming table.column.
TEST(Rejects, MissingOrMistypedColumns) {
  const Plan p = tiered();
  const io::Table good_tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n");
  const io::Table good_q = table(quotas);
  auto run_with = [&](const io::Table& tx, const io::Table& q, const io::Table* credits) {
    CompInputs in;
    in.transactions = &tx;
    in.quotas = &q;
    in.credits = credits;
    (void)run(p, in, parse_run_range("2026-Q1", p));
  };
  const io::Table no_amount = table("transaction_id,payee_id,date\nT1,A,2026-01-10\n");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { run_with(no_amount, good_q, nullptr); }, "comp.column",
      "[comp.column] transactions.amount: the transactions table needs a column 'amount' of type "
      "decimal"));
  io::Table text_amount;
  text_amount.add(io::Column::of("transaction_id", std::vector<std::string>{"T1"}));
  text_amount.add(io::Column::of("payee_id", std::vector<std::string>{"A"}));
  text_amount.add(io::Column::of("date", std::vector<Date>{Date(2026, 1, 10)}));
  text_amount.add(io::Column::of("amount", std::vector<std::string>{"1"}));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { run_with(text_amount, good_q, nullptr); }, "comp.column",
      "[comp.column] transactions.amount: column holds string values; it must be decimal "
      "(convert the text first with io::convert_strings; Python's spm.comp does it itself)"));
  const io::Table no_quota = table("payee_id,period_start\nA,2026-01-01\n");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { run_with(good_tx, no_quota, nullptr); }, "comp.column",
      "[comp.column] quotas.quota: the quotas table needs a column 'quota' of type decimal"));
  const io::Table bad_credits = table("transaction_id,payee_id\nT1,A\n");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { run_with(good_tx, good_q, &bad_credits); }, "comp.column",
      "[comp.column] credits.percent: the credits table needs a column 'percent' of type "
      "decimal"));
  // A filter on a column the transactions do not have.
  const Plan filtered = plan(R"("measures": [{"id": "bookings", "filter": {"region": "EMEA"}}],
      "components": [{"id": "c", "measure": "bookings", "tiers": [{"from": "0", "rate": "10"}]}])");
  CompInputs in;
  in.transactions = &good_tx;
  in.quotas = &good_q;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(filtered, in, parse_run_range("2026-Q1", filtered)); }, "comp.column",
      "[comp.column] transactions.region: a plan filter uses column 'region', which the "
      "transactions table does not have"));
  // No quotas table at all.
  in.quotas = nullptr;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(p, in, parse_run_range("2026-Q1", p)); }, "comp.inputs",
      "[comp.inputs] a run needs a transactions table and a quotas table"));
}

}  // namespace
}  // namespace spm::comp::test
