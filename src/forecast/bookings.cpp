// Bookings distributions: the exact product of the deals' generating functions on a lattice, and
// Monte Carlo with a shared period factor.
#include <spm/forecast/bookings.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <optional>
#include <queue>

#include <boost/math/distributions/normal.hpp>
#include <unsupported/Eigen/FFT>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/core/rounding.hpp>

#include "../core/workers.hpp"
#include "columns.hpp"
#include "shift.hpp"
#include "simulation_kernel.hpp"

namespace spm::forecast {

namespace {

using spm::detail::int128;

// Below this a lattice point's probability is FFT rounding, not a reachable total.
constexpr double reachable = 1e-16;

void check_deals(std::span<const double> p, std::span<const Decimal> amount) {
  if (p.size() != amount.size()) {
    throw InvalidInputError("forecast.probability", "",
                            std::to_string(p.size()) + " probabilities for " +
                                std::to_string(amount.size()) + " amounts");
  }
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw InvalidInputError("forecast.probability", "[" + std::to_string(i) + "]",
                              "deal " + std::to_string(i + 1) + ": probability " + std::to_string(p[i]) +
                                  " is outside [0, 1]");
    }
  }
}

// out = a * b by the schoolbook rule (one of them short).
std::vector<double> direct_multiply(const std::vector<double>& a, const std::vector<double>& b) {
  const auto& s = a.size() <= b.size() ? a : b;
  const auto& l = a.size() <= b.size() ? b : a;
  std::vector<double> out(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 0) continue;
    const double w = s[i];
    double* o = out.data() + i;
    for (std::size_t j = 0; j < l.size(); ++j) o[j] += w * l[j];
  }
  return out;
}

std::vector<double> fft_multiply(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t size = a.size() + b.size() - 1;
  std::size_t n = 1;
  while (n < size) n <<= 1;
  Eigen::FFT<double> fft;
  fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  std::vector<double> ta(n, 0.0), tb(n, 0.0);
  std::copy(a.begin(), a.end(), ta.begin());
  std::copy(b.begin(), b.end(), tb.begin());
  std::vector<std::complex<double>> fa, fb;
  fft.fwd(fa, ta);
  fft.fwd(fb, tb);
  for (std::size_t i = 0; i < fa.size(); ++i) fa[i] *= fb[i];
  std::vector<double> out;
  fft.inv(out, fa, static_cast<Eigen::Index>(n));
  out.resize(size);
  // Rounding leaves tiny negatives where the true value is 0.
  for (auto& v : out) v = std::max(v, 0.0);
  return out;
}

void add_deal(std::vector<double>& pmf, double p, std::size_t k) {
  const std::size_t old = pmf.size();
  pmf.resize(old + k, 0.0);
  const double q = 1 - p;
  for (std::size_t j = old + k; j-- > k;) pmf[j] = q * pmf[j] + p * pmf[j - k];
  for (std::size_t j = std::min(k, old); j-- > 0;) pmf[j] *= q;
}

// A deal between lattice points: won, it adds k steps with 1 - f and k + 1 with f.
void add_split_deal(std::vector<double>& pmf, double p, std::size_t k, double f) {
  const std::size_t old = pmf.size();
  pmf.resize(old + k + 1, 0.0);
  const double q = 1 - p, lo = p * (1 - f), hi = p * f;
  for (std::size_t j = old + k + 1; j-- > k + 1;) pmf[j] = q * pmf[j] + lo * pmf[j - k] + hi * pmf[j - k - 1];
  pmf[k] = q * pmf[k] + lo * pmf[0];
  for (std::size_t j = std::min(k, old); j-- > 0;) pmf[j] *= q;
}

// A deal more likely won than lost (see won_exact), counted from k + 1 steps below its amount:
// won, k + 1 steps; lost, 1 step with 1 - f, 0 with f.
void add_lost_split_deal(std::vector<double>& pmf, double p, std::size_t k, double f) {
  const std::size_t old = pmf.size();
  pmf.resize(old + k + 1, 0.0);
  const double none = (1 - p) * f, one = (1 - p) * (1 - f);
  for (std::size_t j = old + k + 1; j-- > 0;) {
    double v = none * pmf[j];
    if (j >= 1) v += one * pmf[j - 1];
    if (j >= k + 1) v += p * pmf[j - k - 1];
    pmf[j] = v;
  }
}

