// The pay ledger: adjustments, releases on invoice and payment, prior-period reprocessing,
// fingerprints, and results independent of row order and threads.
#include <algorithm>
#include <random>

#include "lifecycle_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view deals = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
T2,B,2026-02-01,5000
T3,A,2026-05-05,20000
)";

TEST(Ledger, AdjustmentsAreShownApartAndCounted) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06", {.adjustments = R"(payee_id,period,amount,reason,author,date
A,2026-Q1,250,missed split on T9,jdoe,2026-03-28
A,2026-Q1,-50.5,duplicate SPIF,jdoe,2026-03-29
B,2026-Q3,100,wrong quarter,jdoe,2026-03-29
C,2026-Q2,75,onboarding bonus,,2026-04-02
)"});
  // A Q1: 1000 commission + 250 - 50.50 = 1199.50.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"commission  1000.00", "adjustment  250.00",
                                      "adjustment  -50.50"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1199.5"));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "adjustments"), dec("199.5"));
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{
                "adjustments 3  | period '2026-Q3' is not a pay period of the run; use one of: 2026-Q1, 2026-Q2",
                "adjustments 4  | author is empty; every adjustment says who made it"}));
  // The note says why, who and when.
  bool found = false;
  for (std::size_t i = 0; i < r.pay_lines.num_rows(); ++i) {
    found |= r.pay_lines.column("note").text(i) == "missed split on T9 (by jdoe, 2026-03-28)";
  }
  EXPECT_TRUE(found) << dump(r);
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

// Dictionary-encoded string columns in every input (transactions, quotas, adjustments, payments)
// settle exactly as plain text.
TEST(Ledger, DictionaryEncodedInputsSettleTheSame) {
  Life life{.adjustments = R"(payee_id,period,amount,reason,author,date
A,2026-Q1,250,missed split on T9,jdoe,2026-03-28
B,2026-Q2,-20,duplicate SPIF,,2026-04-02
)",
            .events = R"(transaction_id,event,date,amount,due
T1,invoice,2026-02-01,,2026-03-02
T1,payment,2026-03-01,4000,
)"};
  const auto p = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  const auto plain = settle_text(p, deals, "", "2026-01..2026-06", life);
  life.dictionary = true;
  const auto encoded = settle_text(p, deals, "", "2026-01..2026-06", life);
  EXPECT_EQ(dump(encoded), dump(plain));
  EXPECT_EQ(pay(encoded, "A", "2026-Q1", "adjustments"), dec("250"));
  EXPECT_FALSE(life_rejects(encoded).empty());  // B's adjustment has no author
}

TEST(Ledger, ReleaseOnBookingAndPaymentProRata) {
  const auto p = ten_percent(R"("release": [{"on": "booking", "percent": "50"},
                                            {"on": "payment", "percent": "50"}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-06", {.events = R"(transaction_id,event,date,amount,due
T1,invoice,2026-01-31,,2026-03-02
T1,payment,2026-02-10,4000,
T1,payment,2026-04-20,6000,
T2,invoice,2026-02-15,,2026-03-17
T2,payment,2026-03-01,6000,
)"});
  // T1 earns 1000: 500 on booking, then 500 x 4000/10000 = 200 in Q1 and 300 in Q2.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"commission  500.00", "release T1 200.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "held"), dec("300"));
  // Q2: T1's last 300, and T3's booking half (2000 x 50%); T3's other half is held.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"commission  1000.00", "release T1 300.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2", "held"), dec("1000"));
  // B: payment of 6000 on a 5000 invoice is rejected; 250 stays held, expected on the due date.
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{"events 5 T2 | payments would total 6000, more than the "
                                      "invoice's 5000; nothing of it is released"}));
  EXPECT_EQ(pay(r, "B", "2026-Q1"), dec("250"));
  EXPECT_EQ(csv(r.held), "payee_id,transaction_id,period,on,amount,expected\n"
                         "A,T3,2026-Q2,payment,1000.00,\n"
                         "B,T2,2026-Q1,payment,250.00,2026-03-17\n");
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

