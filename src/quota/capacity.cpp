// Capacity planning: a month-by-month headcount simulation by tenure, and the funnel a target
// needs.
#include <spm/quota/capacity.hpp>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "../core/json_keys.hpp"
#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>

#include "table_access.hpp"

namespace spm::quota {
namespace {

constexpr int money_places = 2;

[[noreturn]] void invalid(const std::string& path, const std::string& message) {
  throw InvalidInputError("quota.capacity", path, message);
}

std::string indexed(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

void require_non_negative(const Decimal& v, const std::string& path, std::string_view hint = {}) {
  if (v.sign() < 0) {
    invalid(path, "must not be negative" + std::string(hint) + ", not " + v.to_string());
  }
}

void require_fraction(const Decimal& v, const std::string& path, std::string_view what) {
  if (v.sign() < 0 || v > Decimal(1)) {
    invalid(path, "must be between 0 and 1 (" + std::string(what) + "), not " + v.to_string());
  }
}

void require_win_rate(const Decimal& v, const std::string& path) {
  if (v.sign() <= 0 || v > Decimal(1)) {
    invalid(path, "must be greater than 0 and at most 1, not " + v.to_string());
  }
}

void require_fits_span(std::size_t size, int months, const std::string& path,
                       std::string_view fix) {
  if (size > static_cast<std::size_t>(months)) {
    invalid(path, "has " + std::to_string(size) + " months but the model runs " +
                      std::to_string(months) + "; " + std::string(fix));
  }
}

void validate(const CapacityModel& m) {
  if (m.months < 1) {
    invalid("capacity.months", "must be at least 1 (the number of months to simulate), not " +
                                   std::to_string(m.months));
  }
  if (m.start.day() != 1) {
    invalid("capacity.start", "must be the first day of a month, not " + m.start.to_string());
  }
  for (std::size_t i = 0; i < m.cohorts.size(); ++i) {
    const auto at = indexed("capacity.cohorts", i);
    if (m.cohorts[i].tenure_months < 0) {
      invalid(at + ".tenure_months",
              "must not be negative (months of tenure completed at the start), not " +
                  std::to_string(m.cohorts[i].tenure_months));
    }
    require_non_negative(m.cohorts[i].reps, at + ".reps");
  }
  require_fits_span(m.ramp.size(), m.months, "capacity.ramp",
                    "shorten the ramp or run more months");
  for (std::size_t i = 0; i < m.ramp.size(); ++i) {
    require_fraction(m.ramp[i], indexed("capacity.ramp", i), "the fraction of full productivity");
  }
  if (m.productivity.sign() <= 0) {
    invalid("capacity.productivity",
            "must be greater than zero (bookings of one fully ramped rep per month), not " +
                m.productivity.to_string());
  }
  require_fraction(m.monthly_attrition, "capacity.monthly_attrition",
                   "the fraction leaving each month, e.g. 0.015");
  require_fits_span(m.hires.size(), m.months, "capacity.hires", "remove the extra months");
  for (std::size_t i = 0; i < m.hires.size(); ++i) {
    require_non_negative(m.hires[i], indexed("capacity.hires", i));
  }
  require_non_negative(m.over_assignment, "capacity.over_assignment");
  require_non_negative(m.target, "capacity.target", " (zero = no target)");
  if (!m.target.has_places(money_places)) {
    invalid("capacity.target", "has more than 2 decimals (" + m.target.to_string() +
                                   "); give the target in cents");
  }
  require_win_rate(m.win_rate, "capacity.win_rate");
  require_non_negative(m.average_deal_size, "capacity.average_deal_size",
                       " (zero = no deal counts)");
  require_non_negative(m.coverage, "capacity.coverage", " (zero = 1 / win rate)");
}

// ---- the simulation ----------------------------------------------------------------------------

struct Month {
  Decimal headcount_start, hires, attrition, headcount_end, ramped_reps, capacity;
};

// Headcount by completed months of tenure: bucket b < ramp.size() works at ramp[b]; the last
// bucket holds every fully ramped rep (their tenure no longer matters).
class Roster {
 public:
  explicit Roster(const std::vector<Decimal>& ramp) : ramp_(ramp), count_(ramp.size() + 1) {}

  void add(int tenure_months, const Decimal& reps) {
    const auto b = std::min(static_cast<std::size_t>(tenure_months), ramp_.size());
    count_[b] += reps;
  }
  [[nodiscard]] Decimal headcount() const {
    Decimal sum;
    for (const auto& c : count_) sum += c;
    return sum;
  }
  [[nodiscard]] Decimal ramped() const {
    Decimal sum = count_.back();
    for (std::size_t b = 0; b < ramp_.size(); ++b) sum += count_[b] * ramp_[b];
    return sum;
  }
  // Removes rate x count from every bucket (12 places half-even each); returns the total removed.
  Decimal attrite(const Decimal& rate) {
    Decimal gone;
    for (auto& c : count_) {
      const Decimal leaving = Decimal::mul(c, rate, Decimal::scale, Rounding::half_even);
      c -= leaving;
      gone += leaving;
    }
    return gone;
  }
  // Everyone completes one more month; the fully ramped bucket absorbs the last ramp month.
  void age() {
    if (ramp_.empty()) return;
    count_.back() += count_[ramp_.size() - 1];
    for (std::size_t b = ramp_.size() - 1; b > 0; --b) count_[b] = count_[b - 1];
    count_[0] = Decimal();
  }

 private:
  const std::vector<Decimal>& ramp_;
  std::vector<Decimal> count_;
};

std::vector<Month> simulate(const CapacityModel& m, const std::vector<Cohort>& cohorts,
                            const std::vector<Decimal>& hires) {
  Roster roster(m.ramp);
  for (const auto& c : cohorts) roster.add(c.tenure_months, c.reps);
  std::vector<Month> out(static_cast<std::size_t>(m.months));
  for (std::size_t i = 0; i < out.size(); ++i) {
    Month& month = out[i];
    month.headcount_start = roster.headcount();
    if (i < hires.size()) month.hires = hires[i];
    roster.add(0, month.hires);
    month.ramped_reps = roster.ramped();
    month.capacity = month.ramped_reps * m.productivity;
    month.attrition = roster.attrite(m.monthly_attrition);
    month.headcount_end = roster.headcount();
    roster.age();
  }
  return out;
}

// ---- reporting ---------------------------------------------------------------------------------

// Months [first, last) of the simulation reported as one row.
struct Span {
  std::string label;
  Date begin, end;
  std::size_t first = 0, last = 0;
  Decimal target;  // in cents
};

std::vector<Span> report_spans(const CapacityModel& m) {
  const Period whole{m.start, m.start.add_months(m.months)};
  std::vector<Span> spans;
  std::size_t month = 0;
  for (const Period& p : m.calendar.periods(whole, m.report)) {
    Span s;
    s.label = m.calendar.label(p.begin, m.report);
    s.begin = std::max(p.begin, whole.begin);
    s.end = std::min(p.end, whole.end);
    s.first = month;
    const auto month_begin = [&](std::size_t i) { return m.start.add_months(static_cast<int>(i)); };
    while (month < static_cast<std::size_t>(m.months) && month_begin(month) < s.end) ++month;
    s.last = month;
    spans.push_back(std::move(s));
  }
  // The target by days, in cents, so that the periods sum to the target exactly.
  std::vector<Decimal> days;
  for (const auto& s : spans) days.emplace_back(s.end - s.begin);
  const auto parts = allocate(m.target, days, money_places);
  for (std::size_t i = 0; i < spans.size(); ++i) spans[i].target = parts[i];
  return spans;
}

Decimal cents(const Decimal& v) { return v.round(money_places, Rounding::half_even); }
Decimal round_up(const Decimal& a, const Decimal& b) {
  return Decimal::div(a, b, 0, Rounding::ceiling);
}

// Output columns, filled one row at a time (the TOTAL row last); money exact until table().
struct PeriodColumns {
  std::vector<std::string> period;
  std::vector<Date> start, end;
  std::vector<std::int64_t> months;
  std::vector<Decimal> headcount_start, hires, attrition, headcount_end, ramped, capacity, target,
      quota, gap, pipeline;
  io::Column deals{"deals_needed", io::ColumnType::decimal};
  io::Column opportunities{"opportunities_needed", io::ColumnType::decimal};

  void add(const CapacityModel& m, const Span& s, const std::vector<Month>& sim) {
    period.push_back(s.label);
    start.push_back(s.begin);
    end.push_back(s.end);
    const auto n = s.last - s.first;
    months.push_back(static_cast<std::int64_t>(n));
    Decimal hired, gone, ramped_sum, cap;
    for (std::size_t i = s.first; i < s.last; ++i) {
      hired += sim[i].hires;
      gone += sim[i].attrition;
      ramped_sum += sim[i].ramped_reps;
      cap += sim[i].capacity;
    }
    headcount_start.push_back(n ? sim[s.first].headcount_start : Decimal());
    hires.push_back(hired);
    attrition.push_back(gone);
    headcount_end.push_back(n ? sim[s.last - 1].headcount_end : Decimal());
    ramped.push_back(n ? ramped_sum / Decimal(static_cast<std::int64_t>(n)) : Decimal());
    capacity.push_back(cap);
    add_funnel(m, s.target);
  }

  void add_funnel(const CapacityModel& m, const Decimal& t) {
    target.push_back(t);
    quota.push_back(t * (Decimal(1) + m.over_assignment));
    pipeline.push_back(m.coverage.is_zero() ? t / m.win_rate : t * m.coverage);
    if (m.average_deal_size.is_zero()) {
      deals.push_null();
      opportunities.push_null();
      return;
    }
    const Decimal d = round_up(t, m.average_deal_size);
    deals.push(d);
    opportunities.push(round_up(d, m.win_rate));
  }

  // The last row (TOTAL) rounded to cents, shared among the others by their exact values
  // (largest remainder): every row is within a cent of its exact value and the rows add up to
  // TOTAL exactly (each rounded on its own, they missed it by a cent per few rows).
  static void to_cents(std::vector<Decimal>& v) {
    if (v.empty()) return;
    const Decimal total = cents(v.back());
    const std::span<const Decimal> rows(v.data(), v.size() - 1);
    const bool weighed = std::any_of(rows.begin(), rows.end(), [](const Decimal& x) { return !x.is_zero(); });
    const auto parts = weighed ? allocate(total, rows, money_places) : std::vector<Decimal>(rows.size());
    std::copy(parts.begin(), parts.end(), v.begin());
    v.back() = total;
  }

  io::Table table() {
    to_cents(capacity);
    to_cents(quota);
    to_cents(pipeline);
    for (std::size_t i = 0; i < capacity.size(); ++i) gap.push_back(capacity[i] - target[i]);
    io::Table t;
    t.add(io::Column::of("period", std::move(period)));
    t.add(io::Column::of("period_start", std::move(start)));
    t.add(io::Column::of("period_end", std::move(end)));
    t.add(io::Column::of("months", std::move(months)));
    t.add(io::Column::of("headcount_start", std::move(headcount_start)));
    t.add(io::Column::of("hires", std::move(hires)));
    t.add(io::Column::of("attrition", std::move(attrition)));
    t.add(io::Column::of("headcount_end", std::move(headcount_end)));
    t.add(io::Column::of("ramped_reps", std::move(ramped)));
    add_money(t, "capacity", std::move(capacity));
    add_money(t, "target", std::move(target));
    add_money(t, "quota_assigned", std::move(quota));
    add_money(t, "gap", std::move(gap));
    add_money(t, "pipeline_needed", std::move(pipeline));
    t.add(std::move(deals));
    t.add(std::move(opportunities));
    return t;
  }

  static void add_money(io::Table& t, std::string name, std::vector<Decimal> values) {
    auto c = io::Column::of(std::move(name), std::move(values));
    c.set_min_places(money_places);
    t.add(std::move(c));
  }
};

Decimal total_capacity(const std::vector<Month>& sim) {
  Decimal sum;
  for (const auto& month : sim) sum += month.capacity;
  return sum;
}

// reps_needed, hire_contribution, hires_needed and hires_close_gap from the span's exact
// capacity.
void size_the_gap(const CapacityModel& m, const Decimal& capacity, CapacityResult& r) {
  // One hire at the start of month 1 is a tenure-0 cohort of one rep without further hires.
  r.hire_contribution = total_capacity(simulate(m, {Cohort{0, Decimal(1)}}, {}));
  const Decimal gap = std::max(Decimal(), m.target - capacity);
  if (gap.is_zero()) return;
  r.reps_needed = gap / (m.productivity * Decimal(m.months));
  if (r.hire_contribution.is_zero()) {
    r.hires_close_gap = false;
    return;
  }
  r.hires_needed = round_up(gap, r.hire_contribution);
}

// ---- JSON --------------------------------------------------------------------------------------

using json = nlohmann::json;

// Reads one JSON object's fields, throwing at the first problem with the field's path, and
// rejecting fields it never read (a typo must not be silently ignored).
class Fields {
 public:
  Fields(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) invalid(path_, "must be an object {...}");
  }

  [[nodiscard]] std::string path(std::string_view key) const { return join_path(path_, key); }

  const json* get(const char* key) {
    seen_.insert(key);
    const auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  const json& require(const char* key) {
    const json* v = get(key);
    if (v == nullptr) invalid(path(key), "is required");
    return *v;
  }
  void decimal(const char* key, Decimal& out) {
    if (const json* v = get(key)) out = decimal_value(*v, path(key));
  }
  void integer(const char* key, int& out) {
    if (const json* v = get(key)) out = integer_value(*v, path(key));
  }
  const json* array(const char* key) {
    const json* v = get(key);
    if (v != nullptr && !v->is_array()) invalid(path(key), "must be a list [...]");
    return v;
  }
  std::vector<Decimal> decimals(const char* key) {
    std::vector<Decimal> out;
    if (const json* v = array(key)) {
      for (std::size_t i = 0; i < v->size(); ++i) {
        out.push_back(decimal_value((*v)[i], indexed(path(key), i)));
      }
    }
    return out;
  }
  void finish() const {
    std::string known;
    for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
    for (const auto& item : j_.items()) {
      if (!seen_.count(item.key())) {
        invalid(path(item.key()), "unknown field; known fields here: " + known);
      }
    }
  }

  // Decimals are written as strings ("0.08") or integers; binary floats would not be exact.
  static Decimal decimal_value(const json& v, const std::string& at) {
    if (v.is_number_integer()) return Decimal(v.get<std::int64_t>());
    if (v.is_string()) {
      Decimal d;
      const auto text = v.get<std::string>();
      const auto st = Decimal::try_parse(text, d);
      if (st != DecimalParseStatus::ok) invalid(at, Decimal::describe(st, text));
      return d;
    }
    if (v.is_number()) {
      invalid(at, "write decimals as strings (\"0.08\", not 0.08) so they stay exact");
    }
    invalid(at, "must be a decimal written as a string, e.g. \"0.08\"");
  }
  static int integer_value(const json& v, const std::string& at) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < -1000000 ||
        v.get<std::int64_t>() > 1000000) {
      invalid(at, "must be a whole number between -1000000 and 1000000");
    }
    return static_cast<int>(v.get<std::int64_t>());
  }

