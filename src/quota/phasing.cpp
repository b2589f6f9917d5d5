// Quota time phasing: annual quotas to period quotas by seasonality, with proration for
// employment and leaves, ramps by tenure, and relief for moved accounts. All amounts are exact
// decimals; proration factors are exact fractions applied with a single rounding.
#include <spm/quota/phasing.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>
#include <spm/core/fraction.hpp>

#include "increment.hpp"
#include "table_access.hpp"

namespace spm::quota {
namespace {

using detail::decimal_at;
using detail::is_multiple;
using detail::optional_column;
using detail::require_column;
using detail::row_number;

// Raw units of Decimal 1: ramp fractions enter the exact factor as raw / raw_one.
constexpr std::int64_t raw_one = 1'000'000'000'000;

// ---------------------------------------------------------------------------------------------
// Options

// The plan year cut into output periods and months, with the seasonality weights.
struct Frame {
  std::vector<Period> periods;
  std::vector<Period> months;
  std::vector<Decimal> weights;  // one per period
  int places = 2;                // decimals of the increment
};

std::int64_t count_days(const Period& p, const PhasingOptions& o) {
  if (p.empty()) return 0;
  return o.day_count == DayCount::calendar_days ? p.days() : o.holidays.business_days(p);
}

// The share of `whole` covered by `part`, or 0 when `whole` has no (business) days.
Fraction share(const Period& part, const Period& whole, const PhasingOptions& o) {
  const auto den = count_days(whole, o);
  if (den == 0) return 0;
  const auto covered = part.intersect(whole);
  return {covered ? count_days(*covered, o) : 0, den};
}

int places_of(const Decimal& d) {
  int p = 0;
  while (!d.has_places(p)) ++p;
  return p;
}

std::vector<Period> year_periods(const PhasingOptions& o, PeriodKind kind) {
  if (o.year.empty()) {
    throw InvalidInputError("quota.options", "year",
                            "the plan year " + o.year.to_string() +
                                " has no days; give a year such as [2026-01-01, 2027-01-01)");
  }
  auto periods = o.calendar.periods(o.year, kind);
  if (periods.front().begin != o.year.begin || periods.back().end != o.year.end) {
    throw InvalidInputError(
        "quota.options", "year",
        "the plan year " + o.year.to_string() + " does not start and end on " +
            std::string(to_string(kind)) + " boundaries of the fiscal calendar (first month " +
            std::to_string(o.calendar.first_month()) +
            "); align the year to the calendar or choose another period kind");
  }
  return periods;
}

std::vector<Decimal> seasonality_weights(const PhasingOptions& o,
                                         const std::vector<Period>& periods) {
  std::vector<Decimal> weights;
  if (o.seasonality.empty()) {
    for (const auto& p : periods) weights.emplace_back(count_days(p, o));
    return weights;
  }
  const std::string kind(to_string(o.kind));
  if (o.seasonality.size() != periods.size()) {
    throw InvalidInputError(
        "quota.seasonality", "seasonality",
        "there are " + std::to_string(o.seasonality.size()) + " weights for the " +
            std::to_string(periods.size()) + " " + kind + " periods of the plan year " +
            o.year.to_string() +
            "; give one weight per period, or none to weigh periods by their days");
  }
  Decimal sum;
  for (std::size_t i = 0; i < o.seasonality.size(); ++i) {
    const auto& w = o.seasonality[i];
    if (w.sign() < 0) {
      throw InvalidInputError("quota.seasonality", "seasonality[" + std::to_string(i) + "]",
                              "the weight " + w.to_string() +
                                  " is negative; weights are shares of the year from 0 to 1");
    }
    sum += w;
  }
  if (sum != Decimal(1)) {
    throw InvalidInputError("quota.seasonality", "seasonality",
                            "the weights sum to " + sum.to_string() +
                                "; they must sum to exactly 1 (change them by " +
                                (Decimal(1) - sum).to_string() + " in total)");
  }
  return o.seasonality;
}

void check_ramp(const std::vector<Decimal>& ramp, std::size_t months) {
  if (ramp.size() > months) {
    throw InvalidInputError("quota.ramp", "ramp",
                            "the ramp is " + std::to_string(ramp.size()) +
                                " months long but the plan year has " + std::to_string(months) +
                                " months; give at most " + std::to_string(months) +
                                " (reps are fully ramped after the last)");
  }
  for (std::size_t i = 0; i < ramp.size(); ++i) {
    if (ramp[i].sign() < 0 || ramp[i] > Decimal(1)) {
      throw InvalidInputError("quota.ramp", "ramp[" + std::to_string(i) + "]",
                              "the ramp fraction " + ramp[i].to_string() +
                                  " is outside [0, 1]; give each tenure month's share of the "
                                  "full quota from 0 to 1");
    }
  }
}

Frame make_frame(const PhasingOptions& o) {
  if (o.increment.sign() <= 0) {
    throw InvalidInputError("quota.options", "increment",
                            "the increment " + o.increment.to_string() +
                                " must be above 0 (e.g. 0.01 for cents, 1000 for thousands)");
  }
  Frame f;
  f.periods = year_periods(o, o.kind);
  f.months = year_periods(o, PeriodKind::month);
  f.weights = seasonality_weights(o, f.periods);
  f.places = places_of(o.increment);
  check_ramp(o.ramp, f.months.size());
  return f;
}

// ---------------------------------------------------------------------------------------------
// Seasonal split

// The amount (a multiple of the increment) in whole increments per period, largest remainder:
// the parts sum exactly to the amount.
std::vector<Decimal> seasonal_split(const Decimal& amount, const Frame& f,
                                    const Decimal& increment) {
  const Decimal units = Decimal::div(amount, increment, 0, Rounding::down);
  auto parts = allocate(units, f.weights, 0);
  for (auto& p : parts) p = Decimal::mul(p, increment);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Rejects, gathered from every table and emitted by source, then row.

enum class Source { quotas, employment, leaves, relief };

constexpr std::array<std::string_view, 4> source_names = {"quotas", "employment", "leaves",
                                                          "relief"};

class RejectList {
 public:
  void add(Source source, std::int64_t row, std::string id, std::string reason) {
    rejects_.add(source_names[static_cast<std::size_t>(source)], row, id, std::move(reason));
  }
  [[nodiscard]] io::Table table() const { return rejects_.table(source_names); }

 private:
  detail::Rejects rejects_;
};

// ---------------------------------------------------------------------------------------------
// Reps

struct Rep {
  Decimal annual;
  std::int64_t quota_row = 0;
  std::optional<Date> start;  // nullopt: employed from before the year
  std::optional<Date> end;    // nullopt: employed past the year
  std::optional<Date> hire;   // tenure for the ramp; nullopt: start
  std::vector<Period> leaves;
  std::vector<Decimal> relief;  // per period
};

// Reps being phased (sorted by id, the output order) and, for ids that appear in the inputs but
// are not phased, why.
struct Roster {
  std::map<std::string, Rep> reps;
  std::map<std::string, std::string> excluded;

  // Why rows naming `id` cannot be used, or "" when the rep is phased.
  [[nodiscard]] std::string unusable(const std::string& id, std::string_view field) const {
    if (reps.count(id) != 0) return "";
    if (const auto it = excluded.find(id); it != excluded.end()) {
      return std::string(field) + " '" + id + "' is not phased: " + it->second;
    }
    return std::string(field) + " '" + id +
           "' has no row in the quotas table; add its annual quota there or remove this row";
  }
};

std::map<std::string, int> count_ids(io::StringsView ids, const io::Column& column) {
  std::map<std::string, int> n;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    if (!column.is_null(r) && !ids[r].empty()) ++n[std::string(ids[r])];
  }
  return n;
}

std::optional<Date> date_at(const io::Column* c, std::size_t row) {
  if (c == nullptr || c->is_null(row)) return std::nullopt;
  return c->values<Date>()[row];
}

Roster load_quotas(const io::Table& t, const PhasingOptions& o, std::size_t periods,
                   RejectList& rejects) {
  const auto& id_col = require_column(t, "quotas", "rep_id", io::ColumnType::string);
  const auto& quota_col = require_column(t, "quotas", "quota", io::ColumnType::decimal);
  const auto ids = id_col.strings();
  const auto seen = count_ids(ids, id_col);
  Roster roster;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string id(ids[r]);
    const auto row = row_number(t, r);
    auto reject = [&](std::string why) {
      rejects.add(Source::quotas, row, id, std::move(why));
      if (!id.empty()) roster.excluded.emplace(id, "its quotas row was rejected");
    };
    if (id_col.is_null(r) || id.empty()) {
      reject("the rep_id is missing; every quota row needs the rep it belongs to");
      continue;
    }
    if (seen.at(id) > 1) {
      reject("rep_id '" + id + "' appears " + std::to_string(seen.at(id)) +
             " times; give each rep one annual quota");
      continue;
    }
    if (quota_col.is_null(r)) {
      reject("the quota is missing; give the rep's annual quota");
      continue;
    }
    const Decimal annual = decimal_at(quota_col, r);
    if (annual.sign() < 0) {
      reject("the quota " + annual.to_string() + " is negative; annual quotas must be 0 or more");
      continue;
    }
    if (!is_multiple(annual, o.increment)) {
      reject("the quota " + annual.to_string() + " is not a multiple of the increment " +
             o.increment.to_string() + "; round it to the increment");
      continue;
    }
    Rep rep;
    rep.annual = annual;
    rep.quota_row = row;
    rep.relief.assign(periods, Decimal());
    roster.reps.emplace(id, std::move(rep));
  }
  return roster;
}

// Why an employment row cannot be used, or "".
std::string employment_problem(const std::optional<Date>& start, const std::optional<Date>& end,
                               const std::optional<Date>& hire) {
  if (start && end && *end <= *start) {
    return "end " + end->to_string() + " is not after start " + start->to_string() +
           "; end is the first day no longer employed, so it must be later than start";
  }
  if (hire && start && *hire > *start) {
    return "hire_date " + hire->to_string() + " is after start " + start->to_string() +
           "; tenure starts at hire, so set hire_date on or before start";
  }
  return "";
}

void load_employment(const io::Table& t, const PhasingOptions& o, Roster& roster,
                     RejectList& rejects) {
  const auto& id_col = require_column(t, "employment", "rep_id", io::ColumnType::string);
  const auto* start_col = optional_column(t, "employment", "start", io::ColumnType::date);
  const auto* end_col = optional_column(t, "employment", "end", io::ColumnType::date);
  const auto* hire_col = optional_column(t, "employment", "hire_date", io::ColumnType::date);
  // Without a date column the table changes nothing: a misnamed one ("start_date") would
  // otherwise give every rep the whole year, silently. Other extra columns are ignored.
  if (start_col == nullptr && end_col == nullptr && hire_col == nullptr) {
    std::string have;
    for (const auto& c : t.columns()) {
      if (c.name() == "_line") continue;  // the CSV reader's line numbers
      have += (have.empty() ? "'" : ", '") + c.name() + "'";
    }
    throw InvalidInputError(
        "quota.column", "employment",
        "the employment table has columns " + have +
            " but none of the date columns it is read by: 'start' (first day employed), 'end' "
            "(first day no longer employed), 'hire_date' (tenure start for the ramp); rename "
            "yours to these, or leave the employment table out");
  }
  const auto ids = id_col.strings();
  const auto seen = count_ids(ids, id_col);
  std::map<std::string, std::int64_t> failed;  // rep -> the employment row that was rejected
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string id(ids[r]);
    const auto row = row_number(t, r);
    if (id_col.is_null(r) || id.empty()) {
      rejects.add(Source::employment, row, id,
                  "the rep_id is missing; every employment row needs the rep it describes");
      continue;
    }
    if (auto why = roster.unusable(id, "rep"); !why.empty()) {
      rejects.add(Source::employment, row, id, std::move(why));
      continue;
    }
    const auto start = date_at(start_col, r);
    const auto end = date_at(end_col, r);
    const auto hire = date_at(hire_col, r);
    std::string why = seen.at(id) > 1 ? "rep '" + id + "' has " + std::to_string(seen.at(id)) +
                                            " employment rows; give one row per rep"
                                      : employment_problem(start, end, hire);
    // A null start means employed before the year, so an in-year hire_date is after it.
    if (why.empty() && hire && !start && *hire > o.year.begin) {
      why = "hire_date " + hire->to_string() +
            " is after start (empty: employed from before the plan year); give the start date "
            "or set hire_date on or before the year start";
    }
    if (!why.empty()) {
      rejects.add(Source::employment, row, id, std::move(why));
      failed.emplace(id, row);
      continue;
    }
    auto& rep = roster.reps.at(id);
    rep.start = start;
    rep.end = end;
    rep.hire = hire;
  }
  // Employment defines the quota: without a usable row the rep is not phased at all.
  for (const auto& [id, row] : failed) {
    rejects.add(Source::quotas, roster.reps.at(id).quota_row, id,
                "rep '" + id + "' is not phased because its employment row " +
                    std::to_string(row) + " was rejected; fix that row");
    roster.reps.erase(id);
    roster.excluded.emplace(id, "its employment row was rejected");
  }
}

