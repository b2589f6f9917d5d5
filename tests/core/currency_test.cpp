#include <gtest/gtest.h>

#include <string>

#include <spm/core/currency.hpp>
#include <spm/core/error.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using test::throws_error;

TEST(Currency, MinorUnitsFromIso4217) {
  // ISO 4217 list one (SIX Group, amendment of 2024): the E column (minor units).
  struct Row {
    const char* code;
    int minor_units;
  };
  const Row rows[] = {
      {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"CHF", 2}, {"INR", 2}, {"BRL", 2}, {"HUF", 2},
      {"JPY", 0}, {"KRW", 0}, {"ISK", 0}, {"CLP", 0}, {"VND", 0}, {"XOF", 0}, {"UYI", 0},
      {"KWD", 3}, {"BHD", 3}, {"OMR", 3}, {"TND", 3}, {"JOD", 3}, {"IQD", 3}, {"LYD", 3},
      {"CLF", 4}, {"UYW", 4}, {"SLE", 2}, {"VED", 2}, {"ZWG", 2}, {"XCG", 2},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.code) + " expected " + std::to_string(r.minor_units));
    EXPECT_TRUE(is_iso_currency(r.code));
    const Currency c(r.code);
    EXPECT_EQ(c.code(), r.code);
    EXPECT_EQ(c.code().size(), 3u);
    EXPECT_EQ(c.minor_units(), r.minor_units);
  }
}

TEST(Currency, IsIsoCurrencyRejects) {
  // Not codes at all, lower case, withdrawn (DEM, HRK since 2023) and made-up codes.
  for (const char* code : {"", "US", "USDX", "usd", "Usd", "XYZ", "DEM", "HRK", " USD", "US D"}) {
    SCOPED_TRACE(std::string("'") + code + "'");
    EXPECT_FALSE(is_iso_currency(code));
  }
}

TEST(Currency, UnknownCodeMessage) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Currency("XYZ"); }, "currency.unknown",
      "[currency.unknown] 'XYZ' is not an active ISO 4217 currency code; use three capital "
      "letters such as USD or EUR, or Currency::custom for others"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)Currency("usd"); }, "currency.unknown",
      "[currency.unknown] 'usd' is not an active ISO 4217 currency code; use three capital "
      "letters such as USD or EUR, or Currency::custom for others"));
}

TEST(Currency, Custom) {
  const Currency pts = Currency::custom("PTS", 0);
  EXPECT_EQ(pts.code(), "PTS");
  EXPECT_EQ(pts.minor_units(), 0);
  const Currency btc = Currency::custom("XBT", 8);
  EXPECT_EQ(btc.minor_units(), 8);
  EXPECT_EQ(Currency::custom("ABC", 12).minor_units(), 12);
  // A custom currency with an ISO code but other minor units is a different currency.
  EXPECT_NE(Currency::custom("USD", 4), Currency("USD"));
  EXPECT_EQ(Currency::custom("USD", 2), Currency("USD"));

  struct Row {
    const char* code;
    int minor_units;
    const char* what;
  };
  const Row rows[] = {
      {"pts", 0,
       "[currency.custom] a custom currency needs a three-capital-letter code and 0 to 12 minor "
       "units, got 'pts' with 0"},
      {"XBT", 13,
       "[currency.custom] a custom currency needs a three-capital-letter code and 0 to 12 minor "
       "units, got 'XBT' with 13"},
      {"XBT", -1,
       "[currency.custom] a custom currency needs a three-capital-letter code and 0 to 12 minor "
       "units, got 'XBT' with -1"},
      {"POINTS", 0,
       "[currency.custom] a custom currency needs a three-capital-letter code and 0 to 12 minor "
       "units, got 'POINTS' with 0"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(r.code) + " with " + std::to_string(r.minor_units));
    EXPECT_TRUE(throws_error<InvalidInputError>(
        [&] { (void)Currency::custom(r.code, r.minor_units); }, "currency.custom", r.what));
  }
}

TEST(Currency, EqualityAndOrdering) {
  EXPECT_EQ(Currency("USD"), Currency("USD"));
  EXPECT_NE(Currency("USD"), Currency("EUR"));
  EXPECT_LT(Currency("EUR"), Currency("USD"));
  EXPECT_LT(Currency("CHF"), Currency("EUR"));
}

}  // namespace
}  // namespace spm
