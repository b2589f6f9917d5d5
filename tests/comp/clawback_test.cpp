// Clawbacks: cancellations and refunds inside the window take back commission, by the original
// rate or by recalculation; what cannot be taken now is carried forward, within a limit.
#include "lifecycle_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view deals = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
T2,A,2026-02-01,5000
T3,A,2026-07-05,20000
)";

TEST(Clawback, OriginalRateReversesWhatWasPaidAndCarriesTheNegative) {
  const auto p = ten_percent(R"("clawback": {"policy": "original_rate", "window_days": 120})");
  const auto r = settle_text(p, deals, "", "2026-01..2026-09",
                             {.cancellations = "transaction_id,date\nT1,2026-04-15\n"});
  // Q1: 10% of 15000 = 1500, paid.
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1500"));
  // Q2: T1 (95 days old) reverses its 1000; nothing earned, so 1000 is carried forward.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T1 -1000.00", "carried_forward  1000.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("0"));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "carried_forward"), dec("1000"));
  // Q3: T3 earns 2000; the 1000 owed is taken: 1000 paid.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q3"),
            (std::vector<std::string>{"commission  2000.00", "brought_forward  -1000.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q3"), dec("1000"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
  EXPECT_TRUE(r.rejects.num_rows() == 0) << dump(r);
}

TEST(Clawback, RefundTakesBackItsShare) {
  const auto p = ten_percent();
  const auto r = settle_text(p, deals, "", "2026-01..2026-06",
                             {.cancellations = "transaction_id,date,amount\nT2,2026-05-01,2000\n"});
  // T2 paid 500; 2000 of 5000 refunded: 500 x 2000 / 5000 = 200 back.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T2 -200.00", "carried_forward  200.00"}));
}

TEST(Clawback, LimitPerPeriodDefersTheRest) {
  const auto p = ten_percent(R"("clawback": {"limit_per_period": "300"})");
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
T4,A,2026-04-20,8000
T3,A,2026-07-05,20000
)", "", "2026-01..2026-09", {.cancellations = "transaction_id,date\nT1,2026-05-15\n"});
  // Q2: earns 800 (T4), owes 1000 (T1); at most 300 taken: 700 deferred, pay 500.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"commission  800.00", "clawback T1 -1000.00",
                                      "deferred  700.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("500"));
  // Q3: earns 2000, owes 700, takes 300: pay 1700, 400 still owed.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q3"),
            (std::vector<std::string>{"commission  2000.00", "brought_forward  -700.00",
                                      "deferred  400.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q3"), dec("1700"));
  EXPECT_EQ(pay(r, "A", "2026-Q3", "carried_forward"), dec("400"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

// Attainment tiers: 5% up to 100% of a 100000 quota, 10% above. T2 comes first in the quarter.
Plan tiered(std::string_view policy) {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "5"},
                                       {"from": "100", "rate": "10"}]}])",
              std::string(R"("clawback": {"policy": ")") + std::string(policy) + "\"}");
}
constexpr std::string_view tiered_deals = R"(transaction_id,payee_id,date,amount
T2,A,2026-01-05,40000
T1,A,2026-01-20,80000
)";
constexpr std::string_view tiered_quotas = R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
)";