 private:
  const json& j_;
  std::string path_;
  std::set<std::string> seen_;
};

Date read_start(Fields& f) {
  const json& v = f.require("start");
  Date d;
  if (!v.is_string() || !Date::try_parse(v.get<std::string>(), d)) {
    invalid(f.path("start"), "must be a date written \"YYYY-MM-01\"");
  }
  return d;
}

PeriodKind read_report(Fields& f, PeriodKind fallback) {
  const json* v = f.get("report");
  if (v == nullptr) return fallback;
  for (const auto kind :
       {PeriodKind::month, PeriodKind::quarter, PeriodKind::half_year, PeriodKind::year}) {
    if (v->is_string() && v->get<std::string>() == to_string(kind)) return kind;
  }
  invalid(f.path("report"), "must be one of: month, quarter, half_year, year");
}

FiscalCalendar read_calendar(Fields& f) {
  int first = 1;
  f.integer("fiscal_year_start_month", first);
  if (first < 1 || first > 12) {
    invalid(f.path("fiscal_year_start_month"), "must be 1 (January) to 12 (December)");
  }
  return FiscalCalendar(static_cast<unsigned>(first));
}

std::vector<Cohort> read_cohorts(Fields& f) {
  std::vector<Cohort> out;
  const json* list = f.array("cohorts");
  if (list == nullptr) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Fields c((*list)[i], indexed(f.path("cohorts"), i));
    Cohort cohort;
    c.integer("tenure_months", cohort.tenure_months);
    cohort.reps = Fields::decimal_value(c.require("reps"), c.path("reps"));
    c.finish();
    out.push_back(cohort);
  }
  return out;
}

}  // namespace

