// Which open deals are won within a window, as of a date, and a rolling backtest of that forecast:
// deal-level scores, period totals and interval coverage, beside the base rate.
#pragma once

#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/execution.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/survival.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

struct WindowForecastOptions {
  WinModelOptions model;                 ///< features, outcome and id column
  std::string created = "created_date";  ///< date column
  std::string closed = "close_date";     ///< date column, empty while open
  Date as_of;
  int window_days = 90;                  ///< P(won within [as_of, as_of + window))
};

/// The deals open on `as_of` with P(won within the window) = P(closes within the window | open
/// at its age), from the Kaplan-Meier curve of every deal known on `as_of` (open ones censored),
/// times P(won | it closes then): the win model's probability (fitted on the deals closed before
/// `as_of`) with its odds moved by how the won share of closes at that age (Aalen-Johansen)
/// differs from the base rate: deals that stay open longer are often the ones that are lost
/// fast, or won slowly. Only what was known on `as_of` is used.
struct WindowForecast {
  std::vector<std::size_t> rows;  ///< the open deals scored (input rows)
  std::vector<double> p_win;      ///< P(won | it closes within the window), age-adjusted
  std::vector<double> p_close;    ///< P(closes within the window | open at its age)
  std::vector<double> p;          ///< p_win x p_close
  std::size_t train_deals = 0;    ///< closed deals the model was fitted on
  WinModel model;
  SurvivalCurve closing;
  CompetingRisks outcomes;        ///< won (1) and lost (2) by age
  /// deal_durations' rejects (e.g. closed before created: left out of training too), then open
  /// deals not scored (bad features): row, column, value, reason
  io::Table rejects;
  /// Cautions, e.g. `as_of` more than a day after the last creation or close date in the table
  /// (the open deals would be counted as open, without closing, over days the data lacks).
  std::vector<std::string> notes;
};

/// Throws as WinModel::fit (e.g. "forecast.history" when too few deals closed before `as_of`).
[[nodiscard]] WindowForecast forecast_window(const io::Table& deals, const WindowForecastOptions& options,
                                             const ExecutionContext& context = {});

struct BacktestOptions {
  WindowForecastOptions forecast;  ///< its as_of is replaced by each cut
  std::vector<Date> cuts;          ///< the as-of dates, each at least one window before the data ends
  std::string amount = "amount";   ///< the open deal's amount (decimal, known at the cut)
  std::string actual_amount;       ///< the amount booked when won (decimal); empty: `amount`
  std::size_t scenarios = 20'000;  ///< Monte Carlo scenarios for the intervals with the factor
};

/// One cut: how the deal probabilities scored, and the period total against its forecast.
struct BacktestCut {
  Date cut;
  std::size_t train_deals = 0, open_deals = 0, won_in_window = 0;
  ScoreMetrics deals;  ///< p against "won within the window" (base_*: the cut's own base rate)
  /// The expected total of the open deals, exact to the cent (expected_bookings: money is never
  /// summed as double).
  Decimal expected;
  Decimal actual_booked;  ///< the actual total, exact (the table's "actual")
  double actual = 0;      ///< actual_booked as a double, for the statistics (ape, bias, shift)
  /// Quantiles of the total (lattice amounts, exact): independent deals (exact distribution)...
  Decimal p5, p10, p90, p95;
  Decimal mc_p5, mc_p10, mc_p90, mc_p95;  ///< ...and with the period factor (Monte Carlo)
  double shift = 0;      ///< the log-odds shift of every deal that would have matched the actual
  double period_sd = 0;  ///< the factor used here: fitted on the other cuts' shifts
};

struct Backtest {
  std::vector<BacktestCut> cuts;
  double mean_auc = 0, mean_log_loss = 0, mean_base_log_loss = 0;
  double mean_ape = 0, mean_bias = 0;  ///< |actual - expected| / actual, (expected - actual) / actual
  double coverage_80 = 0, coverage_90 = 0;        ///< independent deals: share of cuts in P10-P90, P5-P95
  double mc_coverage_80 = 0, mc_coverage_90 = 0;  ///< with the period factor
  double period_sd = 0;  ///< fitted on every cut: what a forecast after the last cut would use
  /// Rows left out at some cut (e.g. closed before created, or bad features), each listed once.
  io::Table rejects;

  /// One row per cut: cut, train_deals, open_deals, won_in_window, auc, log_loss, base_log_loss,
  /// brier, base_brier, ece, expected, actual, ape, bias, p10, p90, in_80, p5, p95, in_90, shift,
  /// period_sd, mc_p10, mc_p90, mc_in_80, mc_p5, mc_p95, mc_in_90. The money columns (expected,
  /// actual and the quantiles) are decimal; the statistics float64.
  [[nodiscard]] io::Table table() const;
};

/// A rolling as-of backtest. The period factor of each cut's Monte Carlo intervals is fitted on
/// the other cuts only (leave one out), so its coverage is an honest estimate. Throws
/// InvalidInputError "forecast.options" for fewer than two cuts or a cut whose window runs past
/// the last date in the data.
[[nodiscard]] Backtest backtest(const io::Table& deals, const BacktestOptions& options,
                                const ExecutionContext& context = {});

}  // namespace spm::forecast
