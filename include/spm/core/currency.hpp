// ISO 4217 currencies with their minor units.
#pragma once

#include <array>
#include <compare>
#include <string>
#include <string_view>

namespace spm {

/// An ISO 4217 currency: a three-letter code and its number of minor units (USD 2, JPY 0, KWD 3).
class Currency {
 public:
  /// Looks up an active ISO 4217 code ("USD"); unknown codes throw InvalidInputError
  /// "currency.unknown". Use custom() for codes outside ISO 4217.
  explicit Currency(std::string_view code);
  /// A currency outside ISO 4217 (e.g. points, a crypto asset) with its own minor units (0..12).
  static Currency custom(std::string_view code, int minor_units);

  [[nodiscard]] std::string_view code() const noexcept { return {code_.data(), 3}; }
  [[nodiscard]] int minor_units() const noexcept { return minor_units_; }

  friend bool operator==(const Currency& a, const Currency& b) = default;
  friend auto operator<=>(const Currency& a, const Currency& b) = default;

 private:
  Currency() = default;
  std::array<char, 4> code_{};
  int minor_units_ = 2;
};

/// True when `code` is an active ISO 4217 code known to libspm.
[[nodiscard]] bool is_iso_currency(std::string_view code) noexcept;

}  // namespace spm
