// Pipeline analytics: amount ratios, slippage, forecast categories, overrides, snapshot diffs and
// capacity by deal size.
#include <spm/forecast/pipeline.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <spm/core/error.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/win_model.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

constexpr const char* all = "(all)";

// A missing or empty group value is "(missing)", as in forecast_bookings (an empty text from a
// DataFrame read with keep_default_na=False is no group either; found by a user test).
std::string group_of(const std::optional<io::StringsView>& g, const io::Column* c, std::size_t r) {
  if (!g || c->is_null(r) || (*g)[r].empty()) return g ? std::string(missing_group) : std::string(all);
  return std::string((*g)[r]);
}

// The q-quantile of sorted values by linear interpolation (the usual "type 7").
double quantile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return std::nan("");
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

io::Column nullable_doubles(const std::string& name, std::vector<double> v) {
  std::vector<std::uint8_t> valid(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) valid[i] = std::isnan(v[i]) ? 0 : 1;
  for (auto& x : v) x = std::isnan(x) ? 0.0 : x;
  auto c = io::Column::of(name, std::move(v));
  c.set_validity(std::move(valid));
  return c;
}

}  // namespace

// ---- amounts at close ----------------------------------------------------------------------

AmountRatios amount_ratios(const io::Table& deals, const AmountRatioOptions& o) {
  const auto& amount = detail::money_column(deals, "deals", o.amount);
  const auto& close = detail::money_column(deals, "deals", o.close_amount);
  const auto& outcome = detail::require_column(deals, "deals", o.outcome);
  const auto y = detail::read_outcomes(outcome, "deals");
  std::optional<io::StringsView> seg;
  const io::Column* seg_col = nullptr;
  if (!o.segment.empty()) {
    seg_col = &detail::require_column(deals, "deals", o.segment);
    seg = detail::string_column(*seg_col, "deals");
  }
  struct Sum {
    std::int64_t won = 0;
    Decimal open, closed;
  };
  std::map<std::string, Sum> by;
  Sum total;
  detail::Rejects rejects;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    const auto row = detail::row_number(deals, r);
    if (y[r] == -2) {
      rejects.add(row, o.outcome, outcome.text(r), detail::unknown_outcome_reason(outcome.text(r)));
      continue;
    }
    if (y[r] != 1) continue;  // ratios come from won deals
    if (amount.is_null(r) || close.is_null(r)) {
      rejects.add(row, amount.is_null(r) ? o.amount : o.close_amount, "", "a won deal needs both amounts");
      continue;
    }
    const auto a = detail::money_at(amount, r);
    if (a.sign() <= 0) {
      rejects.add(row, o.amount, a.to_string(), "the amount while open must be positive");
      continue;
    }
    for (auto* s : {&by[group_of(seg, seg_col, r)], &total}) {
      s->won += 1;
      s->open += a;
      s->closed += detail::money_at(close, r);
    }
  }
  if (seg) by.erase(all);
  by[all] = total;
  std::vector<std::string> name;
  std::vector<std::int64_t> won;
  std::vector<Decimal> open, closed, ratio;
  std::vector<std::uint8_t> valid;
  for (const auto& [k, s] : by) {
    if (k == all) continue;
    name.push_back(k);
    won.push_back(s.won);
    open.push_back(s.open);
    closed.push_back(s.closed);
  }
  name.emplace_back(all);
  won.push_back(total.won);
  open.push_back(total.open);
  closed.push_back(total.closed);
  for (std::size_t i = 0; i < name.size(); ++i) {
    valid.push_back(open[i].sign() > 0 ? 1 : 0);
    ratio.push_back(open[i].sign() > 0 ? Decimal::div(closed[i], open[i], 6) : Decimal());
  }
  AmountRatios out;
  out.ratios.add(io::Column::of(o.segment.empty() ? std::string("segment") : o.segment, std::move(name)));
  out.ratios.add(io::Column::of("won_deals", std::move(won)));
  out.ratios.add(io::Column::of("amount", std::move(open)));
  out.ratios.add(io::Column::of("close_amount", std::move(closed)));
  auto rc = io::Column::of("ratio", std::move(ratio));
  rc.set_validity(std::move(valid));
  out.ratios.add(std::move(rc));
  out.rejects = rejects.table();
  return out;
}

