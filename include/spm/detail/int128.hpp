// 128-bit integer helpers shared by Decimal and the Arrow bridge.
#pragma once

#include <cstdint>

namespace spm::detail {

__extension__ typedef __int128 int128;           // NOLINT: GCC/Clang extension, pedantic-safe
__extension__ typedef unsigned __int128 uint128;  // NOLINT

/// 10^n for 0 <= n <= 38.
constexpr int128 pow10_128(int n) {
  int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

constexpr int128 int128_max = static_cast<int128>(~static_cast<uint128>(0) >> 1);
constexpr int128 int128_min = -int128_max - 1;

}  // namespace spm::detail