// Events that are more often data errors than facts are used as given, and noted.
TEST(Ledger, OddEventsAreNoted) {
  const auto p = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-06", {.events = R"(transaction_id,event,date,amount,due
T1,payment,2026-02-01,5000,
T2,invoice,2026-03-01,6000,
T2,payment,2026-02-15,6000,
T3,invoice,2026-05-01,,
T3,payment,2026-05-10,20000,
)"});
  const auto& notes = r.commission.notes;
  auto has = [&](std::string_view text) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.starts_with(text); });
  };
  // T3's invoice, dated before the deal, is rejected: its payment has no invoice either.
  EXPECT_TRUE(has("2 transactions paid with no invoice event: paid against the transaction's amount (T1, T3)"));
  EXPECT_TRUE(has("1 transaction invoiced above the transaction's amount"));
  EXPECT_TRUE(has("1 transaction paid before the invoice's date (T2)"));
  // Used as given: T1's 5000 of 10000 paid releases half of its 1000; T2's whole invoice, all.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"), std::vector<std::string>{"release T1 500.00"});
  EXPECT_EQ(pay_lines(r, "B", "2026-Q1"), std::vector<std::string>{"release T2 500.00"});
}

TEST(Ledger, ReleaseOnInvoiceAfterTheRangeIsHeld) {
  const auto p = ten_percent(R"("release": [{"on": "invoice", "percent": "100"}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-03", {.events = R"(transaction_id,event,date
T1,invoice,2026-03-31
T2,invoice,2026-04-02
)"});
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"), std::vector<std::string>{"release T1 1000.00"});
  EXPECT_EQ(csv(r.held), "payee_id,transaction_id,period,on,amount,expected\n"
                         "B,T2,2026-Q1,invoice,500.00,2026-04-02\n");
}

TEST(Ledger, ReprocessingUnchangedInputsChangesNothing) {
  const auto first = settle_text(ten_percent(), deals, "", "2026-01..2026-06");
  const auto again = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                                 {.paid = "payee_id,period,amount\nA,2026-Q1,1000\nB,2026-Q1,500\n"});
  EXPECT_EQ(csv(first.pay_lines), csv(again.pay_lines));
  for (std::size_t i = 0; i < first.pay.num_rows(); ++i) EXPECT_EQ(first.pay.column("status").text(i), "open");
  EXPECT_EQ(pay(again, "A", "2026-Q1", "recomputed"), dec("1000"));
  EXPECT_EQ(again.pay.column("status").text(0), "closed");
  EXPECT_EQ(pay(again, "A", "2026-Q2", "prior_period"), dec("0"));
}

