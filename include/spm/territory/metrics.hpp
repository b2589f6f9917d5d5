// How good an assignment of units to territories is, whoever made it: balance per measure,
// dispersion (p-median, p-center, diameter), contiguity, and disruption against a current
// assignment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <spm/io/table.hpp>
#include <spm/territory/instance.hpp>

namespace spm::territory {

struct MeasureBalance {
  double target = 0;              ///< total / territories (or the territory's target share)
  double max_deviation = 0;       ///< max over territories of |activity / target - 1|
  std::size_t outside = 0;        ///< territories outside [(1 - tau), (1 + tau)] x target
};

struct Metrics {
  std::vector<MeasureBalance> balance;  ///< per measure
  /// Sum over units of the distance to their territory's centre: the unit that minimises that
  /// sum within the territory (the medoid).
  double p_median = 0;
  double p_center = 0;  ///< the largest distance from a unit to its territory's centre
  double diameter = 0;  ///< the largest distance between two units of one territory
  std::vector<double> share;  ///< per territory: its target share (empty: equal shares)
  /// The centre of an empty territory.
  static constexpr std::uint32_t no_centre = UINT32_MAX;
  std::vector<std::uint32_t> centre;      ///< per territory: its home unit if given and in it, else the medoid (no_centre if empty)
  std::vector<std::uint32_t> components;  ///< per territory: connected pieces (the units' edges, or their Gabriel graph)
  std::size_t non_contiguous = 0;         ///< territories in more than one piece
  std::size_t empty = 0;                  ///< territories with no unit
  // Against `current` (when given; units with none, -1, are new and never count as moved):
  std::size_t moved_units = 0;
  std::vector<double> moved_activity;  ///< per measure: activity of the moved units
  std::size_t territories_affected = 0;  ///< territories that gained or lost a unit

  /// territory, units, centre, components, then per measure its activity and deviation.
  [[nodiscard]] io::Table territories_table(const Units& units, std::span<const std::int32_t> assignment) const;
};

/// `v` to 12 significant digits of max(|v|, `unit`), for tables written out: a sum of activities
/// without the binary noise of its last bits (1530592.3, not 1530592.3000000003). A deviation
/// (a ratio less 1) takes unit 1, so that 2.2e-16 shows as 0.
[[nodiscard]] double round_for_output(double v, double unit = 0) noexcept;

/// Evaluates `assignment` (unit -> territory in [0, territories)). `tolerance`: tau per measure
/// (one value for all, or one per measure); `share`: optional target share per territory (sums
/// to 1; empty: equal shares). Throws InvalidInputError "territory.assignment" naming the first
/// unit with a territory out of range, and "territory.options" for bad tolerances or shares.
/// `home`: optional home unit per territory (-1: none): a territory holding its home is measured
/// from it (its centre), not from its medoid.
[[nodiscard]] Metrics evaluate(const Units& units, std::span<const std::int32_t> assignment,
                               std::size_t territories, std::span<const double> tolerance,
                               std::span<const double> share = {},
                               std::span<const std::int32_t> current = {},
                               std::span<const std::int32_t> home = {});

}  // namespace spm::territory