// The variance the split adds, in steps^2: a won deal's f (1 - f).
double split_variance(std::span<const double> p, std::span<const double> fraction) {
  double v = 0;
  for (std::size_t i = 0; i < p.size(); ++i) v += p[i] * fraction[i] * (1 - fraction[i]);
  return v;
}

// Whether a deal between lattice points is split on its lost side: a deal more likely won than
// lost books its exact amount when won (its rest below whole steps goes to the origin) and, lost,
// 1 step with 1 - f or none with f above k + 1 steps below its amount, keeping its mean. So the
// likely extreme (every near-certain deal won) is exact, and the split's noise comes with the
// unlikely outcome: weight 1 - p instead of p. (Split on the won side, 400 deals at 0.999999
// reached past every deal won and P(all won) was 0.49 instead of 0.9996.)
bool won_exact(double p, double f) { return f > 0 && p > 0.5 && p < 1; }

// The variance the split adds, in steps^2, each deal weighted by the chance of the outcome that
// is split (won for most, lost for the deals more likely won: see won_exact).
double split_variance_of_deals(std::span<const double> p, std::span<const double> fraction) {
  double v = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] >= 1) continue;  // a certain deal's rest is exact (the origin)
    v += (won_exact(p[i], fraction[i]) ? 1 - p[i] : p[i]) * fraction[i] * (1 - fraction[i]);
  }
  return v;
}

// No total can be below the deals won for sure nor above every deal won: a split on the unlikely
// side can put a little mass one step past either; it is moved to the first (last) lattice point
// inside, so quantiles and the table stay within what can happen. `highest` is unbounded with
// arrivals.
void fold_into_range(BookingsDistribution& d, std::span<const double> p, std::span<const Decimal> amount,
                     bool bounded_above) {
  if (d.pmf.empty() || d.step.sign() <= 0) return;
  Decimal lowest, highest;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] >= 1) lowest += amount[i];
    if (p[i] > 0) highest += amount[i];
  }
  const int128 step = d.step.raw();
  if (bounded_above && d.origin <= highest) {
    const auto last = static_cast<std::size_t>(std::min<int128>(
        (highest - d.origin).raw() / step, static_cast<int128>(d.pmf.size()) - 1));
    double beyond = 0;
    for (std::size_t k = last + 1; k < d.pmf.size(); ++k) beyond += d.pmf[k];
    d.pmf.resize(last + 1);
    d.pmf[last] += beyond;
  }
  if (d.origin < lowest) {
    const int128 skip = spm::detail::div_round((lowest - d.origin).raw(), step, Rounding::ceiling);
    const auto first = static_cast<std::size_t>(std::min<int128>(skip, static_cast<int128>(d.pmf.size()) - 1));
    double below = 0;
    for (std::size_t k = 0; k < first; ++k) below += d.pmf[k];
    d.pmf.erase(d.pmf.begin(), d.pmf.begin() + static_cast<std::ptrdiff_t>(first));
    d.pmf[0] += below;
    d.origin += Decimal::from_raw(step * static_cast<int128>(first));
  }
}

// The moments from the exact amounts, not the lattice's (a coarse step would move them): the
// mean exactly (expected_bookings), the standard deviation as a statistic.
void set_moments(BookingsDistribution& d, std::span<const double> p, std::span<const Decimal> amount,
                 const Arrivals& arrivals) {
  double var = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double a = amount[i].to_double();
    var += p[i] * (1 - p[i]) * a * a;
  }
  if (arrivals.rate > 0) {
    // Compound Poisson: variance rate E[X^2].
    double ex2 = 0;
    for (const auto& v : arrivals.amounts) {
      const double a = v.to_double();
      ex2 += a * a / static_cast<double>(arrivals.amounts.size());
    }
    var += arrivals.rate * ex2;
  }
  d.mean = expected_bookings(p, amount, arrivals);
  d.sd = std::sqrt(var);
}