TEST(Ledger, LateDataFlowsIntoTheCurrentPeriod) {
  std::string late(deals);
  late += "T4,A,2026-03-20,4000\n";
  const auto r = settle_text(ten_percent(), late, "", "2026-01..2026-06",
                             {.paid = "payee_id,period,amount\nA,2026-Q1,1000\nB,2026-Q1,500\n"});
  // Q1 recomputes to 1400 but stays paid at 1000; the 400 comes in Q2 with T3's 2000.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"commission  1400.00", "closed_difference  -400.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1000"));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "recomputed"), dec("1400"));
  EXPECT_EQ(pay_lines(r, "A", "2026-Q2"),
            (std::vector<std::string>{"commission  2000.00", "prior_period  400.00"}));
  EXPECT_EQ(pay(r, "A", "2026-Q2"), dec("2400"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

TEST(Ledger, ADifferenceWithNoOpenPeriodToTakeItIsRejectedAtItsPaidRow) {
  std::string late(deals);
  late += "T4,A,2026-03-20,4000\n";
  // Q1 recomputes to 1400 against 1000 paid, and the range has no open period after it.
  const auto r = settle_text(ten_percent(), late, "", "2026-01..2026-03",
                             {.paid = "payee_id,period,amount\nB,2026-Q1,500\nA,2026-Q1,1000\n"});
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{"paid 2  | recomputed 1400, paid 1000, and no open period "
                                      "follows in the range to take the difference; extend the range"}))
      << dump(r);
}

// Shuffles the data rows of CSV text (the header stays first).
std::string shuffled(std::string_view text, unsigned seed) {
  std::vector<std::string> rows;
  std::string s(text);
  std::size_t start = 0;
  while (start < s.size()) {
    const auto nl = s.find('\n', start);
    rows.push_back(s.substr(start, nl - start + 1));
    start = nl + 1;
  }
  std::mt19937 g(seed);
  std::shuffle(rows.begin() + 1, rows.end(), g);
  std::string out;
  for (const auto& r : rows) out += r;
  return out;
}

constexpr std::string_view many = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,10000
T2,B,2026-02-01,5000
T3,A,2026-05-05,20000
T4,B,2026-05-07,7000
T5,A,2026-08-01,3000
T6,C,2026-03-03,12000
)";
constexpr std::string_view many_cancel = "transaction_id,date,amount\nT1,2026-04-01,\nT4,2026-07-01,700\nT6,2026-03-31,\n";
constexpr std::string_view many_adj = "payee_id,period,amount,reason,author,date\nA,2026-Q2,10,a,x,2026-06-01\nC,2026-Q3,-5,b,y,2026-08-01\n";
constexpr std::string_view many_draws = "payee_id,from,to,amount,type\nB,2026-01-01,,900,recoverable\nC,2026-04-01,,400,non_recoverable\n";

TEST(Ledger, SameBytesWhateverTheRowOrderAndThreads) {
  const auto p = ten_percent(R"("release": [{"on": "booking", "percent": "60"}, {"on": "payment", "percent": "40"}])");
  const std::string events = "transaction_id,event,date,amount\nT2,payment,2026-04-01,2500\nT3,payment,2026-06-01,\nT5,payment,2026-08-10,1000\n";
  const auto base = settle_text(p, many, "", "2026-01..2026-09",
                                {.adjustments = many_adj, .draws = many_draws,
                                 .cancellations = many_cancel, .events = events});
  EXPECT_TRUE(pay_lines_sum_to_net(base));
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const std::string tx = shuffled(many, seed), c = shuffled(many_cancel, seed),
                      a = shuffled(many_adj, seed), d = shuffled(many_draws, seed),
                      e = shuffled(events, seed);
    const auto r = settle_text(p, tx, "", "2026-01..2026-09",
                               {.adjustments = a, .draws = d, .cancellations = c, .events = e,
                                .threads = seed});
    EXPECT_EQ(dump(r), dump(base));
    EXPECT_EQ(r.fingerprint, base.fingerprint);
  }
}

TEST(Ledger, FingerprintIdentifiesTheInputsAndReproducesTheRun) {
  const auto p = ten_percent();
  const auto a = settle_text(p, many, "", "2026-01..2026-09", {.cancellations = many_cancel});
  const auto b = settle_text(p, many, "", "2026-01..2026-09", {.cancellations = many_cancel});
  EXPECT_EQ(a.fingerprint.size(), 64U);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(dump(a), dump(b));  // same fingerprint, same bytes
  std::string changed(many);
  changed.replace(changed.find("12000"), 5, "12001");
  EXPECT_NE(settle_text(p, changed, "", "2026-01..2026-09", {.cancellations = many_cancel}).fingerprint,
            a.fingerprint);
  EXPECT_NE(settle_text(p, many, "", "2026-01..2026-06", {.cancellations = many_cancel}).fingerprint,
            a.fingerprint);
  EXPECT_NE(settle_text(ten_percent(R"("version": 2)"), many, "", "2026-01..2026-09",
                        {.cancellations = many_cancel}).fingerprint,
            a.fingerprint);
  EXPECT_NE(settle_text(p, many, "", "2026-01..2026-09").fingerprint, a.fingerprint);
}

