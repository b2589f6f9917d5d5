#include "design.hpp"

#include <algorithm>
#include <cmath>
#include <thread>
#include <unordered_map>

namespace spm::forecast::detail {

namespace {

// Rows are summed in fixed chunks, and the chunks in order: the same bits for any thread count.
constexpr std::size_t chunk_rows = 8192;

struct Partial {
  Eigen::MatrixXd hessian;  // lower triangle
  Eigen::VectorXd grad;
};

// Adds one set of levels' terms: weight w, residual r and w x (dense) summed over the rows that
// share these levels.
inline void add_levels(const std::int32_t* li, std::size_t cats, std::size_t dense, std::size_t cols,
                       double w, double r, const double* wx, double* h, double* g, double* cross) {
  for (std::size_t c = 0; c < cats; ++c) {
    if (li[c] < 0) continue;
    const auto lc = static_cast<std::size_t>(li[c]);
    g[lc] += r;
    double* row = cross + lc * dense;
    for (std::size_t a = 0; a < dense; ++a) row[a] += wx[a];
    for (std::size_t c2 = 0; c2 < c; ++c2) {
      if (li[c2] < 0) continue;
      const auto other = static_cast<std::size_t>(li[c2]);
      h[std::min(lc, other) * cols + std::max(lc, other)] += w;
    }
    h[lc * cols + lc] += w;
  }
}

// Gradient and Hessian of the log-loss over rows [begin, end) of the subset, given each row's
// exp(-|eta|) (so that mu costs no exp). The dense block and each level's cross terms with it go
// to contiguous buffers, then into the Hessian's lower triangle once per chunk. When rows repeat
// a few combinations of levels (patterns), the level terms are summed per pattern first.
void accumulate(const Design& d, std::span<const double> y, std::span<const std::uint32_t> subset,
                const std::vector<double>& eta, const std::vector<double>& e, std::size_t begin,
                std::size_t end, Partial& out) {
  const auto p = static_cast<Eigen::Index>(d.cols);
  const std::size_t dense = d.dense, cats = d.cats, cols = d.cols;
  out.hessian.setZero(p, p);
  out.grad.setZero(p);
  std::vector<double> block(dense * dense, 0.0), cross(cols * dense, 0.0), wx(dense);
  const bool by_pattern = d.patterns > 0;
  const std::size_t width = dense + 2;  // per pattern: w, r, w x
  std::vector<double> sums(by_pattern ? d.patterns * width : 0, 0.0);
  double* h = out.hessian.data();  // column-major: (r, c) at c * p + r
  double* g = out.grad.data();
  for (std::size_t k = begin; k < end; ++k) {
    const std::size_t i = subset.empty() ? k : subset[k];
    const double mu = eta[k] >= 0 ? 1 / (1 + e[k]) : e[k] / (1 + e[k]);
    const double w = std::max(mu * (1 - mu), 1e-12);
    const double r = mu - y[i];
    const double* xi = d.x.data() + i * dense;
    for (std::size_t a = 0; a < dense; ++a) {
      g[a] += xi[a] * r;
      wx[a] = w * xi[a];
    }
    for (std::size_t a = 0; a < dense; ++a) {
      double* row = block.data() + a * dense;
      for (std::size_t b = 0; b <= a; ++b) row[b] += wx[a] * xi[b];
    }
    if (by_pattern) {
      double* sp = sums.data() + static_cast<std::size_t>(d.pattern[i]) * width;
      sp[0] += w;
      sp[1] += r;
      for (std::size_t a = 0; a < dense; ++a) sp[2 + a] += wx[a];
    } else {
      add_levels(d.level.data() + i * cats, cats, dense, cols, w, r, wx.data(), h, g, cross.data());
    }
  }
  for (std::size_t q = 0; q < d.patterns && by_pattern; ++q) {
    const double* sp = sums.data() + q * width;
    if (sp[0] == 0) continue;  // no row of this chunk has it
    add_levels(d.pattern_levels.data() + q * cats, cats, dense, cols, sp[0], sp[1], sp + 2, h, g, cross.data());
  }
  for (std::size_t a = 0; a < dense; ++a) {
    for (std::size_t b = 0; b <= a; ++b) h[b * cols + a] += block[a * dense + b];
  }
  for (std::size_t l = dense; l < cols; ++l) {
    for (std::size_t a = 0; a < dense; ++a) h[a * cols + l] += cross[l * dense + a];
  }
}

// Runs f(chunk) for every chunk on up to `threads` threads.
template <class F>
void for_chunks(std::size_t chunks, unsigned threads, F&& f) {
  if (threads <= 1 || chunks <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) f(c);
    return;
  }
  std::vector<std::thread> pool;
  const unsigned n = std::min<unsigned>(threads, static_cast<unsigned>(chunks));
  for (unsigned t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t c = t; c < chunks; c += n) f(c);
    });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