// The lattice for the pipeline's amounts and the arrivals' pool together; `pool` gets the pool's
// amounts in whole steps, `pool_fraction` their fractions.
Lattice joint_lattice(std::span<const double> p, std::span<const Decimal> amount, const Arrivals& arrivals,
                      const LatticeOptions& options, std::vector<std::int64_t>& pool,
                      std::vector<double>& pool_fraction) {
  if (!(arrivals.rate >= 0) || !std::isfinite(arrivals.rate)) {
    throw InvalidInputError("forecast.options", "arrivals.rate", "the arrival rate must be a finite number >= 0");
  }
  if (arrivals.rate > 0 && arrivals.amounts.empty()) {
    throw InvalidInputError("forecast.options", "arrivals.amounts", "arrivals need at least one amount");
  }
  std::vector<Decimal> all(amount.begin(), amount.end());
  all.insert(all.end(), arrivals.amounts.begin(), arrivals.amounts.end());
  auto l = make_lattice(all, options);
  // A chosen step that splits amounts is kept fine against where the total lands: the split adds
  // at most step / 2 x sqrt(sum w) of sd (w = p, or 1 - p split on the lost side), so a step up
  // to 0.2 sd / sqrt(sum w) adds at most a tenth of the total's sd (half a percent to it). The
  // lattice from the largest amount alone (1% of it, over 0 to the sum) added 42% of the sd to a
  // company total of 100,000 deals (a user test). The coarsest round step within that, if the
  // lattice then fits max_points; otherwise the step stays (lattice_sd reports what it adds).
  if (options.step.sign() == 0 && l.max_rounding.sign() != 0 && arrivals.rate <= 0) {
    double var = 0, weight = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!(p[i] > 0 && p[i] < 1)) continue;
      const double a = amount[i].to_double();
      var += p[i] * (1 - p[i]) * a * a;
      weight += std::min(p[i], 1 - p[i]);
    }
    const double cap = weight > 0 ? 0.2 * std::sqrt(var) / std::sqrt(weight) : 0;
    int128 sum = 0;
    for (const auto& a : all) sum += a.raw();
    if (cap > 0 && l.step.to_double() > cap) {
      std::optional<int128> best;
      for (int128 decade = 1; static_cast<double>(decade) * 1e-12 <= cap; decade *= 10) {
        for (const int m : {1, 2, 5}) {
          const int128 step = decade * m;
          if (static_cast<double>(step) * 1e-12 > cap) break;
          best = step;
        }
      }
      if (best && sum / *best + static_cast<int128>(all.size()) + 1 <= static_cast<int128>(options.max_points)) {
        LatticeOptions finer = options;
        finer.step = Decimal::from_raw(*best);
        l = make_lattice(all, finer);
      }
    }
  }
  const auto n = static_cast<std::ptrdiff_t>(amount.size());
  pool.assign(l.units.begin() + n, l.units.end());
  pool_fraction.assign(l.fraction.begin() + n, l.fraction.end());
  l.units.resize(amount.size());
  l.fraction.resize(amount.size());
  return l;
}

// The compound Poisson distribution of the arrivals on the lattice: its generating function is
// exp(rate (F(z) - 1)), F the pool's, so one FFT of the pool, an exponential per frequency and
// one inverse FFT give it, on a grid long enough that all but ~1e-15 of the mass fits (no wrap).
std::vector<double> arrivals_pmf(double rate, const std::vector<std::int64_t>& pool,
                                 const std::vector<double>& fraction) {
  double mean = 0, second = 0;
  std::int64_t largest = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const double u = static_cast<double>(pool[i]) + fraction[i];
    mean += rate * u / static_cast<double>(pool.size());
    second += rate * (u + 1) * (u + 1) / static_cast<double>(pool.size());
    largest = std::max(largest, pool[i] + 1);
  }
  const auto limit = static_cast<std::size_t>(mean + 12 * std::sqrt(second) + 4 * static_cast<double>(largest)) + 1;
  std::size_t n = 1;
  while (n < limit + 1) n <<= 1;
  std::vector<double> f(n, 0.0);
  const double share = 1.0 / static_cast<double>(pool.size());
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const auto u = static_cast<std::size_t>(pool[i]);
    f[u] += share * (1 - fraction[i]);
    if (fraction[i] > 0) f[u + 1] += share * fraction[i];
  }
  Eigen::FFT<double> fft;
  fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, f);
  for (auto& v : spectrum) v = std::exp(rate * (v - 1.0));
  std::vector<double> g;
  fft.inv(g, spectrum, static_cast<Eigen::Index>(n));
  for (auto& v : g) v = std::max(v, 0.0);
  // Trim the far tail that holds nothing.
  std::size_t keep = g.size();
  while (keep > 1 && g[keep - 1] < 1e-300) --keep;
  g.resize(keep);
  return g;
}

}  // namespace

