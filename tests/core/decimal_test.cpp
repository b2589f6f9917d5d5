#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using namespace spm::literals;
using test::big;
using test::BigInt;
using test::int128;
using test::str;
using test::throws_error;

// ---------------------------------------------------------------------------------------------
// Parsing and printing: hand-checked tables.

TEST(DecimalParse, OneTenthIsExact) {
  EXPECT_EQ(Decimal::parse("0.1").raw(), Decimal::unit / 10);
  EXPECT_EQ(Decimal::parse("0.1") + Decimal::parse("0.2"), Decimal::parse("0.3"));
}

TEST(DecimalParse, StrictAcceptsPlainDecimals) {
  // Hand-checked: raw is the value times 10^12; canonical text drops trailing zeros and '+'.
  struct Row {
    const char* text;
    const char* raw;
    const char* canonical;
  };
  const Row rows[] = {
      {"0", "0", "0"},
      {"-0", "0", "0"},
      {"+1", "1000000000000", "1"},
      {"12.50", "12500000000000", "12.5"},
      {"-12.50", "-12500000000000", "-12.5"},
      {"0.000000000001", "1", "0.000000000001"},
      {"-0.000000000001", "-1", "-0.000000000001"},
      {"00012", "12000000000000", "12"},
      {"1.", "1000000000000", "1"},
      {".5", "500000000000", "0.5"},
      {"0.100000000000000000", "100000000000", "0.1"},  // zeros beyond 12 places are harmless
      {"999999999999999.9999", "999999999999999999900000000", "999999999999999.9999"},
      {"0.1234567891", "123456789100", "0.1234567891"},
      {"170141183460469231731687303.715884105727", "170141183460469231731687303715884105727",
       "170141183460469231731687303.715884105727"},
      {"-170141183460469231731687303.715884105727", "-170141183460469231731687303715884105727",
       "-170141183460469231731687303.715884105727"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    const Decimal d = Decimal::parse(r.text);
    EXPECT_EQ(str(d.raw()), r.raw);
    EXPECT_EQ(d.to_string(), r.canonical);
  }
  EXPECT_EQ(Decimal::parse("170141183460469231731687303.715884105727"), Decimal::max());
  EXPECT_EQ(Decimal::parse("-170141183460469231731687303.715884105727"), Decimal::min());
}

TEST(DecimalParse, StrictRejectsWithStatus) {
  // Hand-written: one row per way a text can fail; try_parse must leave `out` untouched.
  struct Row {
    const char* text;
    DecimalParseStatus status;
  };
  const Row rows[] = {
      {"", DecimalParseStatus::empty},
      {"abc", DecimalParseStatus::invalid_character},
      {"-", DecimalParseStatus::invalid_character},
      {"+", DecimalParseStatus::invalid_character},
      {".", DecimalParseStatus::invalid_character},
      {"1.2.3", DecimalParseStatus::invalid_character},
      {"--1", DecimalParseStatus::invalid_character},
      {"1-", DecimalParseStatus::invalid_character},
      {"e3", DecimalParseStatus::invalid_character},
      {"(12.50)", DecimalParseStatus::invalid_character},
      {"1e3", DecimalParseStatus::exponent},
      {"1E-3", DecimalParseStatus::exponent},
      {"1,000.00", DecimalParseStatus::thousands_separator},
      {" 1", DecimalParseStatus::whitespace},
      {"1 ", DecimalParseStatus::whitespace},
      {"1\t", DecimalParseStatus::whitespace},
      {"0.1234567890123", DecimalParseStatus::too_many_decimals},
      {"170141183460469231731687303.715884105728", DecimalParseStatus::out_of_range},
      {"-170141183460469231731687303.715884105728", DecimalParseStatus::out_of_range},
      {"1000000000000000000000000000", DecimalParseStatus::out_of_range},
      {"99999999999999999999999999999999999999999999", DecimalParseStatus::out_of_range},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    Decimal out = Decimal(7);
    EXPECT_EQ(static_cast<int>(Decimal::try_parse(r.text, out)), static_cast<int>(r.status));
    EXPECT_EQ(out, Decimal(7));
  }
}

TEST(DecimalParse, StrictErrorMessagesWordForWord) {
  // The messages of src/core/decimal.cpp describe(), one per documented failure.
  struct Row {
    const char* text;
    const char* what;
  };
  const Row rows[] = {
      {"1e3",
       "[decimal.parse] '1e3' is not a decimal: exponent notation is not accepted; write the "
       "digits out"},
      {"1,000.00",
       "[decimal.parse] '1,000.00' is not a decimal: thousands separators are not accepted; "
       "remove them"},
      {"", "[decimal.parse] an empty value is not a decimal; write 0 if zero is meant"},
      {"abc",
       "[decimal.parse] 'abc' is not a decimal; use digits, at most one '.' and an optional "
       "leading '-'"},
      {"$2,000.50",
       "[decimal.parse] '$2,000.50' is not a decimal: '$' is not allowed (write amounts without "
       "currency symbols); use digits, at most one '.' and an optional leading '-'"},
      {"12\u20ac",
       "[decimal.parse] '12\u20ac' is not a decimal: '\u20ac' is not allowed (write amounts "
       "without currency symbols); use digits, at most one '.' and an optional leading '-'"},
      {" 1",
       "[decimal.parse] ' 1' is not a decimal: it has blanks; remove them"},
      {"0.1234567890123",
       "[decimal.parse] '0.1234567890123' has more than 12 decimal places; libspm keeps at most "
       "12, round it first"},
      {"1000000000000000000000000000",
       "[decimal.parse] '1000000000000000000000000000' is out of range; the magnitude must be "
       "below 1.7e26"},
      {"-",
       "[decimal.parse] '-' is not a decimal; use digits, at most one '.' and an optional "
       "leading '-'"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    EXPECT_TRUE(throws_error<InvalidInputError>([&] { (void)Decimal::parse(r.text); },
                                                "decimal.parse", r.what));
  }
}

TEST(DecimalParse, ErrorNamesThePath) {
  try {
    (void)Decimal::parse("12%", "plan.components[2].rate");
    FAIL() << "no exception";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.id(), "decimal.parse");
    EXPECT_EQ(e.path(), "plan.components[2].rate");
    EXPECT_EQ(e.detail(),
              "'12%' is not a decimal: '%' is not allowed (write the number without the '%' sign); use digits, at most one '.' and an optional leading '-'");
    EXPECT_EQ(std::string(e.what()),
              "[decimal.parse] plan.components[2].rate: '12%' is not a decimal: '%' is not allowed (write the number without the '%' sign); use digits, at "
              "most one '.' and an optional leading '-'");
  }
}

TEST(DecimalParse, LenientAccepts) {
  // Hand-checked: blanks trimmed, ',' groups of three, accounting negatives in parentheses.
  struct Row {
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"1,000.00", "1000"},
      {" 12 ", "12"},
      {"(12.50)", "-12.5"},
      {"\t-1,234,567.891\n", "-1234567.891"},
      {"+1,000", "1000"},
      {"999,999,999,999,999.9999", "999999999999999.9999"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    Decimal out;
    const auto st = Decimal::try_parse(r.text, out, true);
    EXPECT_EQ(static_cast<int>(st), static_cast<int>(DecimalParseStatus::ok));
    EXPECT_EQ(out, Decimal::parse(r.expected));
    EXPECT_EQ(Decimal::parse_lenient(r.text), Decimal::parse(r.expected));
  }
}

TEST(DecimalParse, LenientRejects) {
  // Grouping must be exactly three digits between separators, and a group never follows a
  // leading zero ("0,500" is a European 0.5, not 500).
  struct Row {
    const char* text;
    DecimalParseStatus status;
  };
  const Row rows[] = {
      {"1,00", DecimalParseStatus::thousands_separator},
      {"1,0000", DecimalParseStatus::thousands_separator},
      {"1234,567", DecimalParseStatus::thousands_separator},
      {"1,000,00", DecimalParseStatus::thousands_separator},
      {"1,00.5", DecimalParseStatus::thousands_separator},
      {"1.000,5", DecimalParseStatus::thousands_separator},
      {",100", DecimalParseStatus::thousands_separator},
      {"0,500", DecimalParseStatus::thousands_separator},
      {"-0,500", DecimalParseStatus::thousands_separator},
      {"1e3", DecimalParseStatus::exponent},
      {"0.1234567890123", DecimalParseStatus::too_many_decimals},
      {"(-1)", DecimalParseStatus::invalid_character},
      {"(12.50", DecimalParseStatus::invalid_character},
      {"   ", DecimalParseStatus::empty},
      {"1 000", DecimalParseStatus::whitespace},
      {"( 3 )", DecimalParseStatus::whitespace},  // blanks are trimmed around the whole text only
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    Decimal out = Decimal(7);
    EXPECT_EQ(static_cast<int>(Decimal::try_parse(r.text, out, true)),
              static_cast<int>(r.status));
    EXPECT_EQ(out, Decimal(7));
  }
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::parse_lenient("1,00", "amount"); }, "decimal.parse",
      "[decimal.parse] amount: '1,00' is not a decimal: ',' may only group digits in threes "
      "before the '.' (1,234.50)"));
}

