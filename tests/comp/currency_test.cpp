// Currencies: foreign transactions converted at effective-dated rates (transaction date or pay
// period start), each line carrying the rate used; a missing rate rejects the row.
#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view deals = R"(transaction_id,payee_id,date,amount,currency
T1,A,2026-01-15,1000,EUR
T2,A,2026-02-10,1000,EUR
T3,A,2026-01-20,500,
T4,A,2026-01-05,100,JPY
)";
constexpr std::string_view rates = R"(currency,date,rate
EUR,2026-01-01,1.08500000
EUR,2026-02-01,1.09123456
GBP,2026-01-01,1.27
)";

Plan flat(std::string_view head = "") {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "basis": "amount", "mode": "flat", "tiers": [{"from": "0", "rate": "10"}]}])", head);
}

std::string fx_of(const CompResult& r, std::string_view tx) {
  for (std::size_t i = 0; i < r.lines.num_rows(); ++i) {
    if (r.lines.strings("transaction_id")[i] == tx) return r.lines.column("fx_rate").text(i);
  }
  return "(none)";
}

TEST(Currency, ConvertedAtTheTransactionDate) {
  Extra e;
  e.fx_rates = rates;
  const auto r = run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1", e);
  // T1: 1000 EUR x 1.085 = 1085.00 USD, 10% = 108.50. T2: 1000 x 1.09123456 = 1091.23456,
  // rounded to 1091.23, 10% = 109.123 -> 109.12. T3 is USD: 50.00. Total 267.62.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "measure_value"), dec("2676.23"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("267.62"));
  EXPECT_EQ(fx_of(r, "T1"), "1.085");
  EXPECT_EQ(fx_of(r, "T2"), "1.09123456");
  EXPECT_EQ(fx_of(r, "T3"), "");
  EXPECT_EQ(rejects(r), std::vector<std::string>{
                            "transactions 4 T4   | no JPY rate on or before 2026-01-05 in the "
                            "fx_rates table; add one"});
  EXPECT_TRUE(lines_sum_to_payouts(r));
}

TEST(Currency, ConvertedAtThePeriodRate) {
  Extra e;
  e.fx_rates = rates;
  const auto r = run_text(flat(R"("currency_conversion": {"at": "period_start"})"), deals,
                          "payee_id,period_start,quota\n", "2026-Q1", e);
  // Both EUR deals at the rate in force on 2026-01-01: 2 x 108.50 + 50 = 267.00.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("267"));
  EXPECT_EQ(fx_of(r, "T2"), "1.085");
}

TEST(Currency, WithoutRatesAForeignCurrencyIsRejected) {
  const auto r = run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1");
  EXPECT_EQ(rejects(r).size(), 3U) << dump(r);
  EXPECT_FALSE(r.lines.find("fx_rate").has_value());
}

TEST(Currency, ConflictingRatesAreRejected) {
  Extra e;
  e.fx_rates = "currency,date,rate\nEUR,2026-01-01,1.1\nEUR,2026-01-01,1.2\n";
  const auto r = run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1", e);
  const auto rj = rejects(r);
  ASSERT_GE(rj.size(), 2U);
  EXPECT_EQ(rj[0], "fx_rates 1 EUR   | two different rates for EUR on 2026-01-01; give one");
}