void detail::check_amounts(std::span<const Decimal> amount) {
  int128 sum = 0;
  for (std::size_t i = 0; i < amount.size(); ++i) {
    if (amount[i].sign() < 0) {
      throw InvalidInputError("forecast.amount", "[" + std::to_string(i) + "]",
                              "deal " + std::to_string(i + 1) + ": amount " + amount[i].to_string() +
                                  " is negative");
    }
    // Checked before adding: the sum of raw amounts would overflow 128 bits.
    if (amount[i].raw() > max_total_amount.raw() - sum) {
      throw InvalidInputError("forecast.amount", "[" + std::to_string(i) + "]",
                              "deal " + std::to_string(i + 1) + ": the amounts add up to more than " +
                                  max_total_amount.to_string() +
                                  ", the largest total a forecast takes; state them in thousands or millions");
    }
    sum += amount[i].raw();
  }
}

namespace {

// x >= 0 (a probability, a rate) in units of 10^-12: its exact binary value rounded half-even,
// in integers (no text, no double rounding). A value written with at most 12 decimals (0.3) is
// taken as written: its double is within 2^-53 of it relatively, far inside half a unit.
int128 statistic_units(double x) {
  if (!(x > 0)) return 0;
  if (!std::isfinite(x) || x >= 0x1p33) {
    throw InvalidInputError("forecast.options", "arrivals.rate", "the arrival rate must be finite and below 2^33");
  }
  int e = 0;
  const double m = std::frexp(x, &e);                             // x = m 2^e, 0.5 <= m < 1
  const auto mantissa = static_cast<int128>(std::ldexp(m, 53));  // a whole number below 2^53
  const int128 v = mantissa * Decimal::unit;                      // below 2^93
  const int shift = 53 - e;                                       // x = mantissa / 2^shift
  if (shift <= 0) return v << -shift;                             // below 2^126
  if (shift > 93) return 0;                                       // below half a unit
  const int128 q = v >> shift;
  const int128 r = v - (q << shift);
  const int128 half = int128{1} << (shift - 1);
  return q + (r > half || (r == half && (q & 1) != 0) ? 1 : 0);
}

// amount x k units of 10^-12, rounded half-even to 10^-12 (what Decimal::mul does), split so
// that nothing overflows 128 bits: amount = whole + part / 10^12.
int128 product_units(int128 amount_raw, int128 k) {
  constexpr int128 u = Decimal::unit;
  const int128 whole = amount_raw / u, part = amount_raw % u;  // amount >= 0
  const int128 pk = part * k;                                   // below 10^24
  int128 q = whole * k + pk / u;
  const int128 r = pk % u;
  if (2 * r > u || (2 * r == u && (q & 1) != 0)) ++q;
  return q;
}

}  // namespace

Decimal expected_bookings(std::span<const double> probability, std::span<const Decimal> amount,
                          const Arrivals& arrivals) {
  return detail::expected_bookings_unrounded(probability, amount, arrivals).round(2);
}

Decimal detail::expected_bookings_unrounded(std::span<const double> probability, std::span<const Decimal> amount,
                                            const Arrivals& arrivals) {
  check_deals(probability, amount);
  detail::check_amounts(amount);
  // Each product is at most its amount (p <= 1): the sum stays within max_total_amount.
  int128 sum = 0;
  for (std::size_t i = 0; i < amount.size(); ++i) {
    sum += product_units(amount[i].raw(), statistic_units(probability[i]));
  }
  Decimal total = Decimal::from_raw(sum);
  if (arrivals.rate > 0 && !arrivals.amounts.empty()) {
    if (!std::isfinite(arrivals.rate)) {
      throw InvalidInputError("forecast.options", "arrivals.rate", "the arrival rate must be a finite number >= 0");
    }
    detail::check_amounts(arrivals.amounts);
    Decimal pool;
    for (const auto& a : arrivals.amounts) pool += a;
    total += Decimal::mul_div(pool, Decimal::from_raw(statistic_units(arrivals.rate)),
                              Decimal(static_cast<std::int64_t>(arrivals.amounts.size())));
  }
  return total;
}

