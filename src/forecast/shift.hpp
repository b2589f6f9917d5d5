// Moving every deal's log-odds by one shift until the expected total hits a target: how the
// backtest measures a period's surprise, and how Monte Carlo centres its period factor.
#pragma once

#include <span>

namespace spm::forecast::detail {

/// The shift c in [-20, 20] for which the mean over `moves` of sum_i a_i sigmoid(logit(p_i) +
/// move + c) equals `target` (deals at probability 0 or 1 stay put; a target out of reach gives
/// the bound). Newton's method from `start`, kept inside a shrinking bracket.
double matching_shift(std::span<const double> p, std::span<const double> a, std::span<const double> moves,
                      double target, double start = 0);

}  // namespace spm::forecast::detail
