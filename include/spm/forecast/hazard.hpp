// Time to close with covariates: a discrete-time hazard model. Each deal contributes one row per
// period it was open (open deals up to the as-of date: censored), and two logistic regressions
// give the chance of being won, and of being lost, in a period, given its age period and the
// deal's features (cause-specific hazards: won and lost compete).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/execution.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

struct HazardOptions {
  std::string created = "created_date";  ///< date column
  std::string closed = "close_date";     ///< date column, empty while open
  std::string outcome = "outcome";       ///< won / lost, empty while open
  std::vector<std::string> numeric;      ///< deal features known at creation (e.g. amount)
  std::vector<std::string> categorical;  ///< e.g. source, segment, amount band
  std::vector<std::string> known_at_close;
  Date as_of;                            ///< the fit uses only what was known then
  int period_days = 30;                  ///< the length of a period
  /// Ages from (max_periods - 1) periods on share one baseline (long-open deals are few).
  int max_periods = 12;
  double l2 = 1.0;
  std::string id;  ///< deal id column: rows repeating an earlier row's id are rejected
};

/// P(won) and P(lost) within a window for deals open on a date, and when they close.
struct HazardForecast {
  std::vector<std::size_t> rows;  ///< open deals scored (input rows)
  std::vector<double> p_won;      ///< P(won within the window | open at its age)
  std::vector<double> p_lost;     ///< P(lost within the window | open at its age)
  std::size_t horizon = 0;        ///< periods in `close_by_period`
  /// rows x horizon: P(closes in the j-th period from its current one), won or lost.
  std::vector<double> close_by_period;
  io::Table rejects;

  /// row (the source line when `deals` has "_line", else the 1-based row), period (0 = the
  /// deal's current one), from_day (days from the as-of date), p_close: one line per deal and
  /// period.
  [[nodiscard]] io::Table periods_table(const io::Table& deals, int period_days) const;
};

class HazardModel {
 public:
  /// Fits on the deals known on options.as_of. Throws as WinModel::fit (too few wins or losses
  /// among the person-periods: "forecast.history"), and InvalidInputError "forecast.options" for
  /// a period shorter than a day or fewer than 2 periods.
  static HazardModel fit(const io::Table& deals, const HazardOptions& options,
                         const ExecutionContext& context = {});

  /// For the deals of `deals` open on `as_of` (created before, not closed before): the chance of
  /// each outcome within `window_days` (rounded to whole periods, at least one) and the close
  /// period distribution over `horizon` periods. A deal's age is rounded down to whole periods.
  [[nodiscard]] HazardForecast predict(const io::Table& deals, Date as_of, int window_days,
                                       std::size_t horizon = 12) const;

  [[nodiscard]] const HazardOptions& options() const noexcept { return options_; }
  [[nodiscard]] const WinModel& won() const noexcept { return won_; }
  [[nodiscard]] const WinModel& lost() const noexcept { return lost_; }
  /// Rows of the person-period table the hazards were fitted on.
  [[nodiscard]] std::size_t person_periods() const noexcept { return person_periods_; }
  /// Rows of the fitting table that could not be used (see deal_durations: a close before the
  /// creation, a closed deal without an outcome, a misspelt outcome, a repeated id): row, column,
  /// value, reason.
  [[nodiscard]] const io::Table& rejects() const noexcept { return rejects_; }

 private:
  HazardOptions options_;
  WinModel won_, lost_;
  std::size_t person_periods_ = 0;
  io::Table rejects_;
};

}  // namespace spm::forecast