BookingsDistribution exact_bookings(std::span<const double> probability, std::span<const Decimal> amount,
                                    const LatticeOptions& lattice, const Arrivals& arrivals) {
  check_deals(probability, amount);
  detail::check_amounts(amount);
  // The same bytes whatever the order of the deals.
  const auto sorted = detail::canonical_deals(probability, amount);
  probability = sorted.p;
  amount = sorted.amount;
  std::vector<std::int64_t> pool;
  std::vector<double> pool_fraction;
  const auto l = joint_lattice(probability, amount, arrivals, lattice, pool, pool_fraction);
  BookingsDistribution d;
  d.step = l.step;
  d.max_rounding = l.max_rounding;
  d.deals = amount.size();
  // Deals won for sure are not split: their fractions are added exactly (the origin).
  double split = split_variance_of_deals(probability, l.fraction);
  if (arrivals.rate > 0) {
    const std::vector<double> each(pool.size(), arrivals.rate / static_cast<double>(pool.size()));
    split += split_variance(each, pool_fraction);
  }
  d.lattice_sd = std::sqrt(split) * l.step.to_double();
  // Chunks built deal by deal while short, then multiplied pairwise, shortest first (balanced
  // sizes keep the FFTs few).
  constexpr std::size_t chunk_limit = 1U << 12;
  constexpr std::size_t direct_limit = 64;
  using Poly = std::vector<double>;
  std::vector<Poly> chunks;
  Poly current{1.0};
  std::size_t shift = 0;  // deals won for sure move the whole distribution
  for (std::size_t i = 0; i < amount.size(); ++i) {
    auto k = static_cast<std::size_t>(l.units[i]);
    double p = probability[i];
    double f = l.fraction[i];
    if (p == 0 || (k == 0 && f == 0)) continue;
    if (p == 1) {  // the whole steps for sure, and the rest exactly: the origin moves
      shift += k;
      d.origin += amount[i] - Decimal::from_raw(l.step.raw() * static_cast<int128>(l.units[i]));
      continue;
    }
    const std::size_t reach = k + (f > 0 ? 1 : 0);
    if (current.size() > 1 && current.size() + reach > chunk_limit) {
      chunks.push_back(std::move(current));
      current = Poly{1.0};
    }
    if (won_exact(p, f)) {
      // Counted from k + 1 steps below its amount (exact, in the origin): won, k + 1 steps;
      // lost, 1 step with 1 - f and none with f.
      d.origin += amount[i] - Decimal::from_raw(l.step.raw() * static_cast<int128>(l.units[i] + 1));
      add_lost_split_deal(current, p, k, f);
    } else if (f > 0) {
      add_split_deal(current, p, k, f);
    } else {
      add_deal(current, p, k);
    }
  }
  chunks.push_back(std::move(current));
  if (arrivals.rate > 0) chunks.push_back(arrivals_pmf(arrivals.rate, pool, pool_fraction));
  bool used_fft = false;
  // Min-heap on (size, order made) so the result does not depend on heap internals.
  using Entry = std::pair<std::size_t, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  for (std::size_t i = 0; i < chunks.size(); ++i) heap.emplace(chunks[i].size(), i);
  while (heap.size() > 1) {
    const auto a = heap.top().second;
    heap.pop();
    const auto b = heap.top().second;
    heap.pop();
    const bool small = std::min(chunks[a].size(), chunks[b].size()) <= direct_limit;
    used_fft = used_fft || !small;
    Poly product = small ? direct_multiply(chunks[a], chunks[b]) : fft_multiply(chunks[a], chunks[b]);
    Poly().swap(chunks[a]);
    Poly().swap(chunks[b]);
    chunks.push_back(std::move(product));
    heap.emplace(chunks.back().size(), chunks.size() - 1);
  }
  Poly& result = chunks[heap.top().second];
  d.pmf.assign(shift, 0.0);
  d.pmf.insert(d.pmf.end(), result.begin(), result.end());
  d.method = used_fft ? "exact (fft)" : "exact (direct)";
  fold_into_range(d, probability, amount, arrivals.rate <= 0);
  set_moments(d, probability, amount, arrivals);
  return d;
}

