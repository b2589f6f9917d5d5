// The saddlepoint approximation to the distribution of a sum of independent weighted Bernoulli
// deals. Lugannani and Rice (1980): P(S >= x) ~ 1 - Phi(w) + phi(w) (1/u - 1/w) at the saddlepoint
// t where K'(t) = x, w = sign(t) sqrt(2 (t x - K(t))), u = t sqrt(K''(t)).
#include <spm/forecast/bookings.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/normal.hpp>

#include <spm/core/error.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

const boost::math::normal_distribution<double> standard;

double upper_tail(double z) { return boost::math::cdf(boost::math::complement(standard, z)); }

// Piecewise cubic Hermite through (x[i], y[i]) with monotone slopes (Fritsch-Carlson), at v.
double pchip(const std::vector<double>& x, const std::vector<double>& y, double v) {
  const std::size_t n = x.size();
  if (v <= x.front()) return y.front() + (v - x.front()) * (y[1] - y[0]) / (x[1] - x[0]);
  if (v >= x.back()) return y.back() + (v - x.back()) * (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
  const auto k = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin()) - 1;
  const auto slope = [&](std::size_t i) { return (y[i + 1] - y[i]) / (x[i + 1] - x[i]); };
  const auto tangent = [&](std::size_t i) {
    if (i == 0) return slope(0);
    if (i == n - 1) return slope(n - 2);
    const double a = slope(i - 1), b = slope(i);
    return a * b <= 0 ? 0.0 : 2 / (1 / a + 1 / b);
  };
  const double h = x[k + 1] - x[k], s = (v - x[k]) / h;
  const double h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s);
  const double h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1);
  return h00 * y[k] + h10 * h * tangent(k) + h01 * y[k + 1] + h11 * h * tangent(k + 1);
}

}  // namespace

SaddlepointBookings::SaddlepointBookings(std::span<const double> probability, std::span<const Decimal> amount) {
  // Same checks and messages as the exact method.
  detail::check_amounts(amount);
  if (probability.size() != amount.size()) {
    throw InvalidInputError("forecast.probability", "",
                            std::to_string(probability.size()) + " probabilities for " +
                                std::to_string(amount.size()) + " amounts");
  }
  deals_ = amount.size();
  for (std::size_t i = 0; i < amount.size(); ++i) {
    const double p = probability[i];
    if (!(p >= 0 && p <= 1)) {
      throw InvalidInputError("forecast.probability", "[" + std::to_string(i) + "]",
                              "deal " + std::to_string(i + 1) + ": probability " + std::to_string(p) +
                                  " is outside [0, 1]");
    }
  }
  // Summed in one canonical order: the same bytes whatever the order of the deals.
  const auto sorted = detail::canonical_deals(probability, amount);
  double var = 0, third = 0;
  std::vector<double> each;  // each uncertain deal's variance
  for (std::size_t i = 0; i < sorted.p.size(); ++i) {
    const double p = sorted.p[i];
    const double a = sorted.amount[i].to_double();
    if (p == 0 || a == 0) continue;
    if (p == 1) {
      sure_ += a;
      continue;
    }
    logit_.push_back(std::log(p / (1 - p)));
    amount_.push_back(a);
    log_q_sum_ += std::log1p(-p);
    mean_ += a * p;
    each.push_back(a * a * p * (1 - p));
    var += each.back();
    third += a * a * a * p * (1 - p) * (1 - 2 * p);
  }
  sd_ = std::sqrt(var);
  // A deal large against the spread of all the others splits the total into separate modes.
  for (std::size_t i = 0; i < amount_.size(); ++i) {
    const double rest = std::max(0.0, var - each[i]);
    const double ratio = rest > 0 ? amount_[i] / std::sqrt(rest) : std::numeric_limits<double>::infinity();
    if (ratio > dominant_ratio_) {
      dominant_ratio_ = ratio;
      dominant_amount_ = amount_[i];
    }
  }
  skew_ = var > 0 ? third / (var * sd_) : 0;
  mean_ += sure_;
}

// K, K', K'' at every t in one pass over the deals (the exp of each deal's log-odds shift serves
// all three: log(q + p e^{ta}) = log q + softplus(l + ta), d/dt = a sigmoid(l + ta)).
void SaddlepointBookings::cumulants(std::span<const double> t, std::vector<Cumulants>& out) const {
  out.assign(t.size(), {log_q_sum_, 0, 0});
  for (std::size_t i = 0; i < amount_.size(); ++i) {
    const double a = amount_[i], l = logit_[i];
    for (std::size_t j = 0; j < t.size(); ++j) {
      const double v = l + t[j] * a;
      const double e = std::exp(-std::abs(v));
      const double softplus = std::max(v, 0.0) + std::log1p(e);
      const double sig = v >= 0 ? 1 / (1 + e) : e / (1 + e);
      out[j].k0 += softplus;
      out[j].k1 += a * sig;
      out[j].k2 += a * a * sig * (1 - sig);
    }
  }
}

double SaddlepointBookings::tail(double t, const Cumulants& c) const {
  const double x = c.k1;
  const double w2 = 2 * (t * x - c.k0);
  if (std::abs(t) * sd_ < 1e-6 || w2 <= 0) {
    // At the mean: the limit of Lugannani-Rice (right skew puts less than half above the mean).
    return 0.5 - skew_ / (6 * std::sqrt(2 * M_PI));
  }
  const double w = std::copysign(std::sqrt(w2), t);
  const double density = boost::math::pdf(standard, w);
  // Far out (near-certain deals): K'' underflows to 0 and the vanishing correction would be 0 x inf.
  if (density == 0 || !(c.k2 > 0)) return upper_tail(w);
  const double u = t * std::sqrt(c.k2);
  return upper_tail(w) + density * (1 / u - 1 / w);
}