// Percentage options written either way: "30%" and "0.3" are the same exact value.
TEST(DecimalParse, FractionTakesPercentText) {
  struct Row {
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"30%", "0.3"},      {"0.3", "0.3"},   {"-10%", "-0.1"},
      {"12.5%", "0.125"},  {"0%", "0"},      {"1000%", "10"},
      {"0.0000000001%", "0.000000000001"},  // 10 places, the most a percent keeps
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("text '") + r.text + "'");
    EXPECT_EQ(Decimal::parse_fraction(r.text, "x"), Decimal::parse(r.expected));
  }
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::parse_fraction("30 %", "max-increase"); }, "decimal.parse",
      "[decimal.parse] max-increase: '30 %' is not a percent; write a number before the % (30%) "
      "or a fraction (0.3)"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::parse_fraction("%", "x"); }, "decimal.parse",
      "[decimal.parse] x: '%' is not a percent; write a number before the % (30%) or a fraction "
      "(0.3)"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::parse_fraction("0.00000000001%", "x"); }, "decimal.parse",
      "[decimal.parse] x: '0.00000000001%' has more than 10 decimal places; a percent keeps at "
      "most 10, round it first"));
  // Bare text is parsed strictly, as Decimal::parse.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::parse_fraction("abc", "x"); }, "decimal.parse",
      "[decimal.parse] x: 'abc' is not a decimal; use digits, at most one '.' and an optional "
      "leading '-'"));
}