io::Table expected_close_amounts(const io::Table& deals, const AmountRatios& ratios, const AmountRatioOptions& o) {
  const auto& amount = detail::money_column(deals, "deals", o.amount);
  const auto& rt = ratios.ratios;
  const auto names = rt.columns()[0].strings();
  const auto& ratio = rt.column("ratio");
  std::unordered_map<std::string, Decimal> by;
  std::optional<Decimal> overall;
  for (std::size_t i = 0; i < rt.num_rows(); ++i) {
    if (ratio.is_null(i)) continue;
    by.emplace(std::string(names[i]), ratio.values<Decimal>()[i]);
    if (names[i] == all) overall = ratio.values<Decimal>()[i];
  }
  std::optional<io::StringsView> seg;
  const io::Column* seg_col = nullptr;
  if (!o.segment.empty()) {
    seg_col = &detail::require_column(deals, "deals", o.segment);
    seg = detail::string_column(*seg_col, "deals");
  }
  std::vector<Decimal> expected(deals.num_rows());
  std::vector<std::uint8_t> valid(deals.num_rows(), 0);
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (amount.is_null(r)) continue;
    const auto it = by.find(group_of(seg, seg_col, r));
    const std::optional<Decimal> k = it != by.end() ? std::optional(it->second) : overall;
    if (!k) continue;
    expected[r] = Decimal::mul(detail::money_at(amount, r), *k, 2);
    valid[r] = 1;
  }
  io::Table out = deals;
  auto c = io::Column::of("expected_amount", std::move(expected));
  c.set_validity(std::move(valid));
  out.add(std::move(c));
  return out;
}

// ---- slippage ------------------------------------------------------------------------------

Slippage slippage(const io::Table& deals, const SlippageOptions& o) {
  if (o.expected_close == o.closed) {
    throw InvalidInputError("forecast.options", "expected_close",
                            "the expected and the actual close date are both '" + o.closed +
                                "'; name the column holding the expected close date (e.g. expected_close_date)");
  }
  const auto& expected = detail::date_column(deals, "deals", o.expected_close);
  const auto& closed = detail::date_column(deals, "deals", o.closed);
  const auto& created = detail::date_column(deals, "deals", o.created);
  Slippage s;
  detail::Rejects rejects;
  std::vector<double> late;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (created.is_null(r) || !(created.values<Date>()[r] < o.as_of)) continue;
    if (expected.is_null(r)) {
      rejects.add(detail::row_number(deals, r), o.expected_close, "", "no expected close date; fill it");
      continue;
    }
    const Date e = expected.values<Date>()[r];
    if (!closed.is_null(r) && closed.values<Date>()[r] < o.as_of) {
      late.push_back(static_cast<double>(closed.values<Date>()[r] - e));
    } else {
      ++s.open;
      s.overdue += e < o.as_of ? 1 : 0;
    }
  }
  std::sort(late.begin(), late.end());
  s.closed = late.size();
  for (const double d : late) s.share_late += d > 0 ? 1 : 0;
  if (!late.empty()) s.share_late /= static_cast<double>(late.size());
  s.p10 = quantile_sorted(late, 0.1);
  s.p50 = quantile_sorted(late, 0.5);
  s.p90 = quantile_sorted(late, 0.9);
  s.rejects = rejects.table();
  return s;
}

// ---- forecast categories -------------------------------------------------------------------

