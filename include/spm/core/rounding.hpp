// Rounding modes for exact decimal arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <spm/detail/int128.hpp>

namespace spm {

/// How a value is brought to fewer decimal places. "Half" modes only differ on exact ties.
///
/// | mode                | 2.5 | -2.5 | 2.4 | -2.6 | Python decimal equivalent      |
/// |---------------------|-----|------|-----|------|--------------------------------|
/// | half_even           |  2  |  -2  |  2  |  -3  | ROUND_HALF_EVEN                |
/// | half_up             |  3  |  -2  |  2  |  -3  | ties toward +infinity          |
/// | half_down           |  2  |  -3  |  2  |  -3  | ties toward -infinity          |
/// | half_away_from_zero |  3  |  -3  |  2  |  -3  | ROUND_HALF_UP                  |
/// | half_toward_zero    |  2  |  -2  |  2  |  -3  | ROUND_HALF_DOWN                |
/// | down (toward zero)  |  2  |  -2  |  2  |  -2  | ROUND_DOWN                     |
/// | up (away from zero) |  3  |  -3  |  3  |  -3  | ROUND_UP                       |
/// | floor               |  2  |  -3  |  2  |  -3  | ROUND_FLOOR                    |
/// | ceiling             |  3  |  -2  |  3  |  -2  | ROUND_CEILING                  |
enum class Rounding {
  half_even,
  half_up,
  half_down,
  half_away_from_zero,
  half_toward_zero,
  down,
  up,
  floor,
  ceiling,
};

/// The mode's name as written in plans and on the command line ("half_even", ...).
[[nodiscard]] std::string_view to_string(Rounding mode) noexcept;
/// Parses a mode name; nullopt when the name is unknown.
[[nodiscard]] std::optional<Rounding> parse_rounding(std::string_view name) noexcept;

namespace detail {

/// num / den truncated toward zero, and the remainder (the sign of num).
template <class I>
void div_mod(const I& num, const I& den, I& q, I& r) {
  q = num / den;
  r = num - q * den;
}

/// The same for int128: money amounts divide by 64-bit divisors with 64-bit quotients almost
/// always, and one hardware division is several times quicker than libgcc's 128-bit one.
inline void div_mod(const int128& num, const int128& den, int128& q, int128& r) {
  const uint128 un = num < 0 ? -static_cast<uint128>(num) : static_cast<uint128>(num);
  const uint128 ud = den < 0 ? -static_cast<uint128>(den) : static_cast<uint128>(den);
  const auto hi = static_cast<std::uint64_t>(un >> 64);
  const auto lo = static_cast<std::uint64_t>(un);
  const auto d = static_cast<std::uint64_t>(ud);
  const bool narrow_divisor = (ud >> 64) == 0;
  std::uint64_t uq = 0;
  std::uint64_t ur = 0;
  if (narrow_divisor && hi == 0) {
    uq = lo / d;
    ur = lo % d;
#if defined(__x86_64__)
  } else if (narrow_divisor && hi < d) {  // the quotient fits in 64 bits: one divq
    __asm__("divq %4" : "=a"(uq), "=d"(ur) : "a"(lo), "d"(hi), "rm"(d));
#endif
  } else {
    q = num / den;
    r = num - q * den;
    return;
  }
  q = (num < 0) != (den < 0) ? -static_cast<int128>(uq) : static_cast<int128>(uq);
  r = num < 0 ? -static_cast<int128>(ur) : static_cast<int128>(ur);
}

/// The quotient q = num / den truncated toward zero, with remainder r, rounded by `mode`.
template <class I>
I round_quotient(const I& q, const I& r, const I& num, const I& den, Rounding mode) {
  if (r == 0) return q;
  const bool negative = (num < 0) != (den < 0);
  const I abs_r = r < 0 ? I(-r) : r;
  const I abs_d = den < 0 ? I(-den) : den;
  const I rest = abs_d - abs_r;  // compare 2|r| with |d| without overflow
  bool away = false;
  switch (mode) {
    case Rounding::down: away = false; break;
    case Rounding::up: away = true; break;
    case Rounding::floor: away = negative; break;
    case Rounding::ceiling: away = !negative; break;
    default:
      if (abs_r < rest) {
        away = false;
      } else if (abs_r > rest) {
        away = true;
      } else {
        switch (mode) {
          case Rounding::half_even: away = (q % 2) != 0; break;
          case Rounding::half_up: away = !negative; break;
          case Rounding::half_down: away = negative; break;
          case Rounding::half_away_from_zero: away = true; break;
          default: away = false; break;  // half_toward_zero
        }
      }
  }
  if (!away) return q;
  return negative ? I(q - 1) : I(q + 1);
}

/// num / den rounded by `mode`; den must not be zero. Works for any signed integer type
/// (int64, int128, Boost.Multiprecision), so one rule serves every width.
template <class I>
I div_round(const I& num, const I& den, Rounding mode) {
  I q;
  I r;
  div_mod(num, den, q, r);  // truncates toward zero
  return round_quotient(q, r, num, den, mode);
}

}  // namespace detail
}  // namespace spm