BookingsDistribution simulate_bookings(std::span<const double> probability, std::span<const Decimal> amount,
                                       const MonteCarloOptions& options, const ExecutionContext& context) {
  check_deals(probability, amount);
  detail::check_amounts(amount);
  // The same scenarios whatever the order of the deals (each draw goes to a deal by position).
  const auto sorted = detail::canonical_deals(probability, amount);
  probability = sorted.p;
  amount = sorted.amount;
  if (options.scenarios == 0) {
    throw InvalidInputError("forecast.options", "scenarios", "give at least one scenario (100000 is usual)");
  }
  // 8 bytes a scenario: beyond this the totals alone outgrow memory (and a negative count read
  // into an unsigned one lands here too).
  constexpr std::size_t max_scenarios = 100'000'000;
  if (options.scenarios > max_scenarios) {
    throw InvalidInputError("forecast.options", "scenarios",
                            std::to_string(options.scenarios) + " scenarios is more than the " +
                                std::to_string(max_scenarios) +
                                " allowed; give a positive count (100000 is usual)");
  }
  if (!(options.period_sd >= 0) || !std::isfinite(options.period_sd)) {
    throw InvalidInputError("forecast.options", "period_sd", "period_sd must be a finite number >= 0");
  }
  std::vector<std::int64_t> pool;
  std::vector<double> pool_fraction;
  const auto l = joint_lattice(probability, amount, options.arrivals, options.lattice, pool, pool_fraction);
  // The factor takes one of `levels` equally likely values (the midpoint quantiles of N(0, 1));
  // each level's win thresholds are computed once, so a draw is a compare.
  const std::size_t levels = options.period_sd > 0 ? 256 : 1;
  const std::size_t n = probability.size();
  std::vector<std::uint32_t> threshold(levels * n);
  std::vector<std::uint8_t> sure(n, 0);
  const boost::math::normal_distribution<double> normal;
  std::vector<double> z(levels, 0.0);
  for (std::size_t g = 0; g < levels && levels > 1; ++g) {
    z[g] = boost::math::quantile(normal, (static_cast<double>(g) + 0.5) / static_cast<double>(levels));
  }
  // A symmetric move of the log-odds would raise the mean total (most deals sit below 1/2, where
  // the logistic curve bends up): one offset keeps the mean total at the pipeline's expected
  // total, so the factor adds spread only.
  std::vector<double> logit(n, 0.0), units_d(n), factor;
  double target = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = probability[i];
    if (p > 0 && p < 1) logit[i] = std::log(p / (1 - p));
    units_d[i] = static_cast<double>(l.units[i]) + l.fraction[i];
    target += p * units_d[i];
  }
  // Solved first on every 8th level (cheap, within ~0.5%), then polished on all 256 levels from
  // there (one or two Newton steps).
  double offset = 0;
  if (levels > 1) {
    std::vector<double> coarse;
    for (std::size_t g = 0; g < levels; ++g) factor.push_back(options.period_sd * z[g]);
    for (std::size_t g = 4; g < levels; g += 8) coarse.push_back(factor[g]);
    offset = detail::matching_shift(probability, units_d, coarse, target);
    offset = detail::matching_shift(probability, units_d, factor, target, offset);
  }
  const auto moved = [&](std::size_t i, double t) {
    const double p = probability[i];
    return p <= 0 || p >= 1 ? p : 1 / (1 + std::exp(-(logit[i] + t)));
  };
  // A deal between lattice points adds its one step more when the same draw is also below
  // threshold x fraction: given it is won, that happens with the fraction's probability.
  const bool any_split = std::any_of(l.fraction.begin(), l.fraction.end(), [](double f) { return f > 0; });
  std::vector<std::uint32_t> split(any_split ? levels * n : 0);
  double split_var = 0;  // in steps^2, averaged over the factor levels
  for (std::size_t g = 0; g < levels; ++g) {
    for (std::size_t i = 0; i < n; ++i) {
      const double p = probability[i];
      const double moved_p = levels > 1 ? moved(i, options.period_sd * z[g] + offset) : p;
      threshold[g * n + i] = static_cast<std::uint32_t>(std::min(moved_p * 4294967296.0, 4294967295.0));
      if (any_split) {
        const double f = p >= 1 ? 0.0 : l.fraction[i];  // a sure deal's rest is the origin
        // Won exact (see won_exact): one step more when won or, lost, with 1 - f: below
        // p + (1 - p)(1 - f) (the kernel compares the same draw to both thresholds).
        const bool flip = won_exact(p, f);
        const double extra = flip ? moved_p + (1 - moved_p) * (1 - f) : moved_p * f;
        split[g * n + i] = static_cast<std::uint32_t>(std::min(extra * 4294967296.0, 4294967295.0));
        split_var += (flip ? 1 - moved_p : moved_p) * f * (1 - f) / static_cast<double>(levels);
      }
      if (g == 0) sure[i] = p >= 1 ? 1 : 0;
    }
  }
  // Units as 32-bit lanes: the lattice has at most max_points points, far below 2^31.
  std::vector<std::uint32_t> units(n);
  std::int64_t sure_total = 0;
  Decimal origin;
  std::uint64_t drawn_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (sure[i] != 0) {
      sure_total += l.units[i];  // counted once, outside the draws; the rest exactly, as the origin
      origin += amount[i] - Decimal::from_raw(l.step.raw() * static_cast<int128>(l.units[i]));
      continue;
    }
    units[i] = static_cast<std::uint32_t>(l.units[i]);
    drawn_total += units[i];
    if (won_exact(probability[i], l.fraction[i])) {
      origin += amount[i] - Decimal::from_raw(l.step.raw() * static_cast<int128>(l.units[i] + 1));
    }
  }
  if (any_split) drawn_total += n;  // a split deal's step more
  if (drawn_total >= (std::uint64_t{1} << 32)) {
    throw InvalidInputError("forecast.lattice", "max_points",
                            "the lattice is too fine for simulation (2^32 steps); use a larger step");
  }
  // Arrivals: per factor level, the Poisson count's cumulative table (mean rate x e^(s z - s^2/2):
  // the same on average, moving with the quarter).
  std::vector<std::vector<double>> arrival_cdf;
  std::vector<std::uint64_t> pool_split(pool.size());  // fraction x 2^32
  for (std::size_t j = 0; j < pool.size(); ++j) {
    pool_split[j] = static_cast<std::uint64_t>(pool_fraction[j] * 4294967296.0);
  }
  if (options.arrivals.rate > 0) {
    std::vector<double> each(pool.size(), options.arrivals.rate / static_cast<double>(pool.size()));
    split_var += split_variance(each, pool_fraction);
    arrival_cdf.resize(levels);
    for (std::size_t g = 0; g < levels; ++g) {
      const double s = options.period_sd;
      const double lambda = options.arrivals.rate * std::exp(s * z[g] - s * s / 2);
      const auto top = static_cast<std::size_t>(lambda + 12 * std::sqrt(lambda) + 20);
      double pk = std::exp(-lambda), cum = pk;
      for (std::size_t k = 0; k <= top && cum < 1 - 1e-16; ++k) {
        arrival_cdf[g].push_back(cum);
        pk *= lambda / static_cast<double>(k + 1);
        cum += pk;
      }
    }
  }
  // Blocks of scenarios with their own seeds: the same totals whatever the thread count.
  constexpr std::size_t block = 256;
  const std::size_t blocks = (options.scenarios + block - 1) / block;
  std::vector<std::int64_t> totals(options.scenarios);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t b; (b = next.fetch_add(1)) < blocks && !context.token().cancelled();) {
      detail::Streams rng(context.seed() * 0x9E3779B97F4A7C15ULL + b);
      const std::size_t end = std::min(options.scenarios, (b + 1) * block);
      for (std::size_t s = b * block; s < end; ++s) {
        const std::size_t g = levels > 1 ? rng.below(levels) : 0;
        const std::uint32_t* t = threshold.data() + g * n;
        const std::uint32_t* h = any_split ? split.data() + g * n : nullptr;
        const auto drawn = detail::scenario_total(rng, t, h, units.data(), n);
        std::int64_t total = sure_total + static_cast<std::int64_t>(drawn);
        if (!arrival_cdf.empty()) {
          // New deals: a Poisson count by inversion of its table at this factor level, each
          // worth an amount from the pool.
          const auto& cdf = arrival_cdf[g];
          const double u = static_cast<double>(rng.below(std::uint64_t{1} << 53)) * 0x1.0p-53;
          const auto count = static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
          for (std::size_t k = 0; k < count; ++k) {
            const auto j = rng.below(pool.size());
            total += pool[j];
            if (pool_split[j] > 0 && rng.below(std::uint64_t{1} << 32) < pool_split[j]) total += 1;
          }
        }
        totals[s] = total;
      }
    }
  };
  const unsigned threads = std::max(1U, std::min<unsigned>(context.thread_count(), static_cast<unsigned>(blocks)));
  spm::detail::run_workers(threads, work);
  context.throw_if_cancelled("simulate_bookings");
  BookingsDistribution d;
  d.step = l.step;
  d.origin = origin;
  d.max_rounding = l.max_rounding;
  d.lattice_sd = std::sqrt(split_var) * l.step.to_double();
  d.deals = n;
  d.method = "monte carlo";
  const std::int64_t top = *std::max_element(totals.begin(), totals.end());
  // Counted (whole numbers are exact in a double), then divided once: each probability is
  // count / scenarios to the last bit, not the drift of adding 1 / scenarios that often.
  d.pmf.assign(static_cast<std::size_t>(top) + 1, 0.0);
  for (const auto t : totals) d.pmf[static_cast<std::size_t>(t)] += 1;
  const auto scenarios = static_cast<double>(options.scenarios);
  for (auto& v : d.pmf) v /= scenarios;
  double mean = 0, sq = 0;
  const double step = l.step.to_double();
  for (const auto t : totals) mean += static_cast<double>(t) * step;
  mean /= static_cast<double>(totals.size());
  for (const auto t : totals) sq += (static_cast<double>(t) * step - mean) * (static_cast<double>(t) * step - mean);
  fold_into_range(d, probability, amount, options.arrivals.rate <= 0);
  // The expected total is known exactly (the factor keeps it): not the scenarios' mean on the lattice.
  set_moments(d, probability, amount, options.arrivals);
  // The split's noise is independent of the total with mean 0: its variance adds, and comes off.
  d.sd = std::sqrt(std::max(0.0, sq / static_cast<double>(totals.size()) - d.lattice_sd * d.lattice_sd));
  return d;
}

