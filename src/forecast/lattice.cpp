// The amount lattice shared by the exact and the simulated distributions: its step, and each
// amount as whole steps plus a fraction of one.
#include <spm/forecast/bookings.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include <spm/core/error.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

using spm::detail::int128;

int128 gcd128(int128 a, int128 b) {
  while (b != 0) {
    const int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// The amounts in whole steps of `step` (floor) and the fraction of a step left over; returns the
// last lattice point they reach together (a fraction reaches one step further). `max_rounding`:
// the largest distance from an amount to its nearest point.
std::int64_t to_units(std::span<const Decimal> amount, int128 step, std::vector<std::int64_t>& units,
                      std::vector<double>& fraction, int128& max_rounding) {
  units.resize(amount.size());
  fraction.assign(amount.size(), 0.0);
  int128 total = 0;
  max_rounding = 0;
  for (std::size_t i = 0; i < amount.size(); ++i) {
    const int128 k = amount[i].raw() / step;  // amounts are >= 0: truncation is the floor
    const int128 off = amount[i].raw() - k * step;
    max_rounding = std::max(max_rounding, std::min(off, step - off));
    units[i] = static_cast<std::int64_t>(std::min<int128>(k, INT64_MAX));
    if (off != 0) fraction[i] = static_cast<double>(off) / static_cast<double>(step);
    total += k + (off != 0 ? 1 : 0);
  }
  return static_cast<std::int64_t>(std::min<int128>(total, INT64_MAX));
}

}  // namespace

Lattice make_lattice(std::span<const Decimal> amount, const LatticeOptions& options) {
  detail::check_amounts(amount);
  if (options.max_points < 2) {
    throw InvalidInputError("forecast.lattice", "max_points",
                            "max_points is " + std::to_string(options.max_points) +
                                "; a lattice needs at least 2 points (the default is 1048576)");
  }
  const auto max_points = static_cast<int128>(options.max_points);
  Lattice l;
  int128 rounding = 0;
  const auto fit = [&](int128 step) { return to_units(amount, step, l.units, l.fraction, rounding); };
  if (options.step.sign() != 0) {
    if (options.step.sign() < 0) {
      throw InvalidInputError("forecast.lattice", "step", "the lattice step must be positive");
    }
    l.step = options.step;
    const auto total = fit(l.step.raw());
    if (total + 1 > max_points) {
      throw InvalidInputError("forecast.lattice", "step",
                              "a step of " + l.step.to_string() + " makes " + std::to_string(total + 1) +
                                  " lattice points, more than the " + std::to_string(options.max_points) +
                                  " allowed; use a larger step (or 0 to choose one)");
    }
    l.max_rounding = Decimal::from_raw(rounding);
    return l;
  }
  int128 g = 0, sum = 0, largest = 0;
  for (const auto& a : amount) {
    g = gcd128(a.raw(), g);
    sum += a.raw();
    largest = std::max(largest, a.raw());
  }
  if (g == 0) {
    l.step = Decimal(1);
    l.units.assign(amount.size(), 0);
    l.fraction.assign(amount.size(), 0.0);
    return l;
  }
  if (sum / g + 1 <= max_points) {
    l.step = Decimal::from_raw(g);
    fit(g);
    return l;
  }
  // A round step: 1, 2, 5 x 10^k raw units, the smallest whose lattice fits rounded_points, unless
  // an amount lies further than 1% of the largest from a lattice point (a step from the sum alone
  // would split every deal of a large pipeline between 0 and one step, adding step^2 / 4 of
  // variance each); then the coarsest finer one that does not, up to max_points.
  const int128 tolerance = largest / 100;
  const auto rounded_points = static_cast<int128>(std::clamp<std::size_t>(options.rounded_points, 2, options.max_points));
  std::optional<int128> finer;  // the coarsest step so far within the tolerance and max_points
  for (int128 decade = 1;; decade *= 10) {
    for (const int m : {1, 2, 5}) {
      const int128 step = decade * m;
      // Past the largest amount every deal reaches one step: a coarser step cannot shorten the
      // lattice, so this is the last one tried.
      const bool last = step > largest;
      if (!last && sum / step + 1 > max_points) continue;
      const auto total = fit(step);
      const bool fits = total + 1 <= max_points;
      if (!last && (!fits || total + 1 > rounded_points)) {
        if (fits && rounding <= tolerance) finer = step;
        continue;
      }
      if (fits && rounding <= tolerance) {
        l.step = Decimal::from_raw(step);
      } else if (finer) {
        l.step = Decimal::from_raw(*finer);
        fit(*finer);
      } else {
        throw InvalidInputError(
            "forecast.lattice", "step",
            std::to_string(amount.size()) + " amounts totalling " + Decimal::from_raw(sum).to_string() +
                " need more than " + std::to_string(options.max_points) +
                " lattice points to put each within 1% of the largest (" + Decimal::from_raw(largest).to_string() +
                ") of a lattice point; give a step (the spread it adds is reported as lattice_sd), a larger "
                "max_points, or use the saddlepoint method");
      }
      l.max_rounding = Decimal::from_raw(rounding);
      return l;
    }
  }
}

}  // namespace spm::forecast
