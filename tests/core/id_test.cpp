#include <gtest/gtest.h>

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include <spm/core/id.hpp>

namespace spm {
namespace {

// Compile-time: IDs of different kinds never convert into each other, and text becomes an ID
// only when asked explicitly.
static_assert(!std::is_convertible_v<PayeeId, AccountId>);
static_assert(!std::is_convertible_v<AccountId, PayeeId>);
static_assert(!std::is_constructible_v<AccountId, PayeeId>);
static_assert(!std::is_constructible_v<DealId, TransactionId>);
static_assert(!std::is_assignable_v<PayeeId&, AccountId>);
static_assert(!std::is_assignable_v<TerritoryId&, PlanId>);
static_assert(!std::is_convertible_v<std::string, PayeeId>);
static_assert(!std::is_convertible_v<const char*, PayeeId>);
static_assert(!std::is_convertible_v<std::string_view, ProductId>);
static_assert(!std::is_convertible_v<PayeeId, std::string>);
static_assert(std::is_constructible_v<PayeeId, std::string>);
static_assert(std::is_constructible_v<PayeeId, std::string_view>);
static_assert(std::is_constructible_v<PayeeId, const char*>);
static_assert(std::is_nothrow_move_constructible_v<PayeeId>);
static_assert(!std::equality_comparable_with<PayeeId, AccountId>);
static_assert(!std::totally_ordered_with<PayeeId, AccountId>);
static_assert(std::totally_ordered<PayeeId>);
static_assert(!std::is_same_v<PayeeId, AccountId>);
// Each alias is its own type.
static_assert(!std::is_same_v<DealId, ProductId>);
static_assert(!std::is_same_v<PlanId, TransactionId>);

TEST(Id, HoldsTextExactly) {
  const PayeeId a("rep-001");
  EXPECT_EQ(a.str(), "rep-001");
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(PayeeId().empty());
  EXPECT_EQ(PayeeId(std::string("x")), PayeeId(std::string_view("x")));
  EXPECT_EQ(PayeeId("x"), PayeeId(std::string("x")));
  // Byte-for-byte comparison: case and blanks matter.
  EXPECT_NE(PayeeId("Rep-001"), PayeeId("rep-001"));
  EXPECT_NE(PayeeId("rep-001 "), PayeeId("rep-001"));
  EXPECT_LT(AccountId("A-10"), AccountId("A-9"));  // text order, not numeric
  EXPECT_LT(AccountId(""), AccountId("0"));
}

TEST(Id, HashesLikeItsText) {
  std::unordered_set<DealId> deals;
  deals.insert(DealId("d1"));
  deals.insert(DealId("d2"));
  deals.insert(DealId("d1"));
  EXPECT_EQ(deals.size(), 2u);
  EXPECT_TRUE(deals.contains(DealId("d2")));
  EXPECT_EQ(std::hash<DealId>{}(DealId("d1")), std::hash<std::string>{}("d1"));
}

}  // namespace
}  // namespace spm
