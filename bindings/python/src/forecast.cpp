// spm.forecast: win model, scores, time to close and bookings distributions. The Pythonic layer
// is spm/forecast.py; arrays cross as NumPy (no copy in, one copy out), tables as spm.Table, and
// every computation releases the GIL.
#include "casters.hpp"

#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/forecast/backtest.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/hazard.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/pipeline.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/survival.hpp>
#include <spm/forecast/win_model.hpp>

namespace spm::python {

using namespace nb::literals;

namespace {

using Doubles = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Bytes = nb::ndarray<const std::uint8_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Ints = nb::ndarray<const std::int32_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

std::span<const double> view(const Doubles& a) { return {a.data(), a.shape(0)}; }

// A NumPy array that owns a moved-in vector.
template <class T>
nb::ndarray<nb::numpy, T, nb::ndim<1>> to_numpy(std::vector<T> v) {
  auto* heap = new std::vector<T>(std::move(v));
  nb::capsule owner(heap, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return nb::ndarray<nb::numpy, T, nb::ndim<1>>(heap->data(), {heap->size()}, owner);
}

}  // namespace

void bind_forecast(nb::module_& m) {
  nb::class_<forecast::WinModel>(m, "_WinModel")
      .def("predict",
           [](const forecast::WinModel& model, const io::Table& deals) {
             forecast::WinScores s;
             {
               nb::gil_scoped_release release;
               s = model.predict(deals);
             }
             std::vector<std::int64_t> rows(s.rows.begin(), s.rows.end());
             return nb::make_tuple(to_numpy(std::move(rows)), to_numpy(std::move(s.probability)),
                                   std::move(s.rejects));
           })
      .def("coefficients_table", &forecast::WinModel::coefficients_table)
      .def("feature_columns",
           [](const forecast::WinModel& model) {
             auto cols = model.options().numeric;
             cols.insert(cols.end(), model.options().categorical.begin(), model.options().categorical.end());
             return cols;
           })
      .def("fit_rejects", [](const forecast::WinModel& model) { return model.fit_rejects(); })
      .def("to_json", &forecast::WinModel::to_json)
      .def_static("from_json", [](std::string_view text) { return forecast::WinModel::from_json(text); })
      .def_prop_ro("rows_used", &forecast::WinModel::rows_used)
      .def_prop_ro("base_rate", &forecast::WinModel::base_rate)
      .def_prop_ro("iterations", &forecast::WinModel::iterations)
      .def_prop_ro("converged", &forecast::WinModel::converged)
      .def_prop_ro("calibration",
                   [](const forecast::WinModel& model) { return std::string(to_string(model.calibrator().kind)); });

  m.def(
      "_forecast_fit",
      [](const io::Table& deals, const std::string& outcome, const std::vector<std::string>& numeric,
         const std::vector<std::string>& categorical, const std::vector<std::string>& known_at_close,
         double l2, std::string_view calibration, int folds, std::size_t min_per_class, unsigned threads,
         const std::string& id) {
        forecast::WinModelOptions o;
        o.outcome = outcome;
        o.numeric = numeric;
        o.categorical = categorical;
        o.known_at_close = known_at_close;
        o.l2 = l2;
        o.calibration = forecast::parse_calibration(calibration);
        o.calibration_folds = folds;
        o.min_per_class = min_per_class;
        o.id = id;
        nb::gil_scoped_release release;
        return forecast::WinModel::fit(deals, o, ExecutionContext().threads(threads));
      },
      "deals"_a, "outcome"_a, "numeric"_a, "categorical"_a, "known_at_close"_a, "l2"_a,
      "calibration"_a, "folds"_a, "min_per_class"_a, "threads"_a, "id"_a);

  // The window forecast and the backtest share their model options with _forecast_fit.
  const auto window_options = [](const std::string& outcome, const std::vector<std::string>& numeric,
                                 const std::vector<std::string>& categorical,
                                 const std::vector<std::string>& known_at_close, double l2,
                                 std::string_view calibration, const std::string& created,
                                 const std::string& closed, const Date& as_of, int window_days,
                                 const std::string& id) {
    forecast::WindowForecastOptions o;
    o.model.id = id;
    o.model.outcome = outcome;
    o.model.numeric = numeric;
    o.model.categorical = categorical;
    o.model.known_at_close = known_at_close;
    o.model.l2 = l2;
    o.model.calibration = forecast::parse_calibration(calibration);
    o.created = created;
    o.closed = closed;
    o.as_of = as_of;
    o.window_days = window_days;
    return o;
  };

  m.def(
      "_forecast_window",
      [window_options](const io::Table& deals, const std::string& outcome, const std::vector<std::string>& numeric,
                       const std::vector<std::string>& categorical, const std::vector<std::string>& known_at_close,
                       double l2, std::string_view calibration, const std::string& created,
                       const std::string& closed, const Date& as_of, int window_days, unsigned threads,
                       const std::string& id) {
        const auto o = window_options(outcome, numeric, categorical, known_at_close, l2, calibration, created,
                                      closed, as_of, window_days, id);
        forecast::WindowForecast w;
        {
          nb::gil_scoped_release release;
          w = forecast::forecast_window(deals, o, ExecutionContext().threads(threads));
        }
        std::vector<std::int64_t> rows(w.rows.begin(), w.rows.end());
        return nb::make_tuple(to_numpy(std::move(rows)), to_numpy(std::move(w.p_win)), to_numpy(std::move(w.p_close)),
                              to_numpy(std::move(w.p)), std::move(w.model), w.closing.table(),
                              std::move(w.rejects), std::move(w.notes));
      },
      "deals"_a, "outcome"_a, "numeric"_a, "categorical"_a, "known_at_close"_a, "l2"_a, "calibration"_a,
      "created"_a, "closed"_a, "as_of"_a, "window_days"_a, "threads"_a, "id"_a);

  m.def(
      "_forecast_backtest",
      [window_options](const io::Table& deals, const std::string& outcome, const std::vector<std::string>& numeric,
                       const std::vector<std::string>& categorical, const std::vector<std::string>& known_at_close,
                       double l2, std::string_view calibration, const std::string& created,
                       const std::string& closed, int window_days, const std::vector<Date>& cuts,
                       const std::string& amount, const std::string& actual_amount, std::size_t scenarios,
                       std::uint64_t seed, unsigned threads, const std::string& id) {
        forecast::BacktestOptions o;
        o.forecast = window_options(outcome, numeric, categorical, known_at_close, l2, calibration, created, closed,
                                    cuts.empty() ? Date() : cuts.front(), window_days, id);
        o.cuts = cuts;
        o.amount = amount;
        o.actual_amount = actual_amount;
        o.scenarios = scenarios;
        forecast::Backtest b;
        {
          nb::gil_scoped_release release;
          b = forecast::backtest(deals, o, ExecutionContext().seed(seed).threads(threads));
        }
        nb::dict d;
        d["mean_auc"] = b.mean_auc;
        d["mean_log_loss"] = b.mean_log_loss;
        d["mean_base_log_loss"] = b.mean_base_log_loss;
        d["mean_ape"] = b.mean_ape;
        d["mean_bias"] = b.mean_bias;
        d["coverage_80"] = b.coverage_80;
        d["coverage_90"] = b.coverage_90;
        d["mc_coverage_80"] = b.mc_coverage_80;
        d["mc_coverage_90"] = b.mc_coverage_90;
        d["period_sd"] = b.period_sd;
        return nb::make_tuple(b.table(), d, std::move(b.rejects));
      },
      "deals"_a, "outcome"_a, "numeric"_a, "categorical"_a, "known_at_close"_a, "l2"_a, "calibration"_a,
      "created"_a, "closed"_a, "window_days"_a, "cuts"_a, "amount"_a, "actual_amount"_a, "scenarios"_a, "seed"_a, "threads"_a,
      "id"_a);

  nb::class_<forecast::HazardModel>(m, "_HazardModel")
      .def("predict",
           [](const forecast::HazardModel& model, const io::Table& deals, const Date& as_of, int window_days,
              std::size_t horizon) {
             forecast::HazardForecast f;
             io::Table periods;
             {
               nb::gil_scoped_release release;
               f = model.predict(deals, as_of, window_days, horizon);
               periods = f.periods_table(deals, model.options().period_days);
             }
             std::vector<std::int64_t> rows(f.rows.begin(), f.rows.end());
             return nb::make_tuple(to_numpy(std::move(rows)), to_numpy(std::move(f.p_won)),
                                   to_numpy(std::move(f.p_lost)), f.horizon, to_numpy(std::move(f.close_by_period)),
                                   std::move(periods), std::move(f.rejects));
           })
      .def_prop_ro("person_periods", &forecast::HazardModel::person_periods)
      .def("rejects", [](const forecast::HazardModel& model) { return model.rejects(); })
      .def("won_coefficients", [](const forecast::HazardModel& model) { return model.won().coefficients_table(); })
      .def("lost_coefficients", [](const forecast::HazardModel& model) { return model.lost().coefficients_table(); });

  m.def(
      "_forecast_hazard_fit",
      [](const io::Table& deals, const std::string& created, const std::string& closed, const std::string& outcome,
         const std::vector<std::string>& numeric, const std::vector<std::string>& categorical,
         const std::vector<std::string>& known_at_close, const Date& as_of, int period_days, int max_periods,
         double l2, const std::string& id) {
        forecast::HazardOptions o;
        o.created = created;
        o.closed = closed;
        o.outcome = outcome;
        o.numeric = numeric;
        o.categorical = categorical;
        o.known_at_close = known_at_close;
        o.as_of = as_of;
        o.period_days = period_days;
        o.max_periods = max_periods;
        o.l2 = l2;
        o.id = id;
        nb::gil_scoped_release release;
        return forecast::HazardModel::fit(deals, o);
      },
      "deals"_a, "created"_a, "closed"_a, "outcome"_a, "numeric"_a, "categorical"_a, "known_at_close"_a,
      "as_of"_a, "period_days"_a, "max_periods"_a, "l2"_a, "id"_a);

  m.def(
      "_forecast_amounts",
      [](const io::Table& deals, const std::string& amount, const std::string& close_amount,
         const std::string& outcome, const std::string& segment) {
        const forecast::AmountRatioOptions o{amount, close_amount, outcome, segment};
        nb::gil_scoped_release release;
        auto r = forecast::amount_ratios(deals, o);
        auto expected = forecast::expected_close_amounts(deals, r, o);
        return std::make_tuple(std::move(r.ratios), std::move(expected), std::move(r.rejects));
      },
      "deals"_a, "amount"_a, "close_amount"_a, "outcome"_a, "segment"_a);
  m.def(
      "_forecast_slippage",
      [](const io::Table& deals, const std::string& expected, const std::string& closed, const std::string& created,
         const Date& as_of) {
        forecast::Slippage s;
        {
          nb::gil_scoped_release release;
          s = forecast::slippage(deals, {expected, closed, created, as_of});
        }
        nb::dict d;
        d["closed"] = s.closed;
        d["share_late"] = s.share_late;
        d["p10"] = s.p10;
        d["p50"] = s.p50;
        d["p90"] = s.p90;
        d["open"] = s.open;
        d["overdue"] = s.overdue;
        d["rejects"] = std::move(s.rejects);
        return d;
      },
      "deals"_a, "expected"_a, "closed"_a, "created"_a, "as_of"_a);
  m.def(
      "_forecast_categories",
      [](const io::Table& deals, const std::string& category, const std::string& amount, const std::string& group) {
        nb::gil_scoped_release release;
        auto r = forecast::category_rollup(deals, {category, amount, group});
        return std::make_tuple(std::move(r.table), std::move(r.rejects));
      },
      "deals"_a, "category"_a, "amount"_a, "group"_a);
  m.def(
      "_forecast_overrides",
      [](const io::Table& deals, const io::Table& overrides, const std::string& id, const std::string& probability,
         const std::string& close_date) {
        nb::gil_scoped_release release;
        auto r = forecast::apply_overrides(deals, overrides, {id, probability, close_date});
        return std::make_tuple(std::move(r.deals), std::move(r.rejects), std::move(r.deal_rejects), r.applied);
      },
      "deals"_a, "overrides"_a, "id"_a, "probability"_a, "close_date"_a);
  m.def(
      "_forecast_diff",
      [](const io::Table& before, const io::Table& after, const std::string& id, const std::string& amount,
         const std::string& close_date, const std::string& outcome) {
        nb::gil_scoped_release release;
        auto d = forecast::snapshot_diff(before, after, {id, amount, close_date, outcome});
        return std::make_tuple(std::move(d.changes), std::move(d.summary), std::move(d.rejects));
      },
      "before"_a, "after"_a, "id"_a, "amount"_a, "close_date"_a, "outcome"_a);
  m.def(
      "_forecast_capacity",
      [](const io::Table& deals, const std::string& owner, const std::string& amount, const std::string& created,
         const std::string& closed, const std::string& outcome, const std::vector<Decimal>& bands, const Date& as_of,
         int period_days, int history_days) {
        const forecast::CapacityBySizeOptions o{owner, amount, created, closed, outcome, bands, as_of, period_days,
                                                history_days};
        nb::gil_scoped_release release;
        auto r = forecast::capacity_by_size(deals, o);
        return std::make_tuple(std::move(r.reps), std::move(r.prior), std::move(r.rejects));
      },
      "deals"_a, "owner"_a, "amount"_a, "created"_a, "closed"_a, "outcome"_a, "bands"_a, "as_of"_a,
      "period_days"_a, "history_days"_a);

  m.def(
      "_forecast_score",
      [](const Doubles& p, const Doubles& y, int bins) {
        forecast::ScoreMetrics s;
        {
          nb::gil_scoped_release release;
          s = forecast::score(view(p), view(y), bins);
        }
        nb::dict d;
        d["count"] = s.count;
        d["base_rate"] = s.base_rate;
        d["auc"] = s.auc;
        d["log_loss"] = s.log_loss;
        d["brier"] = s.brier;
        d["ece"] = s.ece;
        d["base_log_loss"] = s.base_log_loss;
        d["base_brier"] = s.base_brier;
        d["reliability"] = forecast::reliability_table(s);
        return d;
      },
      "p"_a, "y"_a, "bins"_a);

  m.def(
      "_forecast_kaplan_meier",
      [](const Doubles& durations, const Bytes& observed) {
        nb::gil_scoped_release release;
        return forecast::kaplan_meier(view(durations), {observed.data(), observed.shape(0)}).table();
      },
      "durations"_a, "observed"_a);

  m.def(
      "_forecast_aalen_johansen",
      [](const Doubles& durations, const Ints& cause, int causes, const std::vector<std::string>& names) {
        nb::gil_scoped_release release;
        return forecast::aalen_johansen(view(durations), {cause.data(), cause.shape(0)}, causes).table(names);
      },
      "durations"_a, "cause"_a, "causes"_a, "names"_a);

  m.def(
      "_forecast_durations",
      [](const io::Table& deals, const std::string& created, const std::string& closed,
         const std::string& outcome, const Date& as_of, const std::string& id) {
        forecast::DealDurations d;
        {
          nb::gil_scoped_release release;
          d = forecast::deal_durations(deals, {created, closed, outcome, as_of, id, {}});
        }
        std::vector<std::int64_t> rows(d.rows.begin(), d.rows.end());
        std::vector<std::int32_t> cause(d.cause.begin(), d.cause.end());
        return nb::make_tuple(to_numpy(std::move(rows)), to_numpy(std::move(d.days)), to_numpy(std::move(cause)),
                              std::move(d.rejects));
      },
      "deals"_a, "created"_a, "closed"_a, "outcome"_a, "as_of"_a, "id"_a);

  m.def(
      "_forecast_bookings",
      [](const io::Table& deals, const io::Table* targets, const std::string& probability,
         const std::string& amount, const std::string& group, std::string_view method, double period_sd,
         std::size_t scenarios, std::uint64_t seed, unsigned threads, const Decimal& step,
         std::size_t max_points, const std::vector<double>& quantiles, const std::string& id,
         const io::Table* history, std::optional<Date> as_of, int window_days, int windows) {
        forecast::RollupOptions o;
        o.probability = probability;
        o.amount = amount;
        o.group = group;
        o.method = forecast::parse_distribution_method(method);
        o.monte_carlo.period_sd = period_sd;
        o.monte_carlo.scenarios = scenarios;
        o.monte_carlo.lattice.step = step;
        o.monte_carlo.lattice.max_points = max_points;
        o.quantiles = quantiles;
        o.id = id;
        forecast::Rollup r;
        io::Table history_rejects;
        {
          nb::gil_scoped_release release;
          if (history != nullptr) {
            forecast::ArrivalOptions a;
            a.amount = amount;
            a.group = group;
            a.as_of = *as_of;
            a.window_days = window_days;
            a.windows = windows;
            o.arrivals = forecast::estimate_arrivals(*history, a, &history_rejects);
          }
          r = forecast::forecast_bookings(deals, targets, o, ExecutionContext().seed(seed).threads(threads));
        }
        if (history_rejects.num_rows() > 0) {
          // After the deals' rejects, each reason naming the history table.
          std::vector<std::string> reason;
          for (std::size_t i = 0; i < history_rejects.num_rows(); ++i) {
            reason.push_back("history: " + std::string(history_rejects.strings("reason")[i]));
          }
          io::Table h;
          for (const auto& c : history_rejects.columns()) {
            h.add(c.name() == "reason" ? io::Column::of("reason", std::move(reason)) : c);
          }
          r.rejects = r.rejects.num_columns() == 0 ? std::move(h) : io::concat(r.rejects, h);
        }
        auto table = r.total.table();
        return nb::make_tuple(std::move(r.summary), std::move(table), to_numpy(std::move(r.total.pmf)),
                              r.total.step, r.total.mean, r.total.sd, r.total.method, std::move(r.rejects),
                              r.total.max_rounding, r.total.lattice_sd, std::move(r.notes), r.total.origin);
      },
      "deals"_a, "targets"_a.none(), "probability"_a, "amount"_a, "group"_a, "method"_a, "period_sd"_a,
      "scenarios"_a, "seed"_a, "threads"_a, "step"_a, "max_points"_a, "quantiles"_a, "id"_a,
      "history"_a.none(), "as_of"_a.none(), "window_days"_a, "windows"_a);
}

}  // namespace spm::python