CapacityResult plan_capacity(const CapacityModel& model) {
  validate(model);
  const auto sim = simulate(model, model.cohorts, model.hires);
  PeriodColumns columns;
  for (const auto& span : report_spans(model)) columns.add(model, span, sim);
  Span whole{"TOTAL", model.start, model.start.add_months(model.months), 0, sim.size(),
             model.target};
  columns.add(model, whole, sim);

  CapacityResult r;
  r.periods = columns.table();
  size_the_gap(model, total_capacity(sim), r);
  return r;
}

CapacityModel parse_capacity_model(std::string_view text) {
  json j;
  spm::detail::DuplicateKeys duplicates;
  try {
    j = json::parse(text, duplicates.callback());
  } catch (const json::parse_error& e) {
    invalid("capacity", "the capacity model is not valid JSON: " + spm::detail::json_parse_message(e));
  }
  if (!duplicates.found.empty()) {
    invalid(join_path("capacity", duplicates.found.front()), "appears twice in the same object; keep one");
  }
  Fields f(j, "capacity");
  CapacityModel m;
  m.start = read_start(f);
  f.integer("months", m.months);
  m.report = read_report(f, m.report);
  m.calendar = read_calendar(f);
  m.cohorts = read_cohorts(f);
  m.ramp = f.decimals("ramp");
  m.productivity = Fields::decimal_value(f.require("productivity"), f.path("productivity"));
  f.decimal("monthly_attrition", m.monthly_attrition);
  m.hires = f.decimals("hires");
  f.decimal("over_assignment", m.over_assignment);
  f.decimal("target", m.target);
  f.decimal("win_rate", m.win_rate);
  f.decimal("average_deal_size", m.average_deal_size);
  f.decimal("coverage", m.coverage);
  f.finish();
  validate(m);
  return m;
}

