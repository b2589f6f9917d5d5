// Time to close with censoring: Kaplan-Meier for "closed by t", Aalen-Johansen for won and lost as
// competing outcomes. Open deals are right-censored at their age on the as-of date, not dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

/// The Kaplan-Meier estimate at every distinct duration (event or censoring).
struct SurvivalCurve {
  std::vector<double> time;
  std::vector<std::size_t> at_risk;   ///< still open just before `time`
  std::vector<std::size_t> events;    ///< closed at `time`
  std::vector<std::size_t> censored;  ///< still open when last seen, at `time`
  std::vector<double> survival;       ///< P(still open after `time`)
  std::vector<double> std_error;      ///< Greenwood's standard error of `survival`

  /// The step function at t (1 before the first time).
  [[nodiscard]] double survival_at(double t) const noexcept;
  /// P(survival time >= t): the step function just before t.
  [[nodiscard]] double survival_before(double t) const noexcept;
  /// P(age <= T < age + window | T >= age): a deal still open at `age` closes within `window`
  /// more days, (S(age-) - S((age + window)-)) / S(age-). Past the last close in the history the
  /// curve knows nothing (it stays flat); there it is extended with `tail_hazard`, so that an old
  /// open deal is not given no chance at all. 1 when every deal of the history had closed.
  [[nodiscard]] double close_within(double age, double window) const noexcept;
  /// Closes per day past the last close: 1 / (D / n + A), where n closes (the last tenth, at least
  /// 5) happened over D days open between the time a they begin and the last close (the recent
  /// rate n / D), and A is the days deals were seen open past the last close, without a close:
  /// the recent rate weighed as one close's worth of evidence against that empty exposure. With
  /// A = 0 it is the recent rate; deals open long past the last close pull it towards 0.
  double tail_hazard = 0;
  /// time, at_risk, events, censored, survival, std_error.
  [[nodiscard]] io::Table table() const;
};

/// `durations` >= 0 (e.g. days from creation to close, or to the as-of date for open deals);
/// `observed` 1 when the deal closed at that duration, 0 when it was still open (censored).
/// Throws InvalidInputError "forecast.duration" naming the first negative or non-finite duration.
[[nodiscard]] SurvivalCurve kaplan_meier(std::span<const double> durations,
                                         std::span<const std::uint8_t> observed);

/// Cumulative incidence of each outcome (cause 1 = won, 2 = lost, ...) with the others competing.
struct CompetingRisks {
  std::vector<double> time;
  std::vector<std::size_t> at_risk;
  std::vector<double> survival;                      ///< P(no outcome yet after `time`)
  std::vector<std::vector<double>> incidence;        ///< [cause - 1][i]: P(this outcome by time[i])

  /// P(outcome `cause` by t).
  [[nodiscard]] double incidence_at(int cause, double t) const noexcept;
  /// P(outcome `cause` at a time < t).
  [[nodiscard]] double incidence_before(int cause, double t) const noexcept;
  /// Of the deals open at `age` that reach an outcome within `window` more days, the share that
  /// reach `cause`; NaN when none of the history did.
  [[nodiscard]] double share_within(int cause, double age, double window) const noexcept;
  /// time, at_risk, survival, then incidence_<cause> per cause (or the names given).
  [[nodiscard]] io::Table table(std::span<const std::string> cause_names = {}) const;
};

/// `cause` 0 for censored (still open), 1..causes for the outcome reached at `durations`.
/// Throws InvalidInputError "forecast.duration" or "forecast.cause" naming the first bad index.
[[nodiscard]] CompetingRisks aalen_johansen(std::span<const double> durations,
                                            std::span<const int> cause, int causes);

/// Deals as of a date: how long each was open and how it ended (censored when still open).
struct DealDurationsOptions {
  std::string created = "created_date";  ///< date column
  std::string closed = "close_date";     ///< date column, empty while open
  std::string outcome = "outcome";       ///< won / lost (see parse_outcome), empty while open
  Date as_of;                            ///< only what was known on this date is used
  std::string id;                        ///< deal id column; empty: rows are not checked for repeats
  /// Numeric feature columns the caller will read (forecast_window, the hazard model): a known
  /// row with an empty, unreadable or non-finite one is a reject, before duplicate ids are judged.
  std::vector<std::string> numeric;
};

struct DealDurations {
  std::vector<std::size_t> rows;    ///< input rows used (created before as_of)
  std::vector<double> days;         ///< created -> close, or -> as_of while open (or closed later)
  std::vector<int> cause;           ///< 1 won, 2 lost, 0 still open on as_of
  std::vector<std::uint8_t> closed; ///< cause != 0
  io::Table rejects;                ///< row, column, value, reason
  std::size_t not_created_yet = 0;  ///< rows created on or after as_of: left out, not rejected
};

/// Reads the deals table: a deal closed after `as_of` counts as open (censored at as_of); a deal
/// created after `as_of` is not known yet and left out. A close before the creation date, a
/// closed deal without an outcome, a missing creation date, a bad `numeric` feature, or (with
/// `id`) a row repeating an earlier valid row's id go to rejects. The outcome column may hold
/// text, booleans or 0/1 (as everywhere an outcome is read).
[[nodiscard]] DealDurations deal_durations(const io::Table& deals, const DealDurationsOptions& options);

}  // namespace spm::forecast
