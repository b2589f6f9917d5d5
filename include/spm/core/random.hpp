// A seeded random generator with the same output on every platform and standard library.
#pragma once

#include <cmath>
#include <cstdint>

namespace spm {

/// xoshiro256** seeded by splitmix64. std::mt19937 is portable but its distributions are not
/// (libstdc++ and libc++ differ), so the distributions here are written out to keep generated
/// data identical everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) noexcept {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      s = z ^ (z >> 31);
    }
  }
  /// 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n); n > 0 (Lemire's multiply-and-reject method: unbiased).
  std::uint64_t below(std::uint64_t n) noexcept {
    __extension__ typedef unsigned __int128 u128;  // NOLINT
    std::uint64_t x = next();
    u128 m = static_cast<u128>(x) * n;
    auto l = static_cast<std::uint64_t>(m);
    if (l < n) {
      const std::uint64_t t = -n % n;
      while (l < t) {
        x = next();
        m = static_cast<u128>(x) * n;
        l = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  /// Standard normal (Box-Muller; one value per call for simplicity).
  double normal() noexcept {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) noexcept { return mean + sd * normal(); }
  double lognormal(double mu, double sigma) noexcept { return std::exp(normal(mu, sigma)); }
  bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace spm
