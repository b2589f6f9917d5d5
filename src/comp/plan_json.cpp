// Plan documents (JSON) to the Plan model, collecting every problem with its path.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../core/json_keys.hpp"
#include <spm/comp/plan.hpp>
#include <spm/core/error.hpp>

#include "plan_document.hpp"

namespace spm::comp {
namespace {

using json = nlohmann::json;

// Reads fields of one JSON object, recording problems instead of throwing, and reporting any
// field that was never read as unknown (typos must not be silently ignored).
class Reader {
 public:
  Reader(const json& j, std::string path, std::vector<PlanIssue>& issues)
      : j_(j), path_(std::move(path)), issues_(issues) {
    if (!j_.is_object()) problem("", "expected an object {...}");
  }
  ~Reader() = default;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  [[nodiscard]] std::string path(std::string_view key) const { return join_path(path_, key); }
  void problem(std::string_view key, std::string message) {
    issues_.push_back({path(key), std::move(message)});
  }
  [[nodiscard]] bool has(const char* key) const { return j_.is_object() && j_.contains(key); }
  const json* get(const char* key) {
    seen_.insert(key);
    if (!j_.is_object() || !j_.contains(key)) return nullptr;
    return &j_.at(key);
  }
  // `what`: the kind of value to give, so the message says how to fix it.
  const json* require(const char* key, const char* what = "a value") {
    const json* v = get(key);
    if (v == nullptr && j_.is_object()) problem(key, std::string("is required: give ") + what);
    return v;
  }
  std::string string(const char* key, std::string fallback = {}, bool required = false,
                     const char* what = "a string") {
    const json* v = required ? require(key, what) : get(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) {
      problem(key, "must be a string");
      return fallback;
    }
    return v->get<std::string>();
  }
  // Decimals are written as strings ("0.08") or integers; binary floats would not be exact.
  std::optional<Decimal> decimal(const char* key, bool required = false) {
    const json* v = required ? require(key, "a decimal as a string, e.g. \"100\"") : get(key);
    if (v == nullptr) return std::nullopt;
    return decimal_value(*v, path(key));
  }
  std::optional<Decimal> decimal_value(const json& v, const std::string& at) {
    if (v.is_number_unsigned()) return Decimal(v.get<std::uint64_t>());  // beyond int64 too
    if (v.is_number_integer()) return Decimal(v.get<std::int64_t>());
    if (v.is_string()) {
      Decimal d;
      const auto text = v.get<std::string>();
      const auto st = Decimal::try_parse(text, d);
      if (st == DecimalParseStatus::ok) return d;
      issues_.push_back({at, Decimal::describe(st, text)});
      return std::nullopt;
    }
    if (v.is_number()) {
      issues_.push_back({at, "write decimals as strings (\"0.08\", not 0.08) so they stay exact"});
    } else {
      issues_.push_back({at, "must be a decimal written as a string, e.g. \"0.08\""});
    }
    return std::nullopt;
  }
  std::optional<Date> date(const char* key, bool required) {
    const std::string text = string(key, {}, required, "a date \"YYYY-MM-DD\"");
    if (text.empty()) return std::nullopt;
    Date d;
    if (!Date::try_parse(text, d)) {
      problem(key, "'" + text + "' is not a date; write YYYY-MM-DD");
      return std::nullopt;
    }
    return d;
  }
  bool boolean(const char* key, bool fallback) {
    const json* v = get(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) {
      problem(key, "must be true or false");
      return fallback;
    }
    return v->get<bool>();
  }
  std::int64_t integer(const char* key, std::int64_t fallback) {
    const json* v = get(key);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer()) {
      problem(key, "must be a whole number");
      return fallback;
    }
    // Above 2^63 - 1 the signed read would wrap (18446744073709551615 -> -1).
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      problem(key, "the whole number " + v->dump() + " is too large");
      return fallback;
    }
    return v->get<std::int64_t>();
  }
  template <class E>
  E choice(const char* key, E fallback, std::initializer_list<std::pair<const char*, E>> options) {
    const json* v = get(key);
    if (v == nullptr) return fallback;
    std::string names;
    for (const auto& [n, e] : options) {
      if (v->is_string() && v->get<std::string>() == n) return e;
      names += (names.empty() ? "" : ", ") + std::string(n);
    }
    problem(key, (v->is_string() ? "'" + v->get<std::string>() + "' is not one of: " : "must be one of: ") + names);
    return fallback;
  }
  const json* array(const char* key, bool required = false) {
    const json* v = required ? require(key, "a list [...]") : get(key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      problem(key, "must be a list [...]");
      return nullptr;
    }
    return v;
  }
  // Reports the fields this reader never asked for.
  void finish() {
    if (!j_.is_object()) return;
    std::string known;
    for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
    for (const auto& [k, v] : j_.items()) {
      if (!seen_.count(k)) problem(k, "unknown field; known fields here: " + known);
    }
  }