void load_leaves(const io::Table& t, Roster& roster, RejectList& rejects) {
  const auto& id_col = require_column(t, "leaves", "rep_id", io::ColumnType::string);
  const auto& from_col = require_column(t, "leaves", "from", io::ColumnType::date);
  const auto& to_col = require_column(t, "leaves", "to", io::ColumnType::date);
  const auto ids = id_col.strings();
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string id(ids[r]);
    auto reject = [&](std::string why) {
      rejects.add(Source::leaves, row_number(t, r), id, std::move(why));
    };
    if (id_col.is_null(r) || id.empty()) {
      reject("the rep_id is missing; every leave needs the rep on leave");
      continue;
    }
    if (auto why = roster.unusable(id, "rep"); !why.empty()) {
      reject(std::move(why));
      continue;
    }
    const auto from = date_at(&from_col, r);
    const auto to = date_at(&to_col, r);
    if (!from || !to) {
      reject(std::string(!from ? "from" : "to") +
             " is missing; a leave needs from (first day away) and to (first day back)");
      continue;
    }
    if (*to <= *from) {
      reject("to " + to->to_string() + " is not after from " + from->to_string() +
             "; to is the first day back, so it must be later than from");
      continue;
    }
    roster.reps.at(id).leaves.push_back({*from, *to});
  }
}

