#include <spm/forecast/survival.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <spm/core/error.hpp>
#include <spm/forecast/win_model.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

void check_durations(std::span<const double> d, std::size_t other, const char* other_name) {
  if (d.size() != other) {
    throw InvalidInputError("forecast.duration", "",
                            std::to_string(d.size()) + " durations for " + std::to_string(other) +
                                " " + other_name);
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (!std::isfinite(d[i]) || d[i] < 0) {
      throw InvalidInputError("forecast.duration", "[" + std::to_string(i) + "]",
                              "duration " + std::to_string(d[i]) +
                                  " must be a finite number >= 0 (a close before creation?)");
    }
  }
}

std::vector<std::size_t> by_duration(std::span<const double> d) {
  std::vector<std::size_t> order(d.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d[a] < d[b]; });
  return order;
}

// The step function's value at t: the value at the last time <= t, or `before`.
double step_at(const std::vector<double>& time, const std::vector<double>& value, double t, double before) {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  return it == time.begin() ? before : value[static_cast<std::size_t>(it - time.begin()) - 1];
}

}  // namespace

SurvivalCurve kaplan_meier(std::span<const double> durations, std::span<const std::uint8_t> observed) {
  check_durations(durations, observed.size(), "event flags");
  const auto order = by_duration(durations);
  SurvivalCurve c;
  std::size_t at_risk = durations.size();
  double s = 1, greenwood = 0;
  for (std::size_t i = 0; i < order.size();) {
    const double t = durations[order[i]];
    std::size_t events = 0, censored = 0, j = i;
    for (; j < order.size() && durations[order[j]] == t; ++j) (observed[order[j]] != 0 ? events : censored) += 1;
    const auto n = static_cast<double>(at_risk);
    const auto d = static_cast<double>(events);
    s *= 1 - d / n;
    if (events > 0 && events < at_risk) greenwood += d / (n * (n - d));
    c.time.push_back(t);
    c.at_risk.push_back(at_risk);
    c.events.push_back(events);
    c.censored.push_back(censored);
    c.survival.push_back(s);
    c.std_error.push_back(s > 0 ? s * std::sqrt(greenwood) : 0.0);
    at_risk -= events + censored;
    i = j;
  }
  // The tail hazard, past the last close. The closes of the last tenth (at least 5) give the
  // recent rate, closes per day open from a (where they begin) to the last close; past the last
  // close the history has days open and no close. The estimate weighs the recent rate as one
  // close's worth of evidence against those days: h = 1 / (days per recent close + days open
  // past the last close) (a gamma prior of one event, updated by the empty exposure). Without
  // deals seen past the last close it is the recent rate; many old open deals that never closed
  // pull it towards 0.
  std::size_t total = 0;
  for (const auto e : c.events) total += e;
  const std::size_t want = std::max<std::size_t>(5, total / 10);
  std::size_t seen = 0, k = c.events.size();
  while (k > 0 && c.events[k - 1] == 0) --k;  // the last close
  if (k > 0) {
    const std::size_t last = k - 1;
    std::size_t first = last;
    for (std::size_t m = last + 1; m-- > 0;) {
      seen += c.events[m];
      first = m;
      if (seen >= want) break;
    }
    const double t0 = first > 0 ? c.time[first - 1] : 0.0, t1 = c.time[last];
    double recent = 0, after = 0;
    for (std::size_t m = first; m < c.time.size(); ++m) {
      const auto n = static_cast<double>(c.events[m] + c.censored[m]);
      recent += n * (std::min(c.time[m], t1) - t0);
      after += n * std::max(0.0, c.time[m] - t1);
    }
    if (recent > 0) c.tail_hazard = 1 / (recent / static_cast<double>(seen) + after);
  }
  return c;
}

double SurvivalCurve::survival_at(double t) const noexcept { return step_at(time, survival, t, 1.0); }

double SurvivalCurve::survival_before(double t) const noexcept {
  const auto it = std::lower_bound(time.begin(), time.end(), t);
  return it == time.begin() ? 1.0 : survival[static_cast<std::size_t>(it - time.begin()) - 1];
}

double SurvivalCurve::close_within(double age, double window) const noexcept {
  // The last close, and the curve extended past it.
  std::size_t last = events.size();
  while (last > 0 && events[last - 1] == 0) --last;
  const auto extended = [&](double t) {
    if (last == 0 || t <= time[last - 1]) return survival_before(t);
    return survival[last - 1] * std::exp(-tail_hazard * (t - time[last - 1]));
  };
  const double open = extended(age);
  if (open <= 0) return 1.0;
  return std::clamp((open - extended(age + window)) / open, 0.0, 1.0);
}

io::Table SurvivalCurve::table() const {
  const auto counts = [](const std::vector<std::size_t>& v) {
    return std::vector<std::int64_t>(v.begin(), v.end());
  };
  io::Table t;
  t.add(io::Column::of("time", time));
  t.add(io::Column::of("at_risk", counts(at_risk)));
  t.add(io::Column::of("events", counts(events)));
  t.add(io::Column::of("censored", counts(censored)));
  t.add(io::Column::of("survival", survival));
  t.add(io::Column::of("std_error", std_error));
  return t;
}

