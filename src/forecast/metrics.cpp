#include <spm/forecast/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <spm/core/error.hpp>

namespace spm::forecast {

namespace {

void check(std::span<const double> p, std::span<const double> y) {
  if (p.size() != y.size()) {
    throw InvalidInputError("forecast.probability", "",
                            "got " + std::to_string(p.size()) + " probabilities for " +
                                std::to_string(y.size()) + " outcomes");
  }
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!(p[i] >= 0 && p[i] <= 1)) {
      throw InvalidInputError("forecast.probability", "[" + std::to_string(i) + "]",
                              "probability " + std::to_string(p[i]) + " is outside [0, 1]");
    }
    if (y[i] != 0 && y[i] != 1) {
      throw InvalidInputError("forecast.outcome", "[" + std::to_string(i) + "]",
                              "outcome " + std::to_string(y[i]) + " is not 0 or 1");
    }
  }
}

double clipped_log_loss(double p, double y) {
  const double q = std::clamp(p, 1e-15, 1 - 1e-15);
  return -(y * std::log(q) + (1 - y) * std::log(1 - q));
}

double auc_checked(std::span<const double> p, std::span<const double> y) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  double positive_rank_sum = 0, positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && p[order[j]] == p[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // average, 1-based
    for (std::size_t k = i; k < j; ++k) {
      if (y[order[k]] == 1) {
        positive_rank_sum += rank;
        positives += 1;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(p.size()) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace

double auc(std::span<const double> p, std::span<const double> y) {
  check(p, y);
  return auc_checked(p, y);
}

ScoreMetrics score(std::span<const double> p, std::span<const double> y, int bins) {
  check(p, y);
  ScoreMetrics m;
  m.count = p.size();
  if (p.empty()) return m;
  const auto n = static_cast<double>(p.size());
  m.base_rate = std::accumulate(y.begin(), y.end(), 0.0) / n;
  for (std::size_t i = 0; i < p.size(); ++i) {
    m.log_loss += clipped_log_loss(p[i], y[i]);
    m.brier += (p[i] - y[i]) * (p[i] - y[i]);
    m.base_log_loss += clipped_log_loss(m.base_rate, y[i]);
    m.base_brier += (m.base_rate - y[i]) * (m.base_rate - y[i]);
  }
  m.log_loss /= n;
  m.brier /= n;
  m.base_log_loss /= n;
  m.base_brier /= n;
  m.auc = auc_checked(p, y);
  const int b = std::max(bins, 1);
  m.reliability.resize(static_cast<std::size_t>(b));
  std::vector<double> sum_p(m.reliability.size(), 0), sum_y(m.reliability.size(), 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto k = std::min(static_cast<std::size_t>(p[i] * b), m.reliability.size() - 1);
    m.reliability[k].count += 1;
    sum_p[k] += p[i];
    sum_y[k] += y[i];
  }
  for (std::size_t k = 0; k < m.reliability.size(); ++k) {
    auto& r = m.reliability[k];
    r.lo = static_cast<double>(k) / b;
    r.hi = static_cast<double>(k + 1) / b;
    if (r.count == 0) continue;
    r.mean_predicted = sum_p[k] / static_cast<double>(r.count);
    r.observed_rate = sum_y[k] / static_cast<double>(r.count);
    m.ece += static_cast<double>(r.count) / n * std::abs(r.mean_predicted - r.observed_rate);
  }
  return m;
}

io::Table reliability_table(const ScoreMetrics& m) {
  std::vector<double> lo, hi, mean, rate;
  std::vector<std::int64_t> count;
  for (const auto& r : m.reliability) {
    lo.push_back(r.lo);
    hi.push_back(r.hi);
    count.push_back(static_cast<std::int64_t>(r.count));
    mean.push_back(r.mean_predicted);
    rate.push_back(r.observed_rate);
  }
  io::Table t;
  t.add(io::Column::of("lo", std::move(lo)));
  t.add(io::Column::of("hi", std::move(hi)));
  t.add(io::Column::of("count", std::move(count)));
  t.add(io::Column::of("mean_predicted", std::move(mean)));
  t.add(io::Column::of("observed_rate", std::move(rate)));
  return t;
}

}  // namespace spm::forecast