 private:
  const json& j_;
  std::string path_;
  std::vector<PlanIssue>& issues_;
  std::set<std::string> seen_;
};

Filter read_filter(const json* j, const std::string& path, std::vector<PlanIssue>& issues) {
  Filter f;
  if (j == nullptr) return f;
  if (!j->is_object()) {
    issues.push_back({path, "must be an object {\"column\": [\"value\", ...]}"});
    return f;
  }
  for (const auto& [column, values] : j->items()) {
    Filter::Condition c{column, {}};
    const auto at = join_path(path, column);
    if (values.is_string()) {
      c.values.push_back(values.get<std::string>());
    } else if (values.is_array() && !values.empty()) {
      for (const auto& v : values) {
        if (v.is_string()) c.values.push_back(v.get<std::string>());
        else issues.push_back({at, "values must be strings"});
      }
    } else {
      issues.push_back({at, "must be a value or a non-empty list of values"});
    }
    f.conditions.push_back(std::move(c));
  }
  return f;
}

std::vector<Tier> read_tiers(const json* arr, const std::string& path, const char* value_key,
                             const char* from_key, std::vector<PlanIssue>& issues) {
  std::vector<Tier> tiers;
  if (arr == nullptr) return tiers;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    Reader r((*arr)[i], path + "[" + std::to_string(i) + "]", issues);
    Tier t;
    t.from = r.decimal(from_key, true).value_or(Decimal(0));
    t.to = r.decimal("to");
    t.rate = r.decimal(value_key, true).value_or(Decimal(0));
    if (std::string_view(value_key) == "rate") t.rate_to = r.decimal("rate_to");
    r.finish();
    tiers.push_back(t);
  }
  return tiers;
}

Component read_component(const json& j, const std::string& path, std::vector<PlanIssue>& issues) {
  Reader r(j, path, issues);
  Component c;
  c.id = r.string("id", {}, true);
  const std::size_t before = issues.size();
  c.type = r.choice("type", ComponentType::rate_table,
                    {{"rate_table", ComponentType::rate_table},
                     {"spif", ComponentType::spif},
                     {"step_bonus", ComponentType::step_bonus}});
  // An unknown type: which other fields it needs is unknown too (no "tiers: is required").
  if (issues.size() > before) return c;
  if (c.type != ComponentType::spif) c.measure = r.string("measure", {}, true);
  if (c.type == ComponentType::rate_table) {
    c.basis = r.choice("basis", TierBasis::attainment_percent,
                       {{"attainment_percent", TierBasis::attainment_percent},
                        {"amount", TierBasis::amount}});
    c.mode = r.choice("mode", TierMode::marginal,
                      {{"marginal", TierMode::marginal},
                       {"retroactive", TierMode::retroactive},
                       {"interpolated", TierMode::interpolated},
                       {"flat", TierMode::flat}});
    c.processing = r.choice("processing", Processing::running_total,
                            {{"per_transaction", Processing::per_transaction},
                             {"running_total", Processing::running_total},
                             {"grouped", Processing::grouped}});
    c.rate_unit = r.choice("rate_unit", RateUnit::percent,
                           {{"percent", RateUnit::percent},
                            {"per_unit", RateUnit::per_unit},
                            {"per_deal", RateUnit::per_deal},
                            {"target_incentive", RateUnit::target_incentive}});
    c.boundary_to_lower = r.choice("boundary", false, {{"upper", false}, {"lower", true}});
    c.tiers = read_tiers(r.array("tiers", true), r.path("tiers"), "rate", "from", issues);
  } else if (c.type == ComponentType::spif) {
    c.filter = read_filter(r.get("filter"), r.path("filter"), issues);
    c.amount = r.decimal("amount", true).value_or(Decimal(0));
  } else {
    c.steps = read_tiers(r.array("steps", true), r.path("steps"), "amount", "attainment_percent",
                         issues);
  }
  if (const json* lim = r.get("limits")) {
    Reader l(*lim, r.path("limits"), issues);
    c.limits.cap_per_transaction = l.decimal("cap_per_transaction");
    c.limits.cap_per_period = l.decimal("cap_per_period");
    c.limits.cap_per_year = l.decimal("cap_per_year");
    c.limits.floor_per_period = l.decimal("floor_per_period");
    c.limits.attainment_cap_percent = l.decimal("attainment_cap_percent");
    l.finish();
  }
  if (const json* gates = r.array("gates")) {
    for (std::size_t i = 0; i < gates->size(); ++i) {
      Reader g((*gates)[i], r.path("gates") + "[" + std::to_string(i) + "]", issues);
      Gate gate;
      gate.measure = g.string("measure", {}, true);
      // One threshold: attainment (needs a quota) or the measure's value (10 meetings); validate()
      // refuses both.
      gate.min_value = g.decimal("min_value");
      gate.min_attainment_percent =
          g.decimal("min_attainment_percent", !gate.min_value).value_or(Decimal(0));
      gate.year_to_date = g.choice("window", true, {{"year", true}, {"period", false}});
      gate.effect = g.choice("effect", GateEffect::no_pay,
                             {{"no_pay", GateEffect::no_pay},
                              {"no_accelerator", GateEffect::no_accelerator}});
      g.finish();
      c.gates.push_back(gate);
    }
  }
  if (const json* mults = r.array("multipliers")) {
    for (std::size_t i = 0; i < mults->size(); ++i) {
      const std::string mp = r.path("multipliers") + "[" + std::to_string(i) + "]";
      Reader m((*mults)[i], mp, issues);
      Multiplier mult;
      mult.id = m.string("id", {}, true);
      mult.measure = m.string("measure");
      mult.score = m.string("score");
      mult.table = read_tiers(m.array("table", true), m.path("table"), "factor", "from", issues);
      m.finish();
      c.multipliers.push_back(std::move(mult));
    }
  }
  c.combine = r.choice("combine", Combine::multiply,
                       {{"multiply", Combine::multiply}, {"add", Combine::add}});
  r.finish();
  return c;
}

}  // namespace

