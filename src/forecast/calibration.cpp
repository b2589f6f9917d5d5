#include "calibration.hpp"

#include <algorithm>
#include <numeric>

#include "design.hpp"

namespace spm::forecast::detail {

void fit_platt(std::span<const double> scores, std::span<const double> y, WinModel::Calibrator& c) {
  // A logistic regression of the outcome on [1, score], unpenalised.
  Design d;
  d.rows = scores.size();
  d.dense = 2;
  d.cols = 2;
  d.x.resize(2 * scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    d.x[2 * i] = 1;
    d.x[2 * i + 1] = scores[i];
  }
  const auto fit = fit_logistic(d, y, {}, 0.0, 100, 1e-12, 1);
  c.kind = Calibration::platt;
  c.b = fit.beta[0];
  c.a = fit.beta[1];
}

void fit_isotonic(std::span<const double> scores, std::span<const double> y, WinModel::Calibrator& c) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  // Blocks of equal fitted value: sum of y, count, first and last score. Equal scores start in one
  // block (they must get one value).
  struct Block {
    double sum, count, lo, hi;
  };
  std::vector<Block> blocks;
  for (const auto i : order) {
    if (!blocks.empty() && blocks.back().hi == scores[i]) {
      blocks.back().sum += y[i];
      blocks.back().count += 1;
    } else {
      blocks.push_back({y[i], 1, scores[i], scores[i]});
    }
    while (blocks.size() > 1) {
      const auto& last = blocks.back();
      const auto& prev = blocks[blocks.size() - 2];
      if (prev.sum / prev.count <= last.sum / last.count) break;
      Block merged{prev.sum + last.sum, prev.count + last.count, prev.lo, last.hi};
      blocks.pop_back();
      blocks.back() = merged;
    }
  }
  c.kind = Calibration::isotonic;
  c.x.clear();
  c.y.clear();
  for (const auto& b : blocks) {
    const double v = b.sum / b.count;
    c.x.push_back(b.lo);
    c.y.push_back(v);
    if (b.hi != b.lo) {
      c.x.push_back(b.hi);
      c.y.push_back(v);
    }
  }
}

double calibrate(const WinModel::Calibrator& c, double score) {
  switch (c.kind) {
    case Calibration::none: return sigmoid(score);
    case Calibration::platt: return sigmoid(c.a * score + c.b);
    case Calibration::isotonic: {
      if (c.x.empty()) return sigmoid(score);
      if (score <= c.x.front()) return c.y.front();
      if (score >= c.x.back()) return c.y.back();
      const auto hi = static_cast<std::size_t>(std::upper_bound(c.x.begin(), c.x.end(), score) - c.x.begin());
      const std::size_t lo = hi - 1;
      const double t = (score - c.x[lo]) / (c.x[hi] - c.x[lo]);
      return c.y[lo] + t * (c.y[hi] - c.y[lo]);
    }
  }
  return sigmoid(score);
}

}  // namespace spm::forecast::detail
