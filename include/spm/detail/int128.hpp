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

}  // namespace spm::detail
