// How good probabilities are: discrimination (AUC), proper scores (log-loss, Brier) and
// calibration (expected calibration error, reliability bins), always beside the base rate.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <spm/io/table.hpp>

namespace spm::forecast {

/// One reliability bin: predictions in [lo, hi), how many, their mean and the observed rate.
struct ReliabilityBin {
  double lo = 0, hi = 0;
  std::size_t count = 0;
  double mean_predicted = 0;
  double observed_rate = 0;
};

struct ScoreMetrics {
  std::size_t count = 0;
  double base_rate = 0;      ///< share of positives
  double auc = 0;            ///< area under the ROC curve (ties count half); 0.5 for no signal
  double log_loss = 0;       ///< mean -log p(outcome), p clipped to [1e-15, 1 - 1e-15]
  double brier = 0;          ///< mean squared error of the probability
  double ece = 0;            ///< expected calibration error over `bins` equal-width bins
  double base_log_loss = 0;  ///< log-loss of predicting the base rate for everyone
  double base_brier = 0;
  std::vector<ReliabilityBin> reliability;
};

/// Scores probabilities `p` against 0/1 outcomes `y`. Throws InvalidInputError
/// "forecast.probability" naming the first index outside [0, 1] (or not a number), and
/// "forecast.outcome" for an outcome that is not 0 or 1. No scores at all (an empty window of a
/// backtest) give count 0 and every metric 0, the AUC too: check `count` (Python's score raises
/// "forecast.score" instead).
[[nodiscard]] ScoreMetrics score(std::span<const double> p, std::span<const double> y, int bins = 10);

/// AUC alone (Mann-Whitney with average ranks for ties).
[[nodiscard]] double auc(std::span<const double> p, std::span<const double> y);

/// The reliability bins as a table: lo, hi, count, mean_predicted, observed_rate.
[[nodiscard]] io::Table reliability_table(const ScoreMetrics& m);

}  // namespace spm::forecast
