// Strong ID types: a payee ID cannot be passed where an account ID is expected.
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace spm {

/// An identifier of one kind of entity, distinguished at compile time by `Tag`.
template <class Tag>
class Id {
 public:
  Id() = default;
  /// Wraps an identifier text; IDs are compared byte for byte (case-sensitive).
  explicit Id(std::string value) : value_(std::move(value)) {}
  explicit Id(std::string_view value) : value_(value) {}
  explicit Id(const char* value) : value_(value) {}

  [[nodiscard]] const std::string& str() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  std::string value_;
};

// clang-format off
struct PayeeTag {};     ///< a person or entity paid under a plan (rep, manager, partner)
struct AccountTag {};   ///< a customer account
struct DealTag {};      ///< an opportunity or deal
struct ProductTag {};   ///< a product or SKU
struct TerritoryTag {}; ///< a territory
struct PlanTag {};      ///< a compensation plan
struct TransactionTag {}; ///< a credited transaction (booking, invoice, payment)
// clang-format on

using PayeeId = Id<PayeeTag>;
using AccountId = Id<AccountTag>;
using DealId = Id<DealTag>;
using ProductId = Id<ProductTag>;
using TerritoryId = Id<TerritoryTag>;
using PlanId = Id<PlanTag>;
using TransactionId = Id<TransactionTag>;

}  // namespace spm

template <class Tag>
struct std::hash<spm::Id<Tag>> {
  std::size_t operator()(const spm::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