Plan parse_plan(std::string_view text, std::vector<PlanIssue>* out_issues) {
  std::vector<PlanIssue> issues;
  json j;
  spm::detail::DuplicateKeys duplicates;
  try {
    j = json::parse(text, duplicates.callback());
  } catch (const json::parse_error& e) {
    throw InvalidInputError("plan.json", "",
                            "the plan is not valid JSON: " + spm::detail::json_parse_message(e));
  }
  for (const auto& at : duplicates.found) issues.push_back({at, "appears twice in the same object; keep one"});
  return detail::read_plan(j, std::move(issues), out_issues);
}

namespace detail {

namespace {

// The lifecycle sections: clawback, draws, release, proration.
void read_lifecycle(Reader& r, Plan& plan, std::vector<PlanIssue>& issues) {
  if (const json* cb = r.get("clawback")) {
    Reader c(*cb, "clawback", issues);
    plan.clawback.policy = c.choice("policy", ClawbackPolicy::original_rate,
                                    {{"original_rate", ClawbackPolicy::original_rate},
                                     {"recalculate", ClawbackPolicy::recalculate}});
    const auto days = c.integer("window_days", plan.clawback.window_days);
    plan.clawback.window_days = days < 0 || days > 100000 ? -1 : static_cast<int>(days);
    plan.clawback.limit_per_period = c.decimal("limit_per_period");
    c.finish();
  }
  if (const json* dr = r.get("draws")) {
    Reader d(*dr, "draws", issues);
    plan.draws.recovery_percent = d.decimal("recovery_percent").value_or(Decimal(100));
    plan.draws.recovery_limit_per_period = d.decimal("recovery_limit_per_period");
    if (const json* f = d.array("forgive")) {
      for (std::size_t i = 0; i < f->size(); ++i) {
        const auto& v = (*f)[i];
        const std::string name = v.is_string() ? v.get<std::string>() : "";
        if (name == "year_end") plan.draws.forgive_at_year_end = true;
        else if (name == "termination") plan.draws.forgive_on_termination = true;
        else issues.push_back({d.path("forgive") + "[" + std::to_string(i) + "]",
                               "must be \"year_end\" or \"termination\""});
      }
    }
    d.finish();
  }
  if (const json* rel = r.array("release")) {
    for (std::size_t i = 0; i < rel->size(); ++i) {
      Reader s((*rel)[i], "release[" + std::to_string(i) + "]", issues);
      ReleaseStep step;
      step.on = s.choice("on", ReleaseOn::booking,
                         {{"booking", ReleaseOn::booking},
                          {"invoice", ReleaseOn::invoice},
                          {"payment", ReleaseOn::payment}});
      if (!s.has("on")) s.problem("on", "is required (booking, invoice or payment)");
      step.percent = s.decimal("percent", true).value_or(Decimal(100));
      s.finish();
      plan.release.push_back(step);
    }
  }
  if (const json* ru = r.get("rollup")) {
    Reader u(*ru, "rollup", issues);
    plan.rollup.policy = u.choice("policy", RollupPolicy::max,
                                  {{"max", RollupPolicy::max},
                                   {"first", RollupPolicy::first},
                                   {"sum", RollupPolicy::sum}});
    if (const json* rules = u.array("rules", true)) {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        Reader x((*rules)[i], "rollup.rules[" + std::to_string(i) + "]", issues);
        RollupRule rule;
        rule.id = x.string("id", {}, true);
        rule.hierarchy = x.boolean("hierarchy", false);
        const auto levels = x.integer("levels", 0);
        rule.levels = levels < 0 || levels > 1000 ? -1 : static_cast<int>(levels);
        rule.relationship = x.string("relationship");
        rule.by = x.string("by");
        rule.percent = x.decimal("percent").value_or(Decimal(100));
        x.finish();
        plan.rollup.rules.push_back(std::move(rule));
      }
    }
    u.finish();
  }
  if (const json* cc = r.get("currency_conversion")) {
    Reader c(*cc, "currency_conversion", issues);
    plan.conversion_at_period_start = c.choice("at", false, {{"transaction_date", false}, {"period_start", true}});
    if (const json* cols = c.array("columns")) {
      plan.conversion_columns.clear();
      for (std::size_t i = 0; i < cols->size(); ++i) {
        if ((*cols)[i].is_string()) plan.conversion_columns.push_back((*cols)[i].get<std::string>());
        else issues.push_back({c.path("columns") + "[" + std::to_string(i) + "]", "must be a column name"});
      }
    }
    c.finish();
  }
  plan.proration = r.choice("proration", Proration::calendar_days,
                            {{"calendar_days", Proration::calendar_days},
                             {"business_days", Proration::business_days}});
}

}  // namespace

