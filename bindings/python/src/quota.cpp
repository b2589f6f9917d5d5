// spm.quota: quota allocation down a hierarchy, explain, time phasing, capacity, pipeline and
// fairness. The Pythonic layer (DataFrames and keyword options in, dataclasses out) is in
// spm/quota.py; this file turns its arguments into the C++ options and runs each computation with
// the GIL released.
#include "casters.hpp"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/period.hpp>
#include <spm/quota/allocation.hpp>
#include <spm/quota/capacity.hpp>
#include <spm/quota/fairness.hpp>
#include <spm/quota/phasing.hpp>

namespace spm::python {

using namespace nb::literals;

namespace {

using Factors = std::vector<std::pair<std::string, Decimal>>;

}  // namespace

void bind_quota(nb::module_& m) {
  // An allocation kept whole, so that its trace table and explanations are made on demand.
  nb::class_<quota::AllocationResult>(m, "_QuotaAllocation")
      .def("trace_table",
           [](const quota::AllocationResult& r) {
             nb::gil_scoped_release release;
             return r.trace_table();
           })
      .def("explain", [](const quota::AllocationResult& r, std::string_view node_id) {
        return quota::explain(r, node_id);
      });

  m.def(
      "_quota_allocate",
      [](const io::Table& targets, const io::Table& reps, const io::Table* org,
         const io::Table* history, std::string_view method,
         std::optional<Decimal> history_weight, const Factors& factors,
         std::string_view growth_base, std::optional<Decimal> ratchet_up,
         std::optional<Decimal> ratchet_down, const Decimal& increment,
         const std::vector<Decimal>& cushions, std::optional<Decimal> max_increase,
         std::optional<Decimal> max_decrease, std::optional<Decimal> min_quota,
         std::optional<Period> base, std::string_view no_history,
         const std::vector<std::tuple<std::string, std::string, std::int64_t>>& unread) {
        quota::AllocationOptions o;
        o.method = quota::parse_method(method);
        if (history_weight) o.history_weight = *history_weight;
        for (const auto& [column, weight] : factors) o.factors.push_back({column, weight});
        o.growth_base = quota::parse_growth_base(growth_base);
        if (ratchet_up) o.ratchet_up = *ratchet_up;
        if (ratchet_down) o.ratchet_down = *ratchet_down;
        o.increment = increment;
        o.cushions = cushions;
        o.max_increase = max_increase;
        o.max_decrease = max_decrease;
        o.min_quota = min_quota;
        o.base = base;
        o.no_history = quota::parse_no_history(no_history);
        quota::AllocationResult r;
        io::Table quotas;
        {
          // The tables are immutable from Python and the caller's arguments keep them alive.
          nb::gil_scoped_release release;
          quota::AllocationInputs in{&targets, org, &reps, history};
          for (const auto& [id, source, row] : unread) in.unread.push_back({id, source, row});
          r = quota::allocate_quotas(in, o);
          quotas = r.quotas_table();
        }
        std::vector<std::tuple<std::string, std::string>> violations;
        for (auto& v : r.violations) violations.emplace_back(v.node_id, v.message);
        const char* status = r.status == quota::AllocationStatus::ok ? "ok" : "infeasible";
        io::Table rejects = std::move(r.rejects);
        // The trace table (a sentence per step) is made when Python first asks for it.
        const std::optional<Period> base_window = r.base;
        std::vector<std::string> notes = r.notes;
        return nb::make_tuple(status, violations, std::move(quotas), std::move(rejects),
                              base_window, std::move(notes), std::move(r));
      },
      "targets"_a, "reps"_a, "org"_a.none(), "history"_a.none(), "method"_a,
      "history_weight"_a.none(), "factors"_a, "growth_base"_a, "ratchet_up"_a.none(),
      "ratchet_down"_a.none(), "increment"_a, "cushions"_a, "max_increase"_a.none(),
      "max_decrease"_a.none(), "min_quota"_a.none(), "base"_a.none(), "no_history"_a,
      "unread"_a);

  m.def(
      "_quota_parse_base", [](std::string_view text) { return quota::parse_base_window(text); },
      "text"_a);

  m.def(
      "_quota_explain",
      [](const io::Table& quotas, const io::Table& trace, std::string_view node_id) {
        return quota::explain(quotas, trace, node_id);
      },
      "quotas"_a, "trace"_a, "node_id"_a);

  m.def(
      "_quota_phase",
      [](const io::Table& quotas, const io::Table* employment, const io::Table* leaves,
         const io::Table* relief, const Period& year, unsigned fiscal_start_month,
         std::string_view kind, const std::vector<Decimal>& seasonality,
         const std::vector<Decimal>& ramp, bool ramp_prior_hires, bool business_days,
         const HolidayCalendar* holidays, const Decimal& increment) {
        quota::PhasingOptions o;
        o.year = year;
        o.calendar = FiscalCalendar(fiscal_start_month);
        o.kind = parse_period_kind(kind);
        o.seasonality = seasonality;
        o.ramp = ramp;
        o.ramp_prior_hires = ramp_prior_hires;
        o.day_count = business_days ? DayCount::business_days : DayCount::calendar_days;
        if (holidays != nullptr) o.holidays = *holidays;
        o.increment = increment;
        quota::PhasingResult r;
        {
          nb::gil_scoped_release release;
          r = quota::phase_quotas({&quotas, employment, leaves, relief, {}}, o);
        }
        return nb::make_tuple(std::move(r.quotas), std::move(r.rejects));
      },
      "quotas"_a, "employment"_a.none(), "leaves"_a.none(), "relief"_a.none(), "year"_a,
      "fiscal_start_month"_a, "kind"_a, "seasonality"_a, "ramp"_a, "ramp_prior_hires"_a,
      "business_days"_a, "holidays"_a.none(), "increment"_a);

  m.def(
      "_quota_capacity",
      [](const std::string& model_json) {
        quota::CapacityResult r;
        {
          nb::gil_scoped_release release;
          r = quota::plan_capacity(quota::parse_capacity_model(model_json));
        }
        return nb::make_tuple(std::move(r.periods), r.reps_needed, r.hire_contribution,
                              r.hires_needed, r.hires_close_gap);
      },
      "model_json"_a);

  m.def(
      "_quota_pipeline_needed",
      [](const io::Table& quotas, const Decimal& average_deal_size, const Decimal& win_rate) {
        quota::PipelineResult r;
        {
          nb::gil_scoped_release release;
          r = quota::pipeline_needed(quotas, average_deal_size, win_rate);
        }
        return nb::make_tuple(std::move(r.reps), std::move(r.rejects));
      },
      "quotas"_a, "average_deal_size"_a, "win_rate"_a);

  m.def(
      "_quota_fairness",
      [](const io::Table& quotas, const io::Table& actuals, const io::Table* sizes,
         const io::Table* forecast) {
        quota::FairnessReport r;
        {
          nb::gil_scoped_release release;
          r = quota::fairness({&quotas, &actuals, sizes, forecast});
        }
        std::vector<std::tuple<std::string, double, double>> correlations;
        for (auto& c : r.correlations) correlations.emplace_back(c.column, c.pearson, c.spearman);
        return nb::make_tuple(r.reps, r.p10, r.p25, r.p50, r.p75, r.p90, r.mean,
                              r.share_attaining, correlations, std::move(r.reps_table),
                              std::move(r.rejects), std::move(r.notes));
      },
      "quotas"_a, "actuals"_a, "sizes"_a.none(), "forecast"_a.none());
}

}  // namespace spm::python
