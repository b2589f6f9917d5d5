// The discrete-time hazard model: person-period rows, two logistic hazards, then survival over
// the window.
#include <spm/forecast/hazard.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include <spm/core/error.hpp>
#include <spm/forecast/survival.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

constexpr const char* period_column = "_period";

std::shared_ptr<const std::vector<std::string>> period_labels(int periods) {
  auto labels = std::make_shared<std::vector<std::string>>();
  for (int k = 0; k < periods; ++k) labels->push_back((k < 10 ? "p0" : "p") + std::to_string(k));
  return labels;
}

// The feature columns of `deals` (and "_line", so that rejects point into the input), repeated
// per `rows`, with the age period of each.
io::Table expand(const io::Table& deals, const HazardOptions& o, const std::vector<std::size_t>& rows,
                 const std::vector<std::uint32_t>& period) {
  std::vector<std::string> features = o.numeric;
  features.insert(features.end(), o.categorical.begin(), o.categorical.end());
  auto out = detail::take_rows(deals, rows, features);
  out.add(io::Column::dictionary(period_column, period_labels(o.max_periods), period));
  return out;
}

WinModelOptions hazard_options(const HazardOptions& o, const char* outcome) {
  WinModelOptions w;
  w.outcome = outcome;
  w.numeric = o.numeric;
  w.categorical = o.categorical;
  w.categorical.emplace_back(period_column);
  w.known_at_close = o.known_at_close;
  w.l2 = o.l2;
  return w;
}

}  // namespace

HazardModel HazardModel::fit(const io::Table& deals, const HazardOptions& o, const ExecutionContext& context) {
  if (o.period_days < 1) throw InvalidInputError("forecast.options", "period_days", "a period is at least one day");
  if (o.max_periods < 2) throw InvalidInputError("forecast.options", "max_periods", "use at least 2 periods");
  // Rows with unusable numeric features are rejected there, so they never hold their id.
  const auto d = deal_durations(deals, {o.created, o.closed, o.outcome, o.as_of, o.id, o.numeric});
  // One row per period each deal was open at the start of; the last holds its outcome, if any.
  std::vector<std::size_t> rows;
  std::vector<std::uint32_t> period;
  std::vector<std::int64_t> won, lost;
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    const auto last = static_cast<std::int64_t>(std::floor(d.days[i] / o.period_days));
    for (std::int64_t k = 0; k <= last; ++k) {
      rows.push_back(d.rows[i]);
      period.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(k, o.max_periods - 1)));
      won.push_back(k == last && d.cause[i] == 1 ? 1 : 0);
      lost.push_back(k == last && d.cause[i] == 2 ? 1 : 0);
    }
  }
  // Checked on deals, not on the internal person-period columns (_won, _lost) the fits see.
  const std::size_t need = WinModelOptions{}.min_per_class;
  const auto n_won = static_cast<std::size_t>(std::count(d.cause.begin(), d.cause.end(), 1));
  const auto n_lost = static_cast<std::size_t>(std::count(d.cause.begin(), d.cause.end(), 2));
  if (n_won < need || n_lost < need) {
    throw InvalidInputError("forecast.history", o.outcome,
                            "as of " + o.as_of.to_string() + ", the hazard model needs at least " + std::to_string(need) +
                                " won and " + std::to_string(need) + " lost deals closed before then; the deals have " +
                                std::to_string(n_won) + " won and " + std::to_string(n_lost) +
                                " lost (use a later as-of date or more history)");
  }
  auto table = expand(deals, o, rows, period);
  table.add(io::Column::of("_won", std::move(won)));
  table.add(io::Column::of("_lost", std::move(lost)));
  HazardModel m;
  m.options_ = o;
  m.person_periods_ = table.num_rows();
  m.rejects_ = d.rejects;
  m.won_ = WinModel::fit(table, hazard_options(o, "_won"), context);
  m.lost_ = WinModel::fit(table, hazard_options(o, "_lost"), context);
  return m;
}