// ---- pipeline_needed ---------------------------------------------------------------------------

namespace {

// The row's value of an optional per-rep column, or the default when absent or null.
Decimal per_rep(const io::Column* c, std::size_t row, const Decimal& fallback) {
  if (c == nullptr || c->is_null(row)) return fallback;
  return detail::decimal_at(*c, row);
}

}  // namespace

PipelineResult pipeline_needed(const io::Table& quotas, const Decimal& average_deal_size,
                               const Decimal& win_rate) {
  if (average_deal_size.sign() <= 0) {
    invalid("average_deal_size", "must be greater than zero, not " + average_deal_size.to_string());
  }
  require_win_rate(win_rate, "win_rate");
  const auto& ids = detail::require_column(quotas, "quotas", "rep_id", io::ColumnType::string);
  const auto& quota = detail::require_column(quotas, "quotas", "quota", io::ColumnType::decimal);
  const auto* size_col =
      detail::optional_column(quotas, "quotas", "average_deal_size", io::ColumnType::decimal);
  const auto* rate_col =
      detail::optional_column(quotas, "quotas", "win_rate", io::ColumnType::decimal);

  const auto rep = ids.strings();
  const std::size_t n = quotas.num_rows();
  std::vector<std::string> out_ids;
  std::vector<Decimal> out_quota, out_size, out_rate, deals, opportunities;
  std::unordered_map<std::string_view, std::int64_t> first_row;
  detail::Rejects rejects;
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = detail::row_number(quotas, i);
    const std::string_view id = ids.is_null(i) ? std::string_view() : rep[i];
    std::string problem;
    Decimal q, size, rate;
    if (id.empty()) {
      problem = "rep_id is empty; give the rep's id";
    } else if (const auto [it, fresh] = first_row.try_emplace(id, row); !fresh) {
      // Two rows of one rep would count its funnel twice.
      problem = "rep_id '" + std::string(id) + "' is listed twice (first at row " +
                std::to_string(it->second) + "); keep one row per rep";
    } else if (quota.is_null(i)) {
      problem = "quota is empty; give the rep's quota";
    } else if (q = detail::decimal_at(quota, i); q.sign() < 0) {
      problem = "quota is negative (" + q.to_string() + "); it must be 0 or more";
    } else if (size = per_rep(size_col, i, average_deal_size); size.sign() <= 0) {
      problem = "average_deal_size must be greater than zero, not " + size.to_string();
    } else if (rate = per_rep(rate_col, i, win_rate); rate.sign() <= 0 || rate > Decimal(1)) {
      problem = "win_rate must be greater than 0 and at most 1, not " + rate.to_string();
    }
    if (!problem.empty()) {
      rejects.add("quotas", row, id, std::move(problem));
      continue;
    }
    out_ids.emplace_back(id);
    out_quota.push_back(q);
    out_size.push_back(size);
    out_rate.push_back(rate);
    deals.push_back(round_up(q, size));
    opportunities.push_back(round_up(deals.back(), rate));
  }
  PipelineResult r;
  r.reps.add(io::Column::of("rep_id", std::move(out_ids)));
  r.reps.add(io::Column::of("quota", std::move(out_quota)));
  r.reps.add(io::Column::of("average_deal_size", std::move(out_size)));
  r.reps.add(io::Column::of("win_rate", std::move(out_rate)));
  r.reps.add(io::Column::of("deals_needed", std::move(deals)));
  r.reps.add(io::Column::of("opportunities_needed", std::move(opportunities)));
  r.rejects = rejects.table();
  return r;
}

}  // namespace spm::quota