CategoryRollup category_rollup(const io::Table& deals, const CategoryOptions& o) {
  const auto& cat = detail::require_column(deals, "deals", o.category);
  const auto text = detail::string_column(cat, "deals");
  const auto& amount = detail::money_column(deals, "deals", o.amount);
  std::optional<io::StringsView> g;
  const io::Column* g_col = nullptr;
  if (!o.group.empty()) {
    g_col = &detail::require_column(deals, "deals", o.group);
    g = detail::string_column(*g_col, "deals");
  }
  constexpr std::size_t kinds = 5;  // closed, commit, best case, pipeline, omitted
  const auto kind_of = [](std::string_view t) -> int {
    std::string k;
    for (const char c : t) {
      if (c != ' ' && c != '_' && c != '-') k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (k == "closed" || k == "closedwon" || k == "won") return 0;
    if (k == "commit") return 1;
    if (k == "bestcase") return 2;
    if (k == "pipeline") return 3;
    if (k == "omitted" || k == "omit") return 4;
    return -1;
  };
  std::map<std::string, std::array<Decimal, kinds>> by;
  std::array<Decimal, kinds> total{};
  detail::Rejects rejects;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    const auto row = detail::row_number(deals, r);
    const int k = cat.is_null(r) ? -1 : kind_of(text[r]);
    if (k < 0) {
      rejects.add(row, o.category, cat.text(r),
                  "unknown forecast category; use Closed, Commit, Best Case, Pipeline or Omitted");
      continue;
    }
    if (amount.is_null(r)) {
      rejects.add(row, o.amount, "", "no amount; fill it");
      continue;
    }
    const auto a = detail::money_at(amount, r);
    if (a.sign() < 0) {
      rejects.add(row, o.amount, a.to_string(), "the amount is negative; a deal's amount is 0 or more");
      continue;
    }
    by[group_of(g, g_col, r)][static_cast<std::size_t>(k)] += a;
    total[static_cast<std::size_t>(k)] += a;
  }
  by.erase(all);
  std::vector<std::string> name;
  std::array<std::vector<Decimal>, kinds> cols;
  std::vector<Decimal> call, upside;
  const auto add = [&](const std::string& n, const std::array<Decimal, kinds>& v) {
    name.push_back(n);
    for (std::size_t k = 0; k < kinds; ++k) cols[k].push_back(v[k]);
    call.push_back(v[0] + v[1]);
    upside.push_back(v[0] + v[1] + v[2]);
  };
  if (g) {
    for (const auto& [n, v] : by) add(n, v);
  }
  add(all, total);
  CategoryRollup out;
  out.table.add(io::Column::of(o.group.empty() ? std::string("group") : o.group, std::move(name)));
  const std::array<const char*, kinds> names{"closed", "commit", "best_case", "pipeline", "omitted"};
  for (std::size_t k = 0; k < kinds; ++k) out.table.add(io::Column::of(names[k], std::move(cols[k])));
  out.table.add(io::Column::of("call", std::move(call)));
  out.table.add(io::Column::of("upside", std::move(upside)));
  out.rejects = rejects.table();
  return out;
}

// ---- overrides -----------------------------------------------------------------------------