// Moves the remaining-period part of `amount` from one rep to the other from `effective` on.
void move_relief(Rep& from, Rep& to, const Decimal& amount, Date effective, const Frame& f,
                 const PhasingOptions& o) {
  const auto parts = seasonal_split(amount, f, o.increment);
  for (std::size_t i = 0; i < f.periods.size(); ++i) {
    const auto& p = f.periods[i];
    if (p.end <= effective) continue;
    // A whole period moves whole, even one without business days.
    const Fraction moved = effective <= p.begin ? Fraction(1) : share({effective, p.end}, p, o);
    const Decimal x = Decimal::product(parts[i], moved, f.places);
    from.relief[i] -= x;
    to.relief[i] += x;
  }
}

void load_relief(const io::Table& t, const Frame& f, const PhasingOptions& o, Roster& roster,
                 RejectList& rejects) {
  const auto& account_col = require_column(t, "relief", "account_id", io::ColumnType::string);
  const auto& from_col = require_column(t, "relief", "from_rep", io::ColumnType::string);
  const auto& to_col = require_column(t, "relief", "to_rep", io::ColumnType::string);
  const auto& effective_col = require_column(t, "relief", "effective", io::ColumnType::date);
  const auto& amount_col = require_column(t, "relief", "annual_quota", io::ColumnType::decimal);
  const auto accounts = account_col.strings();
  const auto from_ids = from_col.strings();
  const auto to_ids = to_col.strings();
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string from(from_ids[r]);
    const std::string to(to_ids[r]);
    const auto effective = date_at(&effective_col, r);
    std::string why;
    if (from.empty() || to.empty()) {
      why = std::string(from.empty() ? "from_rep" : "to_rep") +
            " is missing; relief moves quota from one rep to another";
    } else if (from == to) {
      why = "from_rep and to_rep are both '" + from + "'; relief must move quota between two reps";
    } else {
      why = roster.unusable(from, "from_rep");
      if (why.empty()) why = roster.unusable(to, "to_rep");
    }
    if (why.empty() && !effective) {
      why = "effective is missing; give the date the accounts move";
    } else if (why.empty() && !o.year.contains(*effective)) {
      why = "effective " + effective->to_string() + " is outside the plan year " +
            o.year.to_string() + "; relief within the year only";
    }
    if (why.empty()) {
      if (amount_col.is_null(r)) {
        why = "annual_quota is missing; give the moved accounts' part of the annual quota";
      } else if (const Decimal a = decimal_at(amount_col, r); a.sign() < 0) {
        why = "annual_quota " + a.to_string() +
              " is negative; give the moved amount as 0 or more, from from_rep to to_rep";
      } else if (!is_multiple(a, o.increment)) {
        why = "annual_quota " + a.to_string() + " is not a multiple of the increment " +
              o.increment.to_string() + "; round it to the increment";
      }
    }
    if (!why.empty()) {
      rejects.add(Source::relief, row_number(t, r), std::string(accounts[r]), std::move(why));
      continue;
    }
    move_relief(roster.reps.at(from), roster.reps.at(to), decimal_at(amount_col, r), *effective,
                f, o);
  }
}

