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

Decimal percent_of(const Decimal& part, const Decimal& whole) {
  return whole.is_zero() ? Decimal() : Decimal::div(Decimal::mul(part, 100), whole, 4);
}

// Each member's potential index: the weighted sum of its share of every factor's total.
std::vector<Decimal> potential_index(const std::vector<Node>& nodes, const std::vector<int>& members,
                                     const AllocationOptions& options) {
  std::vector<Decimal> index(members.size());
  for (std::size_t k = 0; k < options.factors.size(); ++k) {
    Decimal total;
    for (int m : members) total += nodes[m].basis.factors[k];
    if (total.is_zero()) continue;  // a factor nobody has shares nothing
    for (std::size_t i = 0; i < members.size(); ++i) {
      index[i] += Decimal::mul(options.factors[k].weight,
                               Decimal::div(nodes[members[i]].basis.factors[k], total));
    }
  }
  return index;
}

std::string factor_text(const Node& n, const AllocationOptions& options) {
  std::string s;
  for (std::size_t k = 0; k < options.factors.size(); ++k) {
    if (k) s += ", ";
    s += options.factors[k].column + " " + text(n.basis.factors[k]);
  }
  return s;
}

Decimal base_of(const Node& n, const AllocationOptions& options) {
  return options.growth_base == GrowthBase::sales ? n.basis.sales : n.basis.last_quota;
}

// The weight each member's share is proportional to, for the proportional methods.
std::vector<Decimal> proportional_weights(const std::vector<Node>& nodes,
                                          const std::vector<int>& members,
                                          const AllocationOptions& options) {
  std::vector<Decimal> w(members.size());
  switch (options.method) {
    case Method::history:
      for (std::size_t i = 0; i < members.size(); ++i) w[i] = nodes[members[i]].basis.sales;
      break;
    case Method::potential:
      w = potential_index(nodes, members, options);
      break;
    case Method::blend: {
      const auto index = potential_index(nodes, members, options);
      Decimal sales_total;
      for (int m : members) sales_total += nodes[m].basis.sales;
      const Decimal h = options.history_weight;
      const Decimal p = Decimal(1) - h;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const Decimal hist = sales_total.is_zero()
                                 ? Decimal()
                                 : Decimal::div(nodes[members[i]].basis.sales, sales_total);
        w[i] = Decimal::mul(h, hist) + Decimal::mul(p, index[i]);
      }
      break;
    }
    case Method::growth_percent:
      for (std::size_t i = 0; i < members.size(); ++i) w[i] = base_of(nodes[members[i]], options);
      break;
    case Method::regression:
      for (std::size_t i = 0; i < members.size(); ++i) w[i] = nodes[members[i]].basis.fitted;
      break;
    case Method::ratchet:
      for (std::size_t i = 0; i < members.size(); ++i) w[i] = nodes[members[i]].basis.ratchet;
      break;
    default:
      break;
  }
  for (auto& x : w) {
    if (x.sign() < 0) x = Decimal();  // a net negative history weighs nothing
  }
  return w;
}

std::string proportional_note(const Node& n, const Decimal& w, const Decimal& wsum,
                              const Decimal& total, const AllocationOptions& options) {
  const std::string share = text(percent_of(w, wsum)) + "% of " + text(total);
  switch (options.method) {
    case Method::history:
      return "history: sales " + text(n.basis.sales) + " of " + text(wsum) + " = " + share;
    case Method::potential:
      return "potential index " + text(w) + " (" + factor_text(n, options) + ") = " + share;
    case Method::blend:
      return "blend " + text(options.history_weight) + " x history + " +
             text(Decimal(1) - options.history_weight) + " x potential: sales " +
             text(n.basis.sales) + ", " + factor_text(n, options) + " -> index " + text(w) +
             " = " + share;
    case Method::growth_percent:
      return "same growth percentage over " +
             std::string(options.growth_base == GrowthBase::sales ? "sales " : "last quota ") +
             text(w) + " of " + text(wsum) + " = " + share;
    case Method::regression:
      return "fitted sales " + text(w) + " (" + factor_text(n, options) + ") of " + text(wsum) +
             " = " + share;
    case Method::ratchet:
      return "ratchet " + text(w) + " (last quota " + text(n.basis.last_quota) + ", sales " +
             text(n.basis.sales) + ") of " + text(wsum) + " = " + share;
    default:
      return share;
  }
}

Decimal sqrt_decimal(double v) { return Decimal::from_double(std::sqrt(std::max(v, 0.0)), 6); }

}  // namespace