Overridden apply_overrides(const io::Table& deals, const io::Table& overrides, const OverrideOptions& o) {
  const auto& ids = detail::require_column(deals, "deals", o.id);
  (void)detail::require_column(deals, "deals", o.probability);  // found again in the copy below
  // A repeated id would take the override on one copy only: later copies are rejected.
  std::vector<std::uint8_t> keep(deals.num_rows(), 1);
  detail::Rejects deal_rejects;
  detail::reject_duplicate_ids(deals, o.id, keep, deal_rejects);
  std::vector<std::size_t> kept;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (keep[r] != 0) kept.push_back(r);
  }
  Overridden out;
  out.deals = kept.size() == deals.num_rows() ? deals : io::take(deals, kept, {});
  out.deal_rejects = deal_rejects.table();
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (!ids.is_null(kept[i])) row_of.try_emplace(ids.text(kept[i]), i);
  }
  auto& prob_col = out.deals.columns()[*out.deals.find(o.probability)];
  if (prob_col.type() != io::ColumnType::float64) {
    throw InvalidInputError("forecast.column", "deals." + o.probability, "the probability column must be float64");
  }
  auto& prob = prob_col.values<double>();
  std::vector<std::uint8_t> prob_valid = prob_col.validity();
  io::Column* date_col = nullptr;
  if (!o.close_date.empty()) {
    (void)detail::date_column(deals, "deals", o.close_date);
    date_col = &out.deals.columns()[*out.deals.find(o.close_date)];
  }
  const auto& oid = detail::require_column(overrides, "overrides", o.id);
  const auto* action = detail::find_column(overrides, "action");
  const auto* oprob = detail::find_column(overrides, "probability");
  const auto* odate = detail::find_column(overrides, "close_date");
  const auto oprob_values = oprob ? detail::numeric_column(*oprob, "overrides") : detail::NumericColumn{};
  if (odate) (void)detail::date_column(overrides, "overrides", "close_date");
  std::vector<std::string> note(out.deals.num_rows());
  detail::Rejects rejects;
  for (std::size_t i = 0; i < overrides.num_rows(); ++i) {
    const auto row = detail::row_number(overrides, i);
    const auto it = row_of.find(oid.text(i));
    if (it == row_of.end()) {
      rejects.add(row, o.id, oid.text(i), "no deal has this id");
      continue;
    }
    const std::size_t r = it->second;
    std::string what;
    std::optional<double> p;
    if (action && !action->is_null(i)) {
      const int v = parse_outcome(action->text(i));
      if (v < 0) {
        rejects.add(row, "action", action->text(i), "the action must be won or lost");
        continue;
      }
      p = v;
      what = v == 1 ? "forced won" : "forced lost";
    }
    if (oprob && !oprob->is_null(i)) {
      const double v = oprob_values.values[i];
      if (!(v >= 0 && v <= 1)) {
        rejects.add(row, "probability", oprob->text(i), "the probability must be between 0 and 1");
        continue;
      }
      if (p && *p != v) {
        rejects.add(row, "probability", oprob->text(i),
                    std::string("the action forces ") + (*p == 1 ? "won (probability 1)" : "lost (probability 0)") +
                        "; leave the probability empty or drop the action");
        continue;
      }
      p = v;
      char buf[32];
      const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;  // shortest exact text: 0.9
      what += (what.empty() ? "" : "; ") + std::string("probability ") + std::string(buf, end);
    }
    if (odate && !odate->is_null(i)) {
      if (date_col == nullptr) {
        rejects.add(row, "close_date", odate->text(i), "no close date column was named to move");
        continue;
      }
      auto& dates = date_col->values<Date>();
      dates[r] = odate->values<Date>()[i];
      if (date_col->is_null(r)) {
        auto v = date_col->validity();
        v[r] = 1;
        date_col->set_validity(std::move(v));
      }
      what += (what.empty() ? "" : "; ") + std::string("close date ") + odate->text(i);
    }
    if (p) {
      prob[r] = *p;
      if (!prob_valid.empty()) prob_valid[r] = 1;
    }
    if (!what.empty()) {
      note[r] += (note[r].empty() ? "" : "; ") + what;
      ++out.applied;
    }
  }
  prob_col.set_validity(std::move(prob_valid));
  out.deals.add(io::Column::of("override", std::move(note)));
  out.rejects = rejects.table();
  return out;
}

// ---- snapshot diff -------------------------------------------------------------------------