// ---------------------------------------------------------------------------------------------
// Factors

// The rep's days at work in the year: [start, end) clipped to the year, minus the leaves.
std::vector<Period> working_spans(const Rep& rep, const Period& year) {
  const Date begin = std::max(rep.start.value_or(year.begin), year.begin);
  const Date end = std::min(rep.end.value_or(year.end), year.end);
  std::vector<Period> spans;
  if (begin >= end) return spans;
  auto leaves = rep.leaves;
  std::sort(leaves.begin(), leaves.end(),
            [](const Period& a, const Period& b) { return a.begin < b.begin; });
  Date cursor = begin;
  for (const auto& leave : leaves) {
    if (leave.begin >= end) break;
    if (leave.begin > cursor) spans.push_back({cursor, leave.begin});
    cursor = std::max(cursor, leave.end);
  }
  if (cursor < end) spans.push_back({cursor, end});
  return spans;
}

// The ramp fraction in the month starting `month`, as raw Decimal units (raw_one = fully
// ramped).
std::int64_t ramp_raw(const Rep& rep, Date month, const PhasingOptions& o) {
  const auto hire = rep.hire ? rep.hire : rep.start;
  if (!hire || o.ramp.empty()) return raw_one;
  if (!o.ramp_prior_hires && *hire < o.year.begin) return raw_one;
  const int tenure = (month.year() - hire->year()) * 12 + static_cast<int>(month.month()) -
                     static_cast<int>(hire->month()) + 1;
  if (tenure < 1) return 0;  // before the hire month: no days employed there either
  if (static_cast<std::size_t>(tenure) > o.ramp.size()) return raw_one;
  return static_cast<std::int64_t>(o.ramp[static_cast<std::size_t>(tenure - 1)].raw());
}

