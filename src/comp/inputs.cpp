#include "inputs.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>

namespace spm::comp::detail {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

const Column& need(const Table& t, const char* table, const char* name, ColumnType type) {
  const auto i = t.find(name);
  if (!i) {
    throw InvalidInputError("comp.column", std::string(table) + "." + name,
                            "the " + std::string(table) + " table needs a column '" + name +
                                "' of type " + std::string(io::to_string(type)));
  }
  const Column& c = t.columns()[*i];
  if (c.type() != type) {
    throw InvalidInputError("comp.column", std::string(table) + "." + name,
                            "column holds " + std::string(io::to_string(c.type())) +
                                " values; it must be " + std::string(io::to_string(type)));
  }
  return c;
}

const Column* maybe(const Table& t, const char* table, const char* name, ColumnType type) {
  return t.find(name) ? &need(t, table, name, type) : nullptr;
}

// Filter: every condition's column (as text) equals one of its values.
std::vector<std::uint8_t> evaluate(const Filter& f, const Table& tx) {
  std::vector<std::uint8_t> pass(tx.num_rows(), 1);
  for (const auto& cond : f.conditions) {
    const auto i = tx.find(cond.column);
    if (!i) {
      throw InvalidInputError("comp.column", "transactions." + cond.column,
                              "a plan filter uses column '" + cond.column +
                                  "', which the transactions table does not have");
    }
    const Column& col = tx.columns()[*i];
    const bool text = col.type() == ColumnType::string;
    for (std::size_t r = 0; r < tx.num_rows(); ++r) {
      if (!pass[r]) continue;
      std::string other;  // non-text columns compare by their text form
      if (!text) other = col.text(r);
      const std::string_view v = !text ? std::string_view(other)
                                 : col.is_null(r) ? std::string_view()
                                                  : std::string_view(col.values<std::string>()[r]);
      pass[r] = std::find(cond.values.begin(), cond.values.end(), v) != cond.values.end();
    }
  }
  return pass;
}

// Where a reject points: the source line when the CSV reader kept it (column "_line"), else
// the 1-based row of the table.
std::int64_t row_number(const Table& t, std::size_t r) {
  if (const auto i = t.find("_line")) return t.columns()[*i].values<std::int64_t>()[r];
  return static_cast<std::int64_t>(r + 1);
}

// Open-addressing index of the transaction ids (one allocation instead of a node per id):
// marks every row whose id occurs more than once as not ok, and answers "is there such an id".
class IdIndex {
 public:
  IdIndex(const std::vector<std::string>& ids, std::vector<std::uint8_t>& ok) : ids_(ids) {
    std::size_t cap = 16;
    while (cap < 2 * ids.size()) cap <<= 1;
    slots_.assign(cap, UINT32_MAX);
    mask_ = cap - 1;
    for (std::size_t r = 0; r < ids.size(); ++r) {
      std::size_t h = std::hash<std::string_view>{}(ids[r]) & mask_;
      while (slots_[h] != UINT32_MAX) {
        if (ids[slots_[h]] == ids[r]) {
          ok[r] = 0;
          ok[slots_[h]] = 0;
          break;
        }
        h = (h + 1) & mask_;
      }
      if (slots_[h] == UINT32_MAX) slots_[h] = static_cast<std::uint32_t>(r);
    }
  }
  [[nodiscard]] bool contains(std::string_view id) const {
    for (std::size_t h = std::hash<std::string_view>{}(id) & mask_; slots_[h] != UINT32_MAX;
         h = (h + 1) & mask_) {
      if (ids_[slots_[h]] == id) return true;
    }
    return false;
  }

 private:
  const std::vector<std::string>& ids_;
  std::vector<std::uint32_t> slots_;
  std::size_t mask_ = 0;
};

}  // namespace

void Rejects::add(std::string src, std::int64_t r, std::string i, std::string p, std::string per,
                  std::string why) {
  source.push_back(std::move(src));
  row.push_back(r);
  id.push_back(std::move(i));
  payee.push_back(std::move(p));
  period.push_back(std::move(per));
  reason.push_back(std::move(why));
}