TEST(DecimalFormat, ToStringWithPlaces) {
  // Hand-checked roundings for display.
  struct Row {
    const char* value;
    int places;
    Rounding mode;
    const char* expected;
  };
  const Row rows[] = {
      {"2.345", 2, Rounding::half_even, "2.34"},
      {"2.355", 2, Rounding::half_even, "2.36"},
      {"2.345", 2, Rounding::half_away_from_zero, "2.35"},
      {"-0.004", 2, Rounding::half_even, "0.00"},
      {"-0.005", 2, Rounding::half_away_from_zero, "-0.01"},
      {"3", 2, Rounding::half_even, "3.00"},
      {"1.5", 0, Rounding::half_even, "2"},
      {"12.5", 0, Rounding::down, "12"},
      {"0.1", 12, Rounding::half_even, "0.100000000000"},
      {"-1234567.891", 4, Rounding::half_even, "-1234567.8910"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.value) + " at " + std::to_string(r.places) + " places, " +
                 std::string(to_string(r.mode)));
    EXPECT_EQ(Decimal::parse(r.value).to_string(r.places, r.mode), r.expected);
  }
}

TEST(DecimalBasics, ConstructionAndAccessors) {
  EXPECT_EQ(Decimal().raw(), 0);
  EXPECT_EQ(Decimal(42).to_string(), "42");
  EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_string(),
            "-9223372036854775808");
  EXPECT_EQ(Decimal(std::numeric_limits<std::uint64_t>::max()).to_string(),
            "18446744073709551615");
  EXPECT_EQ(Decimal::from_units(12345, 2), Decimal::parse("123.45"));
  EXPECT_EQ(Decimal::from_units(-1, 12).raw(), -1);
  EXPECT_EQ(Decimal::from_units(7, 0), Decimal(7));
  EXPECT_EQ("12.50"_d, Decimal::parse("12.5"));
  EXPECT_EQ(Decimal::parse("-3.25").abs(), "3.25"_d);
  EXPECT_EQ(Decimal::parse("-3.25").sign(), -1);
  EXPECT_EQ(Decimal().sign(), 0);
  EXPECT_TRUE(Decimal().is_zero());
  EXPECT_EQ((-"3.25"_d), Decimal::parse("-3.25"));
  EXPECT_LT("-0.000000000001"_d, Decimal());
  EXPECT_GT("10"_d, "9.999999999999"_d);
  EXPECT_TRUE("1.23"_d.has_places(2));
  EXPECT_FALSE("1.235"_d.has_places(2));
  EXPECT_TRUE("1.235"_d.has_places(12));
  EXPECT_EQ("42"_d.to_int64(), 42);
  EXPECT_EQ("-9223372036854775808"_d.to_int64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_DOUBLE_EQ("0.1"_d.to_double(), 0.1);
  EXPECT_DOUBLE_EQ("-12.5"_d.to_double(), -12.5);
  EXPECT_DOUBLE_EQ("123456789.000000000001"_d.to_double(), 123456789.0);
}