// Sum over the period's months of (days worked in the month / days in the period) x ramp, on
// one common denominator (period days x 10^12) so it stays exact and small.
Fraction period_factor(const Rep& rep, const std::vector<Period>& spans, const Period& period,
                       const Frame& f, const PhasingOptions& o) {
  const auto whole = count_days(period, o);
  if (whole == 0) return 0;
  std::int64_t num = 0;
  for (const auto& month : f.months) {
    if (month.begin < period.begin || month.end > period.end) continue;
    std::int64_t worked = 0;
    for (const auto& s : spans) {
      if (const auto c = s.intersect(month)) worked += count_days(*c, o);
    }
    if (worked != 0) num += worked * ramp_raw(rep, month.begin, o);
  }
  return {num, whole * raw_one};
}

// ---------------------------------------------------------------------------------------------
// Output

struct Output {
  std::vector<std::string> rep_id, period, factor;
  std::vector<Date> period_start, period_end;
  std::vector<Decimal> seasonal, prorated, relief, quota;
  std::vector<std::uint8_t> days_prorated;

  io::Table table(int places) {
    io::Table t;
    t.add(io::Column::of("rep_id", std::move(rep_id)));
    t.add(io::Column::of("period", std::move(period)));
    t.add(io::Column::of("period_start", std::move(period_start)));
    t.add(io::Column::of("period_end", std::move(period_end)));
    add_amounts(t, "seasonal", std::move(seasonal), places);
    t.add(io::Column::of("factor", std::move(factor)));
    add_amounts(t, "prorated", std::move(prorated), places);
    add_amounts(t, "relief", std::move(relief), places);
    add_amounts(t, "quota", std::move(quota), places);
    // For a commission run: these quotas are already for the days worked (no second proration).
    t.add(io::Column::of("days_prorated", std::move(days_prorated)));
    return t;
  }
  static void add_amounts(io::Table& t, std::string name, std::vector<Decimal> v, int places) {
    auto c = io::Column::of(std::move(name), std::move(v));
    c.set_min_places(places);
    t.add(std::move(c));
  }
};

