// 256-bit checked integers for exact intermediates (private to the compiled core).
#pragma once

#include <cstdint>

#include <boost/multiprecision/cpp_int.hpp>
#include <spm/detail/int128.hpp>

namespace spm::detail {

namespace mp = boost::multiprecision;
// 256 bits hold any product of two 128-bit raws; the checked backend throws instead of wrapping.
// Boost rather than hand-written: exact, tested, and used only off the fast paths.
using int256 = mp::number<mp::cpp_int_backend<256, 256, mp::signed_magnitude, mp::checked, void>>;

inline int256 to_wide(int128 v) {
  const bool neg = v < 0;
  const uint128 mag = neg ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
  int256 w = static_cast<std::uint64_t>(mag >> 64);
  w <<= 64;
  w |= static_cast<std::uint64_t>(mag);
  return neg ? int256(-w) : w;
}

/// Narrows to int128; false when the value does not fit the symmetric Decimal range.
inline bool try_narrow(const int256& w, int128& out) {
  static const int256 hi = to_wide(int128_max);
  if (w > hi || w < -hi) return false;
  const bool neg = w < 0;
  const int256 mag = neg ? int256(-w) : w;
  const auto low = static_cast<std::uint64_t>(mag & int256(~std::uint64_t{0}));
  const auto high = static_cast<std::uint64_t>(mag >> 64);
  const auto r = static_cast<int128>((static_cast<uint128>(high) << 64) | low);
  out = neg ? -r : r;
  return true;
}

}  // namespace spm::detail