TEST(Ledger, NetPayInThePayeesCurrency) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.payees = "payee_id,currency\nB,EUR\n",
                              .fx_rates = "currency,date,rate\nEUR,2026-01-01,1.085\nEUR,2026-03-15,1.1\n"});
  // B's Q1 net pay 500 USD at the rate in force on 2026-03-31 (1.1 USD per EUR): 454.55 EUR.
  EXPECT_EQ(pay(r, "B", "2026-Q1", "net_pay_local"), dec("454.55"));
  EXPECT_EQ(pay(r, "B", "2026-Q1", "fx_rate"), dec("1.1"));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "net_pay_local"), dec("1000"));
  EXPECT_EQ(r.pay.column("currency").text(2), "EUR");
  // The same with every input's strings dictionary-encoded (settle reads the rates itself).
  const auto e = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.payees = "payee_id,currency\nB,EUR\n",
                              .fx_rates = "currency,date,rate\nEUR,2026-01-01,1.085\nEUR,2026-03-15,1.1\n",
                              .dictionary = true});
  EXPECT_EQ(dump(e), dump(r));
}

TEST(Ledger, PaymentsAreCheckedAgainstTheInvoiceWhateverTheirDates) {
  const auto p = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  // A prepayment of 8,000 before a 5,000 invoice: above the invoice, rejected; 2,000 on 03-10
  // releases 1,000 x 2,000 / 5,000 = 400.
  const auto r = settle_text(p, deals, "", "2026-01..2026-03", {.events = R"(transaction_id,event,date,amount
T1,payment,2026-01-20,8000
T1,invoice,2026-01-31,5000
T1,payment,2026-03-10,2000
)"});
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"), std::vector<std::string>{"release T1 400.00"});
  EXPECT_EQ(life_rejects(r).size(), 1U) << dump(r);
}

TEST(Ledger, RefundBeforeOrAfterPaymentReleasesTheSame) {
  const auto p = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  // T1 earns 1,000; half of it is refunded and the other half paid, in either order: 500.
  const auto refund_first = settle_text(p, deals, "", "2026-01..2026-03",
      {.cancellations = "transaction_id,date,amount\nT1,2026-02-01,5000\n",
       .events = "transaction_id,event,date,amount\nT1,payment,2026-02-10,5000\n"});
  const auto pay_first = settle_text(p, deals, "", "2026-01..2026-03",
      {.cancellations = "transaction_id,date,amount\nT1,2026-02-20,5000\n",
       .events = "transaction_id,event,date,amount\nT1,payment,2026-02-10,10000\n"});
  EXPECT_EQ(pay(refund_first, "A", "2026-Q1"), dec("500"));
  EXPECT_EQ(pay(pay_first, "A", "2026-Q1"), dec("500"));
  EXPECT_EQ(pay(refund_first, "A", "2026-Q1", "held"), dec("0"));
  EXPECT_EQ(pay(pay_first, "A", "2026-Q1", "held"), dec("0"));
}

TEST(Ledger, ReturnsAndZeroAmountsAreReleasedSafely) {
  // A SPIF on a deal of amount 0 and a return: the return's negative commission is netted on
  // booking, the zero deal's SPIF waits for its invoice.
  const auto p = plan(R"("measures": [{"id": "b"}], "allow_negative": true, "components": [
      {"id": "c", "measure": "b", "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}]},
      {"id": "s", "type": "spif", "amount": "100"}],
      "release": [{"on": "booking", "percent": "50"}, {"on": "invoice", "percent": "50"}])");
  const auto r = settle_text(p, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T0,A,2026-01-11,0
TR,A,2026-02-01,-400
)", "", "2026-Q1", {.events = "transaction_id,event,date\nT0,invoice,2026-02-01\nT1,invoice,2026-03-01\n"});
  // T1: 100 + 100 SPIF = 200, half on booking, half on invoice. T0: SPIF 100, 50 + 50.
  // TR: -40 on booking. Net 200 + 100 - 40 = 260, nothing held.
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("260"));
  EXPECT_EQ(pay(r, "A", "2026-Q1", "held"), dec("0"));
  EXPECT_TRUE(pay_lines_sum_to_net(r));
}

