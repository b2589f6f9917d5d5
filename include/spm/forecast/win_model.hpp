// Win probability: regularised logistic regression on closed deals, with optional calibration.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/execution.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

/// How predicted probabilities are recalibrated after the fit. The calibrator is fitted on
/// out-of-fold scores (the model refitted on each of `calibration_folds` folds), never on the
/// scores of the rows the model was fitted on.
enum class Calibration { none, platt, isotonic };
[[nodiscard]] std::string_view to_string(Calibration c) noexcept;
/// "none", "platt" or "isotonic"; throws InvalidInputError "forecast.options" otherwise.
[[nodiscard]] Calibration parse_calibration(std::string_view text);

struct WinModelOptions {
  /// The outcome column: won/win/1/true/yes or lost/loss/0/false/no (any case), a boolean or a
  /// 0/1 integer. Other values (open stages) are rejected rows: they have no outcome yet.
  std::string outcome = "outcome";
  /// Numeric features (integer, decimal or float64 columns), standardised before the fit.
  std::vector<std::string> numeric;
  /// Categorical features (string columns), one indicator per level; a missing value is a level
  /// of its own, a level not seen in the fit gets no indicator at prediction.
  std::vector<std::string> categorical;
  /// Columns known only once a deal has closed (days to close, final value...). Naming one of
  /// them as a feature is an error: the model would see the answer.
  std::vector<std::string> known_at_close;
  /// Optional deal id column: a row repeating an earlier row's id is rejected (the first is kept).
  std::string id;
  /// L2 penalty on the standardised coefficients (not the intercept); 1 matches scikit-learn's
  /// default C = 1. On data without signal it shrinks the model to the base rate.
  double l2 = 1.0;
  Calibration calibration = Calibration::none;
  int calibration_folds = 5;
  /// The fewest won and the fewest lost deals a fit needs.
  std::size_t min_per_class = 10;
  int max_iterations = 100;
  /// Newton stops after a step whose largest coefficient change is below this (the coefficients
  /// are then right to about its square).
  double tolerance = 1e-8;
};

/// One fitted coefficient, on the standardised scale (numeric) or as an indicator (categorical).
struct Coefficient {
  std::string feature;  ///< "(intercept)", the numeric column, or "column=level"
  double value = 0;
  double mean = 0;      ///< numeric: the standardisation (x - mean) / scale
  double scale = 1;
};

/// Probabilities for the rows of a table that could be scored.
struct WinScores {
  std::vector<std::size_t> rows;    ///< input rows scored (0-based), ascending
  std::vector<double> probability;  ///< calibrated P(won), one per scored row
  io::Table rejects;                ///< row, column, value, reason for each row not scored
};

/// A fitted win model. Copyable; predictions depend only on the fit.
class WinModel {
 public:
  /// Fits on the closed deals of `deals` (rows without an outcome go to fit_rejects()).
  /// Throws InvalidInputError: "forecast.options" (bad option), "forecast.column" (missing or
  /// mistyped column), "forecast.leakage" (a feature known only at close), "forecast.history"
  /// (fewer than min_per_class deals won or lost: says how many are needed). The context's
  /// threads share the Newton steps; the model is the same for any thread count.
  static WinModel fit(const io::Table& deals, const WinModelOptions& options,
                      const ExecutionContext& context = {});

  /// P(won) for every row with usable features (the outcome column is not needed).
  [[nodiscard]] WinScores predict(const io::Table& deals) const;

  [[nodiscard]] const WinModelOptions& options() const noexcept { return options_; }
  [[nodiscard]] const std::vector<Coefficient>& coefficients() const noexcept { return coef_; }
  /// The rows of the fitting table that were not used, with reasons.
  [[nodiscard]] const io::Table& fit_rejects() const noexcept { return fit_rejects_; }
  [[nodiscard]] std::size_t rows_used() const noexcept { return rows_used_; }
  [[nodiscard]] double base_rate() const noexcept { return base_rate_; }
  [[nodiscard]] int iterations() const noexcept { return iterations_; }
  [[nodiscard]] bool converged() const noexcept { return converged_; }
  /// The coefficients as a table: feature, coefficient, mean, scale.
  [[nodiscard]] io::Table coefficients_table() const;

  /// Platt: probability = 1 / (1 + exp(-(a * score + b))); isotonic: the step points.
  struct Calibrator {
    Calibration kind = Calibration::none;
    double a = 1, b = 0;
    std::vector<double> x, y;  ///< isotonic: increasing scores and their probabilities
  };
  [[nodiscard]] const Calibrator& calibrator() const noexcept { return calibrator_; }

  /// The model as JSON (options, coefficients, calibrator): what `spm forecast fit` saves.
  [[nodiscard]] std::string to_json() const;
  /// Reads a model saved by to_json(); InvalidInputError "forecast.model" when it is not one.
  static WinModel from_json(std::string_view text);

  /// Rebuilds a model from its parts (for loading a saved model); checks their shapes.
  static WinModel from_parts(WinModelOptions options, std::vector<Coefficient> coefficients,
                             Calibrator calibrator, double base_rate, std::size_t rows_used);

 private:
  WinModelOptions options_;
  std::vector<Coefficient> coef_;
  Calibrator calibrator_;
  io::Table fit_rejects_;
  std::size_t rows_used_ = 0;
  double base_rate_ = 0;
  int iterations_ = 0;
  bool converged_ = false;
};

/// The outcome a text names: 1 won, 0 lost, -1 neither (an open stage or a typo).
[[nodiscard]] int parse_outcome(std::string_view text) noexcept;

}  // namespace spm::forecast
