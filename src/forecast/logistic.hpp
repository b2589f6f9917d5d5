// Penalised logistic regression by Newton's method (IRLS) on a dense design matrix: the kernel
// shared by the win model, its Platt calibration and the discrete-time hazard model.
#pragma once

#include <cmath>

#include <Eigen/Dense>

namespace spm::forecast::detail {

struct LogisticFit {
  Eigen::VectorXd beta;
  int iterations = 0;
  bool converged = false;
};

/// Minimises sum(log-loss) + l2/2 * |beta[1..]|^2 (column 0 of `x` is the intercept, not
/// penalised). `y` holds 0/1. Step-halving keeps every step downhill, so separable data with
/// l2 = 0 stops at max_iterations instead of diverging.
LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double l2,
                         int max_iterations, double tolerance);

/// 1 / (1 + exp(-t)) without overflow.
inline double sigmoid(double t) noexcept {
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

}  // namespace spm::forecast::detail