TEST(Ledger, MoneyInputsFinerThanThePlanAreRejected) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06", {
      .adjustments = "payee_id,period,amount,reason,author\nA,2026-Q1,0.005,x,y\n",
      .draws = "payee_id,from,to,amount,type\nA,2026-01-01,2026-04-01,1000.005,recoverable\n",
      .terminations = "payee_id,date\nA,2026-05-01\nA,2026-05-02\n"});
  EXPECT_EQ(life_rejects(r),
            (std::vector<std::string>{"adjustments 1  | amount 0.005 has more than the plan's 2 decimals",
                                      "draws 1  | amount 1000.005 has more than the plan's 2 decimals",
                                      "terminations 1  | the payee has more than one termination date; give one",
                                      "terminations 2  | the payee has more than one termination date; give one"}));
  EXPECT_EQ(pay(r, "A", "2026-Q1"), dec("1000"));
}

TEST(Ledger, PaidForAPeriodTwiceIsRejected) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.paid = "payee_id,period,amount\nA,2026-Q1,1000\nA,2026-Q1,900\n"});
  EXPECT_EQ(life_rejects(r).size(), 2U) << dump(r);
  EXPECT_EQ(pay(r, "A", "2026-Q1", "recomputed"), dec("0"));  // null: not closed
}

TEST(Ledger, NegativePaidIsRejected) {
  const auto r = settle_text(ten_percent(), deals, "", "2026-01..2026-06",
                             {.paid = "payee_id,period,amount\nA,2026-Q1,-1000\n"});
  EXPECT_EQ(life_rejects(r), std::vector<std::string>{
      "paid 1  | amount -1000 is negative; paid is what the period paid out (0 or more)"});
  EXPECT_EQ(pay(r, "A", "2026-Q1", "recomputed"), dec("0"));  // null: not closed
}

TEST(Ledger, MoneyBeforeTheDealIsRejected) {
  // T1 is booked on 2026-01-10: an invoice or a payment before it is a wrong date.
  const auto p = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  const auto r = settle_text(p, deals, "", "2026-01..2026-03", {.events = R"(transaction_id,event,date,amount
T1,invoice,2026-01-05,10000
T1,payment,2025-12-01,4000
T1,payment,2026-02-10,5000
)"});
  EXPECT_EQ(life_rejects(r), (std::vector<std::string>{
      "events 1 T1 | invoice dated 2026-01-05, before the transaction (2026-01-10); fix the date",
      "events 2 T1 | payment dated 2025-12-01, before the transaction (2026-01-10); fix the date"}));
  // Only the 5,000 of 10,000 paid on 02-10 releases: 500.
  EXPECT_EQ(pay_lines(r, "A", "2026-Q1"), std::vector<std::string>{"release T1 500.00"});
}

TEST(Ledger, VersionsWithDifferentLifecycleRulesAreRefused) {
  // Settle applies one set of lifecycle rules: versions that differ in them are refused, not
  // applied to deals of the other version's dates.
  Plan v1 = ten_percent();
  Plan v2 = ten_percent(R"("release": [{"on": "payment", "percent": "100"}])");
  v1.effective_to = v2.effective_from = Date(2026, 4, 1);
  v2.version = v1.version + 1;
  const io::Table tx = table(deals);
  const io::Table q = table("payee_id,period_start,quota\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  const std::vector<Plan> versions{v1, v2};
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)settle(versions, in, {}, parse_run_range("2026-01..2026-06", v1), {}); },
      "plan.versions",
      "[plan.versions] t: the versions from 2026-01-01 and 2026-04-01 differ in release: settle "
      "applies one set of lifecycle rules; settle each version's dates separately (carry "
      "balances with the opening input)"));
  v2.release.clear();
  const std::vector<Plan> same{v1, v2};
  EXPECT_NO_THROW((void)settle(same, in, {}, parse_run_range("2026-01..2026-06", v1), {}));
}

}  // namespace
}  // namespace spm::comp::test