std::vector<Decimal> method_shares(const std::vector<Node>& nodes, const std::vector<int>& members,
                                   const Decimal& total, const AllocationOptions& options,
                                   std::vector<std::string>* notes) {
  const std::size_t n = members.size();
  std::vector<Decimal> share(n);
  if (notes) notes->assign(n, std::string());
  if (n == 0) return share;
  const Decimal count(static_cast<std::int64_t>(n));

  if (options.method == Method::growth_absolute) {
    Decimal base_total;
    for (int m : members) base_total += base_of(nodes[m], options);
    const Decimal each = Decimal::div(total - base_total, count);
    for (std::size_t i = 0; i < n; ++i) {
      const Decimal b = base_of(nodes[members[i]], options);
      share[i] = b + each;
      if (notes) {
        (*notes)[i] = "same increase: base " + text(b) + " + (" + text(total) + " - " +
                      text(base_total) + ") / " + text(count) + " = " + text(share[i]);
      }
    }
    return share;
  }
  if (options.method == Method::equal_probability) {
    Decimal mean_total, sigma_total;
    std::vector<Decimal> sigma(n);
    for (std::size_t i = 0; i < n; ++i) {
      mean_total += nodes[members[i]].basis.expected;
      sigma[i] = sqrt_decimal(nodes[members[i]].basis.variance);
      sigma_total += sigma[i];
    }
    if (!sigma_total.is_zero()) {
      const Decimal z = Decimal::div(total - mean_total, sigma_total);
      for (std::size_t i = 0; i < n; ++i) {
        share[i] = nodes[members[i]].basis.expected + Decimal::mul(z, sigma[i]);
        if (notes) {
          (*notes)[i] = "equal probability: expected " + text(nodes[members[i]].basis.expected) +
                        " + z " + text(z.round(6)) + " x volatility " + text(sigma[i]) +
                        " (z = (" + text(total) + " - " + text(mean_total) + ") / " +
                        text(sigma_total) + ")";
        }
      }
      return share;
    }
    // No volatility anywhere: every z is undefined, so share by expected sales.
    for (std::size_t i = 0; i < n; ++i) {
      const Decimal w = std::max(nodes[members[i]].basis.expected, Decimal());
      share[i] = mean_total.sign() > 0 ? Decimal::mul(total, Decimal::div(w, mean_total))
                                       : Decimal::div(total, count);
      if (notes) (*notes)[i] = "equal probability without volatility: by expected sales " + text(w);
    }
    return share;
  }

  const auto w = proportional_weights(nodes, members, options);
  Decimal wsum;
  for (const auto& x : w) wsum += x;
  for (std::size_t i = 0; i < n; ++i) {
    if (wsum.is_zero()) {
      share[i] = Decimal::div(total, count);
      if (notes) (*notes)[i] = "no weight under this node: equal shares of " + text(total);
    } else {
      share[i] = Decimal::mul(total, Decimal::div(w[i], wsum));
      if (notes) (*notes)[i] = proportional_note(nodes[members[i]], w[i], wsum, total, options);
    }
  }
  return share;
}

std::string fit_regression(std::vector<Node>& nodes, const AllocationOptions& options) {
  const std::size_t k = options.factors.size();
  std::vector<int> fit;
  std::vector<int> reps;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_rep) continue;
    reps.push_back(static_cast<int>(i));
    if (nodes[i].basis.has_history) fit.push_back(static_cast<int>(i));
  }
  if (fit.size() < k + 2) {
    throw InvalidInputError("quota.regression", "history",
                            "the regression method fits sales on " + std::to_string(k) +
                                " factors and needs at least " + std::to_string(k + 2) +
                                " reps with history; it has " + std::to_string(fit.size()) +
                                ". Use the potential or blend method, or give more history");
  }
  auto row = [&](int node, Eigen::Index r, Eigen::MatrixXd& x) {
    x(r, 0) = 1.0;
    for (std::size_t j = 0; j < k; ++j) {
      x(r, static_cast<Eigen::Index>(j + 1)) = nodes[node].basis.factors[j].to_double();
    }
  };
  const auto n = static_cast<Eigen::Index>(fit.size());
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(k + 1));
  Eigen::VectorXd y(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    row(fit[r], r, x);
    y(r) = nodes[fit[r]].basis.sales.to_double();
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd resid = y - x * beta;
  const double mean = y.mean();
  const double tss = (y.array() - mean).square().sum();
  const double r2 = tss > 0 ? 1.0 - resid.squaredNorm() / tss : 0.0;
  Eigen::MatrixXd one(1, static_cast<Eigen::Index>(k + 1));
  for (int rep : reps) {
    row(rep, 0, one);
    const double v = (one * beta)(0);
    nodes[rep].basis.fitted = Decimal::from_double(std::max(v, 0.0), 2);
  }
  auto coef = [](double v) { return Decimal::from_double(v, 6).to_string(); };
  std::string s = "sales = " + coef(beta(0));
  for (std::size_t j = 0; j < k; ++j) {
    s += " + " + coef(beta(static_cast<Eigen::Index>(j + 1))) + " x " + options.factors[j].column;
  }
  return s + " (least squares over " + std::to_string(fit.size()) + " reps, R^2 " +
         Decimal::from_double(r2, 4).to_string() + ")";
}

}  // namespace spm::quota::detail
