// Fairness diagnostics on a back-test period: do quotas give every rep the same chance?
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/io/table.hpp>

namespace spm::quota {

/// The input tables.
struct FairnessInputs {
  /// rep_id, quota (decimal).
  const io::Table* quotas = nullptr;
  /// rep_id, sales (decimal): actuals over the same period.
  const io::Table* actuals = nullptr;
  /// Optional: rep_id and size columns (accounts, potential, ...: decimal, integer or float64, or
  /// text holding numbers, as a CSV read without types).
  const io::Table* sizes = nullptr;
  /// Optional forecast: rep_id, expected_sales, volatility (decimal): adds each rep's predicted
  /// probability of attaining under a normal model.
  const io::Table* forecast = nullptr;
};

/// Correlation of attainment with one size column.
struct SizeCorrelation {
  std::string column;
  double pearson = 0;
  double spearman = 0;
};

/// The diagnostics.
struct FairnessReport {
  /// Reps with a usable quota and actuals row (the rows of reps_table).
  std::size_t reps = 0;
  /// Attainment (sales / quota, as a fraction) percentiles P10, P25, P50, P75, P90 and mean;
  /// NaN when there are no reps.
  double p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0, mean = 0;
  /// Share of reps at or above 100% (exact decimal comparison sales >= quota); NaN when there are
  /// no reps.
  double share_attaining = 0;
  /// One per numeric column of `sizes` other than rep_id (and the CSV reader's _line), in the
  /// table's column order.
  std::vector<SizeCorrelation> correlations;
  /// Size columns left out (not numeric) and values of a numeric one that are not numbers.
  std::vector<std::string> notes;
  /// Per rep, ordered by rep_id: rep_id, quota, sales, attainment_percent (exact, 2 places), and
  /// probability_of_attaining (float64, null for a rep without a forecast row) when a forecast
  /// is given.
  io::Table reps_table;
  io::Table rejects;  ///< source, row, id, reason
};

/// Joins quotas and actuals by rep_id and measures how evenly reps attain.
///
/// - Rejects (never exceptions) for: a missing rep_id or value, a rep_id appearing more than
///   once in one table (every row of that rep goes, since which one is right is unknown), a
///   quota that is not above zero, a rep missing from the other table (or whose row there was
///   rejected), a negative volatility, and sizes or forecast rows of reps not in the join.
/// - attainment = sales / quota (12 places half-even; attainment_percent is sales x 100 / quota
///   rounded once to 2 places half-even). Statistics use doubles.
/// - Percentiles interpolate linearly between order statistics: with the n sorted attainments
///   x[0..n-1], P(q) = x[i] + (h - i)(x[i+1] - x[i]) where h = (n - 1) q and i = floor(h)
///   (numpy's default "linear" method, Excel's PERCENTILE.INC).
/// - A size column is numeric when it has a numeric type, or is text whose values are mostly
///   numbers (io::mostly_numbers, as territory picks measures); another column (a region) is
///   left out with a note. A numeric text column's values that are not numbers are left out of
///   that column's correlation alone, with a note.
/// - Correlations use the reps with a value in the column (pairwise complete). Spearman is the
///   Pearson correlation of ranks, tied values sharing their average rank. Both are NaN when
///   undefined: fewer than two reps, or a constant column (or constant attainment).
/// - probability_of_attaining = 1 - Phi((quota - expected_sales) / volatility) for a normal
///   model, computed as erfc(z / sqrt 2) / 2; with volatility 0 it is 1 when expected_sales >=
///   quota, else 0.
///
/// Throws InvalidInputError "quota.column" when a required column is missing or of the wrong
/// type, and "quota.fairness" when quotas or actuals is not given.
[[nodiscard]] FairnessReport fairness(const FairnessInputs& inputs);

}  // namespace spm::quota
