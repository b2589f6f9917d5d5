// Shared helpers for the core tests: readable printing, error checks, seeded generators and
// reference arithmetic written independently of the library (floor/ceil, unbounded integers).
#pragma once

#include <gtest/gtest.h>

#include "support/throws_error.hpp"

#include <cstdint>
#include <exception>
#include <ostream>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>
#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/core/fraction.hpp>
#include <spm/core/money.hpp>
#include <spm/core/period.hpp>
#include <spm/core/random.hpp>
#include <spm/core/rounding.hpp>

namespace spm {

// GoogleTest finds these by argument-dependent lookup, so a failing EXPECT_EQ prints values
// ("12.5") instead of object bytes.
inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.to_string(); }
inline void PrintTo(const Fraction& f, std::ostream* os) { *os << f.to_string(); }
inline void PrintTo(const Money& m, std::ostream* os) {
  *os << m.amount().to_string() << ' ' << m.currency().code();
}
inline void PrintTo(const Currency& c, std::ostream* os) { *os << c.code(); }
inline void PrintTo(const Date& d, std::ostream* os) { *os << d.to_string(); }
inline void PrintTo(const Period& p, std::ostream* os) { *os << p.to_string(); }
inline void PrintTo(Rounding r, std::ostream* os) { *os << to_string(r); }

namespace test {

using detail::int128;
using detail::uint128;
using BigInt = boost::multiprecision::cpp_int;

inline constexpr Rounding all_modes[] = {
    Rounding::half_even, Rounding::half_up, Rounding::half_down,
    Rounding::half_away_from_zero, Rounding::half_toward_zero, Rounding::down,
    Rounding::up, Rounding::floor, Rounding::ceiling,
};

/// Decimal text of a 128-bit integer (GoogleTest cannot print __int128).
inline std::string str(int128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  uint128 mag = neg ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  std::string out;
  while (mag != 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  }
  return neg ? "-" + out : out;
}

inline BigInt big(int128 v) {
  const bool neg = v < 0;
  const uint128 mag = neg ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  BigInt r = static_cast<std::uint64_t>(mag >> 64);
  r <<= 64;
  r += static_cast<std::uint64_t>(mag);
  return neg ? BigInt(-r) : r;
}

inline BigInt pow10(int n) {
  BigInt r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

/// The raw value of the largest Decimal, as an unbounded integer.
inline BigInt raw_max() { return big(detail::int128_max); }

/// True when an exact raw value is inside the symmetric Decimal range.
inline bool in_range(const BigInt& raw) { return raw <= raw_max() && raw >= -raw_max(); }

/// n / d rounded by `mode`, derived from floor and ceiling rather than truncation (the library
/// rounds from a truncated quotient, so the two share no code). Works for int64, int128, BigInt.
template <class I>
I ref_div_round(I n, I d, Rounding mode) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  I fl = n / d;
  if (fl * d > n) fl -= 1;  // truncation went up for negative n: step down to the floor
  const I rem = n - fl * d;  // 0 <= rem < d
  if (rem == 0) return fl;
  const I ce = fl + 1;
  const bool positive = n > 0;
  const I twice = rem * 2;
  switch (mode) {
    case Rounding::floor: return fl;
    case Rounding::ceiling: return ce;
    case Rounding::down: return positive ? fl : ce;
    case Rounding::up: return positive ? ce : fl;
    default: break;
  }
  if (twice < d) return fl;
  if (twice > d) return ce;
  switch (mode) {
    case Rounding::half_even: return (fl % 2 == 0) ? fl : ce;
    case Rounding::half_up: return ce;
    case Rounding::half_down: return fl;
    case Rounding::half_away_from_zero: return positive ? ce : fl;
    default: return positive ? fl : ce;  // half_toward_zero
  }
}

/// A random integer in [0, 2^bits) for bits in 0..127.
inline uint128 random_bits(Random& rng, int bits) {
  if (bits <= 0) return 0;
  const uint128 v = (static_cast<uint128>(rng.next()) << 64) | rng.next();
  return bits >= 128 ? v : v & ((static_cast<uint128>(1) << bits) - 1);
}

/// A signed raw value whose magnitude has a random bit length up to `max_bits` (<= 127), so
/// small, medium and huge values all turn up.
inline int128 random_raw(Random& rng, int max_bits) {
  const int bits = static_cast<int>(rng.below(static_cast<std::uint64_t>(max_bits) + 1));
  const auto mag = static_cast<int128>(random_bits(rng, bits));
  return rng.below(2) == 0 ? mag : -mag;
}

/// A random multiple of 10^-places with at most `max_bits` bits in the raw value.
inline Decimal random_decimal(Random& rng, int max_bits, int places) {
  const int128 step = detail::pow10_128(Decimal::scale - places);
  return Decimal::from_raw(random_raw(rng, max_bits) / step * step);
}

inline Rounding random_mode(Random& rng) {
  return all_modes[rng.below(std::size(all_modes))];
}


}  // namespace test
}  // namespace spm