io::Table Rejects::table() && {
  Table t;
  t.add(Column::of("source", std::move(source)));
  t.add(Column::of("row", std::move(row)));
  t.add(Column::of("id", std::move(id)));
  t.add(Column::of("payee_id", std::move(payee)));
  t.add(Column::of("period", std::move(period)));
  t.add(Column::of("reason", std::move(reason)));
  return t;
}

Prepared prepare(const Plan& plan, const CompInputs& in, const Period& range, Rejects& rejects) {
  if (in.transactions == nullptr || in.quotas == nullptr) {
    throw InvalidInputError("comp.inputs", "", "a run needs a transactions table and a quotas table");
  }
  const Table& tx = *in.transactions;
  const auto& tx_id = need(tx, "transactions", "transaction_id", ColumnType::string).values<std::string>();
  const Column& tx_payee_col = need(tx, "transactions", "payee_id", ColumnType::string);
  const auto& tx_payee = tx_payee_col.values<std::string>();
  const auto& tx_date = need(tx, "transactions", "date", ColumnType::date).values<Date>();
  const Column& amount_col = need(tx, "transactions", "amount", ColumnType::decimal);
  const auto& amount = amount_col.values<Decimal>();
  const Column* ccy = maybe(tx, "transactions", "currency", ColumnType::string);
  const std::string plan_ccy(plan.currency.code());

  Prepared p;
  p.tx_ids = &tx_id;
  auto source_row = [&](std::size_t r) { return row_number(tx, r); };
  const std::size_t n = tx.num_rows();

  // Transaction-level checks; a bad transaction is rejected whole.
  std::vector<std::uint8_t> ok(n, 1);
  const IdIndex ids(tx_id, ok);
  // Split credits, grouped by transaction; a payee listed twice for one transaction gets the
  // sum of its shares (one credit, so that lines do not depend on the order of the rows).
  std::unordered_map<std::string_view, std::vector<std::pair<std::string, Decimal>>> splits;
  if (in.credits != nullptr) {
    const Table& cr = *in.credits;
    const auto& c_tx = need(cr, "credits", "transaction_id", ColumnType::string).values<std::string>();
    const auto& c_payee = need(cr, "credits", "payee_id", ColumnType::string).values<std::string>();
    const Column& c_pct_col = need(cr, "credits", "percent", ColumnType::decimal);
    const auto& c_pct = c_pct_col.values<Decimal>();
    for (std::size_t r = 0; r < cr.num_rows(); ++r) {
      if (!ids.contains(c_tx[r])) {
        rejects.add("credits", row_number(cr, r), c_tx[r], c_payee[r], "",
                    "no transaction has id '" + c_tx[r] + "'");
        continue;
      }
      if (c_payee[r].empty() || c_pct_col.is_null(r)) {
        rejects.add("credits", row_number(cr, r), c_tx[r], c_payee[r], "",
                    "a split credit needs a payee_id and a percent");
        continue;
      }
      auto& list = splits[c_tx[r]];
      const auto same = std::find_if(list.begin(), list.end(),
                                     [&](const auto& e) { return e.first == c_payee[r]; });
      if (same != list.end()) same->second += c_pct[r];
      else list.emplace_back(c_payee[r], c_pct[r]);
    }
  }

  // Credit by rule: the rules in force on the transaction's date for its key become its shares.
  std::unordered_set<std::string_view> from_rules;
  if (!plan.credit_by.empty()) {
    if (in.credit_rules == nullptr) {
      throw InvalidInputError("comp.inputs", "credit_rules",
                              "the plan credits by '" + plan.credit_by +
                                  "' but no credit_rules table was given (key, payee_id, from, "
                                  "to, percent)");
    }
    const Table& cr = *in.credit_rules;
    const auto& k_key = need(cr, "credit_rules", "key", ColumnType::string).values<std::string>();
    const auto& k_payee = need(cr, "credit_rules", "payee_id", ColumnType::string).values<std::string>();
    const auto& k_from = need(cr, "credit_rules", "from", ColumnType::date).values<Date>();
    const Column& k_to = need(cr, "credit_rules", "to", ColumnType::date);
    const Column* k_pct = maybe(cr, "credit_rules", "percent", ColumnType::decimal);
    struct Rule {
      std::string_view payee;
      Period when;
      Decimal percent;
    };
    std::unordered_map<std::string_view, std::vector<Rule>> rules;
    for (std::size_t r = 0; r < cr.num_rows(); ++r) {
      const Date to = k_to.is_null(r) ? Date::from_days(INT32_MAX / 2) : k_to.values<Date>()[r];
      const Decimal pct = k_pct && !k_pct->is_null(r) ? k_pct->values<Decimal>()[r] : Decimal(100);
      if (k_payee[r].empty() || to <= k_from[r] || pct.sign() <= 0) {
        rejects.add("credit_rules", row_number(cr, r), k_key[r], k_payee[r], "",
                    "a credit rule needs a payee_id, 'to' after 'from' and a percent above 0");
        continue;
      }
      rules[k_key[r]].push_back({k_payee[r], {k_from[r], to}, pct});
    }
    const Column& by = need(tx, "transactions", plan.credit_by.c_str(), ColumnType::string);
    for (std::size_t r = 0; r < n; ++r) {
      if (!ok[r] || by.is_null(r) || splits.count(tx_id[r])) continue;
      const auto it = rules.find(by.values<std::string>()[r]);
      if (it == rules.end()) continue;
      std::vector<std::pair<std::string, Decimal>> shares;
      for (const auto& rule : it->second) {
        if (!rule.when.contains(tx_date[r])) continue;
        const auto same = std::find_if(shares.begin(), shares.end(),
                                       [&](const auto& e) { return e.first == rule.payee; });
        if (same != shares.end()) same->second += rule.percent;
        else shares.emplace_back(std::string(rule.payee), rule.percent);
      }
      if (!shares.empty()) {
        splits[tx_id[r]] = std::move(shares);
        from_rules.insert(tx_id[r]);
      }
    }
  }

  const Period effective{plan.effective_from, plan.effective_to};
  for (std::size_t r = 0; r < n; ++r) {
    auto reject = [&](const std::string& why) {
      rejects.add("transactions", source_row(r), tx_id[r], tx_payee[r], "", why);
      ok[r] = 0;
    };
    if (!ok[r]) {
      reject("transaction_id '" + tx_id[r] + "' appears more than once; ids must be unique");
      continue;
    }
    if ((tx_payee_col.is_null(r) || tx_payee[r].empty()) && !splits.count(tx_id[r])) {
      reject(plan.credit_by.empty()
                 ? "the payee_id is missing; every transaction needs the payee it credits"
                 : "no credit rule maps its " + plan.credit_by + " on " + tx_date[r].to_string() +
                       " and the payee_id is missing");
    } else if (amount_col.is_null(r)) {
      reject("the amount is missing");
    } else if (ccy != nullptr && !ccy->is_null(r) && ccy->values<std::string>()[r] != plan_ccy) {
      // A null currency (or no currency column) means the plan currency.
      reject("currency '" + ccy->values<std::string>()[r] + "' differs from the plan currency " +
             plan_ccy + "; convert it first");
    } else if (amount[r].sign() < 0 && !plan.allow_negative) {
      reject("the amount " + amount[r].to_string() +
             " is negative; set \"allow_negative\": true in the plan to credit returns");
    } else if (!effective.contains(tx_date[r])) {
      reject("dated " + tx_date[r].to_string() + ", outside the plan's effective dates " +
             effective.to_string());
    } else if (tx_date[r] >= range.end) {
      ok[r] = 0;  // belongs to a later run; counted, not rejected
      ++p.after_range;
    } else if (const auto s = splits.empty() ? splits.end() : splits.find(tx_id[r]); s != splits.end()) {
      // Split shares: none negative, exactly 100% in all.
      Decimal total;
      const std::pair<std::string, Decimal>* negative = nullptr;
      for (const auto& e : s->second) {
        total += e.second;
        if (e.second.sign() < 0 && negative == nullptr) negative = &e;
      }
      if (negative != nullptr) {
        reject("the split credit to " + negative->first + " is " + negative->second.to_string() +
               "%; shares must be 0% or more");
      } else if (total != Decimal(100)) {
        reject(from_rules.count(tx_id[r])
                   ? "the credit rules in force for its " + plan.credit_by + " total " +
                         total.to_string() + "%, not 100%; fix the credit rules"
                   : "split credits total " + total.to_string() + "%, not 100%; fix the credits");
      }
    }
  }

  // Payees: everyone credited or given a quota, in byte order of their ids. Interned first (one
  // hash lookup per row, remembered), then only the distinct ids are sorted.
  std::unordered_map<std::string_view, std::uint32_t> interned;
  std::vector<std::string_view> distinct;
  auto intern = [&](std::string_view id) {
    const auto [it, fresh] = interned.try_emplace(id, static_cast<std::uint32_t>(distinct.size()));
    if (fresh) distinct.push_back(id);
    return it->second;
  };
  std::vector<std::uint32_t> row_payee(n, UINT32_MAX);
  for (std::size_t r = 0; r < n; ++r) {
    if (!ok[r]) continue;
    const auto s = splits.empty() ? splits.end() : splits.find(tx_id[r]);
    if (s == splits.end()) row_payee[r] = intern(tx_payee[r]);
    else for (const auto& [payee, pct] : s->second) intern(payee);
  }
  const auto& q_payee = need(*in.quotas, "quotas", "payee_id", ColumnType::string).values<std::string>();
  for (const auto& q : q_payee) {
    if (!q.empty()) intern(q);
  }
  std::vector<std::uint32_t> by_name(distinct.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::sort(by_name.begin(), by_name.end(), [&](auto a, auto b) { return distinct[a] < distinct[b]; });
  std::vector<std::uint32_t> final_index(distinct.size());
  for (std::size_t i = 0; i < by_name.size(); ++i) {
    final_index[by_name[i]] = static_cast<std::uint32_t>(i);
    p.payees.emplace_back(distinct[by_name[i]]);
  }
  std::unordered_map<std::string_view, std::uint32_t> payee_index;
  for (std::size_t i = 0; i < p.payees.size(); ++i) payee_index.emplace(p.payees[i], static_cast<std::uint32_t>(i));

  // Assignments.
  p.assigned.resize(p.payees.size());
  if (in.assignments != nullptr) {
    p.has_assignments = true;
    const Table& a = *in.assignments;
    const auto& a_payee = need(a, "assignments", "payee_id", ColumnType::string).values<std::string>();
    const auto& a_from = need(a, "assignments", "from", ColumnType::date).values<Date>();
    const Column& a_to = need(a, "assignments", "to", ColumnType::date);
    for (std::size_t r = 0; r < a.num_rows(); ++r) {
      const auto it = payee_index.find(a_payee[r]);
      if (it == payee_index.end()) continue;  // assigned but no credits and no quota: nothing to pay
      const Date to = a_to.is_null(r) ? Date::from_days(INT32_MAX / 2) : a_to.values<Date>()[r];
      if (to <= a_from[r]) {
        rejects.add("assignments", row_number(a, r), a_payee[r], a_payee[r], "",
                    "'to' must be after 'from'");
        continue;
      }
      p.assigned[it->second].push_back({a_from[r], to});
    }
    // Overlapping or touching stints are one: a day is assigned once, so that quotas prorated
    // by assigned days never exceed the pay period's quota.
    for (auto& stints : p.assigned) {
      std::sort(stints.begin(), stints.end(),
                [](const Period& x, const Period& y) { return x.begin < y.begin; });
      std::vector<Period> merged;
      for (const auto& st : stints) {
        if (!merged.empty() && st.begin <= merged.back().end) {
          merged.back().end = std::max(merged.back().end, st.end);
        } else {
          merged.push_back(st);
        }
      }
      stints = std::move(merged);
    }
  }
  auto assigned_on = [&](std::uint32_t payee, Date d) {
    if (!p.has_assignments) return true;
    for (const auto& per : p.assigned[payee]) {
      if (per.contains(d)) return true;
    }
    return false;
  };

  // Credits.
  p.credits.reserve(n);
  std::vector<Credit> made;
  for (std::size_t r = 0; r < n; ++r) {
    if (!ok[r]) continue;
    const auto s = splits.empty() ? splits.end() : splits.find(tx_id[r]);
    made.clear();
    if (s == splits.end()) {
      made.push_back({static_cast<std::uint32_t>(r), final_index[row_payee[r]], tx_date[r], Decimal(100)});
    } else {
      for (const auto& [payee, pct] : s->second) {
        made.push_back({static_cast<std::uint32_t>(r), payee_index.at(payee), tx_date[r], pct,
                        from_rules.count(tx_id[r]) ? Credit::Source::rule : Credit::Source::split});
      }
    }
    // A payee not assigned on the date is not credited (its share of a split is rejected, as
    // it belongs to another plan or to no one); the assigned payees of a split keep theirs.
    for (const auto& c : made) {
      if (assigned_on(c.payee, c.date)) {
        p.credits.push_back(c);
      } else {
        rejects.add("transactions", source_row(r), tx_id[r], p.payees[c.payee], "",
                    "payee " + p.payees[c.payee] + " is not assigned to plan " + plan.id + " on " +
                        c.date.to_string());
      }
    }
  }
  // Canonical order: payee (a counting sort), then date, then transaction id in byte order
  // (ids compared only on ties) within each payee.
  p.payee_begin.assign(p.payees.size() + 1, 0);
  for (const auto& c : p.credits) ++p.payee_begin[c.payee + 1];
  std::partial_sum(p.payee_begin.begin(), p.payee_begin.end(), p.payee_begin.begin());
  {
    std::vector<Credit> sorted(p.credits.size());
    std::vector<std::size_t> next(p.payee_begin.begin(), p.payee_begin.end() - 1);
    for (const auto& c : p.credits) sorted[next[c.payee]++] = c;
    p.credits = std::move(sorted);
  }
  for (std::size_t q = 0; q < p.payees.size(); ++q) {
    std::sort(p.credits.begin() + static_cast<std::ptrdiff_t>(p.payee_begin[q]),
              p.credits.begin() + static_cast<std::ptrdiff_t>(p.payee_begin[q + 1]),
              [&](const Credit& a, const Credit& b) {
                if (a.date != b.date) return a.date < b.date;
                return tx_id[a.tx] < tx_id[b.tx];
              });
  }

  // Measure contributions per credit: split shares of a column are allocated so that the
  // payees' shares add up exactly to the transaction's value.
  const std::size_t nc = p.credits.size();
  for (const auto& m : plan.measures) {
    const auto pass_tx = evaluate(m.filter, tx);
    const Column* col = m.count ? nullptr : &need(tx, "transactions", m.sum_column.c_str(), ColumnType::decimal);
    std::vector<Decimal> value(nc);
    std::vector<std::uint8_t> passes(nc);
    std::unordered_map<std::uint32_t, std::vector<std::size_t>> split_credits;
    for (std::size_t k = 0; k < nc; ++k) {
      const Credit& c = p.credits[k];
      // A return (negative amount) is not a deal: count measures skip it.
      passes[k] = pass_tx[c.tx] && !(m.count && amount[c.tx].sign() < 0);
      if (!passes[k]) continue;
      if (c.percent != Decimal(100)) {
        split_credits[c.tx].push_back(k);
      } else if (m.count) {
        value[k] = Decimal(1);
      } else {
        value[k] = col->is_null(c.tx) ? Decimal(0) : col->values<Decimal>()[c.tx];
      }
    }
    for (const auto& [row, ks] : split_credits) {
      // The whole split is allocated (in payee order, for deterministic ties), also the shares
      // of payees not credited here (not assigned), so each share is the same whoever is left.
      std::vector<std::pair<std::uint32_t, Decimal>> shares;
      for (const auto& [payee, pct] : splits.at(tx_id[row])) {
        shares.emplace_back(payee_index.at(payee), pct);
      }
      std::sort(shares.begin(), shares.end());
      std::vector<Decimal> weights;
      for (const auto& sh : shares) weights.push_back(sh.second);
      // A deal counts once, shared like its amount (to 12 places: 33.33% is 0.3333 of a deal).
      // Credited amounts are in the currency's minor units (or finer when the value is), so a
      // statement shows 33333.34 and not 33333.333333333333. Either way the parts sum exactly to
      // the value.
      const Decimal v = m.count           ? Decimal(1)
                        : col->is_null(row) ? Decimal(0)
                                            : col->values<Decimal>()[row];
      int places = m.count ? Decimal::scale : plan.currency.minor_units();
      while (!v.has_places(places)) ++places;
      const auto parts = allocate(v, weights, places);
      for (const auto k : ks) {
        for (std::size_t i = 0; i < shares.size(); ++i) {
          if (shares[i].first == p.credits[k].payee) value[k] = parts[i];
        }
      }
    }
    p.value.push_back(std::move(value));
    p.passes.push_back(std::move(passes));
  }
  for (const auto& c : plan.components) {
    std::vector<std::uint8_t> mask;
    if (c.type == ComponentType::spif) {
      // A return (negative amount) earns no SPIF.
      const auto pass_tx = evaluate(c.filter, tx);
      mask.resize(nc);
      for (std::size_t k = 0; k < nc; ++k) {
        mask[k] = pass_tx[p.credits[k].tx] && amount[p.credits[k].tx].sign() >= 0;
      }
    }
    p.spif.push_back(std::move(mask));
  }

  // Quotas: (payee, measure, period start).
  {
    const Table& q = *in.quotas;
    const auto& q_start = need(q, "quotas", "period_start", ColumnType::date).values<Date>();
    const Column& q_value = need(q, "quotas", "quota", ColumnType::decimal);
    const Column* q_measure = maybe(q, "quotas", "measure", ColumnType::string);
    std::string default_measure = plan.quota_measure;
    if (default_measure.empty()) {
      for (const auto& c : plan.components) {
        if (!c.measure.empty()) {
          default_measure = c.measure;
          break;
        }
      }
    }
    for (std::size_t r = 0; r < q.num_rows(); ++r) {
      const std::string m = q_measure && !q_measure->is_null(r) ? q_measure->values<std::string>()[r] : default_measure;
      std::size_t mi = plan.measures.size();
      for (std::size_t k = 0; k < plan.measures.size(); ++k) {
        if (plan.measures[k].id == m) mi = k;
      }
      auto reject = [&](const std::string& why) {
        rejects.add("quotas", row_number(q, r), m, q_payee[r], q_start[r].to_string(), why);
      };
      if (q_payee[r].empty()) {
        reject("the payee_id is missing");
      } else if (mi == plan.measures.size()) {
        reject("measure '" + m + "' is not in the plan");
      } else if (q_value.is_null(r) || q_value.values<Decimal>()[r].sign() <= 0) {
        reject("the quota must be above 0");
      } else if (plan.calendar.period_containing(q_start[r], plan.pay_period).begin != q_start[r]) {
        reject("period_start " + q_start[r].to_string() + " is not the first day of a " +
               std::string(to_string(plan.pay_period)) + " pay period");
      } else if (!p.quotas.emplace(std::tuple{payee_index.at(q_payee[r]), mi, q_start[r].days_since_epoch()},
                                   q_value.values<Decimal>()[r]).second) {
        reject("a second quota for the same payee, measure and period");
      }
    }
  }

  // Scores for score multipliers.
  if (in.scores != nullptr) {
    const Table& s = *in.scores;
    const auto& s_payee = need(s, "scores", "payee_id", ColumnType::string).values<std::string>();
    const auto& s_start = need(s, "scores", "period_start", ColumnType::date).values<Date>();
    const auto& s_name = need(s, "scores", "score", ColumnType::string).values<std::string>();
    const Column& s_value_col = need(s, "scores", "value", ColumnType::decimal);
    const auto& s_value = s_value_col.values<Decimal>();
    for (std::size_t r = 0; r < s.num_rows(); ++r) {
      const auto it = payee_index.find(s_payee[r]);
      if (it == payee_index.end()) continue;  // no credits and no quota: nothing to multiply
      auto reject = [&](const std::string& why) {
        rejects.add("scores", row_number(s, r), s_name[r], s_payee[r],
                    s_start[r].to_string(), why);
      };
      if (s_value_col.is_null(r)) {
        reject("the value is missing");
      } else if (plan.calendar.period_containing(s_start[r], plan.pay_period).begin != s_start[r]) {
        reject("period_start " + s_start[r].to_string() + " is not the first day of a " +
               std::string(to_string(plan.pay_period)) + " pay period");
      } else if (!p.scores.emplace(std::tuple{it->second, s_name[r], s_start[r].days_since_epoch()},
                                   s_value[r])
                      .second) {
        // The first row counts, whatever the order of the rows that follow.
        reject("a second score '" + s_name[r] + "' for the same payee and period");
      }
    }
  }
  return p;
}

}  // namespace spm::comp::detail
