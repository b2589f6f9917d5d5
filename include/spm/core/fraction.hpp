// Exact rational numbers for proration and day-count factors.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace spm {

/// An exact fraction num/den in lowest terms with den > 0 (e.g. 10/31 of a month).
/// Arithmetic is checked: a result that does not fit in 64 bits throws ArithmeticError.
class Fraction {
 public:
  /// Zero.
  constexpr Fraction() = default;
  /// A whole number.
  constexpr Fraction(std::int64_t whole) : num_(whole) {}  // NOLINT(google-explicit-constructor)
  /// num/den, reduced; throws ArithmeticError when den == 0.
  Fraction(std::int64_t num, std::int64_t den);

  [[nodiscard]] constexpr std::int64_t num() const noexcept { return num_; }
  [[nodiscard]] constexpr std::int64_t den() const noexcept { return den_; }

  friend Fraction operator+(const Fraction& a, const Fraction& b);
  friend Fraction operator-(const Fraction& a, const Fraction& b);
  friend Fraction operator*(const Fraction& a, const Fraction& b);
  friend Fraction operator/(const Fraction& a, const Fraction& b);
  friend bool operator==(const Fraction& a, const Fraction& b) = default;
  friend std::strong_ordering operator<=>(const Fraction& a, const Fraction& b);

  /// "num/den", or "num" when den == 1.
  [[nodiscard]] std::string to_string() const;

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

}  // namespace spm
