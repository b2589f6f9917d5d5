#include "logistic.hpp"

#include <algorithm>
#include <cmath>

namespace spm::forecast::detail {

namespace {

// The penalised objective and the probabilities at `eta`.
double objective(const Eigen::VectorXd& eta, const Eigen::VectorXd& y, const Eigen::VectorXd& beta,
                 double l2) {
  double loss = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    // log(1 + exp(t)) - y t, stable for large |t|.
    const double t = eta[i];
    loss += (t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t))) - y[i] * t;
  }
  return loss + 0.5 * l2 * beta.tail(beta.size() - 1).squaredNorm();
}

}  // namespace

LogisticFit fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double l2,
                         int max_iterations, double tolerance) {
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  LogisticFit fit;
  fit.beta = Eigen::VectorXd::Zero(p);
  // Start from the base rate: one step fewer, and the intercept is right when nothing else is.
  const double rate = std::clamp(y.mean(), 1e-6, 1 - 1e-6);
  fit.beta[0] = std::log(rate / (1 - rate));
  Eigen::VectorXd eta = x * fit.beta;
  double f = objective(eta, y, fit.beta, l2);
  Eigen::VectorXd prob(n), sqrt_w(n), grad(p);
  Eigen::MatrixXd hessian(p, p), weighted(n, p);
  for (fit.iterations = 0; fit.iterations < max_iterations;) {
    for (Eigen::Index i = 0; i < n; ++i) {
      prob[i] = sigmoid(eta[i]);
      sqrt_w[i] = std::sqrt(std::max(prob[i] * (1 - prob[i]), 1e-12));
    }
    grad.noalias() = x.transpose() * (prob - y);
    grad.tail(p - 1) += l2 * fit.beta.tail(p - 1);
    weighted = sqrt_w.asDiagonal() * x;
    hessian.setZero();
    hessian.selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
    hessian.diagonal().tail(p - 1).array() += l2;
    // A tiny ridge on the whole diagonal keeps the solve defined for collinear columns at l2 = 0.
    hessian.diagonal().array() += 1e-12 * (1 + hessian.diagonal().array().abs());
    const Eigen::VectorXd step = hessian.selfadjointView<Eigen::Lower>().ldlt().solve(grad);
    ++fit.iterations;
    double t = 1;
    Eigen::VectorXd beta = fit.beta - step;
    Eigen::VectorXd next_eta = x * beta;
    double next_f = objective(next_eta, y, beta, l2);
    for (int halvings = 0; next_f > f + 1e-12 * std::abs(f) && halvings < 30; ++halvings) {
      t /= 2;
      beta = fit.beta - t * step;
      next_eta = x * beta;
      next_f = objective(next_eta, y, beta, l2);
    }
    const double largest = (t * step).cwiseAbs().maxCoeff();
    fit.beta = std::move(beta);
    eta = std::move(next_eta);
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