Plan read_plan(const json& j, std::vector<PlanIssue> issues, std::vector<PlanIssue>* out_issues) {
  Plan plan;
  {
    Reader r(j, "", issues);
    plan.id = r.string("id", {}, true);
    plan.name = r.string("name", plan.id);
    const std::int64_t version = r.integer("version", 1);
    if (version < 1 || version > INT32_MAX) {
      r.problem("version", "must be a whole number from 1 to 2147483647, not " + std::to_string(version));
    } else {
      plan.version = static_cast<int>(version);
    }
    const std::string ccy = r.string("currency", "USD");
    if (is_iso_currency(ccy)) plan.currency = Currency(ccy);
    else r.problem("currency", "'" + ccy + "' is not an ISO 4217 currency code such as USD");
    if (const json* eff = r.require("effective", "{\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}")) {
      Reader e(*eff, "effective", issues);
      plan.effective_from = e.date("from", true).value_or(Date());
      plan.effective_to = e.date("to", true).value_or(Date());
      e.finish();
    }
    const auto first = r.integer("fiscal_year_start_month", 1);
    if (first >= 1 && first <= 12) plan.calendar = FiscalCalendar(static_cast<unsigned>(first));
    else r.problem("fiscal_year_start_month", "must be 1 (January) to 12 (December)");
    const std::initializer_list<std::pair<const char*, PeriodKind>> kinds{
        {"month", PeriodKind::month},
        {"quarter", PeriodKind::quarter},
        {"half_year", PeriodKind::half_year},
        {"year", PeriodKind::year}};
    plan.pay_period = r.choice("pay_period", PeriodKind::quarter, kinds);
    if (r.has("quota_period")) plan.quota_period = r.choice("quota_period", plan.pay_period, kinds);
    plan.true_up = r.choice("true_up", TrueUp::none,
                            {{"none", TrueUp::none},
                             {"quarter_to_date", TrueUp::quarter_to_date},
                             {"year_to_date", TrueUp::year_to_date}});
    plan.quota_measure = r.string("quota_measure");
    plan.allow_negative = r.boolean("allow_negative", false);
    if (const json* credit = r.get("credit")) {
      Reader c(*credit, "credit", issues);
      plan.credit_by = c.string("by", {}, true);
      c.finish();
    }
    read_lifecycle(r, plan, issues);
    if (const json* rnd = r.get("rounding")) {
      Reader rr(*rnd, "rounding", issues);
      const std::string mode = rr.string("mode", "half_even");
      if (auto m = parse_rounding(mode)) plan.rounding = *m;
      else rr.problem("mode", "'" + mode + "' is not a rounding mode; use half_even, half_up, half_down, half_away_from_zero, half_toward_zero, down, up, floor or ceiling");
      // Out of range stays out of range (validation reports it), not wrapped by the cast.
      const auto places = rr.integer("places", plan.currency.minor_units());
      plan.rounding_places = places < 0 || places > Decimal::scale ? -1 : static_cast<int>(places);
      plan.rounding_point = rr.choice("point", RoundingPoint::earning_line,
                                      {{"earning_line", RoundingPoint::earning_line},
                                       {"payout", RoundingPoint::payout}});
      rr.finish();
    } else {
      plan.rounding_places = plan.currency.minor_units();
    }
    if (const json* ms = r.array("measures", true)) {
      for (std::size_t i = 0; i < ms->size(); ++i) {
        Reader m((*ms)[i], "measures[" + std::to_string(i) + "]", issues);
        Measure measure;
        measure.id = m.string("id", {}, true);
        measure.count = m.boolean("count", false);
        if (measure.count && m.has("sum")) {
          m.problem("count", "a measure counts deals or sums a column, not both: drop \"sum\" or "
                             "\"count\"");
        }
        measure.sum_column = m.string("sum", measure.count ? "" : "amount");
        measure.filter = read_filter(m.get("filter"), m.path("filter"), issues);
        if (const json* ws = m.array("weights")) {
          for (std::size_t k = 0; k < ws->size(); ++k) {
            Reader w((*ws)[k], m.path("weights") + "[" + std::to_string(k) + "]", issues);
            MeasureWeight weight;
            weight.filter = read_filter(w.get("filter"), w.path("filter"), issues);
            weight.factor = w.decimal("factor", true).value_or(Decimal(1));
            w.finish();  // validate() checks the filter and the factor
            measure.weights.push_back(std::move(weight));
          }
        }
        m.finish();
        plan.measures.push_back(std::move(measure));
      }
    }
    if (const json* cs = r.array("components", true)) {
      for (std::size_t i = 0; i < cs->size(); ++i) {
        plan.components.push_back(
            read_component((*cs)[i], "components[" + std::to_string(i) + "]", issues));
      }
    }
    r.finish();
  }
  // Model-level checks too, skipping places the document already reported (no cascades): a
  // model problem is dropped only when a document problem sits at the same field, inside it or
  // around it (whole path segments, so components[1] never hides components[10]).
  auto within = [](const std::string& path, const std::string& prefix) {
    if (path.rfind(prefix, 0) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
  };
  // A component of unknown type cannot be judged further (it needs no tiers): a problem at
  // "components[i].type" covers all of components[i].
  auto scope = [](const std::string& path) {
    constexpr std::string_view type = ".type";
    const bool component_type = path.starts_with("components[") && path.ends_with(type) &&
                                path.find('.') == path.size() - type.size();
    return component_type ? path.substr(0, path.size() - type.size()) : path;
  };
  const std::size_t document_issues = issues.size();
  for (auto& issue : validate(plan)) {
    const bool covered =
        std::any_of(issues.begin(), issues.begin() + static_cast<std::ptrdiff_t>(document_issues),
                    [&](const PlanIssue& i) {
                      return within(issue.path, scope(i.path)) || within(i.path, issue.path);
                    });
    if (!covered) issues.push_back(std::move(issue));
  }
  if (out_issues != nullptr) *out_issues = issues;
  if (!issues.empty()) throw_plan_issues(issues, plan.id);
  plan.document = j.dump();
  return plan;
}

void throw_plan_issues(const std::vector<PlanIssue>& issues, const std::string& plan_id) {
  std::string message = std::to_string(issues.size()) + " problem" +
                        (issues.size() == 1 ? "" : "s") + " in the plan; nothing was computed:";
  for (const auto& i : issues) message += "\n  " + i.path + ": " + i.message;
  throw InvalidInputError("plan.invalid", plan_id, message);
}

}  // namespace detail

namespace {

bool is_yaml_path(std::string_view path) {
  const auto dot = path.find_last_of("./");
  if (dot == std::string_view::npos || path[dot] != '.') return false;
  std::string ext(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return ext == "yaml" || ext == "yml";
}

}  // namespace

Plan load_plan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IoError("plan.open", path, "cannot open the plan file; check the path");
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return is_yaml_path(path) ? parse_plan_yaml(text.str()) : parse_plan(text.str());
  } catch (const InvalidInputError& e) {
    // Not a plan document at all: say which file.
    if ((e.id() != "plan.json" && e.id() != "plan.yaml") || !e.path().empty()) throw;
    throw InvalidInputError(e.id(), path, e.detail());
  }
}

}  // namespace spm::comp
