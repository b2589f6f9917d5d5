// The distribution of bookings from a set of open deals, each won with its own probability:
// exact on an amount lattice, or by Monte Carlo with a shared period factor (deals in one period
// are not independent: a good quarter lifts them together).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/execution.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

/// Deals not created yet that will be won within the window: a Poisson number of them (mean
/// `rate`), each worth one of `amounts` (equally likely): a compound Poisson total added to the
/// open pipeline's. estimate_arrivals (rollup.hpp) fits them from history.
struct Arrivals {
  double rate = 0;
  std::vector<Decimal> amounts;
};

/// The largest total of amounts a forecast takes (10^25): beyond it, sums of exact amounts
/// would overflow. More is an InvalidInputError "forecast.amount".
inline constexpr Decimal max_total_amount = Decimal::from_raw(spm::detail::pow10_128(37));

struct LatticeOptions {
  /// The lattice step. Zero: the largest step that divides every amount, when the lattice then
  /// has at most `max_points` points (every amount exact); otherwise the smallest round step
  /// (1, 2 or 5 x 10^k) giving at most `rounded_points` with every amount within 1% of the
  /// largest amount of a lattice point; if that needs a finer step, the coarsest one within
  /// max_points, and if none, InvalidInputError "forecast.lattice". exact_bookings and
  /// simulate_bookings (without arrivals) then refine a chosen step that splits amounts to at
  /// most 0.2 sd / sqrt(sum min(p, 1 - p)) when the lattice still fits max_points, so the split
  /// adds at most a tenth of the total's sd. An amount between two lattice points is split
  /// between them, keeping its expected value (see Lattice).
  Decimal step;
  std::size_t max_points = std::size_t{1} << 20;  ///< at least 2
  /// When amounts are rounded anyway, a finer lattice buys little: quantiles are then to about
  /// 1/65,536 of the largest possible total.
  std::size_t rounded_points = std::size_t{1} << 16;
};

/// A distribution of the total on the lattice origin, origin + step, origin + 2 step, ...
struct BookingsDistribution {
  Decimal step;
  /// The first lattice point. A certain deal moves the whole distribution by its exact amount
  /// (it is not split between lattice points), and a deal more likely won than lost books its
  /// exact amount when won (split on its lost side): their rests beyond whole steps land here.
  /// It is never below the deals won for sure, and the last point never above every deal won
  /// (without arrivals): mass a split puts past either end is moved to the end point.
  Decimal origin;
  std::vector<double> pmf;  ///< pmf[k] = P(total = origin + k x step)
  /// The largest distance from an amount to its nearest lattice point (0: every amount on the
  /// lattice). No bias: such an amount is split between its two neighbours (see Lattice).
  Decimal max_rounding;
  /// The standard deviation the split adds to the total: the pmf is that of the exact total
  /// plus a noise of mean 0 and this sd, uncorrelated with it (step x sqrt(sum w f (1 - f)), f
  /// each amount's fraction of a step, w = p, or 1 - p for a deal split on its lost side (p >
  /// 1/2): at most step / 2 x sqrt(deals)). For a
  /// near-normal total of sd s a quantile at z-score z moves by z (sqrt(s^2 + lattice_sd^2) - s):
  /// about z lattice_sd^2 / (2 s), at most |z| lattice_sd; plus up to one step (a lattice point).
  double lattice_sd = 0;
  std::size_t deals = 0;
  /// The expected total, exact to the cent: expected_bookings of the deals (and arrivals), from
  /// the exact amounts (not the lattice's, not the scenarios' mean).
  Decimal mean;
  /// From the exact amounts too (a statistic: double); monte carlo: the scenarios' (less the
  /// lattice's variance, lattice_sd^2).
  double sd = 0;
  std::string method;       ///< "exact (direct)", "exact (fft)", "monte carlo"

  /// The smallest lattice amount x (origin + k x step) with P(total <= x) >= q (0 <= q <= 1).
  [[nodiscard]] Decimal quantile(double q) const;
  /// P(total >= target).
  [[nodiscard]] double probability_at_least(const Decimal& target) const;
  /// amount, probability, cumulative: one row per lattice point with probability > 0.
  [[nodiscard]] io::Table table() const;
};

/// The expected bookings, exact: money is never summed in binary floating point, so a total of
/// 10^14 keeps its cents. Each deal adds amount x p, with p rounded half-even to 12 decimal
/// places (from its exact binary value: a probability written with at most 12 decimals, such as
/// 0.3, is taken exactly as written); the product is exact, then rounded half-even to 12 places
/// (Decimal's scale); the products are summed exactly. Arrivals add rate x (sum of the pool's
/// amounts) / (pool size), the rate taken like p, rounded once to 12 places. The total is rounded
/// half-even to the cent (2 places). The result does not depend on the order of the deals.
/// Throws as exact_bookings for probabilities outside [0, 1], negative amounts and amounts
/// beyond max_total_amount.
[[nodiscard]] Decimal expected_bookings(std::span<const double> probability, std::span<const Decimal> amount,
                                        const Arrivals& arrivals = {});

