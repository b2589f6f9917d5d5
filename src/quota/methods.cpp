// The allocation methods: how one node's amount is shared among its children.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <spm/core/error.hpp>

#include "allocation_detail.hpp"

namespace spm::quota::detail {

std::string text(const Decimal& d) { return d.to_string(); }

namespace {

Decimal base_of(const Node& n, const AllocationOptions& options) {
  return options.growth_base == GrowthBase::sales ? n.sales : n.last_quota;
}

// total x part / whole, exact before one rounding (whole shares stay whole).
Decimal share_of(const Decimal& total, const Decimal& part, const Decimal& whole) {
  return Decimal::mul_div(total, part, whole);
}

// Each member's weight for the proportional methods, into `w`. Potential and blend weights are
// already shares of `amount` (the index times the amount: one exact division per factor); the
// result is true then, unless a factor or the sales total is zero (the weights then sum to less).
bool proportional_weights(const std::vector<Node>& nodes, std::span<const Decimal> factors,
                          std::span<const std::int32_t> members, const Decimal& amount,
                          const AllocationOptions& o, std::vector<Decimal>& w) {
  const std::size_t n = members.size();
  const std::size_t k = o.factors.size();
  w.assign(n, Decimal());
  bool complete = true;
  auto potential_into = [&](const Decimal& scale) {
    // amount x scale x (sum over factors of weight x the member's share of the factor's total).
    for (std::size_t f = 0; f < k; ++f) {
      Decimal total;
      for (const auto m : members) total += factors[static_cast<std::size_t>(m) * k + f];
      if (total.is_zero()) {  // a factor nobody has shares nothing
        complete = complete && o.factors[f].weight.is_zero();
        continue;
      }
      const Decimal coef = Decimal::mul(amount, Decimal::mul(scale, o.factors[f].weight));
      for (std::size_t i = 0; i < n; ++i) {
        w[i] += share_of(coef, factors[static_cast<std::size_t>(members[i]) * k + f], total);
      }
    }
  };
  switch (o.method) {
    case Method::history:
      for (std::size_t i = 0; i < n; ++i) w[i] = nodes[members[i]].sales;
      break;
    case Method::potential:
      potential_into(Decimal(1));
      return complete;
    case Method::blend: {
      potential_into(Decimal(1) - o.history_weight);
      Decimal sales_total;
      for (const auto m : members) sales_total += basis_weight(nodes[m].sales);
      if (sales_total.sign() > 0) {
        const Decimal coef = Decimal::mul(amount, o.history_weight);
        for (std::size_t i = 0; i < n; ++i) {
          w[i] += share_of(coef, basis_weight(nodes[members[i]].sales), sales_total);
        }
      } else {
        complete = complete && o.history_weight.is_zero();
      }
      return complete;
    }
    case Method::growth_percent:
      for (std::size_t i = 0; i < n; ++i) w[i] = base_of(nodes[members[i]], o);
      break;
    case Method::regression:
      for (std::size_t i = 0; i < n; ++i) w[i] = nodes[members[i]].basis;
      break;
    case Method::ratchet:
      for (std::size_t i = 0; i < n; ++i) w[i] = nodes[members[i]].basis;
      break;
    default:
      break;
  }
  for (auto& x : w) x = basis_weight(x);
  return false;
}

}  // namespace

bool is_proportional(Method m) {
  return m != Method::growth_absolute && m != Method::equal_probability;
}

void weighted_shares(const std::vector<Node>& nodes, std::span<const std::int32_t> members,
                     const Decimal& total, std::vector<Decimal>& shares) {
  Decimal wsum;
  for (const auto m : members) wsum += nodes[m].weight;
  shares.resize(members.size());
  const Decimal count(static_cast<std::int64_t>(members.size()));
  for (std::size_t i = 0; i < members.size(); ++i) {
    shares[i] = wsum.is_zero() ? Decimal::div(total, count)
                               : share_of(total, nodes[members[i]].weight, wsum);
  }
}

void method_shares(std::vector<Node>& nodes, std::span<const Decimal> factors,
                   std::span<const Decimal> sigmas, std::span<const std::int32_t> members,
                   const Decimal& total, const AllocationOptions& o, std::vector<Decimal>& shares,
                   Group* record) {
  const std::size_t n = members.size();
  shares.assign(n, Decimal());
  if (n == 0) return;
  const Decimal count(static_cast<std::int64_t>(n));
  if (record) record->shared = total;

  if (o.method == Method::growth_absolute) {
    Decimal base_total;
    for (const auto m : members) base_total += basis_weight(base_of(nodes[m], o));
    const Decimal each = Decimal::div(total - base_total, count);
    for (std::size_t i = 0; i < n; ++i) {
      const Decimal b = basis_weight(base_of(nodes[members[i]], o));
      shares[i] = b + each;
      if (record) nodes[members[i]].weight = b;
    }
    if (record) record->weight_total = base_total;
    return;
  }
  if (o.method == Method::equal_probability) {
    Decimal mean_total, sigma_total;
    // The means as they weigh (a negative one as 0) in the numerators and the total alike, so
    // that the shares sum to `total` and the trace adds up.
    for (const auto m : members) {
      mean_total += basis_weight(nodes[m].basis);
      sigma_total += sigmas[m];
    }
    if (record) {
      record->weight_total = mean_total;
      record->sigma_total = sigma_total;
      for (const auto m : members) nodes[m].weight = basis_weight(nodes[m].basis);
    }
    if (!sigma_total.is_zero()) {
      const Decimal z = Decimal::div(total - mean_total, sigma_total);
      if (record) record->z = z;
      for (std::size_t i = 0; i < n; ++i) {
        shares[i] = basis_weight(nodes[members[i]].basis) + Decimal::mul(z, sigmas[members[i]]);
      }
      return;
    }
    // No volatility anywhere: z is undefined, so share by expected sales.
    if (record) record->equal_shares = mean_total.is_zero();
    for (std::size_t i = 0; i < n; ++i) {
      const Decimal w = basis_weight(nodes[members[i]].basis);
      shares[i] = mean_total.sign() > 0 ? share_of(total, w, mean_total) : Decimal::div(total, count);
    }
    return;
  }

  static thread_local std::vector<Decimal> w;
  const bool already_shares = proportional_weights(nodes, factors, members, total, o, w);
  Decimal wsum;
  for (const auto& x : w) wsum += x;
  if (record) {
    record->weight_total = wsum;
    record->equal_shares = wsum.is_zero();
    for (std::size_t i = 0; i < n; ++i) nodes[members[i]].weight = w[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    shares[i] = already_shares   ? w[i]
                : wsum.is_zero() ? Decimal::div(total, count)
                                 : share_of(total, w[i], wsum);
  }
}

std::string fit_regression(std::vector<Node>& nodes, std::span<const Decimal> factors,
                           const AllocationOptions& o) {
  const std::size_t k = o.factors.size();
  std::vector<std::size_t> fit, reps;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_rep || nodes[i].parent == -2) continue;
    reps.push_back(i);
    if (nodes[i].has_history) fit.push_back(i);
  }
  if (fit.size() < k + 2) {
    throw InvalidInputError("quota.regression", "history",
                            "the regression method fits sales on " + std::to_string(k) +
                                " factors and needs at least " + std::to_string(k + 2) +
                                " reps with history; it has " + std::to_string(fit.size()) +
                                ". Use the potential or blend method, or give more history");
  }
  const auto cols = static_cast<Eigen::Index>(k + 1);
  auto fill = [&](std::size_t node, Eigen::Index r, Eigen::MatrixXd& x) {
    x(r, 0) = 1.0;
    for (std::size_t j = 0; j < k; ++j) {
      x(r, static_cast<Eigen::Index>(j + 1)) = factors[node * k + j].to_double();
    }
  };
  const auto n = static_cast<Eigen::Index>(fit.size());
  Eigen::MatrixXd x(n, cols);
  Eigen::VectorXd y(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    fill(fit[static_cast<std::size_t>(r)], r, x);
    y(r) = nodes[fit[static_cast<std::size_t>(r)]].sales.to_double();
  }
  // A factor that does not vary (or is a combination of others) cannot be fitted: the answer
  // would silently be one of many.
  for (std::size_t j = 0; j < k; ++j) {
    const auto c = x.col(static_cast<Eigen::Index>(j + 1));
    if (c.maxCoeff() == c.minCoeff()) {
      throw InvalidInputError("quota.regression", "factors[" + std::to_string(j) + "]",
                              "factor '" + o.factors[j].column +
                                  "' is the same for every rep with history, so sales cannot be "
                                  "fitted on it; drop it or choose a factor that varies");
    }
  }
  const auto qr = x.colPivHouseholderQr();
  if (qr.rank() < cols) {
    throw InvalidInputError("quota.regression", "factors",
                            "the factors are collinear over the reps with history (one is a "
                            "combination of the others); drop one");
  }
  const Eigen::VectorXd beta = qr.solve(y);
  const Eigen::VectorXd resid = y - x * beta;
  const double mean = y.mean();
  const double tss = (y.array() - mean).square().sum();
  const double r2 = tss > 0 ? 1.0 - resid.squaredNorm() / tss : 0.0;
  Eigen::MatrixXd one(1, cols);
  for (const auto rep : reps) {
    fill(rep, 0, one);
    const double v = (one * beta)(0);
    nodes[rep].basis = Decimal::from_double(std::max(v, 0.0), 2);
  }
  auto coef = [](double v) { return Decimal::from_double(v, 6).to_string(); };
  std::string s = "sales = " + coef(beta(0));
  for (std::size_t j = 0; j < k; ++j) {
    s += " + " + coef(beta(static_cast<Eigen::Index>(j + 1))) + " x " + o.factors[j].column;
  }
  return s + " (least squares over " + std::to_string(fit.size()) + " reps, R^2 " +
         Decimal::from_double(r2, 4).to_string() + ")";
}

}  // namespace spm::quota::detail