void phase_rep(const std::string& id, const Rep& rep, const Frame& f, const PhasingOptions& o,
               Output& out) {
  const auto seasonal = seasonal_split(rep.annual, f, o.increment);
  const auto spans = working_spans(rep, o.year);
  for (std::size_t i = 0; i < f.periods.size(); ++i) {
    const auto& p = f.periods[i];
    const Fraction factor = period_factor(rep, spans, p, f, o);
    const Decimal prorated = Decimal::product(seasonal[i], factor, f.places);
    out.rep_id.push_back(id);
    out.period.push_back(o.calendar.label(p.begin, o.kind));
    out.period_start.push_back(p.begin);
    out.period_end.push_back(p.end);
    out.seasonal.push_back(seasonal[i]);
    out.factor.push_back(factor.to_string());
    out.prorated.push_back(prorated);
    out.relief.push_back(rep.relief[i]);
    out.quota.push_back(prorated + rep.relief[i]);
    std::int64_t worked = 0;
    for (const auto& sp : spans) {
      if (const auto c = sp.intersect(p)) worked += count_days(*c, o);
    }
    out.days_prorated.push_back(worked < count_days(p, o) ? 1 : 0);
  }
}

}  // namespace

PhasingResult phase_quotas(const PhasingInputs& inputs, const PhasingOptions& options) {
  if (inputs.quotas == nullptr) {
    throw InvalidInputError("quota.input", "quotas",
                            "no quotas table was given; pass one with columns rep_id and quota");
  }
  const Frame frame = make_frame(options);
  RejectList rejects;
  Roster roster = load_quotas(*inputs.quotas, options, frame.periods.size(), rejects);
  for (const auto& u : inputs.unread) {
    const auto it = roster.reps.find(u.rep_id);
    if (it == roster.reps.end()) continue;
    rejects.add(Source::quotas, it->second.quota_row, u.rep_id,
                "rep '" + u.rep_id + "' is not phased because its " + u.source + " row " +
                    std::to_string(u.row) + " could not be read; fix that row");
    roster.reps.erase(it);
    roster.excluded.emplace(u.rep_id, "its " + u.source + " row could not be read");
  }
  if (inputs.employment != nullptr) load_employment(*inputs.employment, options, roster, rejects);
  if (inputs.leaves != nullptr) load_leaves(*inputs.leaves, roster, rejects);
  if (inputs.relief != nullptr) load_relief(*inputs.relief, frame, options, roster, rejects);

  Output out;
  for (const auto& [id, rep] : roster.reps) phase_rep(id, rep, frame, options, out);
  return {out.table(frame.places), rejects.table()};
}

}  // namespace spm::quota
