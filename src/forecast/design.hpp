// The win model's design matrix kept sparse where it is: a dense block (intercept and the
// standardised numerics) and, per categorical feature, the column of the row's level. One-hot
// columns are never stored, so a Newton step costs per row (dense + categoricals)^2 / 2 updates,
// not (all columns)^2 / 2.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "logistic.hpp"

namespace spm::forecast::detail {

struct Design {
  std::size_t rows = 0;
  std::size_t dense = 0;  ///< columns 0..dense-1: intercept, numerics
  std::size_t cats = 0;   ///< categorical features
  std::size_t cols = 0;   ///< all columns (dense + every level)
  std::vector<double> x;            ///< rows x dense, row-major
  std::vector<std::int32_t> level;  ///< rows x cats: the level's column, or -1 (no indicator)
  /// Distinct combinations of levels, when they repeat enough to sum per combination first
  /// (index_patterns); 0 = not used.
  std::size_t patterns = 0;
  std::vector<std::int32_t> pattern;         ///< rows: the row's combination
  std::vector<std::int32_t> pattern_levels;  ///< patterns x cats
};

/// Groups the rows by their combination of levels (see Design::patterns).
void index_patterns(Design& d);

/// Penalised logistic regression by Newton's method (iteratively reweighted least squares):
/// minimises sum(log-loss) + l2/2 |beta[1..]|^2 (column 0 is the intercept, not penalised) over
/// the rows `subset` of `d` (all when empty); y[i] is 0/1 for design row i. Step-halving keeps
/// every step downhill, so separable data with l2 = 0 stops at max_iterations instead of
/// diverging. Rows are summed in fixed chunks, on up to `threads` threads,
/// with the same result for any thread count.
LogisticFit fit_logistic(const Design& d, std::span<const double> y, std::span<const std::uint32_t> subset,
                         double l2, int max_iterations, double tolerance, unsigned threads);

/// The linear score of design row `i`.
inline double linear_score(const Design& d, const Eigen::VectorXd& beta, std::size_t i) {
  const double* xi = d.x.data() + i * d.dense;
  double s = 0;
  for (std::size_t a = 0; a < d.dense; ++a) s += xi[a] * beta[static_cast<Eigen::Index>(a)];
  const std::int32_t* li = d.level.data() + i * d.cats;
  for (std::size_t c = 0; c < d.cats; ++c) {
    if (li[c] >= 0) s += beta[li[c]];
  }
  return s;
}

}  // namespace spm::forecast::detail