TEST(DecimalBasics, FromDouble) {
  // The shortest text of the double is parsed exactly, then rounded: 2.675 is a tie at 2 places
  // (unlike Python's round(2.675, 2) == 2.67, which sees the binary value 2.67499999...).
  struct Row {
    double value;
    int places;
    Rounding mode;
    const char* expected;
  };
  const Row rows[] = {
      {0.1, 2, Rounding::half_even, "0.1"},
      {2.675, 2, Rounding::half_even, "2.68"},
      {2.665, 2, Rounding::half_even, "2.66"},
      {-1.5, 0, Rounding::half_even, "-2"},
      {1e20, 0, Rounding::half_even, "100000000000000000000"},
      {-0.0, 2, Rounding::half_even, "0"},
      {1.0 / 3.0, 12, Rounding::half_even, "0.333333333333"},
      {1e-300, 2, Rounding::half_even, "0"},
      {1e-300, 2, Rounding::up, "0.01"},
      {-1e-300, 2, Rounding::floor, "-0.01"},
      {5e-324, 12, Rounding::ceiling, "0.000000000001"},
      {1.25e-13, 12, Rounding::half_even, "0"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::to_string(r.value) + " at " + std::to_string(r.places) + " places, " +
                 std::string(to_string(r.mode)));
    EXPECT_EQ(Decimal::from_double(r.value, r.places, r.mode), Decimal::parse(r.expected));
  }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic: hand-checked tables.

TEST(DecimalArithmetic, MulAndDivTable) {
  // Hand-checked with pencil: exact product/quotient, then the named rounding.
  struct Row {
    const char* a;
    char op;
    const char* b;
    int places;
    Rounding mode;
    const char* expected;
  };
  const Row rows[] = {
      {"1.5", '*', "1.5", 12, Rounding::half_even, "2.25"},
      {"0.1", '*', "0.1", 2, Rounding::half_even, "0.01"},
      {"0.05", '*', "0.1", 2, Rounding::half_even, "0"},        // 0.005 ties to even 0.00
      {"0.05", '*', "0.1", 2, Rounding::half_up, "0.01"},
      {"-0.05", '*', "0.1", 2, Rounding::half_up, "0"},         // -0.005 ties toward +inf
      {"-0.05", '*', "0.1", 2, Rounding::half_away_from_zero, "-0.01"},
      {"0.000001", '*', "0.000001", 12, Rounding::half_even, "0.000000000001"},
      {"0.000001", '*', "0.0000005", 12, Rounding::half_even, "0"},  // 5e-13 ties to 0
      {"0.000001", '*', "0.0000005", 12, Rounding::up, "0.000000000001"},
      {"1000000000000000", '*', "1000000000", 0, Rounding::half_even, "1000000000000000000000000"},
      {"1", '/', "3", 12, Rounding::half_even, "0.333333333333"},
      {"2", '/', "3", 12, Rounding::half_even, "0.666666666667"},
      {"2", '/', "3", 2, Rounding::half_even, "0.67"},
      {"-2", '/', "3", 2, Rounding::down, "-0.66"},
      {"-2", '/', "3", 2, Rounding::floor, "-0.67"},
      {"1", '/', "8", 2, Rounding::half_even, "0.12"},
      {"1", '/', "8", 2, Rounding::half_away_from_zero, "0.13"},
      {"1", '/', "-8", 2, Rounding::half_up, "-0.12"},
      {"1", '/', "-8", 2, Rounding::half_down, "-0.13"},
      {"100", '/', "0.000000000001", 0, Rounding::half_even, "100000000000000"},
      {"7", '/', "7", 0, Rounding::up, "1"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.a) + " " + r.op + " " + r.b + " at " + std::to_string(r.places) +
                 " places, " + std::string(to_string(r.mode)));
    const Decimal a = Decimal::parse(r.a);
    const Decimal b = Decimal::parse(r.b);
    const Decimal got = r.op == '*' ? Decimal::mul(a, b, r.places, r.mode)
                                    : Decimal::div(a, b, r.places, r.mode);
    EXPECT_EQ(got, Decimal::parse(r.expected));
  }
  EXPECT_EQ("1.5"_d * "1.5"_d, "2.25"_d);
  EXPECT_EQ("2"_d / "3"_d, "0.666666666667"_d);
}