TEST(Clawback, OriginalRateAndRecalculateDiffer) {
  const Life cancel{.cancellations = "transaction_id,date\nT2,2026-04-10\n"};
  // Q1 pays 40000 x 5% (T2) + 60000 x 5% + 20000 x 10% (T1) = 2000 + 5000 = 7000.
  const auto orig = settle_text(tiered("original_rate"), tiered_deals, tiered_quotas,
                                "2026-01..2026-06", cancel);
  EXPECT_EQ(pay(orig, "A", "2026-Q1"), dec("7000"));
  // original_rate: T2's own lines, 2000, come back.
  EXPECT_EQ(pay_lines(orig, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T2 -2000.00", "carried_forward  2000.00"}));
  // recalculate: Q1 without T2 pays 80000 x 5% = 4000; 7000 - 4000 = 3000 comes back.
  const auto recalc = settle_text(tiered("recalculate"), tiered_deals, tiered_quotas,
                                  "2026-01..2026-06", cancel);
  EXPECT_EQ(pay_lines(recalc, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback  -3000.00", "carried_forward  3000.00"}));
  EXPECT_EQ(pay(recalc, "A", "2026-Q2", "clawbacks"), dec("-3000"));
  EXPECT_TRUE(pay_lines_sum_to_net(recalc));
}

// A recalculated clawback's note names the cancelled deals credited to its payee only: user
// testing found A's note naming B's deal too ("recalculated without A2, B2"). Grouped lines name
// no transaction, so the crediting decides: direct (A2, B2) and split (S1, half each).
TEST(Clawback, RecalculateNotesNameOnlyThePayeesOwnDeals) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "processing": "grouped",
      "tiers": [{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "10"}]}])",
                      R"("clawback": {"policy": "recalculate"})");
  const io::Table tx = table(R"(transaction_id,payee_id,date,amount
A2,A,2026-01-05,40000
A1,A,2026-01-20,80000
B2,B,2026-01-05,40000
B1,B,2026-01-20,80000
S1,,2026-02-01,20000
C1,C,2026-02-01,1000
)");
  const io::Table quotas = table(R"(payee_id,period_start,quota
A,2026-01-01,100000
A,2026-04-01,100000
B,2026-01-01,100000
B,2026-04-01,100000
C,2026-01-01,100000
C,2026-04-01,100000
)");
  const io::Table credits = table("transaction_id,payee_id,percent\nS1,A,50\nS1,B,50\n");
  const io::Table cancellations =
      table("transaction_id,date,amount\nA2,2026-04-10,\nB2,2026-04-10,20000\nS1,2026-05-01,\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &quotas;
  in.credits = &credits;
  LifecycleInputs li;
  li.cancellations = &cancellations;
  const auto r = settle(p, in, li, parse_run_range("2026-Q1..2026-Q2", p));
  // Q1: 130000 each = 100000 x 5% + 30000 x 10% = 8000. Known in Q2: A 80000 -> 4000; B
  // 40000 - 20000 + 80000 + 0 = 100000 -> 5000. C's deal stands: no clawback line.
  std::vector<std::string> notes;
  const auto& l = r.pay_lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    if (l.strings("kind")[i] != "clawback") continue;
    notes.push_back(std::string(l.strings("payee_id")[i]) + " " + l.column("amount").text(i) +
                    " " + l.column("note").text(i));
  }
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "A -4000.00 recalculated without A2, S1 (cancelled or refunded in 2026-Q2): "
                       "earlier periods paid 8000, now 4000 (recalculate)",
                       "B -3000.00 recalculated without B2, S1 (cancelled or refunded in 2026-Q2): "
                       "earlier periods paid 8000, now 5000 (recalculate)"}))
      << dump(r);
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

TEST(Clawback, BadCancellationsAreRejectedAndChangeNothing) {
  const auto p = ten_percent(R"("clawback": {"window_days": 90})");
  const auto r = settle_text(p, deals, "", "2026-01..2026-06", {.cancellations = R"(transaction_id,date,amount
T9,2026-04-01,
T1,2026-05-01,
T2,2026-01-15,
T2,2026-03-01,9000
)"});
  // In transaction order, whatever the row order.
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{
                "cancellations 2 T1 | cancelled 111 days after the deal, outside the 90-day "
                "clawback window: nothing is clawed back",
                "cancellations 3 T2 | dated 2026-01-15, before the transaction (2026-02-01)",
                "cancellations 4 T2 | refunds would total 9000, more than the transaction's 5000",
                "cancellations 1 T9 | unknown transaction; nothing was paid for it"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1500"));
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("0"));
  EXPECT_EQ(r.pay_lines.num_rows(), 1U) << dump(r);
}

TEST(Clawback, NeverPaidTransactionIsRejected) {
  // A grouped component has no per-transaction lines: original_rate has nothing to reverse.
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "processing": "grouped",
      "tiers": [{"from": "0", "rate": "10"}]}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-06",
                             {.cancellations = "transaction_id,date\nT1,2026-04-01\n"});
  ASSERT_EQ(life_rejects(r).size(), 1U) << dump(r);
  EXPECT_NE(life_rejects(r)[0].find("no commission lines in the range to reverse"), std::string::npos);
}