void index_patterns(Design& d) {
  d.patterns = 0;
  d.pattern.clear();
  d.pattern_levels.clear();
  if (d.cats == 0 || d.rows == 0) return;
  // Hash of each row's levels; rows with equal hashes are compared before sharing a pattern.
  std::unordered_map<std::uint64_t, std::int32_t> first;
  std::vector<std::int32_t> chain;  // next pattern with the same hash, or -1
  std::vector<std::int32_t> pattern(d.rows);
  std::vector<std::int32_t> levels;
  for (std::size_t i = 0; i < d.rows; ++i) {
    const std::int32_t* li = d.level.data() + i * d.cats;
    std::uint64_t hash = 0x9E3779B97F4A7C15ULL;
    for (std::size_t c = 0; c < d.cats; ++c) {
      hash ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(li[c])) + 0x9E3779B97F4A7C15ULL + (hash << 6) + (hash >> 2);
    }
    const auto next = static_cast<std::int32_t>(chain.size());
    auto [it, added] = first.try_emplace(hash, next);
    std::int32_t q = added ? -1 : it->second;
    std::int32_t last = -1;
    while (q >= 0 && !std::equal(li, li + d.cats, levels.data() + static_cast<std::size_t>(q) * d.cats)) {
      last = q;
      q = chain[static_cast<std::size_t>(q)];
    }
    if (q < 0) {
      q = next;
      chain.push_back(-1);
      if (last >= 0) chain[static_cast<std::size_t>(last)] = q;
      levels.insert(levels.end(), li, li + d.cats);
    }
    pattern[i] = q;
  }
  // Worth it only when patterns repeat: otherwise the per-row path is as quick.
  if (chain.size() * 4 > d.rows) return;
  d.patterns = chain.size();
  d.pattern = std::move(pattern);
  d.pattern_levels = std::move(levels);
}

LogisticFit fit_logistic(const Design& d, std::span<const double> y, std::span<const std::uint32_t> subset,
                         double l2, int max_iterations, double tolerance, unsigned threads) {
  const std::size_t n = subset.empty() ? d.rows : subset.size();
  const auto row = [&](std::size_t k) -> std::size_t { return subset.empty() ? k : subset[k]; };
  const auto p = static_cast<Eigen::Index>(d.cols);
  const std::size_t chunks = (n + chunk_rows - 1) / chunk_rows;
  LogisticFit fit;
  fit.beta = Eigen::VectorXd::Zero(p);
  double mean = 0;
  for (std::size_t k = 0; k < n; ++k) mean += y[row(k)];
  const double rate = std::clamp(mean / static_cast<double>(std::max<std::size_t>(n, 1)), 1e-6, 1 - 1e-6);
  fit.beta[0] = std::log(rate / (1 - rate));
  std::vector<double> eta(n), e(n), next_eta(n), next_e(n), chunk_loss(chunks);
  // The penalised objective at b; fills the scores and exp(-|score|) of every row.
  const auto objective = [&](const Eigen::VectorXd& b, std::vector<double>& out, std::vector<double>& ex) {
    for_chunks(chunks, threads, [&](std::size_t c) {
      double loss = 0;
      for (std::size_t k = c * chunk_rows, end = std::min(n, (c + 1) * chunk_rows); k < end; ++k) {
        const double t = linear_score(d, b, row(k));
        out[k] = t;
        ex[k] = std::exp(-std::abs(t));
        // log(1 + exp(t)) - y t
        loss += std::max(t, 0.0) + std::log1p(ex[k]) - y[row(k)] * t;
      }
      chunk_loss[c] = loss;
    });
    double loss = 0;
    for (const double v : chunk_loss) loss += v;
    return loss + 0.5 * l2 * b.tail(p - 1).squaredNorm();
  };
  double f = objective(fit.beta, eta, e);
  std::vector<Partial> partial(chunks);
  Eigen::MatrixXd hessian(p, p);
  Eigen::VectorXd grad(p);
  for (fit.iterations = 0; fit.iterations < max_iterations;) {
    for_chunks(chunks, threads, [&](std::size_t c) {
      accumulate(d, y, subset, eta, e, c * chunk_rows, std::min(n, (c + 1) * chunk_rows), partial[c]);
    });
    hessian.setZero();
    grad.setZero();
    for (const auto& part : partial) {
      hessian += part.hessian;
      grad += part.grad;
    }
    grad.tail(p - 1) += l2 * fit.beta.tail(p - 1);
    hessian.diagonal().tail(p - 1).array() += l2;
    hessian.diagonal().array() += 1e-12 * (1 + hessian.diagonal().array().abs());
    const Eigen::VectorXd step = hessian.selfadjointView<Eigen::Lower>().ldlt().solve(grad);
    ++fit.iterations;
    if (step.cwiseAbs().maxCoeff() < tolerance) {
      // Inside Newton's quadratic region: the full step is right to about its square; no need
      // to check the objective.
      fit.beta -= step;
      fit.converged = true;
      break;
    }
    double t = 1;
    Eigen::VectorXd beta = fit.beta - step;
    double next_f = objective(beta, next_eta, next_e);
    for (int halvings = 0; next_f > f + 1e-12 * std::abs(f) && halvings < 30; ++halvings) {
      t /= 2;
      beta = fit.beta - t * step;
      next_f = objective(beta, next_eta, next_e);
    }
    const double largest = (t * step).cwiseAbs().maxCoeff();
    fit.beta = std::move(beta);
    eta.swap(next_eta);
    e.swap(next_e);
    const double previous = f;
    f = next_f;
    if (largest < tolerance || std::abs(previous - f) <= 1e-15 * std::abs(f)) {
      fit.converged = true;
      break;
    }
  }
  return fit;
}

}  // namespace spm::forecast::detail