TEST(DecimalArithmetic, ProductIsExactBeforeOneRounding) {
  // Brief example: amount x rate x 10/31. Exact value (Python fractions, checked by hand to the
  // cent) = 12345678909999999998765432109/310000000000000 = 39824770677419.35483472720...
  const Decimal amount = "999999999999999.9999"_d;
  const Decimal rate = "0.1234567891"_d;
  const Fraction f(10, 31);
  EXPECT_EQ(Decimal::product(amount, rate, f, 2), "39824770677419.35"_d);
  EXPECT_EQ(Decimal::product(amount, rate, f, 12), "39824770677419.354834727200"_d);
  EXPECT_EQ(Decimal::product(amount, rate, f, 2, Rounding::up), "39824770677419.36"_d);
  EXPECT_EQ(Decimal::product(-amount, rate, f, 2, Rounding::floor), "-39824770677419.36"_d);

  // Reference with unbounded integers: raw(a) * raw(b) * 10 / (31 * 10^22), half-even.
  const BigInt n = big(amount.raw()) * big(rate.raw()) * 10;
  const BigInt d = BigInt(31) * test::pow10(22);
  EXPECT_EQ(test::ref_div_round<BigInt>(n, d, Rounding::half_even), BigInt("3982477067741935"));

  // Rounding the base first gives a different cent (found by a search in Python fractions):
  // 753.2742 x 0.2381134999 = 179.36475614637258; exact x 16/31 = 92.57535801... -> 92.58,
  // but 179.36 x 16/31 = 92.5729... -> 92.57.
  const Decimal a2 = "753.2742"_d;
  const Decimal r2 = "0.2381134999"_d;
  EXPECT_EQ(Decimal::product(a2, r2, Fraction(16, 31), 2), "92.58"_d);
  EXPECT_EQ(Decimal::product(Decimal::mul(a2, r2, 2), Fraction(16, 31), 2), "92.57"_d);
  EXPECT_EQ(Decimal::product(a2, Fraction(1, 3), 2), "251.09"_d);
}

TEST(DecimalRange, AmountsAndRatesRoundTrip) {
  // +-10^15 with 4 decimals and rates with 10 decimals are the advertised working range.
  const char* texts[] = {
      "999999999999999.9999", "-999999999999999.9999", "1000000000000000",
      "-1000000000000000",    "0.0001",                "0.1234567891",
      "-0.0000000001",        "9.9999999999",          "123456789012345.6789",
  };
  for (const char* t : texts) {
    SCOPED_TRACE(t);
    const Decimal d = Decimal::parse(t);
    EXPECT_EQ(d.to_string(), t);
    EXPECT_EQ(Decimal::parse(d.to_string()), d);
  }
  // Every 4-decimal amount below 10^15 in magnitude: text built from integers round-trips.
  Random rng(20240601);
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t whole = rng.below(1'000'000'000'000'000ULL);
    const std::uint64_t frac = rng.below(10'000);
    const bool negative = rng.below(2) == 1;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%llu.%04llu", negative ? "-" : "",
                  static_cast<unsigned long long>(whole), static_cast<unsigned long long>(frac));
    const int128 raw = (static_cast<int128>(whole) * 10'000 + frac) * 100'000'000;
    const Decimal d = Decimal::parse(buf);
    ASSERT_TRUE(d.raw() == (negative ? -raw : raw)) << buf << " parsed to raw " << str(d.raw());
    ASSERT_EQ(d.to_string(4), buf);
    ASSERT_EQ(Decimal::parse(d.to_string()), d) << buf;
  }
}

// ---------------------------------------------------------------------------------------------
// Errors: every documented one, word for word.

TEST(DecimalErrors, ArithmeticMessages) {
  const std::string range = " is beyond the decimal range (about 1.7e26); check the inputs' "
                            "magnitude or units";
  const Decimal tiny = Decimal::from_raw(1);
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)("1"_d / Decimal()); }, "decimal.division_by_zero",
      "[decimal.division_by_zero] division by zero; check that the divisor (a quota, a total or "
      "a weight) is not zero"));
  EXPECT_TRUE(throws_error<ArithmeticError>([&] { (void)(Decimal::max() + tiny); },
                                            "decimal.overflow",
                                            "[decimal.overflow] the result of addition" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)(Decimal::min() - tiny); }, "decimal.overflow",
      "[decimal.overflow] the result of subtraction" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)(Decimal::max() * "2"_d); }, "decimal.overflow",
      "[decimal.overflow] the result of multiplication" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)(Decimal::max() / "0.5"_d); }, "decimal.overflow",
      "[decimal.overflow] the result of division" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)Decimal::product(Decimal::max(), "2"_d, Fraction(2, 3), 2); },
      "decimal.overflow", "[decimal.overflow] the result of a product" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)Decimal::max().round(0, Rounding::up); }, "decimal.overflow",
      "[decimal.overflow] the result of rounding" + range));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)"9223372036854775808"_d.to_int64(); }, "decimal.overflow",
      "[decimal.overflow] 9223372036854775808 does not fit in a 64-bit integer (at most about "
      "9.2e18 in magnitude)"));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)"1.5"_d.to_int64(); }, "decimal.not_integer",
      "[decimal.not_integer] 1.5 is not a whole number"));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)Decimal::from_double(std::numeric_limits<double>::quiet_NaN(), 2); },
      "decimal.from_double",
      "[decimal.from_double] cannot represent a non-finite or huge double as a decimal"));
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [] { (void)Decimal::from_double(2e26, 2); }, "decimal.from_double",
      "[decimal.from_double] cannot represent a non-finite or huge double as a decimal"));
}

