#include "shift.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace spm::forecast::detail {

double matching_shift(std::span<const double> p, std::span<const double> a, std::span<const double> moves,
                      double target, double start) {
  std::vector<double> logit(p.size(), 0.0);
  double fixed = 0;  // deals that no shift moves
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] > 0 && p[i] < 1) logit[i] = std::log(p[i] / (1 - p[i]));
    else fixed += p[i] * a[i];
  }
  // The mean total at c, and its slope.
  const auto at = [&](double c, double& slope) {
    double total = 0;
    slope = 0;
    for (const double m : moves) {
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (!(p[i] > 0 && p[i] < 1)) continue;
        const double s = 1 / (1 + std::exp(-(logit[i] + m + c)));
        total += a[i] * s;
        slope += a[i] * s * (1 - s);
      }
    }
    const auto k = static_cast<double>(moves.size());
    slope /= k;
    return fixed + total / k;
  };
  // Newton from `start`; a step leaving the bracket bisects instead. A target out of reach
  // drives the bracket to its bound.
  double lo = -20, hi = 20, slope = 0;
  double c = std::clamp(start, lo, hi);
  for (int it = 0; it < 200; ++it) {
    const double f = at(c, slope) - target;
    if (std::abs(f) <= 1e-10 * std::max(1.0, std::abs(target))) break;
    (f < 0 ? lo : hi) = c;
    if (hi - lo < 1e-12) break;
    const double next = slope > 1e-300 ? c - f / slope : (lo + hi) / 2;
    c = next > lo && next < hi ? next : (lo + hi) / 2;
  }
  return c;
}

}  // namespace spm::forecast::detail