SnapshotDiff snapshot_diff(const io::Table& before, const io::Table& after, const SnapshotOptions& o) {
  struct Deal {
    std::size_t row;
    std::optional<Decimal> amount;
    std::optional<Date> date;
    int outcome;  // 1 won, 0 lost, -1 open
  };
  detail::Rejects rejects;
  std::set<std::string> unreadable;  // ids with a rejected row: left out of both snapshots
  const auto read = [&](const io::Table& t, const char* table) {
    const auto& id = detail::require_column(t, table, o.id);
    const auto& amount = detail::money_column(t, table, o.amount);
    const auto& date = detail::date_column(t, table, o.close_date);
    const auto& outcome = detail::require_column(t, table, o.outcome);
    const auto y = detail::read_outcomes(outcome, table);
    std::map<std::string, Deal> deals;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (id.is_null(r)) continue;
      if (y[r] == -2) {
        rejects.add(detail::row_number(t, r), o.outcome, outcome.text(r),
                    std::string("in the ") + table + " snapshot: " + detail::unknown_outcome_reason(outcome.text(r)) +
                        "; the deal is left out of the diff");
        unreadable.insert(id.text(r));
        continue;
      }
      Deal d{r, amount.is_null(r) ? std::nullopt : std::optional(detail::money_at(amount, r)),
             date.is_null(r) ? std::nullopt : std::optional(date.values<Date>()[r]),
             y[r]};
      if (!deals.emplace(id.text(r), d).second) {
        rejects.add(detail::row_number(t, r), o.id, id.text(r), std::string("duplicate id in the ") + table + " snapshot");
      }
    }
    return deals;
  };
  auto b = read(before, "before");
  auto a = read(after, "after");
  for (const auto& key : unreadable) {
    b.erase(key);
    a.erase(key);
  }
  std::vector<std::string> id, change;
  std::vector<Decimal> amount_before, amount_after;
  std::vector<std::uint8_t> ab_valid, aa_valid, db_valid, da_valid;
  std::vector<Date> date_before, date_after;
  std::map<std::string, std::pair<std::int64_t, Decimal>> summary;
  const auto emit = [&](const std::string& key, const char* kind, const Deal* x, const Deal* y) {
    id.push_back(key);
    change.emplace_back(kind);
    amount_before.push_back(x && x->amount ? *x->amount : Decimal());
    ab_valid.push_back(x && x->amount ? 1 : 0);
    amount_after.push_back(y && y->amount ? *y->amount : Decimal());
    aa_valid.push_back(y && y->amount ? 1 : 0);
    date_before.push_back(x && x->date ? *x->date : Date());
    db_valid.push_back(x && x->date ? 1 : 0);
    date_after.push_back(y && y->date ? *y->date : Date());
    da_valid.push_back(y && y->date ? 1 : 0);
    auto& s = summary[kind];
    s.first += 1;
    const Deal* which = y ? y : x;
    if (which && which->amount) s.second += *which->amount;
  };
  for (const auto& [key, y] : a) {
    const auto it = b.find(key);
    if (it == b.end()) {
      emit(key, "new", nullptr, &y);
      continue;
    }
    const auto& x = it->second;
    if (x.outcome < 0 && y.outcome == 1) emit(key, "won", &x, &y);
    else if (x.outcome < 0 && y.outcome == 0) emit(key, "lost", &x, &y);
    if (x.date && y.date && *y.date > *x.date) emit(key, "pushed", &x, &y);
    if (x.date && y.date && *y.date < *x.date) emit(key, "pulled", &x, &y);
    if (x.amount != y.amount) emit(key, "amount_changed", &x, &y);
  }
  for (const auto& [key, x] : b) {
    if (!a.count(key)) emit(key, "removed", &x, nullptr);
  }
  SnapshotDiff out;
  const auto with_valid = [](io::Column c, std::vector<std::uint8_t> v) {
    c.set_validity(std::move(v));
    return c;
  };
  out.changes.add(io::Column::of(o.id, std::move(id)));
  out.changes.add(io::Column::of("change", std::move(change)));
  out.changes.add(with_valid(io::Column::of("amount_before", std::move(amount_before)), std::move(ab_valid)));
  out.changes.add(with_valid(io::Column::of("amount_after", std::move(amount_after)), std::move(aa_valid)));
  out.changes.add(with_valid(io::Column::of("date_before", std::move(date_before)), std::move(db_valid)));
  out.changes.add(with_valid(io::Column::of("date_after", std::move(date_after)), std::move(da_valid)));
  std::vector<std::string> kind;
  std::vector<std::int64_t> count;
  std::vector<Decimal> money;
  for (const char* k : {"new", "won", "lost", "pushed", "pulled", "amount_changed", "removed"}) {
    const auto it = summary.find(k);
    kind.emplace_back(k);
    count.push_back(it != summary.end() ? it->second.first : 0);
    money.push_back(it != summary.end() ? it->second.second : Decimal());
  }
  out.summary.add(io::Column::of("change", std::move(kind)));
  out.summary.add(io::Column::of("deals", std::move(count)));
  out.summary.add(io::Column::of("amount", std::move(money)));
  out.rejects = rejects.table();
  return out;
}

// ---- capacity by deal size -----------------------------------------------------------------

