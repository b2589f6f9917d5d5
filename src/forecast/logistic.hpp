// What a logistic fit returns, and the logistic function; the fit itself is design.hpp's.
#pragma once

#include <cmath>

#include <Eigen/Dense>

namespace spm::forecast::detail {

struct LogisticFit {
  Eigen::VectorXd beta;
  int iterations = 0;
  bool converged = false;
};

/// 1 / (1 + exp(-t)) without overflow.
inline double sigmoid(double t) noexcept {
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

}  // namespace spm::forecast::detail