Decimal BookingsDistribution::quantile(double q) const {
  if (!(q >= 0 && q <= 1)) {
    throw InvalidInputError("forecast.probability", "quantile", "a quantile must be in [0, 1]");
  }
  double cdf = 0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    cdf += pmf[k];
    // Reachable totals only (FFT rounding leaves ~1e-18 at unreachable ones): q = 0 is the least.
    if (pmf[k] > reachable && cdf >= q - 1e-12) return origin + Decimal::from_raw(step.raw() * static_cast<int128>(k));
  }
  return origin + Decimal::from_raw(step.raw() * static_cast<int128>(pmf.empty() ? 0 : pmf.size() - 1));
}

double BookingsDistribution::probability_at_least(const Decimal& target) const {
  if (target.sign() <= 0) return 1.0;
  if (pmf.empty()) return 0.0;  // a default (empty) distribution: no total reaches anything
  if (target <= origin) return 1.0;  // deals won for sure reach it
  if (step.sign() <= 0) {
    throw InvalidInputError("forecast.distribution", "step",
                            "the lattice step must be above 0 (this distribution was not computed)");
  }
  const int128 k = spm::detail::div_round((target - origin).raw(), step.raw(), Rounding::ceiling);
  if (k >= static_cast<int128>(pmf.size())) return 0.0;
  double tail = 0;
  for (auto i = static_cast<std::size_t>(k); i < pmf.size(); ++i) tail += pmf[i];
  return std::min(tail, 1.0);
}

io::Table BookingsDistribution::table() const {
  std::vector<Decimal> amount;
  std::vector<double> prob, cumulative;
  double cdf = 0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    cdf += pmf[k];
    if (pmf[k] <= reachable) continue;
    amount.push_back(origin + Decimal::from_raw(step.raw() * static_cast<int128>(k)));
    prob.push_back(pmf[k]);
    cumulative.push_back(std::min(cdf, 1.0));
  }
  io::Table t;
  t.add(io::Column::of("amount", std::move(amount)));
  t.add(io::Column::of("probability", std::move(prob)));
  t.add(io::Column::of("cumulative", std::move(cumulative)));
  return t;
}

}  // namespace spm::forecast
