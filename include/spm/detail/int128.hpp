// 128-bit integer helpers shared by Decimal and the Arrow bridge.
#pragma once

#include <array>
#include <cstdint>

namespace spm::detail {

__extension__ typedef __int128 int128;           // NOLINT: GCC/Clang extension, pedantic-safe
__extension__ typedef unsigned __int128 uint128;  // NOLINT

/// 10^0 .. 10^38 (a table: runtime exponents are common in rounding).
inline constexpr std::array<int128, 39> pow10_table = [] {
  std::array<int128, 39> t{};
  t[0] = 1;
  for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}();

/// 10^n for 0 <= n <= 38.
constexpr int128 pow10_128(int n) { return pow10_table[static_cast<std::size_t>(n)]; }
/// 10^n for 0 <= n <= 18.
constexpr std::int64_t pow10_64(int n) {
  return static_cast<std::int64_t>(pow10_table[static_cast<std::size_t>(n)]);
}

constexpr int128 int128_max = static_cast<int128>(~static_cast<uint128>(0) >> 1);
constexpr int128 int128_min = -int128_max - 1;

/// num / den truncated toward zero (den != 0), exactly as the built-in operator. A 128-bit
/// divisor above 2^64 makes the built-in a slow library loop; on x86-64 an 80-bit floating
/// estimate of a quotient below 2^62 is corrected exactly with one multiplication instead.
inline int128 quotient(int128 num, int128 den) noexcept {
#if defined(__x86_64__)
  const uint128 n = num < 0 ? -static_cast<uint128>(num) : static_cast<uint128>(num);
  const uint128 d = den < 0 ? -static_cast<uint128>(den) : static_cast<uint128>(den);
  if ((d >> 64) != 0 && (d >> 120) == 0) {
    const long double e = static_cast<long double>(n) / static_cast<long double>(d);
    if (e < 0x1p62L) {
      auto q = static_cast<std::uint64_t>(e);
      // |n - q d| < 4 d < 2^122: the wrapping difference is the exact signed remainder.
      auto r = static_cast<int128>(n - static_cast<uint128>(q) * d);
      const auto sd = static_cast<int128>(d);
      while (r < 0) {
        --q;
        r += sd;
      }
      while (r >= sd) {
        ++q;
        r -= sd;
      }
      const auto qi = static_cast<int128>(q);
      return (num < 0) != (den < 0) ? -qi : qi;
    }
  }
#endif
  return num / den;
}

}  // namespace spm::detail
