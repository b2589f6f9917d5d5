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

/// a < b in byte order (as std::string_view compares), eight bytes at a time: big-endian words
/// order as their bytes do, and a last overlapping word only re-reads bytes already equal.
inline bool less_bytes(std::string_view a, std::string_view b) noexcept {
  using namespace hash_impl;
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  if (n < 8) return a < b;
  const char* p = a.data();
  const char* q = b.data();
  for (std::size_t i = 0;; i += 8) {
    const std::size_t at = i + 8 <= n ? i : n - 8;
    const std::uint64_t x = __builtin_bswap64(load64(p + at)), y = __builtin_bswap64(load64(q + at));
    if (x != y) return x < y;
    if (at + 8 >= n) return a.size() < b.size();
  }
}

/// How many leading bytes a and b share.
inline std::size_t common_prefix(std::string_view a, std::string_view b) noexcept {
  using namespace hash_impl;
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t x = load64(a.data() + i) ^ load64(b.data() + i);
    if (x != 0) return i + static_cast<std::size_t>(__builtin_ctzll(x)) / 8;  // little-endian
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

/// One value of 4 to 16 bytes to find among many strings: its two (overlapping) words are read
/// once, so that a comparison is a length test and two word tests (built per comparison, as in
/// `same_bytes`, they are read again each time: a byte written in between could alias them).
class Needle {
 public:
  explicit Needle(std::string_view w) noexcept : n_(w.size()) {
    using namespace hash_impl;
    if (n_ >= 8 && n_ <= 16) {
      a_ = load64(w.data());
      b_ = load64(w.data() + n_ - 8);
    } else if (n_ >= 4 && n_ < 8) {
      a_ = load32(w.data());
      b_ = load32(w.data() + n_ - 4);
    }
  }
  /// Whether the value has 4 to 16 bytes (others: compare the strings).
  [[nodiscard]] bool usable() const noexcept { return n_ >= 4 && n_ <= 16; }
  /// s == the value (usable() only).
  [[nodiscard]] bool operator()(std::string_view s) const noexcept {
    using namespace hash_impl;
    if (s.size() != n_) return false;
    const char* p = s.data();
    if (n_ >= 8) return ((load64(p) ^ a_) | (load64(p + n_ - 8) ^ b_)) == 0;
    return ((load32(p) ^ a_) | (load32(p + n_ - 4) ^ b_)) == 0;
  }

 private:
  std::size_t n_;
  std::uint64_t a_ = 0, b_ = 0;
};

/// a == b. Ids of 4 to 16 bytes compare by two overlapping word loads inline (a Needle): the
/// library's memcmp is a call per comparison, most of the cost of matching a short id.
inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (const Needle needle(b); needle.usable()) return needle(a);
  return a == b;
}

}  // namespace spm::detail
