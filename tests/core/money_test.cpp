#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/money.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using namespace spm::literals;
using test::throws_error;

const Currency usd("USD");
const Currency eur("EUR");
const Currency jpy("JPY");
const Currency kwd("KWD");

TEST(Money, RoundedAndPrintedInMinorUnits) {
  // Hand-checked: half-even display rounding at the currency's minor units.
  struct Row {
    const char* amount;
    const char* code;
    const char* text;
    const char* rounded_half_up;
  };
  const Row rows[] = {
      {"1234.565", "USD", "1234.56 USD", "1234.57"},
      {"1234.575", "USD", "1234.58 USD", "1234.58"},
      {"-0.005", "USD", "0.00 USD", "0"},
      {"-0.015", "EUR", "-0.02 EUR", "-0.01"},
      {"12", "USD", "12.00 USD", "12"},
      {"1500.5", "JPY", "1500 JPY", "1501"},
      {"1501.5", "JPY", "1502 JPY", "1502"},
      {"1.0005", "KWD", "1.000 KWD", "1.001"},
      {"0.00005", "CLF", "0.0000 CLF", "0.0001"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.amount) + " " + r.code);
    const Money m(Decimal::parse(r.amount), Currency(r.code));
    EXPECT_EQ(m.to_string(), r.text);
    EXPECT_EQ(m.rounded(Rounding::half_up).amount(), Decimal::parse(r.rounded_half_up));
    EXPECT_EQ(m.rounded(Rounding::half_up).currency(), Currency(r.code));
    EXPECT_EQ(m.amount(), Decimal::parse(r.amount));  // unrounded amounts are kept
  }
}

TEST(Money, Parse) {
  struct Row {
    const char* text;
    const char* amount;
    const char* code;
  };
  const Row rows[] = {
      {"1234.56 USD", "1234.56", "USD"},
      {"USD 1234.56", "1234.56", "USD"},
      {"-5 JPY", "-5", "JPY"},
      {"KWD 0.125", "0.125", "KWD"},
      {"100 EUR", "100", "EUR"},
      {"0.123456789012 USD", "0.123456789012", "USD"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.text);
    const Money m = Money::parse(r.text);
    EXPECT_EQ(m.amount(), Decimal::parse(r.amount));
    EXPECT_EQ(m.currency(), Currency(r.code));
  }
}

TEST(MoneyErrors, ParseMessages) {
  const char* shape = " is not an amount with a currency; write e.g. '1234.56 USD'";
  struct Row {
    const char* text;
    const char* path;
    const char* id;
    std::string what;
  };
  const Row rows[] = {
      {"1234.56", "", "money.parse", std::string("[money.parse] '1234.56'") + shape},
      {"1 USD X", "", "money.parse", std::string("[money.parse] '1 USD X'") + shape},
      {"", "row[3].amount", "money.parse", std::string("[money.parse] row[3].amount: ''") + shape},
      {"12,00 USD", "row[3].amount", "decimal.parse",
       "[decimal.parse] row[3].amount: '12,00' is not a decimal: thousands separators are not "
       "accepted; remove them"},
      {"1 XYZ", "", "currency.unknown",
       "[currency.unknown] 'XYZ' is not an active ISO 4217 currency code; use three capital "
       "letters such as USD or EUR, or Currency::custom for others"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("'") + r.text + "'");
    EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)Money::parse(r.text, r.path); }, r.id,
                                                r.what));
  }
}

TEST(MoneyErrors, CurrencyMismatch) {
  const Money a("10"_d, usd);
  const Money b("10"_d, eur);
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)(a + b); }, "money.currency_mismatch",
      "[money.currency_mismatch] cannot add USD and EUR amounts; convert one of them with an FX "
      "rate first"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)(b - a); }, "money.currency_mismatch",
      "[money.currency_mismatch] cannot subtract EUR and USD amounts; convert one of them with an "
      "FX rate first"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)(a < b); }, "money.currency_mismatch",
      "[money.currency_mismatch] cannot compare USD and EUR amounts; convert one of them with an "
      "FX rate first"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { require_same_currency(usd, jpy, "net"); }, "money.currency_mismatch",
      "[money.currency_mismatch] cannot net USD and JPY amounts; convert one of them with an FX "
      "rate first"));
  EXPECT_NO_THROW(require_same_currency(usd, Currency("USD"), "net"));
  // Equality is not an error: amounts in different currencies are simply different.
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a != b);
}

TEST(Money, ArithmeticAndOrdering) {
  const Money a("10.25"_d, usd);
  const Money b("0.75"_d, usd);
  EXPECT_EQ(a + b, Money("11"_d, usd));
  EXPECT_EQ(a - b, Money("9.5"_d, usd));
  EXPECT_EQ(-a, Money("-10.25"_d, usd));
  EXPECT_LT(b, a);
  EXPECT_GT(a, b);
  EXPECT_EQ(a <=> Money("10.250"_d, usd), std::strong_ordering::equal);
  Money c = a;
  c += b;
  c -= a;
  EXPECT_EQ(c, b);
  // Scaling keeps 12 decimals; rounding is the caller's explicit step.
  const Money commission = a * "0.0375"_d;
  EXPECT_EQ(commission.amount(), "0.384375"_d);
  EXPECT_EQ(commission.rounded().amount(), "0.38"_d);
  EXPECT_EQ("0.0375"_d * a, commission);
  EXPECT_EQ((Money("1"_d, usd) * ("1"_d / "3"_d)).amount(), "0.333333333333"_d);
}

TEST(MoneyProperty, SumsMatchDecimalSums) {
  // Adding many random cent amounts: Money arithmetic is Decimal arithmetic plus a currency.
  Random rng(31);
  for (int round = 0; round < 200; ++round) {
    Money total(Decimal(), usd);
    Decimal reference;
    for (int i = 0; i < 50; ++i) {
      const Decimal x = test::random_decimal(rng, 70, 2);
      total += Money(x, usd);
      reference += x;
      ASSERT_EQ(total.amount(), reference) << "after adding " << x.to_string();
      ASSERT_EQ(total - Money(x, usd) + Money(x, usd), total);
    }
    ASSERT_EQ(Money::parse(total.to_string()), total) << total.to_string();
    ASSERT_EQ(total.rounded(), total);  // cents stay cents
  }
}

}  // namespace
}  // namespace spm