// Property: under original_rate no payee ever gets back more than its lines paid.
TEST(Clawback, NeverMoreThanWasPaid) {
  const auto p = ten_percent();
  const auto r = settle_text(p, deals, "", "2026-01..2026-12", {.cancellations = R"(transaction_id,date,amount
T1,2026-02-01,3000
T1,2026-03-01,
T3,2026-08-01,
)"});
  Decimal clawed, paid_lines;
  for (std::size_t i = 0; i < r.pay_lines.num_rows(); ++i) {
    if (r.pay_lines.strings("kind")[i] == "clawback") clawed -= r.pay_lines.values<Decimal>("amount")[i];
  }
  for (std::size_t i = 0; i < r.commission.lines.num_rows(); ++i) {
    const auto tx = r.commission.lines.strings("transaction_id")[i];
    if (tx == "T1" || tx == "T3") paid_lines += r.commission.lines.values<Decimal>("amount")[i];
  }
  EXPECT_EQ(clawed, paid_lines);  // both cancelled in full: exactly what they paid
  EXPECT_EQ(clawed, dec("3000"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

// A cap (or gate) that took pay away from the transactions' lines: only what was paid comes back.
TEST(Clawback, OnlyWhatTheCapLeftIsTakenBack) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "basis": "amount", "mode": "flat", "limits": {"cap_per_period": "600"},
      "tiers": [{"from": "0", "rate": "10"}]}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-06",
                             {.cancellations = "transaction_id,date,amount\nT1,2026-04-15,\n"
                                               "T2,2026-04-20,2500\n"});
  // Q1: T1 and T2 earn 1000 + 500, the cap keeps 600: 600 / 1500 = 40% of each was paid.
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("600"));
  // T1 gives back 40% of 1000; half of T2 refunded gives back 40% of 250.
  const std::string why = "; 2026-Q1 paid 600.00 of the 1500.00 its transactions earned in "
                          "commission (lines of no transaction, a gate or cap, took the rest)";
  ASSERT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T1 -400.00", "clawback T2 -100.00",
                                      "carried_forward  500.00"}));
  for (std::size_t i = 0; i < r.pay_lines.num_rows(); ++i) {
    if (r.pay_lines.strings("transaction_id")[i] != "T1") continue;
    EXPECT_EQ(r.pay_lines.strings("note")[i], "cancelled 2026-04-15 (original_rate)" + why);
  }
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

// A cap of one component takes pay from that component's lines only: a SPIF beside it was paid
// in full and comes back in full.
TEST(Clawback, OneComponentsCapCutsOnlyItsOwnPart) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "basis": "amount", "mode": "flat", "limits": {"cap_per_period": "800"},
      "tiers": [{"from": "0", "rate": "10"}]}, {"id": "spif", "type": "spif", "amount": "50"}])");
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,A,2026-02-10,20000
)", "", "2026-01..2026-06", {.cancellations = "transaction_id,date\nT1,2026-04-15\n"});
  // Q1: commission 100 + 2000 capped to 800, SPIFs 50 + 50: 900 paid. T1 gives back its
  // commission as paid, 100 x 800 / 2100 = 38.0952... -> 38.09, and its SPIF, 50: 88.09 (one
  // ratio over the period, 150 x 900 / 2200, would be 61.36).
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("900"));
  ASSERT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T1 -88.09", "carried_forward  88.09"})) << dump(r);
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

TEST(Clawback, NothingPaidNothingTakenBack) {
  // A gate that kept the whole quarter from paying: the cancellation shows, at 0.00.
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "gates": [{"measure": "bookings", "min_attainment_percent": "200", "window": "period",
                 "effect": "no_pay"}],
      "tiers": [{"from": "0", "rate": "10"}]}])");
  const auto r = settle_text(p, deals,
                             "payee_id,period_start,measure,quota\nA,2026-01-01,bookings,100000\n"
                             "A,2026-04-01,bookings,100000\n",
                             "2026-01..2026-06",
                             {.cancellations = "transaction_id,date\nT1,2026-04-15\n"});
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("0"));
  ASSERT_EQ(pay_lines(r, "A", "2026-Q2"), (std::vector<std::string>{"clawback T1 0.00"})) << dump(r);
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("0"));
}

