// A fast 64-bit hash of short byte strings (ids): two multiply-folds of the bytes, in the style
// of wyhash. std::hash (murmur) costs several times more on the 5-20 byte ids that bulk inputs
// carry, and both the id checks and the interning hash every row.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include <spm/detail/int128.hpp>

namespace spm::detail {

namespace hash_impl {
inline std::uint64_t fold(std::uint64_t a, std::uint64_t b) noexcept {
  const uint128 r = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace hash_impl

/// Hash of the bytes of `s` (well mixed in every bit: the top bits may pick partitions).
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  using namespace hash_impl;
  constexpr std::uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                          k2 = 0x8ebc6af09c88c6e3ULL;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t seed = k0 ^ static_cast<std::uint64_t>(n);
  while (n > 16) {
    seed ^= fold(load64(p) ^ k1, load64(p + 8) ^ seed);  // ^=: a zero fold keeps the state
    p += 16;
    n -= 16;
  }
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    a = (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
        (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
        static_cast<unsigned char>(p[n - 1]);
  }
  return fold(fold(a ^ k1, b ^ seed) ^ k2, k1 ^ static_cast<std::uint64_t>(s.size()));
}

}  // namespace spm::detail
