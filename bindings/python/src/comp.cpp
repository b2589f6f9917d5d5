// spm.comp: commission plans and runs. The Pythonic layer (DataFrames in, dataclass out) is in
// spm/comp.py; this file binds the plan, the run (GIL released) and explain.
#include "casters.hpp"

#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <spm/comp/engine.hpp>
#include <spm/comp/lifecycle.hpp>
#include <spm/comp/whatif.hpp>
#include <spm/comp/plan.hpp>
#include <spm/core/error.hpp>
#include <spm/core/execution.hpp>
#include <spm/demo/company.hpp>

namespace spm::python {

using namespace nb::literals;

namespace {

/// A parsed plan and its JSON text (kept for pickling and `json`; a YAML plan's converted form).
struct PlanHandle {
  comp::Plan plan;
  std::string json;
};

PlanHandle plan_from_json(std::string text) {
  PlanHandle h;
  h.plan = comp::parse_plan(text);
  h.json = std::move(text);
  return h;
}

PlanHandle plan_from_yaml(const std::string& text) {
  PlanHandle h;
  h.plan = comp::parse_plan_yaml(text);
  h.json = comp::plan_yaml_to_json(text);
  return h;
}

PlanHandle plan_from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("plan.open", path.string(), "cannot open the plan file; check the path");
  std::ostringstream text;
  text << in.rdbuf();
  // The extension picks the format, as comp::load_plan does.
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".yaml" || ext == ".yml" ? plan_from_yaml(text.str()) : plan_from_json(text.str());
}

using Issues = std::vector<std::tuple<std::string, std::string>>;

Issues issue_tuples(const std::vector<comp::PlanIssue>& issues) {
  Issues out;
  out.reserve(issues.size());
  for (const auto& i : issues) out.emplace_back(i.path, i.message);
  return out;
}

std::string single_quoted(std::string_view s) {
  std::string out = "'";
  out.append(s).append("'");
  return out;
}

nb::module_ python_comp() { return nb::module_::import_("spm.comp"); }

/// One plan, or the effective-dated versions of one plan.
std::vector<comp::Plan> plan_versions(nb::sequence plans) {
  std::vector<comp::Plan> versions;
  for (nb::handle h : plans) versions.push_back(nb::cast<const PlanHandle&>(h).plan);
  if (versions.empty()) throw InvalidInputError("plan.versions", "", "give at least one plan");
  return versions;
}

Period run_range(nb::handle period, const comp::Plan& plan) {
  return nb::isinstance<nb::str>(period) ? comp::parse_run_range(nb::cast<std::string>(period), plan)
                                         : nb::cast<Period>(period);
}

/// An optional input table by name from the extras dict (None or absent: not given).
const io::Table* extra(nb::dict extras, const char* name) {
  if (!extras.contains(name)) return nullptr;
  nb::handle h = extras[name];
  return h.is_none() ? nullptr : &nb::cast<const io::Table&>(h);
}

comp::CompInputs comp_inputs(const io::Table& transactions, const io::Table& quotas, nb::dict extras) {
  comp::CompInputs in;
  in.transactions = &transactions;
  in.quotas = &quotas;
  in.credits = extra(extras, "credits");
  in.credit_rules = extra(extras, "credit_rules");
  in.assignments = extra(extras, "assignments");
  in.scores = extra(extras, "scores");
  in.hierarchy = extra(extras, "hierarchy");
  in.relationships = extra(extras, "relationships");
  in.fx_rates = extra(extras, "fx_rates");
  return in;
}

/// Lends two tables to a comp::CompResult without copying them: explain() needs a CompResult,
/// the caller holds spm.Table objects. The GIL is held throughout, so no Python code can see the
/// tables while they are moved out; the destructor moves them back (in reverse order, so that
/// the same table passed twice comes back whole), also when explain throws.
class LentResult {
 public:
  LentResult(io::Table& statements, io::Table& lines, io::Table& rejects)
      : statements_(statements), lines_(lines), rejects_(rejects) {
    std::swap(result_.statements, statements_);
    std::swap(result_.lines, lines_);
    std::swap(result_.rejects, rejects_);
  }
  ~LentResult() {
    std::swap(result_.rejects, rejects_);
    std::swap(result_.lines, lines_);
    std::swap(result_.statements, statements_);
  }
  LentResult(const LentResult&) = delete;
  LentResult& operator=(const LentResult&) = delete;
  LentResult(LentResult&&) = delete;
  LentResult& operator=(LentResult&&) = delete;

  [[nodiscard]] const comp::CompResult& get() const noexcept { return result_; }

 private:
  io::Table& statements_;
  io::Table& lines_;
  io::Table& rejects_;
  comp::CompResult result_;
};

}  // namespace

