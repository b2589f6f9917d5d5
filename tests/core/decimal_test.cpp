#include <gtest/gtest.h>

#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>

namespace spm {
namespace {

TEST(DecimalParse, OneTenthIsExact) {
  EXPECT_EQ(Decimal::parse("0.1").raw(), Decimal::unit / 10);
  EXPECT_EQ(Decimal::parse("0.1") + Decimal::parse("0.2"), Decimal::parse("0.3"));
}

}  // namespace
}  // namespace spm
