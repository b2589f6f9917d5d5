// Money: an exact decimal amount in one currency.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include <spm/core/currency.hpp>
#include <spm/core/decimal.hpp>

namespace spm {

/// An exact amount of one currency. Adding, subtracting or ordering amounts of different
/// currencies throws InvalidInputError "money.currency_mismatch" (convert first); `==` is simply
/// false for different currencies.
class Money {
 public:
  /// amount in currency; the amount may carry more decimals than the minor units (e.g. an
  /// unrounded commission); rounded() brings it to the minor unit.
  Money(Decimal amount, Currency currency) : amount_(amount), currency_(currency) {}
  /// Parses "1234.56 USD" or "USD 1234.56" (strict decimal parse).
  static Money parse(std::string_view text, std::string_view path = {});

  [[nodiscard]] const Decimal& amount() const noexcept { return amount_; }
  [[nodiscard]] const Currency& currency() const noexcept { return currency_; }

  /// The amount rounded to the currency's minor units.
  [[nodiscard]] Money rounded(Rounding mode = Rounding::half_even) const {
    return {amount_.round(currency_.minor_units(), mode), currency_};
  }
  /// "1234.56 USD", with the currency's minor units (rounded half-even for display only).
  [[nodiscard]] std::string to_string() const;

  Money& operator+=(const Money& o);
  Money& operator-=(const Money& o);
  friend Money operator+(Money a, const Money& b) { return a += b; }
  friend Money operator-(Money a, const Money& b) { return a -= b; }
  friend Money operator-(const Money& a) { return {-a.amount_, a.currency_}; }
  /// Scaling by an exact factor keeps all 12 decimals; round explicitly with rounded().
  friend Money operator*(const Money& a, const Decimal& k) { return {a.amount_ * k, a.currency_}; }
  friend Money operator*(const Decimal& k, const Money& a) { return a * k; }
  friend bool operator==(const Money& a, const Money& b) = default;
  /// Ordering of amounts of the same currency; different currencies throw.
  friend std::strong_ordering operator<=>(const Money& a, const Money& b);

 private:
  Decimal amount_;
  Currency currency_;
};

/// Throws money.currency_mismatch unless a and b are the same currency; `what` names the operation.
void require_same_currency(const Currency& a, const Currency& b, std::string_view what);

}  // namespace spm
