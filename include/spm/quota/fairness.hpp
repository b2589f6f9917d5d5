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
  /// Optional: rep_id and size columns (accounts, potential, ...: decimal or integer).
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
  std::size_t reps = 0;
  /// Attainment (sales / quota, as a fraction) percentiles P10, P25, P50, P75, P90 and mean.
  double p10 = 0, p25 = 0, p50 = 0, p75 = 0, p90 = 0, mean = 0;
  /// Share of reps at or above 100% (exact decimal comparison).
  double share_attaining = 0;
  std::vector<SizeCorrelation> correlations;
  /// Per rep: rep_id, quota, sales, attainment_percent (exact, 2 places), and
  /// probability_of_attaining when a forecast is given.
  io::Table reps_table;
  io::Table rejects;  ///< source, row, id, reason
};

[[nodiscard]] FairnessReport fairness(const FairnessInputs& inputs);

}  // namespace spm::quota
