#include <spm/core/fraction.hpp>

#include <limits>
#include <numeric>

#include <spm/core/error.hpp>
#include <spm/detail/int128.hpp>

namespace spm {
namespace {
[[noreturn]] void overflow() {
  throw ArithmeticError("fraction.overflow", "",
                        "an exact fraction grew beyond 64 bits; the periods or weights involved "
                        "are too fine-grained");
}
std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) overflow();
  return r;
}
std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}
// gcd(num, den) for den > 0, on magnitudes; the result divides den, so it fits.
std::int64_t gcd_with_den(std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(std::gcd(magnitude(num), static_cast<std::uint64_t>(den)));
}
std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) overflow();
  return r;
}
}  // namespace

Fraction::Fraction(std::int64_t num, std::int64_t den) {
  if (den == 0) {
    throw ArithmeticError("fraction.zero_denominator", "",
                          "a fraction with denominator 0 is undefined (e.g. a period of 0 days)");
  }
  // Reduce on unsigned magnitudes: negating INT64_MIN (and std::gcd of it) is undefined, and
  // e.g. INT64_MIN / -2 is representable once reduced.
  const bool negative = (num < 0) != (den < 0);
  std::uint64_t n = magnitude(num);
  std::uint64_t d = magnitude(den);
  const std::uint64_t g = std::gcd(n, d);  // d != 0, so g != 0
  n /= g;
  d /= g;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (d > max || n > max + (negative ? 1 : 0)) overflow();
  // Conversion to a signed type is modular since C++20, so -n maps 2^63 to INT64_MIN.
  num_ = negative ? static_cast<std::int64_t>(0 - n) : static_cast<std::int64_t>(n);
  den_ = static_cast<std::int64_t>(d);
}

Fraction operator+(const Fraction& a, const Fraction& b) {
  const std::int64_t g = std::gcd(a.den_, b.den_);
  return {checked_add(checked_mul(a.num_, b.den_ / g), checked_mul(b.num_, a.den_ / g)),
          checked_mul(a.den_ / g, b.den_)};
}

Fraction operator-(const Fraction& a, const Fraction& b) {
  return a + Fraction(checked_mul(b.num_, -1), b.den_);
}

Fraction operator*(const Fraction& a, const Fraction& b) {
  // gcd with a positive denominator is at least 1 and fits; libstdc++'s std::gcd negates its
  // arguments, which is undefined for a numerator of INT64_MIN.
  const std::int64_t g1 = gcd_with_den(a.num_, b.den_);
  const std::int64_t g2 = gcd_with_den(b.num_, a.den_);
  return {checked_mul(a.num_ / g1, b.num_ / g2), checked_mul(a.den_ / g2, b.den_ / g1)};
}

Fraction operator/(const Fraction& a, const Fraction& b) {
  if (b.num_ == 0) {
    throw ArithmeticError("fraction.division_by_zero", "", "division of a fraction by zero");
  }
  return a * Fraction(b.den_, b.num_);
}

std::strong_ordering operator<=>(const Fraction& a, const Fraction& b) {
  const detail::int128 l = static_cast<detail::int128>(a.num_) * b.den_;
  const detail::int128 r = static_cast<detail::int128>(b.num_) * a.den_;
  return l <=> r;
}

std::string Fraction::to_string() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

}  // namespace spm