// A rejected rate leaves no rate in force from its date: the one before must not quietly go on.
TEST(Currency, ARejectedRateIsNotReplacedByTheOneBefore) {
  Extra e;
  for (const char* bad : {"0", "-1.1"}) {
    const std::string text = std::string("currency,date,rate\nEUR,2026-01-01,1.085\nEUR,2026-02-01,") + bad + "\n";
    e.fx_rates = text;
    const auto r = run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1", e);
    const auto rj = rejects(r);
    ASSERT_EQ(rj.size(), 3U) << bad << dump(r);
    EXPECT_EQ(rj[1], "transactions 2 T2   | the EUR rate in force on 2026-02-10 is fx_rates row 2 "
                     "(from 2026-02-01), which was rejected; fix that row") << bad;
    EXPECT_EQ(fx_of(r, "T1"), "1.085");  // before the bad date, the good rate
    EXPECT_EQ(fx_of(r, "T2"), "(none)");
  }
  // A good and a rejected row for one date: which was meant is unknown, so neither is used.
  e.fx_rates = "currency,date,rate\nEUR,2026-01-01,1.085\nEUR,2026-02-01,1.1\nEUR,2026-02-01,0\n";
  EXPECT_EQ(fx_of(run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1", e), "T2"), "(none)");
  // Conflicting rates: the date has none either (not the rate before it).
  e.fx_rates = "currency,date,rate\nEUR,2026-01-01,1.085\nEUR,2026-02-01,1.1\nEUR,2026-02-01,1.2\n";
  auto r = run_text(flat(), deals, "payee_id,period_start,quota\n", "2026-Q1", e);
  EXPECT_EQ(fx_of(r, "T2"), "(none)");
}

TEST(Currency, AMisspelledCurrencyIsNamedAsSuch) {
  Extra e;
  e.fx_rates = rates;
  const auto r = run_text(flat(), "transaction_id,payee_id,date,amount,currency\nT1,A,2026-01-15,1000,EURO\n",
                          "payee_id,period_start,quota\n", "2026-Q1", e);
  EXPECT_EQ(rejects(r), std::vector<std::string>{
      "transactions 1 T1   | currency 'EURO' is not an ISO 4217 code and has no rate in the "
      "fx_rates table; check its spelling (e.g. EUR)"});
}

// Columns found loosely ("Amount", "Currency", as a DataFrame of a CRM export names them) are
// converted like the exact ones (EUR 1000 at rate 2 + USD 1000 at 10% = 300), and two columns
// that both read as one name are refused naming them.
TEST(Currency, LooselyNamedColumnsAreConverted) {
  const Plan plan = parse_plan(R"({"id": "fx", "currency": "USD", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
      "currency_conversion": {"at": "transaction_date"}, "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
                      "tiers": [{"from": "0", "rate": "10"}]}]})");
  auto table = [](const std::string& amount, const std::string& currency) {
    io::Table tx;
    tx.add(io::Column::of("Transaction ID", std::vector<std::string>{"T1", "T2"}));
    tx.add(io::Column::of("payee_id", std::vector<std::string>{"A", "A"}));
    tx.add(io::Column::of("date", std::vector<Date>{Date(2026, 1, 15), Date(2026, 1, 16)}));
    tx.add(io::Column::of(amount, std::vector<Decimal>{Decimal(1000), Decimal(1000)}));
    tx.add(io::Column::of(currency, std::vector<std::string>{"EUR", "USD"}));
    return tx;
  };
  io::Table q;
  q.add(io::Column::of("payee_id", std::vector<std::string>{}));
  q.add(io::Column::of("period_start", std::vector<Date>{}));
  q.add(io::Column::of("quota", std::vector<Decimal>{}));
  io::Table fx;
  fx.add(io::Column::of("currency", std::vector<std::string>{"EUR"}));
  fx.add(io::Column::of("date", std::vector<Date>{Date(2026, 1, 1)}));
  fx.add(io::Column::of("rate", std::vector<Decimal>{Decimal(2)}));
  for (const auto& [amount, currency] : {std::pair{"amount", "currency"}, {"Amount", "currency"},
                                         {"amount", "Currency"}, {" AMOUNT ", "Currency"}}) {
    SCOPED_TRACE(std::string(amount) + " " + currency);
    const io::Table tx = table(amount, currency);
    CompInputs in;
    in.transactions = &tx;
    in.quotas = &q;
    in.fx_rates = &fx;
    const auto r = run(plan, in, parse_run_range("2026-Q1", plan), ExecutionContext{});
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("300"));
  }
  io::Table both = table("amount", "currency");
  both.add(io::Column::of("Payee ID", std::vector<std::string>{"A", "A"}));
  both.add(io::Column::of("payee-id", std::vector<std::string>{"A", "A"}));
  io::Table loose;
  for (const auto& c : both.columns()) {
    if (c.name() != "payee_id") loose.add(c);
  }
  CompInputs in;
  in.transactions = &loose;
  in.quotas = &q;
  in.fx_rates = &fx;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(plan, in, parse_run_range("2026-Q1", plan), ExecutionContext{}); }, "comp.column",
      "[comp.column] transactions.payee_id: the transactions table needs a column 'payee_id'; columns "
      "'Payee ID' and 'payee-id' both read as 'payee_id': rename one"));
}

}  // namespace
}  // namespace spm::comp::test
