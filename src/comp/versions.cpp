// Several effective-dated versions of one plan: each version runs on its own dates, then the
// statements, lines and rejects are merged per payee and pay period.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <spm/comp/engine.hpp>
#include <spm/core/error.hpp>

#include "run_version.hpp"

namespace spm::comp {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

// The versions in date order; throws unless they can run as one plan.
std::vector<const Plan*> check_versions(std::span<const Plan> versions) {
  if (versions.empty()) {
    throw InvalidInputError("plan.versions", "", "a run needs at least one plan version");
  }
  std::vector<const Plan*> sorted;
  for (const auto& v : versions) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(),
            [](const Plan* a, const Plan* b) { return a->effective_from < b->effective_from; });
  const Plan& first = *sorted.front();
  auto fail = [&](const Plan& v, const std::string& why) {
    throw InvalidInputError("plan.versions", v.id + " version " + std::to_string(v.version),
                            why + "; versions of one plan share id, currency, pay period and "
                                  "fiscal year start, and follow one another without overlap");
  };
  std::set<int> numbers;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Plan& v = *sorted[i];
    if (v.id != first.id) fail(v, "its id differs from '" + first.id + "'");
    if (v.currency != first.currency) fail(v, "its currency differs");
    if (v.pay_period != first.pay_period) fail(v, "its pay period differs");
    if (v.quota_kind() != first.quota_kind()) fail(v, "its quota period differs");
    if (v.calendar.first_month() != first.calendar.first_month() ||
        v.calendar.named_by_start() != first.calendar.named_by_start()) {
      fail(v, "its fiscal calendar differs");
    }
    if (!numbers.insert(v.version).second) fail(v, "two versions have this number");
    // Each version computes its own transactions against its days' share of the quota: with a
    // quota for a longer period (a year) that would measure each part against a part of it.
    const std::string quota_kind(to_string(v.quota_kind()));
    if (i > 0 && v.quota_kind() != v.pay_period &&
        v.calendar.period_containing(v.effective_from, v.quota_kind()).begin != v.effective_from) {
      fail(v, "it starts on " + v.effective_from.to_string() + ", inside a " + quota_kind +
                  " of the plan's quota_period: attainment against the whole quota across a "
                  "version change is not supported; start the version on the first day of a " +
                  quota_kind + ", or give quotas per pay period");
    }
    if (i > 0 && v.effective_from < sorted[i - 1]->effective_to) {
      fail(v, "it starts on " + v.effective_from.to_string() + ", before version " +
                  std::to_string(sorted[i - 1]->version) + " ends on " +
                  sorted[i - 1]->effective_to.to_string());
    }
  }
  return sorted;
}

// Appends row r of `from` to `to` (same type; strings whatever their storage).
void push_cell(Column& to, const Column& from, std::size_t r) {
  if (from.is_null(r)) {
    to.push_null();
    return;
  }
  switch (from.type()) {
    case ColumnType::string: to.push(std::string(from.strings()[r])); break;
    case ColumnType::decimal: to.push(from.values<Decimal>()[r]); break;
    case ColumnType::integer: to.push(from.values<std::int64_t>()[r]); break;
    case ColumnType::date: to.push(from.values<Date>()[r]); break;
    case ColumnType::boolean: to.push(from.values<std::uint8_t>()[r]); break;
    case ColumnType::float64: to.push(from.values<double>()[r]); break;
  }
}

// Empty columns shaped like `t`'s (plain storage, same decimal places).
std::vector<Column> shape_of(const Table& t) {
  std::vector<Column> out;
  for (const auto& c : t.columns()) {
    out.emplace_back(c.name(), c.type());
    out.back().set_min_places(c.min_places());
  }
  return out;
}

Table finish(std::vector<Column> columns, Column version) {
  Table t;
  for (auto& c : columns) t.add(std::move(c));
  t.add(std::move(version));
  return t;
}

// (payee, period start) -> per version, the rows [begin, end) of that pair.
using Key = std::pair<std::string, Date>;
using Runs = std::map<Key, std::vector<std::tuple<std::size_t, std::size_t, std::size_t>>>;

Runs runs_of(const std::vector<CompResult>& parts, bool lines) {
  Runs runs;
  for (std::size_t v = 0; v < parts.size(); ++v) {
    const Table& t = lines ? parts[v].lines : parts[v].statements;
    const auto payee = t.strings("payee_id");
    const auto period = t.strings("period");
    // Lines have no period_start: their period label maps to the statements' start.
    std::map<std::string, Date, std::less<>> starts;
    const Table& st = parts[v].statements;
    for (std::size_t r = 0; r < st.num_rows(); ++r) {
      starts.emplace(std::string(st.strings("period")[r]), st.values<Date>("period_start")[r]);
    }
    for (std::size_t r = 0; r < t.num_rows();) {
      std::size_t e = r + 1;
      while (e < t.num_rows() && payee[e] == payee[r] && period[e] == period[r]) ++e;
      const auto s = starts.find(period[r]);
      runs[{std::string(payee[r]), s == starts.end() ? Date() : s->second}].emplace_back(v, r, e);
      r = e;
    }
  }
  return runs;
}

}  // namespace