TEST(DecimalErrors, PlacesOutOfRange) {
  const char* what13 = "[decimal.places] decimal places must be between 0 and 12, got 13";
  EXPECT_TRUE(throws_error<InvalidInputError>([] { (void)"1"_d.round(13); }, "decimal.places",
                                              what13));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::from_units(1, -1); }, "decimal.places",
      "[decimal.places] decimal places must be between 0 and 12, got -1"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::mul("1"_d, "1"_d, 13); }, "decimal.places", what13));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::div("1"_d, "1"_d, 13); }, "decimal.places", what13));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::product("1"_d, "1"_d, Fraction(1), 13); }, "decimal.places", what13));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)"1"_d.to_string(13); }, "decimal.places", what13));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Decimal::from_double(1.0, 13); }, "decimal.places", what13));
}

TEST(DecimalErrors, WideIntermediatesReportOverflowNotBoost) {
  // a * b * num needs more than 256 bits here; the result is out of range either way, and the
  // caller must see ArithmeticError rather than Boost's std::overflow_error.
  const Fraction big_num(std::numeric_limits<std::int64_t>::max(), 3);
  try {
    (void)Decimal::product(Decimal::max(), Decimal::max(), big_num, 2);
    FAIL() << "no exception";
  } catch (const ArithmeticError& e) {
    EXPECT_EQ(e.id(), "decimal.overflow");
  } catch (const std::exception& e) {
    FAIL() << "wrong exception type: " << e.what();
  }
}

TEST(DecimalErrors, ResultsNeverReachTheExcludedMinimum) {
  // -2^115 raw / 5^12 raw at 12 places is exactly -2^127 raw: representable in int128 but
  // outside the symmetric range (negating it would overflow), so it must throw.
  const int128 a = -(static_cast<int128>(1) << 115);
  const int128 b = detail::pow10_128(12) / (static_cast<int128>(1) << 12);  // 5^12
  EXPECT_TRUE(throws_error<ArithmeticError>(
      [&] { (void)Decimal::div(Decimal::from_raw(a), Decimal::from_raw(b), 12); },
      "decimal.overflow",
      "[decimal.overflow] the result of division is beyond the decimal range (about 1.7e26); "
      "check the inputs' magnitude or units"));
}

// ---------------------------------------------------------------------------------------------
// Properties on random inputs (fixed seeds).

// The property loops build their failure text only on failure (a SCOPED_TRACE per case would
// cost more than the checks, and the suite must stay fast under the sanitizers).

TEST(DecimalProperty, AdditionIsExactAndInvertible) {
  Random rng(1);
  for (int i = 0; i < 10000; ++i) {
    const Decimal a = Decimal::from_raw(test::random_raw(rng, 125));
    const Decimal b = Decimal::from_raw(test::random_raw(rng, 125));
    const Decimal c = Decimal::from_raw(test::random_raw(rng, 125));
    auto ctx = [&] {
      return "a=" + a.to_string() + " b=" + b.to_string() + " c=" + c.to_string();
    };
    ASSERT_EQ(a + b - b, a) << ctx();
    ASSERT_EQ(a + b, b + a) << ctx();
    ASSERT_EQ((a + b) + c, a + (b + c)) << ctx();
    ASSERT_EQ(a - b, -(b - a)) << ctx();
    ASSERT_EQ(-(-a), a) << ctx();
    ASSERT_TRUE((a + b).raw() == a.raw() + b.raw()) << ctx();
    Decimal x = a;
    x += b;
    x -= a;
    ASSERT_EQ(x, b) << ctx();
  }
}

TEST(DecimalProperty, ParsePrintRoundTrip) {
  Random rng(2);
  for (int i = 0; i < 10000; ++i) {
    const Decimal x = Decimal::from_raw(test::random_raw(rng, 127));
    const std::string s = x.to_string();
    auto ctx = [&] { return "raw=" + str(x.raw()) + " text=" + s; };
    ASSERT_EQ(Decimal::parse(s), x) << ctx();
    ASSERT_EQ(Decimal::parse_lenient(" " + s + " "), x) << ctx();
    // Canonical text: no trailing zeros after the point.
    ASSERT_FALSE(s.find('.') != std::string::npos && s.back() == '0') << ctx();
    if (x.abs().raw() > (static_cast<int128>(1) << 126)) continue;  // rounding could overflow
    const int places = static_cast<int>(rng.below(13));
    const Rounding mode = test::random_mode(rng);
    const Decimal r = x.round(places, mode);
    ASSERT_EQ(Decimal::parse(x.to_string(places, mode)), r) << ctx() << " places=" << places;
    ASSERT_TRUE(r.has_places(places)) << ctx() << " places=" << places;
    ASSERT_EQ(r.round(places, mode), r) << ctx() << " places=" << places;  // idempotent
  }
  EXPECT_EQ(Decimal::parse(Decimal::max().to_string()), Decimal::max());
  EXPECT_EQ(Decimal::parse(Decimal::min().to_string()), Decimal::min());
}