CompetingRisks aalen_johansen(std::span<const double> durations, std::span<const int> cause, int causes) {
  check_durations(durations, cause.size(), "causes");
  if (causes < 1) throw InvalidInputError("forecast.cause", "causes", "give at least one outcome");
  for (std::size_t i = 0; i < cause.size(); ++i) {
    if (cause[i] < 0 || cause[i] > causes) {
      throw InvalidInputError("forecast.cause", "[" + std::to_string(i) + "]",
                              "cause " + std::to_string(cause[i]) + " must be 0 (still open) to " +
                                  std::to_string(causes));
    }
  }
  const auto order = by_duration(durations);
  CompetingRisks r;
  r.incidence.assign(static_cast<std::size_t>(causes), {});
  std::vector<double> cumulative(static_cast<std::size_t>(causes), 0.0);
  std::vector<std::size_t> events(static_cast<std::size_t>(causes));
  std::size_t at_risk = durations.size();
  double s = 1;
  for (std::size_t i = 0; i < order.size();) {
    const double t = durations[order[i]];
    std::fill(events.begin(), events.end(), 0);
    std::size_t all = 0, j = i;
    for (; j < order.size() && durations[order[j]] == t; ++j) {
      if (cause[order[j]] > 0) {
        ++events[static_cast<std::size_t>(cause[order[j]] - 1)];
        ++all;
      }
    }
    const auto n = static_cast<double>(at_risk);
    // Each outcome's incidence grows by the chance of being open just before t times its hazard.
    for (std::size_t k = 0; k < events.size(); ++k) {
      cumulative[k] += s * static_cast<double>(events[k]) / n;
      r.incidence[k].push_back(cumulative[k]);
    }
    s *= 1 - static_cast<double>(all) / n;
    r.time.push_back(t);
    r.at_risk.push_back(at_risk);
    r.survival.push_back(s);
    at_risk -= j - i;
    i = j;
  }
  return r;
}

double CompetingRisks::incidence_at(int cause, double t) const noexcept {
  if (cause < 1 || static_cast<std::size_t>(cause) > incidence.size()) return 0;
  return step_at(time, incidence[static_cast<std::size_t>(cause - 1)], t, 0.0);
}

double CompetingRisks::incidence_before(int cause, double t) const noexcept {
  if (cause < 1 || static_cast<std::size_t>(cause) > incidence.size()) return 0;
  const auto it = std::lower_bound(time.begin(), time.end(), t);
  return it == time.begin() ? 0.0 : incidence[static_cast<std::size_t>(cause - 1)][static_cast<std::size_t>(it - time.begin()) - 1];
}

double CompetingRisks::share_within(int cause, double age, double window) const noexcept {
  double all = 0;
  for (int k = 1; k <= static_cast<int>(incidence.size()); ++k) {
    all += incidence_before(k, age + window) - incidence_before(k, age);
  }
  if (all <= 0) return std::numeric_limits<double>::quiet_NaN();
  return (incidence_before(cause, age + window) - incidence_before(cause, age)) / all;
}

io::Table CompetingRisks::table(std::span<const std::string> cause_names) const {
  io::Table t;
  t.add(io::Column::of("time", time));
  t.add(io::Column::of("at_risk", std::vector<std::int64_t>(at_risk.begin(), at_risk.end())));
  t.add(io::Column::of("survival", survival));
  for (std::size_t k = 0; k < incidence.size(); ++k) {
    const auto name = k < cause_names.size() ? cause_names[k] : std::to_string(k + 1);
    t.add(io::Column::of("incidence_" + name, incidence[k]));
  }
  return t;
}

DealDurations deal_durations(const io::Table& deals, const DealDurationsOptions& o) {
  const auto& created = detail::date_column(deals, "deals", o.created);
  const auto& closed = detail::date_column(deals, "deals", o.closed);
  const auto& outcome = detail::require_column(deals, "deals", o.outcome);
  const auto y = detail::read_outcomes(outcome, "deals");
  const detail::NumericFeatures features(deals, o.numeric);
  const auto& cd = created.values<Date>();
  const auto& xd = closed.values<Date>();
  detail::Rejects rejects;
  DealDurations out;
  // A closed deal's outcome (1 won, 2 lost) or 0 while open on the as-of date; -1 for a row
  // that is not known on the as-of date (out of scope, not rejected).
  std::vector<int> cause(deals.num_rows(), -1);
  // Each row checked first; duplicate ids are judged among the rows that pass.
  const auto keep = detail::valid_rows(deals, o.id, rejects, [&](std::size_t r) {
    const auto row = detail::row_number(deals, r);
    if (created.is_null(r)) {
      rejects.add(row, o.created, "", "no creation date; fill it");
      return false;
    }
    if (!(cd[r] < o.as_of)) return true;  // not created yet on the as-of date
    if (y[r] == -2) {
      rejects.add(row, o.outcome, outcome.text(r), detail::unknown_outcome_reason(outcome.text(r)));
      return false;
    }
    if (detail::outcome_without_close(outcome, closed, r)) {
      detail::reject_outcome_without_close(rejects, row, outcome, r, o.closed);
      return false;
    }
    const bool has_close = !closed.is_null(r);
    if (has_close && xd[r] < cd[r]) {
      rejects.add(row, o.closed, closed.text(r), "the close date is before the creation date " + created.text(r));
      return false;
    }
    if (has_close && xd[r] < o.as_of && y[r] < 0) {
      rejects.add(row, o.outcome, outcome.text(r), "a closed deal needs an outcome: won or lost");
      return false;
    }
    // A row whose features cannot be read is not used, and does not hold its id.
    if (!features.usable(r, rejects)) return false;
    cause[r] = has_close && xd[r] < o.as_of ? (y[r] == 1 ? 1 : 2) : 0;
    return true;
  });
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (keep[r] != 0 && cause[r] < 0) ++out.not_created_yet;
    if (keep[r] == 0 || cause[r] < 0) continue;
    const Date end = cause[r] != 0 ? xd[r] : o.as_of;
    out.rows.push_back(r);
    out.days.push_back(static_cast<double>(end.days_since_epoch() - cd[r].days_since_epoch()));
    out.cause.push_back(cause[r]);
    out.closed.push_back(cause[r] != 0 ? 1 : 0);
  }
  out.rejects = rejects.table();
  return out;
}

}  // namespace spm::forecast