TEST(Clawback, CancellationsAfterTheRangeAreCounted) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.cancellations = "transaction_id,date\nT1,2026-07-15\nT2,2026-05-01\n"});
  EXPECT_EQ(r.cancellations_after_range, 1U);  // T1's: a later run claws it back
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T2 -500.00", "carried_forward  500.00"}));
}

TEST(Clawback, CancellationsBeforeTheRangeArePassedOver) {
  // One running cancellations file: T1's, dated in Q1, was taken back by Q1's settle; settling
  // Q3 passes it over (counted) instead of rejecting it. T3's is clawed back here.
  // T9's (an unknown deal) is rejected, not counted as passed over.
  const auto r = settle_text(ten_percent(), deals, "", "2026-07..2026-09",
                             {.cancellations = "transaction_id,date\nT1,2026-03-20\nT3,2026-08-01\nT9,2026-03-01\n"});
  EXPECT_EQ(life_rejects(r).size(), 1U) << dump(r);
  EXPECT_EQ(r.cancellations_before_range, 1U);
  EXPECT_TRUE(std::any_of(r.commission.notes.begin(), r.commission.notes.end(), [](const std::string& n) {
    return n.starts_with("1 cancellations dated before the range, of deals with no lines in it, were passed over (T1)");
  }));
  EXPECT_EQ(pay_lines(r, "A", "2026-Q3"),
            (std::vector<std::string>{"commission  2000.00", "clawback T3 -2000.00"}));
}

TEST(Clawback, RefundsOfOneDayAreNotedWithTheDaysTotal) {
  // Two refunds of 1000 of T2's 5000 on one day: one clawback of 500 x 2000 / 5000 = 200.
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.cancellations = "transaction_id,date,amount\nT2,2026-05-01,1000\n"
                                               "T2,2026-05-01,1000\n"});
  ASSERT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"clawback T2 -200.00", "carried_forward  200.00"}));
  for (std::size_t i = 0; i < r.pay_lines.num_rows(); ++i) {
    if (r.pay_lines.strings("kind")[i] != "clawback") continue;
    EXPECT_EQ(r.pay_lines.strings("note")[i], "refunded 2000 of 5000 on 2026-05-01 (original_rate)");
  }
}

TEST(Clawback, CancellingTwiceOrAReturnSaysSo) {
  const auto p = ten_percent(R"("allow_negative": true)");
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
TR,A,2026-02-01,-400
)", "", "2026-01..2026-06", {.cancellations = "transaction_id,date\nT1,2026-04-15\nT1,2026-04-20\nTR,2026-04-20\n"});
  EXPECT_EQ(life_rejects(r), (std::vector<std::string>{
      "cancellations 2 T1 | the transaction was already cancelled or refunded in full (on "
      "2026-04-15); nothing is left to take back",
      "cancellations 3 TR | the transaction's amount is -400: a return (or zero) earned nothing "
      "to claw back"})) << dump(r);
}

TEST(Clawback, RecalculatingARejectedTransactionIsRejected) {
  // T6 has no payee: the run rejects it, nothing was paid, so its cancellation is said to change
  // nothing (under original_rate it is rejected too, for want of lines).
  const auto p = ten_percent(R"("clawback": {"policy": "recalculate"})");
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
T6,,2026-02-15,700
)", "", "2026-01..2026-06", {.cancellations = "transaction_id,date\nT6,2026-03-01\n"});
  const auto rj = life_rejects(r);
  ASSERT_EQ(rj.size(), 2U) << dump(r);  // the run's reject of T6, then the cancellation's
  EXPECT_EQ(rj[1], "cancellations 1 T6 | the transaction was rejected by the run (see its reject), "
                   "so nothing was paid for it: nothing to claw back");
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1000"));
}

}  // namespace
}  // namespace spm::comp::test