/// The exact distribution of sum(amount[i] x won[i]) with independent won[i] ~ Bernoulli(p[i]):
/// the product of the deals' generating functions, multiplied directly while small and by FFT
/// when large (errors ~1e-15 of the largest probability). Throws InvalidInputError
/// "forecast.probability" / "forecast.amount" naming the first deal outside [0, 1] / negative,
/// and "forecast.lattice" when a given step is not positive or makes more than max_points.
/// With `arrivals`, their compound Poisson distribution (on the same lattice, by FFT) is
/// multiplied in.
[[nodiscard]] BookingsDistribution exact_bookings(std::span<const double> probability,
                                                  std::span<const Decimal> amount,
                                                  const LatticeOptions& lattice = {},
                                                  const Arrivals& arrivals = {});

struct MonteCarloOptions {
  std::size_t scenarios = 100'000;
  /// The shared period factor: every deal's log-odds moves by period_sd x z in a scenario, with
  /// one z ~ N(0, 1) per scenario (fitted from backtest residuals; 0 = independent deals).
  double period_sd = 0;
  LatticeOptions lattice;
  /// New deals: per scenario a Poisson count with mean rate x exp(period_sd z - period_sd^2 / 2)
  /// (the same quarter lifts them too), amounts drawn from the pool.
  Arrivals arrivals;
};

/// The distribution by simulation: seeded by the context, the same for any thread count.
[[nodiscard]] BookingsDistribution simulate_bookings(std::span<const double> probability,
                                                     std::span<const Decimal> amount,
                                                     const MonteCarloOptions& options,
                                                     const ExecutionContext& context = {});

/// The common lattice for a set of amounts (see LatticeOptions): the step and each amount in
/// steps: amount = (units + fraction) x step, units whole, 0 <= fraction < 1. A won deal's
/// mass goes to units with 1 - fraction and to units + 1 with fraction (for p > 1/2 the split
/// is on the lost side instead: docs/forecast.md), so its expected amount is exact (rounding to the nearest point instead would bias the total when many amounts
/// round the same way). Exposed for tests and for callers that combine several distributions.
struct Lattice {
  Decimal step;
  std::vector<std::int64_t> units;  ///< floor(amount / step)
  std::vector<double> fraction;     ///< amount / step - units, in [0, 1)
  Decimal max_rounding;             ///< the largest distance from an amount to its nearest point
};
[[nodiscard]] Lattice make_lattice(std::span<const Decimal> amount, const LatticeOptions& options);

}  // namespace spm::forecast

namespace spm::forecast {

/// The distribution of bookings of a very large pipeline by the saddlepoint approximation
/// (Lugannani-Rice on the deals' cumulant generating function): no lattice, and a cost linear in
/// the deals. Relative errors are ~1e-3 in the body for thousands of deals of comparable size;
/// for a few deals use exact_bookings (forecast_bookings chooses so itself), and for one deal
/// that dominates (dominant_ratio() above dominant_limit) exact_bookings or simulate_bookings:
/// such a total is far from anything one saddlepoint expansion represents.
class SaddlepointBookings {
 public:
  /// Throws as exact_bookings for probabilities outside [0, 1] and negative amounts.
  SaddlepointBookings(std::span<const double> probability, std::span<const Decimal> amount);

  /// The mean as the approximation sees it (double, for its own statistics); the expected total
  /// as money is expected_bookings (exact), which forecast_bookings reports.
  [[nodiscard]] double mean() const noexcept { return mean_; }
  [[nodiscard]] double sd() const noexcept { return sd_; }
  [[nodiscard]] std::size_t deals() const noexcept { return deals_; }
  /// The largest ratio of one uncertain deal's amount to the standard deviation of all the other
  /// deals' total (infinite when the others are certain), and that deal's amount. Above
  /// `dominant_limit` the total has separate modes (that deal won or not) which the
  /// approximation, built around one, cannot represent: tail probabilities then err by 0.02 to
  /// 0.5 (docs/forecast.md); forecast_bookings adds a note.
  [[nodiscard]] double dominant_ratio() const noexcept { return dominant_ratio_; }
  [[nodiscard]] double dominant_amount() const noexcept { return dominant_amount_; }
  static constexpr double dominant_limit = 2.0;
  /// P(total >= x), with a continuity correction of half a cent; between P(every uncertain deal
  /// won) and P(not all lost), which are exact. Quantiles within those atoms are the least
  /// (largest) total exactly.
  [[nodiscard]] double probability_at_least(const Decimal& x) const;
  /// Quantiles (to the cent) for probabilities in (0, 1), all from one set of ~25 saddlepoints.
  [[nodiscard]] std::vector<Decimal> quantiles(std::span<const double> q) const;

 private:
  struct Cumulants {
    double k0, k1, k2;  // K(t), K'(t), K''(t)
  };
  void cumulants(std::span<const double> t, std::vector<Cumulants>& out) const;
  [[nodiscard]] double tail(double t, const Cumulants& c) const;  // P(S >= K'(t))
  [[nodiscard]] double tail_at(double x) const;                    // P(S >= x), x not near the mean
  [[nodiscard]] double all_won_log() const noexcept;               // log P(every uncertain deal won)

  std::vector<double> logit_, amount_;  // the uncertain deals (0 < p < 1, amount > 0)
  double sure_ = 0;                     // deals won for sure
  double log_q_sum_ = 0;                // sum of log(1 - p)
  double mean_ = 0, sd_ = 0, skew_ = 0;
  double dominant_ratio_ = 0, dominant_amount_ = 0;
  std::size_t deals_ = 0;
};

}  // namespace spm::forecast