CapacityBySize capacity_by_size(const io::Table& deals, const CapacityBySizeOptions& o) {
  // Bounds are deal sizes: a bound of 0 or less makes a band no deal can be in.
  for (std::size_t b = 0; b < o.bands.size(); ++b) {
    if (o.bands[b].sign() <= 0) {
      throw InvalidInputError("forecast.options", "bands[" + std::to_string(b) + "]",
                              "the band bound " + o.bands[b].to_string() +
                                  " is not a deal size; bounds are positive upper bounds, smallest "
                                  "first (e.g. 10000,50000)");
    }
    if (b > 0 && o.bands[b] <= o.bands[b - 1]) {
      throw InvalidInputError("forecast.options", "bands[" + std::to_string(b) + "]",
                              "band bounds must be strictly ascending: " + o.bands[b].to_string() +
                                  " follows " + o.bands[b - 1].to_string() +
                                  "; list each bound once, smallest first (e.g. 10000,50000)");
    }
  }
  if (o.period_days < 1 || o.history_days < 1) {
    throw InvalidInputError("forecast.options", "period_days", "periods and history are at least one day");
  }
  const auto& owner = detail::require_column(deals, "deals", o.owner);
  const auto owners = detail::string_column(owner, "deals");
  const auto& amount = detail::money_column(deals, "deals", o.amount);
  const auto& created = detail::date_column(deals, "deals", o.created);
  const auto& closed = detail::date_column(deals, "deals", o.closed);
  const auto& outcome = detail::require_column(deals, "deals", o.outcome);
  const auto y = detail::read_outcomes(outcome, "deals");
  const std::size_t bands = o.bands.size() + 1;
  const auto band_of = [&](const Decimal& a) {
    return static_cast<std::size_t>(std::lower_bound(o.bands.begin(), o.bands.end(), a) - o.bands.begin());
  };
  const auto label = [&](std::size_t b) {
    const std::string lo = b == 0 ? "0" : o.bands[b - 1].to_string();
    return b < o.bands.size() ? lo + "-" + o.bands[b].to_string() : lo + "+";
  };
  struct Cell {
    std::int64_t created = 0, closed = 0, won = 0;
    Decimal won_amount;
    std::vector<double> cycle;
  };
  std::map<std::string, std::vector<Cell>> reps;
  std::vector<Cell> team(bands);
  detail::Rejects rejects;
  const Date from = o.as_of - o.history_days;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (created.is_null(r) || !(created.values<Date>()[r] < o.as_of) || created.values<Date>()[r] < from) continue;
    const auto row = detail::row_number(deals, r);
    if (owner.is_null(r) || amount.is_null(r)) {
      rejects.add(row, owner.is_null(r) ? o.owner : o.amount, "", "needs an owner and an amount");
      continue;
    }
    const auto a = detail::money_at(amount, r);
    if (a.sign() < 0) {
      rejects.add(row, o.amount, a.to_string(), "the amount is negative; a deal's amount is 0 or more");
      continue;
    }
    if (!closed.is_null(r) && closed.values<Date>()[r] < created.values<Date>()[r]) {
      rejects.add(row, o.closed, closed.text(r), "the close date is before the creation date " + created.text(r));
      continue;
    }
    if (y[r] == -2) {
      rejects.add(row, o.outcome, outcome.text(r), detail::unknown_outcome_reason(outcome.text(r)));
      continue;
    }
    if (detail::outcome_without_close(outcome, closed, r)) {  // else counted as still open
      detail::reject_outcome_without_close(rejects, row, outcome, r, o.closed);
      continue;
    }
    const std::size_t b = band_of(a);
    auto& cells = reps[std::string(owners[r])];
    cells.resize(bands);
    for (auto* c : {&cells[b], &team[b]}) {
      c->created += 1;
      const bool done = !closed.is_null(r) && closed.values<Date>()[r] < o.as_of;
      if (!done) continue;
      const int v = y[r];
      if (v < 0) continue;
      c->closed += 1;
      if (v == 1) {
        c->won += 1;
        c->won_amount += a;
        c->cycle.push_back(static_cast<double>(closed.values<Date>()[r] - created.values<Date>()[r]));
      }
    }
  }
  // Beta prior per band by the method of moments over reps: the spread of their win rates beyond
  // what binomial noise explains.
  std::vector<double> rate(bands), strength(bands);
  for (std::size_t b = 0; b < bands; ++b) {
    const double m = team[b].closed > 0 ? static_cast<double>(team[b].won) / static_cast<double>(team[b].closed) : 0.0;
    rate[b] = m;
    double spread = 0, noise = 0, weight = 0;
    for (const auto& [name, cells] : reps) {
      const auto& c = cells[b];
      if (c.closed == 0) continue;
      const double n = static_cast<double>(c.closed);
      const double p = static_cast<double>(c.won) / n;
      spread += n * (p - m) * (p - m);
      noise += m * (1 - m);
      weight += n;
    }
    const double tau2 = weight > 0 ? (spread - noise) / weight : 0;
    constexpr double most = 1000;  // no visible spread: trust the team almost entirely
    strength[b] = tau2 > 0 ? std::clamp(m * (1 - m) / tau2 - 1, 1.0, most) : most;
  }
  const double periods = static_cast<double>(o.history_days) / static_cast<double>(o.period_days);
  std::vector<std::string> who, band;
  std::vector<std::int64_t> n_closed, n_won;
  std::vector<double> raw, shrunk, cycle, created_pp, won_pp;
  std::vector<Decimal> avg_won, value_pp;
  for (const auto& [name, cells] : reps) {
    for (std::size_t b = 0; b < bands; ++b) {
      const auto& c = cells[b];
      who.push_back(name);
      band.push_back(label(b));
      n_closed.push_back(c.closed);
      n_won.push_back(c.won);
      raw.push_back(c.closed > 0 ? static_cast<double>(c.won) / static_cast<double>(c.closed) : std::nan(""));
      const double s = (static_cast<double>(c.won) + rate[b] * strength[b]) / (static_cast<double>(c.closed) + strength[b]);
      shrunk.push_back(s);
      auto cy = c.cycle;
      std::sort(cy.begin(), cy.end());
      cycle.push_back(quantile_sorted(cy, 0.5));
      created_pp.push_back(static_cast<double>(c.created) / periods);
      won_pp.push_back(created_pp.back() * s);
      const auto& source = c.won > 0 ? c : team[b];
      const Decimal avg = source.won > 0 ? Decimal::div(source.won_amount, Decimal(source.won), 2) : Decimal();
      avg_won.push_back(avg);
      // Money exactly: the expected wins (a statistic) to 12 places times the average amount,
      // rounded once to the cent (as expected_bookings does), not a product of doubles.
      value_pp.push_back(Decimal::mul(avg, Decimal::from_double(won_pp.back(), Decimal::scale), 2));
    }
  }
  CapacityBySize out;
  out.reps.add(io::Column::of(o.owner, std::move(who)));
  out.reps.add(io::Column::of("band", std::move(band)));
  out.reps.add(io::Column::of("closed", std::move(n_closed)));
  out.reps.add(io::Column::of("won", std::move(n_won)));
  out.reps.add(nullable_doubles("win_rate", std::move(raw)));
  out.reps.add(io::Column::of("win_rate_shrunk", std::move(shrunk)));
  out.reps.add(nullable_doubles("cycle_days", std::move(cycle)));
  out.reps.add(io::Column::of("created_per_period", std::move(created_pp)));
  out.reps.add(io::Column::of("expected_won_per_period", std::move(won_pp)));
  out.reps.add(io::Column::of("average_won_amount", std::move(avg_won)));
  out.reps.add(io::Column::of("expected_value_per_period", std::move(value_pp)));
  std::vector<std::string> bl;
  for (std::size_t b = 0; b < bands; ++b) bl.push_back(label(b));
  out.prior.add(io::Column::of("band", std::move(bl)));
  out.prior.add(io::Column::of("team_win_rate", std::move(rate)));
  out.prior.add(io::Column::of("prior_strength", std::move(strength)));
  out.rejects = rejects.table();
  return out;
}

}  // namespace spm::forecast
