// The Monte Carlo inner loop: one scenario's total over all deals, with eight random streams side
// by side so the compiler can vectorise the generator, the compares and the sums.
#pragma once

#include <cstddef>
#include <cstdint>

namespace spm::forecast::detail {

/// Eight xoshiro256** generators in lanes (seeded by splitmix64 from one seed).
struct Streams {
  static constexpr std::size_t lanes = 8;
  alignas(64) std::uint64_t s0[lanes], s1[lanes], s2[lanes], s3[lanes];
  explicit Streams(std::uint64_t seed) noexcept;
  /// A uniform draw in [0, n) from lane 0 (scenario-level choices).
  std::uint64_t below(std::uint64_t n) noexcept;
};

/// Sum of units[i] over the deals won in one scenario: deal i is won when its 32-bit uniform
/// draw is below threshold[i] (threshold = p x 2^32), and adds one unit more when the draw is
/// also below split[i] (<= threshold[i]; split may be null: none). units[i] < 2^31 and their
/// sum plus n < 2^32.
std::uint64_t scenario_total(Streams& rng, const std::uint32_t* threshold, const std::uint32_t* split,
                             const std::uint32_t* units, std::size_t n) noexcept;

}  // namespace spm::forecast::detail