CompResult run(std::span<const Plan> versions, const CompInputs& inputs, const Period& range,
               const ExecutionContext& context) {
  const std::vector<const Plan*> order = check_versions(versions);
  if (versions.size() == 1) return run(versions.front(), inputs, range, context);
  std::vector<Period> dates;
  for (const auto* v : order) dates.push_back({v->effective_from, v->effective_to});
  std::vector<CompResult> parts;
  for (const auto* v : order) {
    parts.push_back(detail::run_version(*v, inputs, range, context, dates));
  }

  CompResult out;
  // Statements: each version's component rows, then one TOTAL adding the versions up.
  {
    auto cols = shape_of(parts.front().statements);
    Column version("plan_version", ColumnType::integer);
    for (const auto& [key, runs] : runs_of(parts, false)) {
      Decimal earnings, paid_before, payout;
      const Table* any = nullptr;
      std::size_t any_row = 0;
      for (const auto& [v, b, e] : runs) {
        const Table& t = parts[v].statements;
        for (std::size_t r = b; r < e; ++r) {
          if (t.strings("component")[r] == "TOTAL") {
            earnings += t.values<Decimal>("earnings")[r];
            paid_before += t.values<Decimal>("paid_before")[r];
            payout += t.values<Decimal>("payout")[r];
            any = &t;
            any_row = r;
            continue;
          }
          for (std::size_t c = 0; c < cols.size(); ++c) push_cell(cols[c], t.columns()[c], r);
          version.push(std::int64_t{order[v]->version});
        }
      }
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const std::string& name = cols[c].name();
        if (name == "earnings") cols[c].push(earnings);
        else if (name == "paid_before") cols[c].push(paid_before);
        else if (name == "payout") cols[c].push(payout);
        else push_cell(cols[c], any->columns()[c], any_row);  // ids, dates; nulls elsewhere
      }
      version.push_null();
    }
    out.statements = finish(std::move(cols), std::move(version));
  }
  // Lines: per payee and period, version after version, numbered again across versions.
  {
    auto cols = shape_of(parts.front().lines);
    Column version("plan_version", ColumnType::integer);
    const std::size_t line_col = *parts.front().lines.find("line");
    for (const auto& [key, runs] : runs_of(parts, true)) {
      std::int64_t seq = 0;
      for (const auto& [v, b, e] : runs) {
        const Table& t = parts[v].lines;
        for (std::size_t r = b; r < e; ++r) {
          for (std::size_t c = 0; c < cols.size(); ++c) {
            if (c == line_col) cols[c].push(++seq);
            else push_cell(cols[c], t.columns()[c], r);
          }
          version.push(std::int64_t{order[v]->version});
        }
      }
    }
    out.lines = finish(std::move(cols), std::move(version));
  }
  // Rejects: a bad row is bad for every version; each reason once.
  {
    auto cols = shape_of(parts.front().rejects);
    std::set<std::vector<std::string>> seen;
    for (const auto& part : parts) {
      const Table& t = part.rejects;
      for (std::size_t r = 0; r < t.num_rows(); ++r) {
        std::vector<std::string> row;
        for (const auto& c : t.columns()) row.push_back(c.text(r));
        if (!seen.insert(row).second) continue;
        for (std::size_t c = 0; c < cols.size(); ++c) push_cell(cols[c], t.columns()[c], r);
      }
    }
    Table t;
    for (auto& c : cols) t.add(std::move(c));
    out.rejects = std::move(t);
  }
  for (const auto& part : parts) {
    out.transactions_after_range += part.transactions_after_range;
    out.transactions_before_range += part.transactions_before_range;
    out.credits += part.credits;
    // Each version scans the same transactions: a filter's note comes once.
    for (const auto& note : part.notes) {
      if (std::find(out.notes.begin(), out.notes.end(), note) == out.notes.end()) out.notes.push_back(note);
    }
  }
  for (const auto* v : order) {
    for (const auto& note : plan_notes(*v)) {
      out.notes.push_back("version " + std::to_string(v->version) + ": " + note);
    }
  }
  if (out.statements.num_rows() == 0) detail::note_range_outside(range, dates, out.notes);
  detail::note_range_inside_period(*order.front(), range, order.back()->effective_to, out.notes);
  return out;
}

}  // namespace spm::comp