TEST(DecimalArithmetic, MulDivRoundsOnce) {
  // A pro-rata share: 726000 x 200000 / 600000 = 242000 exactly (no 12-place ratio first).
  EXPECT_EQ(Decimal::mul_div("726000"_d, "200000"_d, "600000"_d), "242000"_d);
  // 1 x 1 / 3 = 0.333..; -1 x 2 / 3 = -0.666.. floors to -0.67.
  EXPECT_EQ(Decimal::mul_div(1, 1, 3, 2), "0.33"_d);
  EXPECT_EQ(Decimal::mul_div(-1, 2, 3, 2, Rounding::floor), "-0.67"_d);
  EXPECT_EQ(Decimal::mul_div(2, 5, -4, 12), "-2.5"_d);
  // The wide path: 10^20 x 10^20 / 10^19 = 10^21 (raws overflow 128 bits in the product).
  EXPECT_EQ(Decimal::mul_div("100000000000000000000"_d, "100000000000000000000"_d,
                             "10000000000000000000"_d),
            "1000000000000000000000"_d);
  EXPECT_THROW((void)Decimal::mul_div(1, 1, 0), ArithmeticError);
}

TEST(DecimalProperty, MulDivAgainstBigIntegerReference) {
  Random rng(5);
  const int scale = Decimal::scale;
  for (int i = 0; i < 4000; ++i) {
    const Decimal a = Decimal::from_raw(test::random_raw(rng, 100));
    const Decimal b = Decimal::from_raw(test::random_raw(rng, 80));
    Decimal c = Decimal::from_raw(test::random_raw(rng, 90));
    if (c.is_zero()) c = Decimal(1);
    const int places = static_cast<int>(rng.below(13));
    const Rounding mode = test::random_mode(rng);
    const BigInt step = test::pow10(scale - places);
    const BigInt ref =
        test::ref_div_round<BigInt>(big(a.raw()) * big(b.raw()), big(c.raw()) * step, mode) * step;
    const auto ctx = [&] {
      return "a=" + a.to_string() + " b=" + b.to_string() + " c=" + c.to_string() +
             " places=" + std::to_string(places) + " mode=" + std::string(to_string(mode));
    };
    if (test::in_range(ref)) {
      ASSERT_EQ(big(Decimal::mul_div(a, b, c, places, mode).raw()), ref) << ctx();
    } else {
      ASSERT_THROW((void)Decimal::mul_div(a, b, c, places, mode), ArithmeticError) << ctx();
    }
  }
}

TEST(DecimalProperty, MulAgainstInt128Reference) {
  // Raws below 2^62 keep raw(a) * raw(b) inside int128, so the reference is plain integers.
  Random rng(3);
  for (int i = 0; i < 10000; ++i) {
    const int128 a = test::random_raw(rng, 62);
    const int128 b = test::random_raw(rng, 62);
    const int places = static_cast<int>(rng.below(13));
    const Rounding mode = test::random_mode(rng);
    const int128 step = detail::pow10_128(Decimal::scale - places);
    const int128 expected =
        test::ref_div_round<int128>(a * b, detail::pow10_128(2 * Decimal::scale - places), mode) *
        step;
    const Decimal got = Decimal::mul(Decimal::from_raw(a), Decimal::from_raw(b), places, mode);
    ASSERT_TRUE(got.raw() == expected)
        << "a raw=" << str(a) << " b raw=" << str(b) << " places=" << places
        << " mode=" << to_string(mode) << ": expected raw " << str(expected) << ", got "
        << str(got.raw());
    ASSERT_EQ(got, Decimal::mul(Decimal::from_raw(b), Decimal::from_raw(a), places, mode));
  }
}

