// Territory balancing: assign units to p territories so that every measure is within its band,
// territories are compact and contiguous, locked units stay put and few units move.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <spm/core/execution.hpp>
#include <spm/territory/instance.hpp>
#include <spm/territory/metrics.hpp>

namespace spm::territory {

struct Problem {
  const Units* units = nullptr;
  std::size_t territories = 0;
  std::vector<double> tolerance;       ///< tau per measure (or one for all)
  std::vector<double> share;           ///< target share per territory (sums to 1); empty: equal
  /// Current territory per unit (-1: none); empty: none. It may use fewer than p territories
  /// (adding a rep: each new one starts from a unit the others can spare), not more.
  std::vector<std::int32_t> current;
  std::vector<std::int32_t> locked;    ///< per unit: the territory it must stay in, or -1
  std::vector<std::int32_t> home;      ///< per territory: a fixed centre unit, or -1
  /// (unit, territory) pairs that may not go together, e.g. an account a rep may not serve.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> excluded;
  /// Per territory: an upper limit on measure `capacity_measure` (<= 0: none); empty: none.
  std::vector<double> capacity;
  std::size_t capacity_measure = 0;
  bool contiguity = true;              ///< needs the units' adjacency, connected
  /// Cost per moved unit (against `current`), in distance units, added to the dispersion: a unit
  /// moves for compactness only when that shortens distances by more than the weight. 0: moves
  /// cost nothing (the alignment is re-optimised freely from `current`). None (the default): units
  /// move only where the balance needs it, never for compactness alone.
  std::optional<double> disruption_weight;
  std::optional<std::size_t> max_moved;  ///< hard budget on moved units (against `current`)
  /// Constructions tried, each from its own seed; 0: automatic, more for small problems where a
  /// run is cheap (clamp(2000 / units, 4, 64)): on n <= 100 that reaches the exact optimum's
  /// p-median far more often.
  int restarts = 0;
};

/// The most restarts a problem may ask for (each run keeps an assignment of every unit).
inline constexpr int max_restarts = 100000;

/// feasible: nothing in `violations`; infeasible: the search ended with violations; stopped: the
/// time limit or a cancellation ended it with violations (more time might fix them).
enum class SolveStatus { feasible, infeasible, stopped };
[[nodiscard]] const char* to_string(SolveStatus s) noexcept;

/// One thing the best solution found does not satisfy.
struct Violation {
  std::size_t territory = 0;
  std::string measure;  ///< the measure, or "contiguity"
  double excess = 0;    ///< relative deviation beyond the band (contiguity: extra pieces)
  std::string message;
};

struct Solution {
  std::vector<std::int32_t> assignment;
  SolveStatus status = SolveStatus::feasible;
  std::vector<Violation> violations;
  Metrics metrics;
  std::size_t moves = 0;  ///< improving moves made by the local search
};

/// Construction (balanced region growing from spread seeds, several seeds; or the current
/// alignment, when every unit has one, for a rebalance) then local search
/// (boundary moves that keep every territory contiguous, first balance, then compactness and
/// disruption). Deterministic for a given context seed. Outcomes that break constraints come
/// back as status `infeasible` with each violation, never as an exception; bad input throws
/// InvalidInputError "territory.problem" naming the unit or field (e.g. contiguity on a
/// disconnected graph names its pieces; a unit the home of two territories names both). Target
/// shares within 1e-6 of summing to 1 are scaled to sum to 1.
[[nodiscard]] Solution solve(const Problem& problem, const ExecutionContext& context = {});

}  // namespace spm::territory