HazardForecast HazardModel::predict(const io::Table& deals, Date as_of, int window_days, std::size_t horizon) const {
  if (window_days < 1) {
    throw InvalidInputError("forecast.options", "window_days",
                            "the window is " + std::to_string(window_days) + " days; it must be at least one day");
  }
  const auto& o = options_;
  const auto& created = detail::require_column(deals, "deals", o.created);
  const auto& closed = detail::require_column(deals, "deals", o.closed);
  const std::size_t window = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(
                                                          static_cast<double>(window_days) / o.period_days)));
  HazardForecast f;
  f.horizon = std::max(horizon, window);
  std::vector<std::size_t> open, rows;
  std::vector<std::uint32_t> period;
  detail::Rejects rejects;
  // Rows rejected for a reason of their own (keep 0) never hold their id: duplicate ids are
  // judged once the features are checked too (detail::reject_duplicate_ids, below).
  std::vector<std::uint8_t> keep(deals.num_rows(), 1);
  const auto* outcome = detail::find_column(deals, o.outcome);
  const auto y = outcome != nullptr ? detail::read_outcomes(*outcome, "deals") : std::vector<int>(deals.num_rows(), -1);
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (created.is_null(r) || !(created.values<Date>()[r] < as_of)) continue;
    if (!closed.is_null(r) && closed.values<Date>()[r] < as_of) continue;
    if (y[r] == -2) {  // not taken for an open deal
      rejects.add(detail::row_number(deals, r), o.outcome, outcome->text(r),
                  detail::unknown_outcome_reason(outcome->text(r)));
      keep[r] = 0;
      continue;
    }
    if (outcome != nullptr && detail::outcome_without_close(*outcome, closed, r)) {  // closed, date unknown
      detail::reject_outcome_without_close(rejects, detail::row_number(deals, r), *outcome, r, o.closed);
      keep[r] = 0;
      continue;
    }
    open.push_back(r);
    const auto k0 = (as_of - created.values<Date>()[r]) / o.period_days;
    for (std::size_t j = 0; j < f.horizon; ++j) {
      rows.push_back(r);
      period.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(k0 + static_cast<std::int64_t>(j), o.max_periods - 1)));
    }
  }
  const auto table = expand(deals, o, rows, period);
  const auto hw = won_.predict(table);
  const auto hl = lost_.predict(table);
  // Rows whose features could not be scored drop out whole (every period of the deal).
  std::vector<double> h_won(rows.size(), -1), h_lost(rows.size(), -1);
  for (std::size_t i = 0; i < hw.rows.size(); ++i) h_won[hw.rows[i]] = hw.probability[i];
  for (std::size_t i = 0; i < hl.rows.size(); ++i) h_lost[hl.rows[i]] = hl.probability[i];
  for (std::size_t k = 0; k < open.size(); ++k) {
    const std::size_t base = k * f.horizon;
    if (h_won[base] < 0 || h_lost[base] < 0) keep[open[k]] = 0;
  }
  // One reject per deal (its first period's), not one per period.
  const auto& rr = hw.rejects;
  for (std::size_t i = 0; i < rr.num_rows(); ++i) {
    const auto row = rr.values<std::int64_t>("row")[i];
    if (i > 0 && rr.values<std::int64_t>("row")[i - 1] == row) continue;
    rejects.add(row, rr.strings("column")[i], rr.strings("value")[i], std::string(rr.strings("reason")[i]));
  }
  detail::reject_duplicate_ids(deals, o.id, keep, rejects);
  for (std::size_t k = 0; k < open.size(); ++k) {
    if (keep[open[k]] == 0) continue;
    const std::size_t base = k * f.horizon;
    double survive = 1, pw = 0, pl = 0;
    f.rows.push_back(open[k]);
    for (std::size_t j = 0; j < f.horizon; ++j) {
      double a = h_won[base + j], b = h_lost[base + j];
      if (a + b > 1) {  // two separate fits: keep their sum a probability
        a /= a + b;
        b = 1 - a;
      }
      if (j < window) {
        pw += survive * a;
        pl += survive * b;
      }
      f.close_by_period.push_back(survive * (a + b));
      survive *= 1 - a - b;
    }
    f.p_won.push_back(pw);
    f.p_lost.push_back(pl);
  }
  f.rejects = rejects.table();
  return f;
}

io::Table HazardForecast::periods_table(const io::Table& deals, int period_days) const {
  std::vector<std::int64_t> row, period, from;
  std::vector<double> p;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    for (std::size_t j = 0; j < horizon; ++j) {
      row.push_back(detail::row_number(deals, rows[k]));
      period.push_back(static_cast<std::int64_t>(j));
      from.push_back(static_cast<std::int64_t>(j) * period_days);
      p.push_back(close_by_period[k * horizon + j]);
    }
  }
  io::Table t;
  t.add(io::Column::of("row", std::move(row)));
  t.add(io::Column::of("period", std::move(period)));
  t.add(io::Column::of("from_day", std::move(from)));
  t.add(io::Column::of("p_close", std::move(p)));
  return t;
}

}  // namespace spm::forecast