double SaddlepointBookings::probability_at_least(const Decimal& target) const {
  const double x = target.to_double() - sure_ - 0.005;  // continuity: totals move by whole cents
  if (amount_.empty() || x <= 0) return x <= 0 ? 1.0 : 0.0;
  double total = 0;
  for (const double a : amount_) total += a;
  if (x > total) return 0.0;
  // The atoms at the ends are known exactly: above the least total at most P(not all lost), up
  // to the largest at least P(all won).
  const auto bounded = [&](double g) { return std::clamp(g, std::exp(all_won_log()), -std::expm1(log_q_sum_)); };
  // Up to the smallest uncertain amount, any win reaches x; past the largest total less it, only
  // every deal won does.
  const double smallest = *std::min_element(amount_.begin(), amount_.end());
  if (x <= smallest) return -std::expm1(log_q_sum_);
  if (x > total - smallest) return std::exp(all_won_log());
  const double mu = mean_ - sure_;
  // Near the mean w and u both vanish and 1/u - 1/w cancels: interpolate between the limit at
  // the mean and the formula a fiftieth of a standard deviation away.
  constexpr double near = 0.02;
  const double z = (x - mu) / sd_;
  if (std::abs(z) < near) {
    const double at_mean = 0.5 - skew_ / (6 * std::sqrt(2 * M_PI));
    const double edge = tail_at(mu + std::copysign(near, z) * sd_);
    if (!std::isfinite(edge)) return bounded(at_mean);
    return bounded(at_mean + (edge - at_mean) * std::abs(z) / near);
  }
  const double g = tail_at(x);
  if (!std::isfinite(g)) return bounded(x > mu ? 0.0 : 1.0);  // Newton lost in a flat tail: the side is the answer
  return bounded(g);
}

double SaddlepointBookings::all_won_log() const noexcept {
  // log prod p = sum (logit + log(1 - p)).
  double l = log_q_sum_;
  for (const double v : logit_) l += v;
  return l;
}

double SaddlepointBookings::tail_at(double x) const {
  // Newton on K'(t) = x (K' increases), started from the normal guess, kept in a bracket.
  double t = (x - (mean_ - sure_)) / (sd_ * sd_), lo = -1e300, hi = 1e300;
  std::vector<Cumulants> c;
  for (int it = 0; it < 60; ++it) {
    const double ts[1] = {t};
    cumulants(ts, c);
    const double f = c[0].k1 - x;
    if (std::abs(f) <= 1e-9 * std::max(1.0, std::abs(x))) break;
    (f > 0 ? hi : lo) = t;
    double next = t - f / std::max(c[0].k2, 1e-300);
    if (!(next > lo && next < hi)) {
      next = (lo > -1e300 && hi < 1e300) ? (lo + hi) / 2 : (f > 0 ? 2 * t - 1e-12 : 2 * t + 1e-12);
    }
    t = next;
  }
  const double ts[1] = {t};
  cumulants(ts, c);
  return tail(t, c[0]);
}

std::vector<Decimal> SaddlepointBookings::quantiles(std::span<const double> q) const {
  for (const double v : q) {
    if (!(v > 0 && v < 1)) {
      throw InvalidInputError("forecast.probability", "quantile",
                              "saddlepoint quantiles need probabilities strictly between 0 and 1");
    }
  }
  std::vector<Decimal> out;
  if (amount_.empty() || sd_ == 0) {
    out.assign(q.size(), Decimal::from_double(sure_, 2));
    return out;
  }
  // Saddlepoints at normal-guess t = z / sd for z in [-5, 5] (0 left out: the formula's limit),
  // each giving a point (z(F), x) of the quantile function; quantiles interpolate between them.
  std::vector<double> ts;
  for (int k = -12; k <= 12; ++k) {
    if (k != 0) ts.push_back(0.4 * k / sd_);
  }
  std::vector<Cumulants> c;
  cumulants(ts, c);
  std::vector<double> z, x;
  for (std::size_t j = 0; j < ts.size(); ++j) {
    const double g = tail(ts[j], c[j]);
    if (!(g > 1e-300 && g < 1 - 1e-16)) continue;
    const double zj = boost::math::quantile(boost::math::complement(standard, g));  // F = 1 - g
    if (!z.empty() && zj <= z.back()) continue;  // keep it increasing
    z.push_back(zj);
    x.push_back(c[j].k1);
  }
  // Totals outside [0, the uncertain deals' sum] are impossible, whichever way they were found.
  double most = 0;
  for (const double a : amount_) most += a;
  if (z.size() < 2) {
    // Too few usable saddlepoints (one deal dominates): the normal approximation, clamped.
    const double none = std::exp(log_q_sum_), all = std::exp(all_won_log());
    for (const double v : q) {
      double total = std::clamp(mean_ - sure_ + sd_ * boost::math::quantile(standard, v), 0.0, most);
      if (v <= none) total = 0;
      if (v > 1 - all) total = most;
      out.push_back(Decimal::from_double(total + sure_, 2));
    }
    return out;
  }
  // Every uncertain deal lost (won) is an atom of known mass at the least (largest) total: a
  // quantile within it is that total, not a point of the smooth curve between (found by a user
  // test: 400 deals at 10^-6, P(total = 0) = 0.9996, had P50 0.20 and P90 13.02).
  const double none = std::exp(log_q_sum_), all = std::exp(all_won_log());
  for (const double v : q) {
    double total = std::clamp(pchip(z, x, boost::math::quantile(standard, v)), 0.0, most);
    if (v <= none) total = 0;
    if (v > 1 - all) total = most;
    out.push_back(Decimal::from_double(total + sure_, 2));
  }
  return out;
}

}  // namespace spm::forecast
