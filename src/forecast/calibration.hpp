// Recalibrating scores into probabilities: Platt scaling and isotonic regression (pool adjacent
// violators), both fitted on out-of-fold scores.
#pragma once

#include <span>
#include <vector>

#include <spm/forecast/win_model.hpp>

namespace spm::forecast::detail {

/// Platt: a, b with P(y = 1) = sigmoid(a * score + b), by unpenalised maximum likelihood.
void fit_platt(std::span<const double> scores, std::span<const double> y, WinModel::Calibrator& c);
/// Isotonic: the non-decreasing step function of the score closest to y in squared error;
/// predictions interpolate linearly between the steps' ends and clip outside them.
void fit_isotonic(std::span<const double> scores, std::span<const double> y, WinModel::Calibrator& c);
/// The calibrated probability of a linear score.
double calibrate(const WinModel::Calibrator& c, double score);

}  // namespace spm::forecast::detail