void bind_comp(nb::module_& m) {
  nb::class_<PlanHandle>(
      m, "Plan",
      "A validated commission plan (docs/plan-format.md). Build it with Plan(json_text), "
      "Plan.from_json, Plan.from_yaml, Plan.from_dict or Plan.from_file; invalid plans raise "
      "InvalidInputError 'plan.invalid' listing every problem. Immutable; pickles through its "
      "JSON text.")
      .def(
          "__init__",
          [](PlanHandle* self, std::string json) {
            new (self) PlanHandle(plan_from_json(std::move(json)));
          },
          "json"_a, "Parses and validates a plan from its JSON text.")
      .def_static("from_json", &plan_from_json, "json"_a,
                  "Parses and validates a plan from its JSON text (InvalidInputError "
                  "'plan.json' for malformed JSON, 'plan.invalid' listing every problem).")
      .def_static(
          "from_dict",
          [](nb::handle d) {
            return plan_from_json(nb::cast<std::string>(python_comp().attr("_plan_json")(d)));
          },
          nb::sig("def from_dict(plan: collections.abc.Mapping[str, typing.Any]) -> Plan"),
          "plan"_a,
          "A plan from a dict as its JSON would be. Decimals must be str or decimal.Decimal: a "
          "float raises TypeError (binary floats are not exact); dates may be datetime.date.")
      .def_static("from_yaml", &plan_from_yaml, "yaml"_a,
                  "Parses and validates a plan from YAML text: plain whole numbers are integers, "
                  "true/false booleans, every other scalar (0.08 too) text, so decimals stay "
                  "exact (InvalidInputError 'plan.yaml' for malformed YAML, 'plan.no_yaml' when "
                  "libspm was built without yaml-cpp, 'plan.invalid' listing every problem). "
                  "`json` is then the equivalent JSON.")
      .def_static("from_file", &plan_from_file, "path"_a,
                  "Reads a plan file, YAML when named .yaml or .yml, JSON otherwise (SpmIOError "
                  "'plan.open' when unreadable).")
      .def_prop_ro("id", [](const PlanHandle& p) { return p.plan.id; })
      .def_prop_ro("name", [](const PlanHandle& p) { return p.plan.name; })
      .def_prop_ro("version", [](const PlanHandle& p) { return p.plan.version; })
      .def_prop_ro(
          "currency", [](const PlanHandle& p) { return std::string(p.plan.currency.code()); },
          "ISO 4217 code of the plan currency.")
      .def_prop_ro(
          "pay_period", [](const PlanHandle& p) { return p.plan.pay_period; },
          "Length of the pay periods.")
      .def_prop_ro(
          "quota_period", [](const PlanHandle& p) { return p.plan.quota_kind(); },
          "The period quotas are given for (the pay period unless the plan sets quota_period).")
      .def_prop_ro(
          "true_up",
          [](const PlanHandle& p) { return std::string(comp::to_string(p.plan.true_up)); },
          "'none', 'quarter_to_date' or 'year_to_date'.")
      .def_prop_ro(
          "effective", [](const PlanHandle& p) {
            return Period{p.plan.effective_from, p.plan.effective_to};
          },
          "The dates the plan is in force, [from, to).")
      .def_prop_ro(
          "calendar", [](const PlanHandle& p) { return p.plan.calendar; },
          "The plan's fiscal calendar.")
      .def_prop_ro("quota_measure", [](const PlanHandle& p) { return p.plan.quota_measure; })
      .def_prop_ro(
          "measures",
          [](const PlanHandle& p) {
            std::vector<std::string> ids;
            for (const auto& x : p.plan.measures) ids.push_back(x.id);
            return ids;
          },
          "Measure ids, in plan order.")
      .def_prop_ro(
          "components",
          [](const PlanHandle& p) {
            std::vector<std::string> ids;
            for (const auto& x : p.plan.components) ids.push_back(x.id);
            return ids;
          },
          "Component ids, in plan order.")
      .def_prop_ro(
          "json", [](const PlanHandle& p) { return p.json; },
          "The JSON text the plan was read from (for a YAML plan, its JSON equivalent).")
      .def(
          "validate", [](const PlanHandle& p) { return issue_tuples(comp::validate(p.plan)); },
          "Re-validates the plan: a list of (path, message); empty for every Plan object, since "
          "construction refuses invalid plans. See spm.comp.check_plan for text that may be "
          "invalid.")
      .def("__repr__",
           [](const PlanHandle& p) {
             return "Plan(id=" + single_quoted(p.plan.id) + ", version=" +
                    std::to_string(p.plan.version) + ", currency=" +
                    single_quoted(p.plan.currency.code()) + ", pay_period=" +
                    single_quoted(to_string(p.plan.pay_period)) + ", true_up=" +
                    single_quoted(comp::to_string(p.plan.true_up)) + ")";
           })
      .def("__getstate__", [](const PlanHandle& p) { return std::make_tuple(p.json); })
      .def("__setstate__", [](PlanHandle& self, const std::tuple<std::string>& state) {
        new (&self) PlanHandle(plan_from_json(std::get<0>(state)));
      });

  m.def(
      "_comp_plan_issues",
      [](const std::string& json) {
        std::vector<comp::PlanIssue> issues;
        try {
          (void)comp::parse_plan(json, &issues);
        } catch (const InvalidInputError& e) {
          if (e.id() != "plan.invalid") throw;  // malformed JSON has no issue list
        }
        return issue_tuples(issues);
      },
      "json"_a);

  m.def(
      "_comp_run",
      [](nb::sequence plans, const io::Table& transactions, const io::Table& quotas,
         nb::dict extras, nb::handle period, unsigned threads) {
        const auto versions = plan_versions(plans);
        const Period range = run_range(period, versions.front());
        const comp::CompInputs in = comp_inputs(transactions, quotas, extras);
        comp::CompResult r;
        {
          // The plan and the tables are immutable from Python, and the caller's arguments keep
          // them alive for the whole call.
          nb::gil_scoped_release release;
          r = comp::run(versions, in, range, ExecutionContext().threads(threads));
        }
        return nb::make_tuple(std::move(r.statements), std::move(r.lines), std::move(r.rejects),
                              r.transactions_after_range, r.credits, range,
                              r.transactions_before_range, r.notes);
      },
      "plans"_a, "transactions"_a, "quotas"_a, "extras"_a, "period"_a, "threads"_a);

  m.def(
      "_comp_settle",
      [](nb::sequence plans, const io::Table& transactions, const io::Table& quotas,
         nb::dict extras, nb::handle period, unsigned threads) {
        const auto versions = plan_versions(plans);
        const Period range = run_range(period, versions.front());
        const comp::CompInputs in = comp_inputs(transactions, quotas, extras);
        comp::LifecycleInputs life;
        life.adjustments = extra(extras, "adjustments");
        life.draws = extra(extras, "draws");
        life.cancellations = extra(extras, "cancellations");
        life.events = extra(extras, "events");
        life.terminations = extra(extras, "terminations");
        life.paid = extra(extras, "paid");
        life.payees = extra(extras, "payees");
        life.opening = extra(extras, "opening");
        comp::LifecycleResult r;
        {
          nb::gil_scoped_release release;
          r = comp::settle(versions, in, life, range, ExecutionContext().threads(threads));
        }
        auto& c = r.commission;
        return nb::make_tuple(std::move(c.statements), std::move(c.lines), std::move(r.pay),
                              std::move(r.pay_lines), std::move(r.held), std::move(r.rejects),
                              r.fingerprint, range, r.cancellations_after_range, c.notes,
                              r.cancellations_before_range);
      },
      "plans"_a, "transactions"_a, "quotas"_a, "extras"_a, "period"_a, "threads"_a);

  m.def(
      "_comp_whatif",
      [](const PlanHandle& baseline, nb::sequence variants, const io::Table& transactions,
         const io::Table& quotas, nb::dict extras, nb::handle period, unsigned threads,
         bool exact) {
        std::vector<comp::Variant> vs;
        for (nb::handle h : variants) {
          const auto t = nb::cast<nb::tuple>(h);
          vs.push_back({nb::cast<std::string>(t[0]), nb::cast<const PlanHandle&>(t[1]).plan,
                        Decimal::parse(nb::cast<std::string>(t[2]), "quota_factors")});
        }
        const Period range = run_range(period, baseline.plan);
        const comp::CompInputs in = comp_inputs(transactions, quotas, extras);
        comp::WhatIfResult r;
        {
          nb::gil_scoped_release release;
          r = comp::what_if(baseline.plan, vs, in, range, ExecutionContext().threads(threads), exact);
        }
        return nb::make_tuple(std::move(r.summary), std::move(r.payees), std::move(r.rejects), range);
      },
      "baseline"_a, "variants"_a, "transactions"_a, "quotas"_a, "extras"_a, "period"_a,
      "threads"_a, "exact"_a);

  m.def(
      "_comp_explain",
      [](io::Table& statements, io::Table& lines, io::Table& rejects, std::string_view payee,
         std::string_view period) {
        const LentResult lent(statements, lines, rejects);
        return comp::explain(lent.get(), payee, period);
      },
      "statements"_a, "lines"_a, "rejects"_a, "payee"_a, "period"_a);

  m.def(
      "_comp_sum_columns",
      [](const PlanHandle& p) {
        std::vector<std::string> columns;
        for (const auto& x : p.plan.measures) {
          if (!x.count && !x.sum_column.empty()) columns.push_back(x.sum_column);
        }
        return columns;
      },
      "plan"_a);

  m.def(
      "_comp_uses_target_incentive",
      [](const PlanHandle& p) { return comp::uses_target_incentive(p.plan); }, "plan"_a);

  m.def("_demo_plan_json", [] { return std::string(demo::demo_plan_json()); });
}

}  // namespace spm::python
