// Window forecasts as of a date, and the rolling backtest that checks them.
#include <spm/forecast/backtest.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>

#include <spm/core/error.hpp>
#include <spm/forecast/bookings.hpp>

#include "columns.hpp"
#include "shift.hpp"

namespace spm::forecast {

namespace {

// (expected - actual) / actual, or its absolute value: the difference exact, the ratio a statistic.
double relative_error(const BacktestCut& c, bool absolute) {
  const Decimal diff = c.expected - c.actual_booked;
  return (absolute ? diff.abs() : diff).to_double() / c.actual;
}

bool within(const Decimal& x, const Decimal& lo, const Decimal& hi) { return x >= lo && x <= hi; }

// The last creation or close date in the table, if any.
std::optional<Date> last_date(const io::Column& created, const io::Column& closed) {
  std::optional<Date> last;
  for (const auto* c : {&created, &closed}) {
    for (std::size_t r = 0; r < c->size(); ++r) {
      if (!c->is_null(r)) last = std::max(last.value_or(c->values<Date>()[r]), c->values<Date>()[r]);
    }
  }
  return last;
}

}  // namespace

WindowForecast forecast_window(const io::Table& deals, const WindowForecastOptions& o, const ExecutionContext& context) {
  if (o.window_days < 1) {
    throw InvalidInputError("forecast.options", "window_days", "the window must be at least one day");
  }
  const auto& created = detail::date_column(deals, "deals", o.created);
  const auto& closed = detail::date_column(deals, "deals", o.closed);
  (void)detail::require_column(deals, "deals", o.model.outcome);
  const auto& cd = created.values<Date>();
  WindowForecast w;
  if (const auto last = last_date(created, closed); last && o.as_of > *last + 1) {
    w.notes.push_back("as of " + o.as_of.to_string() + " is " + std::to_string(o.as_of - *last) +
                      " days after the last date in the data (" + last->to_string() +
                      "): the deals open then are counted as open, without closing, over days the data does not "
                      "cover, which lowers their chance of closing; use an as-of date within the data");
  }
  // The deals known on as_of, checked (dates, outcome) and with duplicate ids judged among the
  // rows that pass, as deal_durations does (its rejects are this forecast's): closed ones train
  // the model, open ones are scored.
  // Rows with unusable numeric features are rejected there too, so they never hold their id.
  const auto durations =
      deal_durations(deals, {o.created, o.closed, o.model.outcome, o.as_of, o.model.id, o.model.numeric});
  std::vector<std::size_t> train, open;
  for (std::size_t i = 0; i < durations.rows.size(); ++i) {
    (durations.closed[i] != 0 ? train : open).push_back(durations.rows[i]);
  }
  // Only the columns the model reads cross into the subsets.
  std::vector<std::string> features = o.model.numeric;
  features.insert(features.end(), o.model.categorical.begin(), o.model.categorical.end());
  auto fitted = features;
  fitted.push_back(o.model.outcome);
  if (!o.model.id.empty() && std::find(fitted.begin(), fitted.end(), o.model.id) == fitted.end()) {
    fitted.push_back(o.model.id);
  }
  try {
    w.model = WinModel::fit(detail::take_rows(deals, train, fitted), o.model, context);
  } catch (const InvalidInputError& e) {
    if (e.id() != "forecast.history") throw;
    throw InvalidInputError(e.id(), e.path(), "as of " + o.as_of.to_string() + " (deals closed before then): " + e.detail());
  }
  w.train_deals = w.model.rows_used();
  w.closing = kaplan_meier(durations.days, durations.closed);
  w.outcomes = aalen_johansen(durations.days, durations.cause, 2);
  const auto scored = w.model.predict(detail::take_rows(deals, open, features));
  const auto logit = [](double q) {
    q = std::clamp(q, 1e-9, 1 - 1e-9);
    return std::log(q / (1 - q));
  };
  const double base = logit(w.model.base_rate());
  for (std::size_t i = 0; i < scored.rows.size(); ++i) {
    const auto r = open[scored.rows[i]];
    const auto age = static_cast<double>(o.as_of - cd[r]);
    w.rows.push_back(r);
    // Odds moved by (won share of closes at this age) / (base rate), both as odds.
    const double share = w.outcomes.share_within(1, age, o.window_days);
    const double moved = std::isnan(share) ? logit(scored.probability[i])
                                           : logit(scored.probability[i]) + logit(share) - base;
    w.p_win.push_back(1 / (1 + std::exp(-moved)));
    w.p_close.push_back(w.closing.close_within(age, o.window_days));
    w.p.push_back(w.p_win.back() * w.p_close.back());
  }
  w.rejects = io::concat(durations.rejects, scored.rejects);
  return w;
}

Backtest backtest(const io::Table& deals, const BacktestOptions& o, const ExecutionContext& context) {
  if (o.cuts.size() < 2) {
    throw InvalidInputError("forecast.options", "cuts", "a backtest needs at least two cuts (as-of dates)");
  }
  const auto& created = detail::date_column(deals, "deals", o.forecast.created);
  const auto& closed = detail::date_column(deals, "deals", o.forecast.closed);
  const auto last = last_date(created, closed);
  if (!last) {
    throw InvalidInputError("forecast.history", "deals",
                            "the deals table has no creation or close dates (" + std::to_string(deals.num_rows()) +
                                " rows); a backtest needs the deals' history");
  }
  for (std::size_t k = 0; k < o.cuts.size(); ++k) {
    if (o.cuts[k] + o.forecast.window_days > *last + 1) {
      throw InvalidInputError("forecast.options", "cuts[" + std::to_string(k) + "]",
                              "the window after " + o.cuts[k].to_string() + " runs past the last date in the data (" +
                                  last->to_string() + "); use an earlier cut or a shorter window");
    }
  }
  const auto& amount = detail::money_column(deals, "deals", o.amount);
  const auto& actual_amount = detail::money_column(deals, "deals", o.actual_amount.empty() ? o.amount : o.actual_amount);
  const auto& outcome = detail::require_column(deals, "deals", o.forecast.model.outcome);
  const auto outcomes = detail::read_outcomes(outcome, "deals");
  const auto& xd = closed.values<Date>();

  // Intervals need no finer lattice than 1/262,144 of the pipeline's total.
  LatticeOptions interval_lattice;
  interval_lattice.max_points = std::size_t{1} << 18;
  Backtest b;
  // Each cut rejects the same bad rows again: listed once.
  detail::Rejects rejects;
  std::set<std::tuple<std::int64_t, std::string, std::string>> rejected;
  std::vector<std::vector<double>> probs, amounts;
  std::vector<std::vector<Decimal>> monies;
  for (const auto cut : o.cuts) {
    auto fo = o.forecast;
    fo.as_of = cut;
    const auto w = forecast_window(deals, fo, context);
    for (std::size_t i = 0; i < w.rejects.num_rows(); ++i) {
      const auto row = w.rejects.values<std::int64_t>("row")[i];
      std::string column(w.rejects.strings("column")[i]), reason(w.rejects.strings("reason")[i]);
      if (rejected.emplace(row, column, reason).second) {
        rejects.add(row, column, w.rejects.strings("value")[i], std::move(reason));
      }
    }
    const Date end = cut + o.forecast.window_days;
    BacktestCut c;
    c.cut = cut;
    c.train_deals = w.train_deals;
    std::vector<double> p, y, a;
    std::vector<Decimal> money;
    for (std::size_t i = 0; i < w.rows.size(); ++i) {
      const auto r = w.rows[i];
      if (amount.is_null(r)) continue;  // no amount known at the cut: not part of any total
      const bool won = !closed.is_null(r) && xd[r] < end && outcomes[r] == 1;
      p.push_back(w.p[i]);
      y.push_back(won ? 1.0 : 0.0);
      money.push_back(detail::money_at(amount, r));
      a.push_back(money.back().to_double());
      if (won) {
        ++c.won_in_window;
        c.actual_booked += actual_amount.is_null(r) ? money.back() : detail::money_at(actual_amount, r);
      }
    }
    c.actual = c.actual_booked.to_double();
    c.open_deals = p.size();
    c.deals = score(p, y);
    const auto exact = exact_bookings(p, money, interval_lattice);
    c.expected = exact.mean;
    c.p5 = exact.quantile(0.05);
    c.p10 = exact.quantile(0.10);
    c.p90 = exact.quantile(0.90);
    c.p95 = exact.quantile(0.95);
    const double no_move[] = {0.0};
    c.shift = detail::matching_shift(p, a, no_move, c.actual);
    b.cuts.push_back(c);
    probs.push_back(std::move(p));
    amounts.push_back(std::move(a));
    monies.push_back(std::move(money));
  }
  // The period factor: the spread of the shifts that would have matched each period, fitted on
  // the other cuts for each cut's intervals.
  double all = 0;
  for (const auto& c : b.cuts) all += c.shift * c.shift;
  b.period_sd = std::sqrt(all / static_cast<double>(b.cuts.size()));
  for (std::size_t k = 0; k < b.cuts.size(); ++k) {
    auto& c = b.cuts[k];
    c.period_sd = std::sqrt((all - c.shift * c.shift) / static_cast<double>(b.cuts.size() - 1));
    MonteCarloOptions mc;
    mc.lattice = interval_lattice;
    mc.scenarios = o.scenarios;
    mc.period_sd = c.period_sd;
    const auto d = simulate_bookings(probs[k], monies[k], mc, context);
    c.mc_p5 = d.quantile(0.05);
    c.mc_p10 = d.quantile(0.10);
    c.mc_p90 = d.quantile(0.90);
    c.mc_p95 = d.quantile(0.95);
  }
  double ape = 0, bias = 0, in80 = 0, in90 = 0, mc80 = 0, mc90 = 0;
  std::size_t with_actual = 0;
  for (const auto& c : b.cuts) {
    if (c.actual > 0) {
      ape += relative_error(c, true);
      bias += relative_error(c, false);
      ++with_actual;
    }
    in80 += within(c.actual_booked, c.p10, c.p90) ? 1 : 0;
    in90 += within(c.actual_booked, c.p5, c.p95) ? 1 : 0;
    mc80 += within(c.actual_booked, c.mc_p10, c.mc_p90) ? 1 : 0;
    mc90 += within(c.actual_booked, c.mc_p5, c.mc_p95) ? 1 : 0;
  }
  const auto n = static_cast<double>(b.cuts.size());
  b.mean_ape = with_actual ? ape / static_cast<double>(with_actual) : 0;
  b.mean_bias = with_actual ? bias / static_cast<double>(with_actual) : 0;
  b.coverage_80 = in80 / n;
  b.coverage_90 = in90 / n;
  b.mc_coverage_80 = mc80 / n;
  b.mc_coverage_90 = mc90 / n;
  double auc = 0, ll = 0, base = 0;
  for (const auto& c : b.cuts) {
    auc += c.deals.auc;
    ll += c.deals.log_loss;
    base += c.deals.base_log_loss;
  }
  b.mean_auc = auc / n;
  b.mean_log_loss = ll / n;
  b.mean_base_log_loss = base / n;
  b.rejects = rejects.table();
  return b;
}

io::Table Backtest::table() const {
  io::Table t;
  std::vector<Date> cut;
  std::vector<std::int64_t> train, open, won;
  for (const auto& c : cuts) {
    cut.push_back(c.cut);
    train.push_back(static_cast<std::int64_t>(c.train_deals));
    open.push_back(static_cast<std::int64_t>(c.open_deals));
    won.push_back(static_cast<std::int64_t>(c.won_in_window));
  }
  t.add(io::Column::of("cut", std::move(cut)));
  t.add(io::Column::of("train_deals", std::move(train)));
  t.add(io::Column::of("open_deals", std::move(open)));
  t.add(io::Column::of("won_in_window", std::move(won)));
  const auto add = [&](const char* name, auto value) {
    std::vector<double> v;
    for (const auto& c : cuts) v.push_back(value(c));
    t.add(io::Column::of(name, std::move(v)));
  };
  add("auc", [](const BacktestCut& c) { return c.deals.auc; });
  add("log_loss", [](const BacktestCut& c) { return c.deals.log_loss; });
  add("base_log_loss", [](const BacktestCut& c) { return c.deals.base_log_loss; });
  add("brier", [](const BacktestCut& c) { return c.deals.brier; });
  add("base_brier", [](const BacktestCut& c) { return c.deals.base_brier; });
  add("ece", [](const BacktestCut& c) { return c.deals.ece; });
  const auto add_money = [&](const char* name, auto value) {
    std::vector<Decimal> v;
    for (const auto& c : cuts) v.push_back(value(c));
    t.add(io::Column::of(name, std::move(v)));
  };
  const auto in = [](bool yes) { return yes ? 1.0 : 0.0; };
  add_money("expected", [](const BacktestCut& c) { return c.expected; });
  add_money("actual", [](const BacktestCut& c) { return c.actual_booked; });
  add("ape", [](const BacktestCut& c) { return c.actual > 0 ? relative_error(c, true) : 0.0; });
  add("bias", [](const BacktestCut& c) { return c.actual > 0 ? relative_error(c, false) : 0.0; });
  add_money("p10", [](const BacktestCut& c) { return c.p10; });
  add_money("p90", [](const BacktestCut& c) { return c.p90; });
  add("in_80", [&](const BacktestCut& c) { return in(within(c.actual_booked, c.p10, c.p90)); });
  add_money("p5", [](const BacktestCut& c) { return c.p5; });
  add_money("p95", [](const BacktestCut& c) { return c.p95; });
  add("in_90", [&](const BacktestCut& c) { return in(within(c.actual_booked, c.p5, c.p95)); });
  add("shift", [](const BacktestCut& c) { return c.shift; });
  add("period_sd", [](const BacktestCut& c) { return c.period_sd; });
  add_money("mc_p10", [](const BacktestCut& c) { return c.mc_p10; });
  add_money("mc_p90", [](const BacktestCut& c) { return c.mc_p90; });
  add("mc_in_80", [&](const BacktestCut& c) { return in(within(c.actual_booked, c.mc_p10, c.mc_p90)); });
  add_money("mc_p5", [](const BacktestCut& c) { return c.mc_p5; });
  add_money("mc_p95", [](const BacktestCut& c) { return c.mc_p95; });
  add("mc_in_90", [&](const BacktestCut& c) { return in(within(c.actual_booked, c.mc_p5, c.mc_p95)); });
  return t;
}

}  // namespace spm::forecast