TEST(DecimalProperty, MulDivProductAgainstBigIntegerReference) {
  // Full range: the reference is unbounded; when it leaves the range the library must throw.
  Random rng(4);
  const int scale = Decimal::scale;
  int out_of_range = 0;
  for (int i = 0; i < 4000; ++i) {
    const Decimal a = Decimal::from_raw(test::random_raw(rng, 127));
    const Decimal b = Decimal::from_raw(test::random_raw(rng, 100));
    const int places = static_cast<int>(rng.below(13));
    const Rounding mode = test::random_mode(rng);
    const auto den = static_cast<std::int64_t>(rng.below(400) + 1);
    const auto num = static_cast<std::int64_t>(rng.below(800)) - 400;
    const Fraction f(num, den);
    const BigInt step = test::pow10(scale - places);
    auto ctx = [&] {
      return "a=" + a.to_string() + " b=" + b.to_string() + " f=" + f.to_string() +
             " places=" + std::to_string(places) + " mode=" + std::string(to_string(mode));
    };

    const BigInt mul_ref =
        test::ref_div_round<BigInt>(big(a.raw()) * big(b.raw()), test::pow10(2 * scale - places),
                                    mode) *
        step;
    if (test::in_range(mul_ref)) {
      ASSERT_EQ(big(Decimal::mul(a, b, places, mode).raw()), mul_ref) << ctx();
    } else {
      ++out_of_range;
      ASSERT_THROW((void)Decimal::mul(a, b, places, mode), ArithmeticError) << ctx();
    }

    const BigInt prod_ref =
        test::ref_div_round<BigInt>(big(a.raw()) * big(b.raw()) * f.num(),
                                    test::pow10(2 * scale - places) * f.den(), mode) *
        step;
    if (test::in_range(prod_ref)) {
      ASSERT_EQ(big(Decimal::product(a, b, f, places, mode).raw()), prod_ref) << ctx();
    } else {
      ASSERT_THROW((void)Decimal::product(a, b, f, places, mode), ArithmeticError) << ctx();
    }
    const BigInt prod1_ref =
        test::ref_div_round<BigInt>(big(a.raw()) * f.num(), step * f.den(), mode) * step;
    if (test::in_range(prod1_ref)) {
      ASSERT_EQ(big(Decimal::product(a, f, places, mode).raw()), prod1_ref) << ctx();
    } else {
      ASSERT_THROW((void)Decimal::product(a, f, places, mode), ArithmeticError) << ctx();
    }

    if (b.is_zero()) continue;
    const BigInt div_ref =
        test::ref_div_round<BigInt>(big(a.raw()) * test::pow10(places), big(b.raw()), mode) *
        step;
    if (test::in_range(div_ref)) {
      ASSERT_EQ(big(Decimal::div(a, b, places, mode).raw()), div_ref) << ctx();
    } else {
      ASSERT_THROW((void)Decimal::div(a, b, places, mode), ArithmeticError) << ctx();
    }
  }
  // Both branches must have been exercised for the check to mean anything.
  EXPECT_GT(out_of_range, 100);
  EXPECT_LT(out_of_range, 3900);
}

TEST(DecimalProperty, MulDivOnMoneySizedValues) {
  // Amounts with 4 decimals up to 10^15 and rates with 10 decimals: no overflow, and dividing
  // the 12-place product by the rate gives the amount back to within rounding.
  Random rng(5);
  for (int i = 0; i < 5000; ++i) {
    const auto whole = static_cast<int128>(rng.below(2'000'000'000'000'000ULL)) -
                       1'000'000'000'000'000;
    const Decimal amount = Decimal::from_raw(
        (whole * 10'000 + static_cast<int128>(rng.below(10'000))) * 100'000'000);
    // Rates from 0.01 up: the 12-place product is within 5e-13 of exact, so dividing back by
    // the rate is within 5e-11 of the amount and rounds to it at 4 places.
    const Decimal rate = Decimal::from_units(
        static_cast<std::int64_t>(rng.below(100'000'000'000ULL) + 100'000'000), 10);
    auto ctx = [&] { return "amount=" + amount.to_string() + " rate=" + rate.to_string(); };
    const Decimal p = Decimal::mul(amount, rate, 12);
    ASSERT_EQ(Decimal::div(p, rate, 4), amount) << ctx();
    ASSERT_EQ(Decimal::product(amount, rate, Fraction(1), 12), p) << ctx();
  }
}

// The 128-bit quotient takes a hardware path when the divisor and the quotient fit in 64 bits:
// every width and sign around those edges must round like the reference.
TEST(DivRound, Int128FastPathsMatchTheReference) {
  Random rng(128);
  const Rounding modes[] = {Rounding::half_even, Rounding::half_up, Rounding::half_down,
                            Rounding::half_away_from_zero, Rounding::half_toward_zero,
                            Rounding::down, Rounding::up, Rounding::floor, Rounding::ceiling};
  for (int i = 0; i < 20000; ++i) {
    const int128 n = test::random_raw(rng, 126);
    int128 d = test::random_raw(rng, 1 + static_cast<int>(rng.below(100)));
    if (d == 0) d = 1;
    for (const auto mode : modes) {
      EXPECT_EQ(big(detail::div_round(n, d, mode)),
                test::ref_div_round<BigInt>(big(n), big(d), mode))
          << str(n) << " / " << str(d);
    }
  }
}

}  // namespace
}  // namespace spm
