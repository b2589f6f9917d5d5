#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <type_traits>

#include <spm/core/error.hpp>

namespace spm {
namespace {

static_assert(std::is_base_of_v<std::runtime_error, Error>);
static_assert(std::is_base_of_v<Error, InvalidInputError>);
static_assert(std::is_base_of_v<Error, ArithmeticError>);
static_assert(std::is_base_of_v<Error, IoError>);
static_assert(std::is_base_of_v<Error, CancelledError>);

TEST(Error, MessageCarriesIdAndPath) {
  const InvalidInputError with_path("plan.tier", "plan.components[2].tiers[1].rate",
                                    "rate -0.1 is negative");
  EXPECT_EQ(with_path.id(), "plan.tier");
  EXPECT_EQ(with_path.path(), "plan.components[2].tiers[1].rate");
  EXPECT_EQ(with_path.detail(), "rate -0.1 is negative");
  EXPECT_STREQ(with_path.what(),
               "[plan.tier] plan.components[2].tiers[1].rate: rate -0.1 is negative");
  const IoError no_path("io.open", "", "cannot open 'x.csv'");
  EXPECT_STREQ(no_path.what(), "[io.open] cannot open 'x.csv'");
  EXPECT_EQ(no_path.path(), "");
  // Caught as the base class with everything intact.
  try {
    throw ArithmeticError("decimal.overflow", "total", "too big");
  } catch (const Error& e) {
    EXPECT_EQ(e.id(), "decimal.overflow");
    EXPECT_STREQ(e.what(), "[decimal.overflow] total: too big");
  }
}

TEST(Error, JoinPath) {
  // Hand-written: dots between names, none before an index.
  struct Row {
    const char* parent;
    const char* child;
    const char* expected;
  };
  const Row rows[] = {
      {"plan", "tiers[1]", "plan.tiers[1]"},
      {"plan.components", "[2]", "plan.components[2]"},
      {"", "rate", "rate"},
      {"plan", "", "plan"},
      {"", "", ""},
      {"a[0]", "b", "a[0].b"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string("'") + r.parent + "' + '" + r.child + "' expected '" + r.expected +
                 "'");
    EXPECT_EQ(join_path(r.parent, r.child), r.expected);
  }
}

}  // namespace
}  // namespace spm
