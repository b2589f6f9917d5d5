#include "simulation_kernel.hpp"

#include <cstring>
#include <initializer_list>

namespace spm::forecast::detail {

namespace {

inline std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

// One step of every lane; out gets 8 x 64 random bits.
inline void step(Streams& g, std::uint64_t* out) noexcept {
  for (std::size_t l = 0; l < Streams::lanes; ++l) {
    out[l] = rotl(g.s1[l] * 5, 7) * 9;
    const std::uint64_t t = g.s1[l] << 17;
    g.s2[l] ^= g.s0[l];
    g.s3[l] ^= g.s1[l];
    g.s1[l] ^= g.s2[l];
    g.s0[l] ^= g.s3[l];
    g.s2[l] ^= t;
    g.s3[l] = rotl(g.s3[l], 45);
  }
}

}  // namespace

Streams::Streams(std::uint64_t seed) noexcept {
  for (std::size_t l = 0; l < lanes; ++l) {
    for (auto* s : {s0, s1, s2, s3}) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      s[l] = z ^ (z >> 31);
    }
  }
}

std::uint64_t Streams::below(std::uint64_t n) noexcept {
  std::uint64_t out[lanes];
  step(*this, out);
  __extension__ typedef unsigned __int128 u128;  // NOLINT
  return static_cast<std::uint64_t>((static_cast<u128>(out[0]) * n) >> 64);
}

namespace {

// The loop for both kernels below; Split adds one unit where the draw is also below split[i]. A
// separate instance for each keeps the plain loop as lean as it was before splits existed (one
// function with both loops ran it ~60% slower).
template <bool Split>
[[gnu::always_inline]] inline std::uint64_t total_of(Streams& rng, const std::uint32_t* threshold,
                                                     const std::uint32_t* split, const std::uint32_t* units,
                                                     std::size_t n) noexcept {
  constexpr std::size_t lanes = Streams::lanes;
  constexpr std::size_t width = 2 * lanes;  // 32-bit draws per step
  // The state in locals: no aliasing with the inputs, so it stays in vector registers.
  std::uint64_t s0[lanes], s1[lanes], s2[lanes], s3[lanes];
  std::memcpy(s0, rng.s0, sizeof s0);
  std::memcpy(s1, rng.s1, sizeof s1);
  std::memcpy(s2, rng.s2, sizeof s2);
  std::memcpy(s3, rng.s3, sizeof s3);
  std::uint32_t acc[width] = {};
  std::uint32_t draw[width];
  const auto advance = [&] {
    std::uint64_t bits[lanes];
    for (std::size_t l = 0; l < lanes; ++l) {
      bits[l] = rotl(s1[l] * 5, 7) * 9;
      const std::uint64_t t = s1[l] << 17;
      s2[l] ^= s0[l];
      s3[l] ^= s1[l];
      s1[l] ^= s2[l];
      s0[l] ^= s3[l];
      s2[l] ^= t;
      s3[l] = rotl(s3[l], 45);
    }
    std::memcpy(draw, bits, sizeof draw);
  };
  std::size_t i = 0;
  for (; i + width <= n; i += width) {
    advance();
    for (std::size_t k = 0; k < width; ++k) {
      acc[k] += units[i + k] & (0U - static_cast<std::uint32_t>(draw[k] < threshold[i + k]));
      if constexpr (Split) acc[k] += static_cast<std::uint32_t>(draw[k] < split[i + k]);
    }
  }
  std::uint64_t total = 0;
  for (const auto a : acc) total += a;
  if (i < n) {
    advance();
    for (std::size_t k = 0; i + k < n; ++k) {
      total += draw[k] < threshold[i + k] ? units[i + k] : 0U;
      if constexpr (Split) total += draw[k] < split[i + k] ? 1U : 0U;
    }
  }
  std::memcpy(rng.s0, s0, sizeof s0);
  std::memcpy(rng.s1, s1, sizeof s1);
  std::memcpy(rng.s2, s2, sizeof s2);
  std::memcpy(rng.s3, s3, sizeof s3);
  return total;
}

// Built for AVX2 and AVX-512 as well as the baseline where the compiler supports it; the loader
// picks the best the processor has. Every path gives the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define SPM_KERNEL_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define SPM_KERNEL_CLONES
#endif

SPM_KERNEL_CLONES
std::uint64_t plain_total(Streams& rng, const std::uint32_t* threshold, const std::uint32_t* units,
                          std::size_t n) noexcept {
  return total_of<false>(rng, threshold, nullptr, units, n);
}

SPM_KERNEL_CLONES
std::uint64_t split_total(Streams& rng, const std::uint32_t* threshold, const std::uint32_t* split,
                          const std::uint32_t* units, std::size_t n) noexcept {
  return total_of<true>(rng, threshold, split, units, n);
}

#undef SPM_KERNEL_CLONES

}  // namespace

std::uint64_t scenario_total(Streams& rng, const std::uint32_t* threshold, const std::uint32_t* split,
                             const std::uint32_t* units, std::size_t n) noexcept {
  return split == nullptr ? plain_total(rng, threshold, units, n) : split_total(rng, threshold, split, units, n);
}

}  // namespace spm::forecast::detail
