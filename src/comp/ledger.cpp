#include "ledger.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include <spm/core/allocate.hpp>

namespace spm::comp::detail {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

// Index of each settled period's label.
std::map<std::string, std::size_t, std::less<>> label_index(const PeriodIndex& periods) {
  std::map<std::string, std::size_t, std::less<>> ix;
  for (std::size_t k = 0; k < periods.labels.size(); ++k) ix.emplace(periods.labels[k], k);
  return ix;
}

// TOTAL payout per payee and period of a commission result.
std::map<std::string, std::vector<std::optional<Decimal>>> totals(const CompResult& r,
                                                                  const PeriodIndex& periods) {
  const auto ix = label_index(periods);
  std::map<std::string, std::vector<std::optional<Decimal>>> out;
  const auto& s = r.statements;
  const auto payee = s.strings("payee_id"), period = s.strings("period"), comp = s.strings("component");
  const auto& payout = s.values<Decimal>("payout");
  for (std::size_t i = 0; i < s.num_rows(); ++i) {
    if (comp[i] != "TOTAL") continue;
    const auto k = ix.find(period[i]);
    if (k == ix.end()) continue;
    auto& v = out.try_emplace(std::string(payee[i]), periods.periods.size()).first->second;
    v[k->second] = v[k->second].value_or(Decimal(0)) + payout[i];
  }
  return out;
}

// The rows of `t` whose period (by label) is in [from, to), or has no period when `keep_none`.
std::vector<std::size_t> rows_in(const Table& t, const std::map<std::string, std::size_t, std::less<>>& ix,
                                 std::size_t from, std::size_t to, bool keep_none) {
  std::vector<std::size_t> rows;
  const auto period = t.strings("period");
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    const auto k = ix.find(period[i]);
    if (k == ix.end() ? keep_none : (k->second >= from && k->second < to)) rows.push_back(i);
  }
  return rows;
}

// `t` sorted by payee, then period (by index), keeping the order within each (stable).
Table by_payee_period(const Table& t, const std::map<std::string, std::size_t, std::less<>>& ix) {
  std::vector<std::size_t> order(t.num_rows());
  std::iota(order.begin(), order.end(), 0);
  const auto payee = t.strings("payee_id"), period = t.strings("period");
  auto k = [&](std::size_t i) {
    const auto it = ix.find(period[i]);
    return it == ix.end() ? std::size_t{0} : it->second;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (payee[a] != payee[b]) return payee[a] < payee[b];
    return k(a) < k(b);
  });
  return io::take(t, order);
}

// The payees credited with each of the transaction rows `rows` (directly, by a split, a credit
// rule or a roll-up), as the runs credit them: the crediting of the runs themselves, applied to
// those rows only (crediting is row by row), by every version. A clawback note names the
// cancelled deals of its payee only; the lines cannot tell, as grouped components' lines name
// no transaction.
std::map<std::size_t, std::set<std::string>> credited_payees(std::span<const Plan> versions,
                                                             const CompInputs& inputs,
                                                             const Period& range,
                                                             const std::set<std::size_t>& rows) {
  std::map<std::size_t, std::set<std::string>> out;
  if (rows.empty()) return out;
  const std::vector<std::size_t> original(rows.begin(), rows.end());
  const Table some = io::take(*inputs.transactions, original);
  CompInputs in = inputs;
  in.transactions = &some;
  std::vector<Period> dates;
  if (versions.size() > 1) {
    for (const auto& v : versions) dates.push_back({v.effective_from, v.effective_to});
  }
  for (const auto& v : versions) {
    Rejects scratch;  // the runs report these rows' rejects
    const EngineInputs ready(v, in, scratch);
    const Prepared p = prepare(v, ready.get(), range, scratch, dates, ready.rejected());
    for (const auto& c : p.credits) out[original[c.tx]].insert(p.payees[c.payee]);
  }
  return out;
}

}  // namespace

CompResult recalculated(std::span<const Plan> versions, const CompInputs& inputs,
                        const Period& range, const ExecutionContext& context,
                        const std::map<std::string, TxTimeline>& timelines,
                        const PeriodIndex& periods, Books& books) {
  CompResult base = run(versions, inputs, range, context);
  std::set<std::size_t> cuts;
  for (const auto& [id, t] : timelines) {
    for (const auto& [d, cum] : t.refunded) cuts.insert(periods.of(d));
  }
  if (cuts.empty()) return base;
  const auto ix = label_index(periods);
  std::vector<std::size_t> starts(cuts.begin(), cuts.end());
  std::vector<CompResult> runs;
  runs.push_back(std::move(base));
  for (const std::size_t c : starts) {
    // Transactions as known at the end of period c: cancelled ones dropped, refunds deducted.
    const Table& tx = *inputs.transactions;
    std::vector<std::uint8_t> drop(tx.num_rows(), 0);
    std::vector<std::pair<std::size_t, Decimal>> reduce;
    for (const auto& [id, t] : timelines) {
      Decimal cum;
      for (const auto& [d, x] : t.refunded) {
        if (periods.of(d) <= c) cum = x;
      }
      if (cum.is_zero()) continue;
      if (cum == t.amount) drop[t.row] = 1;
      else reduce.emplace_back(t.row, cum);
    }
    std::vector<std::size_t> keep, new_row(tx.num_rows());
    for (std::size_t r = 0; r < tx.num_rows(); ++r) {
      new_row[r] = keep.size();
      if (!drop[r]) keep.push_back(r);
    }
    Table known = io::take(tx, keep);
    auto& amount = known.columns()[find_column(known, "amount").value()].values<Decimal>();
    for (const auto& [r, cum] : reduce) amount[new_row[r]] -= cum;
    CompInputs in = inputs;
    in.transactions = &known;
    runs.push_back(run(versions, in, range, context));
  }
  std::set<std::size_t> refunded_rows;
  for (const auto& [id, t] : timelines) {
    if (!t.refunded.empty()) refunded_rows.insert(t.row);
  }
  const auto credited = credited_payees(versions, inputs, range, refunded_rows);
  // Clawbacks: what the periods before each cut paid minus what they pay knowing its
  // cancellations; the transactions named are those cancelled in the cut's period and credited
  // to the payee.
  for (std::size_t j = 1; j < runs.size(); ++j) {
    const std::size_t c = starts[j - 1];
    std::vector<const std::string*> cut;  // cancelled or refunded in period c, in id order
    for (const auto& [id, t] : timelines) {
      if (std::any_of(t.refunded.begin(), t.refunded.end(),
                      [&](const auto& r) { return periods.of(r.first) == c; })) {
        cut.push_back(&id);
      }
    }
    auto names_for = [&](const std::string& payee) {
      std::string names, all;
      for (const std::string* id : cut) {
        all += (all.empty() ? "" : ", ") + *id;
        const auto it = credited.find(timelines.at(*id).row);
        if (it != credited.end() && it->second.count(payee)) {
          names += (names.empty() ? "" : ", ") + *id;
        }
      }
      // A change with none of them credited to the payee (not expected): name them all rather
      // than none.
      return names.empty() ? all : names;
    };
    const auto before = totals(runs[j - 1], periods);
    const auto after = totals(runs[j], periods);
    std::set<std::string> payees;
    for (const auto& [p, v] : before) payees.insert(p);
    for (const auto& [p, v] : after) payees.insert(p);
    for (const auto& p : payees) {
      Decimal was, now;
      for (std::size_t k = 0; k < c; ++k) {
        if (const auto it = before.find(p); it != before.end()) was += it->second[k].value_or(Decimal(0));
        if (const auto it = after.find(p); it != after.end()) now += it->second[k].value_or(Decimal(0));
      }
      if (was == now) continue;
      books.of(p).tx_lines.push_back(
          {c, "clawback", "",
           "recalculated without " + names_for(p) + " (cancelled or refunded in " +
               periods.labels[c] + "): earlier periods paid " + was.to_string() + ", now " +
               now.to_string() + " (recalculate)",
           now - was});
    }
  }
  // Each period from the run that knows the cancellations up to it.
  CompResult out;
  Table statements, lines, rejects;
  for (std::size_t j = 0; j < runs.size(); ++j) {
    const std::size_t from = j == 0 ? 0 : starts[j - 1];
    const std::size_t to = j < starts.size() ? starts[j] : periods.periods.size();
    statements = io::concat(statements, io::take(runs[j].statements, rows_in(runs[j].statements, ix, from, to, false)));
    lines = io::concat(lines, io::take(runs[j].lines, rows_in(runs[j].lines, ix, from, to, false)));
    rejects = io::concat(rejects, io::take(runs[j].rejects, rows_in(runs[j].rejects, ix, from, to, j == 0)));
  }
  out.statements = by_payee_period(statements, ix);
  out.lines = by_payee_period(lines, ix);
  out.rejects = std::move(rejects);
  out.transactions_after_range = runs.front().transactions_after_range;
  out.transactions_before_range = runs.front().transactions_before_range;
  out.credits = runs.front().credits;
  for (const auto& r : runs) {
    for (const auto& note : r.notes) {
      if (std::find(out.notes.begin(), out.notes.end(), note) == out.notes.end()) out.notes.push_back(note);
    }
  }
  return out;
}

std::vector<std::string> book_commission(const Plan& plan, const CompResult& commission,
                     const std::map<std::string, TxTimeline>& timelines,
                     const LifecycleData& data, const PeriodIndex& periods, Books& books,
                     Rejects& rejects) {
  const auto ix = label_index(periods);
  for (const auto& [payee, v] : totals(commission, periods)) {
    Book& b = books.of(payee);
    for (std::size_t k = 0; k < v.size(); ++k) {
      if (!v[k]) continue;
      b.statement[k] = 1;
      b.earned[k] = *v[k];
    }
  }
  // Lines by payee, period and transaction, summed per component (a component's cap or gate
  // takes pay from its own lines only); lines without one are released with the period.
  struct Part {
    std::string component;
    Decimal amount;
  };
  std::map<std::tuple<std::string, std::size_t, std::string>, std::vector<Part>> by_tx;
  // Per payee, period and component: the lines of transactions, and those of none (gates,
  // caps, true-ups).
  std::map<std::tuple<std::string, std::size_t, std::string>, std::pair<Decimal, Decimal>> split;
  const auto& l = commission.lines;
  const auto payee = l.strings("payee_id"), period = l.strings("period"), tx = l.strings("transaction_id");
  const auto component = l.strings("component");
  const auto& amount = l.values<Decimal>("amount");
  const auto& tx_col = l.column("transaction_id");
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    const auto k = ix.find(period[i]);
    if (k == ix.end()) continue;
    const std::string p(payee[i]), c(component[i]);
    auto& [of_tx, of_none] = split[{p, k->second, c}];
    if (tx_col.is_null(i)) {
      books.of(p).booked[k->second] += amount[i];
      of_none += amount[i];
    } else {
      const std::tuple<std::string, std::size_t, std::string> key{p, k->second, std::string(tx[i])};
      auto& parts = by_tx[key];
      if (parts.empty() || parts.back().component != c) parts.push_back({c, Decimal(0)});
      parts.back().amount += amount[i];
      of_tx += amount[i];
    }
  }
  // A clawback reverses what its transaction was paid: when lines of no transaction took pay
  // away in a component's period (a gate, a cap), the transaction's lines of that component
  // were paid only in part, (of_tx + of_none) / of_tx of them. The clawback is shared out over
  // the transaction's components like its lines, each part cut so, and the total rounded
  // toward zero, so that no more is taken back than was paid.
  auto whole = [](const std::vector<Part>& parts) {
    Decimal sum;
    for (const auto& x : parts) sum += x.amount;
    return sum;
  };
  auto as_paid = [&](const std::string& p, std::size_t k, const std::vector<Part>& parts,
                     const Decimal& clawback, std::string& note) {
    const Decimal all = whole(parts);
    auto cut = [&](const std::string& c) -> const std::pair<Decimal, Decimal>* {
      const auto& s = split.at({p, k, c});
      return s.second.sign() >= 0 || s.first.sign() <= 0 ? nullptr : &s;
    };
    if (std::none_of(parts.begin(), parts.end(), [&](const Part& x) { return cut(x.component) != nullptr; })) {
      return clawback;
    }
    Decimal out, shared;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& [c, a] = parts[i];
      // The last part takes the remainder: the parts add up to the clawback exactly.
      const Decimal part = i + 1 == parts.size() ? clawback - shared
                           : all.is_zero()        ? Decimal(0)
                                                  : Decimal::mul_div(clawback, a, all, Decimal::scale);
      shared += part;
      const auto* s = cut(c);
      if (s == nullptr) {
        out += part;
        continue;
      }
      const Decimal paid = s->first + s->second;
      if (paid.sign() > 0) out += Decimal::mul_div(part, paid, s->first, Decimal::scale, Rounding::down);
      note += "; " + periods.labels[k] + " paid " +
              (paid.sign() < 0 ? Decimal(0) : paid).to_string(plan.rounding_places) + " of the " +
              s->first.to_string(plan.rounding_places) + " its transactions earned in " + c +
              " (lines of no transaction, a gate or cap, took the rest)";
    }
    return out.round(plan.rounding_places, Rounding::down);
  };
  const bool clawbacks = plan.clawback.policy == ClawbackPolicy::original_rate;
  const TxTimeline none;
  std::set<std::string> with_lines;
  std::vector<ReleaseEvent> events;
  std::vector<Held> held;
  for (const auto& [key, parts] : by_tx) {
    const auto& [p, k, id] = key;
    const Decimal a = whole(parts);
    with_lines.insert(id);
    const auto it = timelines.find(id);
    TxTimeline t = it == timelines.end() ? none : it->second;
    if (!clawbacks) t.refunded.clear();
    if (it == timelines.end()) t.amount = t.invoiced = Decimal(1);  // no events: only booking matters
    events.clear();
    held.clear();
    release(plan, t, k, a, periods, plan.rounding_places, events, held);
    Book& b = books.of(p);
    for (const auto& e : events) {
      b.held_change[e.period] += e.held_change;
      if (e.kind == ReleaseEvent::Kind::booking) {
        b.booked[e.period] += e.amount;
      } else if (e.kind == ReleaseEvent::Kind::clawback) {
        std::string note = e.note;
        const Decimal taken = as_paid(p, k, parts, e.amount, note);
        // Kept at 0.00 when nothing was paid: the cancellation is seen, with why.
        if (!e.amount.is_zero()) b.tx_lines.push_back({e.period, "clawback", id, note, taken});
      } else if (!e.amount.is_zero()) {
        b.tx_lines.push_back({e.period, "release", id, e.note, e.amount});
      }
    }
    for (const auto& h : held) b.held.push_back({id, k, h});
  }
  if (!clawbacks) {
    // Recalculate: a transaction the run rejected was never paid, so its cancellation changes
    // nothing; said, not passed over.
    std::set<std::string, std::less<>> rejected;
    const auto& rj = commission.rejects;
    for (std::size_t i = 0; i < rj.num_rows(); ++i) {
      if (rj.strings("source")[i] == "transactions") rejected.emplace(rj.strings("id")[i]);
    }
    for (const auto& c : data.cancellations) {
      const auto it = timelines.find(c.tx);
      if (it == timelines.end() || it->second.refunded.empty() || !rejected.count(c.tx)) continue;
      rejects.add("cancellations", c.row, c.tx, "", "",
                  "the transaction was rejected by the run (see its reject), so nothing was paid "
                  "for it: nothing to claw back");
    }
    return {};
  }
  std::vector<std::string> passed_over;
  for (const auto& c : data.cancellations) {
    const auto it = timelines.find(c.tx);
    if (it == timelines.end() || it->second.refunded.empty() || with_lines.count(c.tx)) continue;
    // Dated before the range: the settle of its own period took it back (passed over, said,
    // not rejected, so that one running cancellations file serves every settle).
    if (!periods.periods.empty() && c.date < periods.periods.front().begin) {
      passed_over.push_back(c.tx);
      continue;
    }
    rejects.add("cancellations", c.row, c.tx, "", "",
                "the transaction has no commission lines in the range to reverse (never paid, or "
                "paid only through grouped components: use the recalculate policy)");
  }
  // One per transaction, in id order (not the rows'): the same bytes whatever the row order.
  std::sort(passed_over.begin(), passed_over.end());
  passed_over.erase(std::unique(passed_over.begin(), passed_over.end()), passed_over.end());
  return passed_over;
}

void book_ledger(const Plan& plan, const LifecycleData& data, const PeriodIndex& periods,
                 const FxRates& fx, Books& books, Rejects& rejects) {
  const std::string plan_ccy(plan.currency.code());
  for (const auto& p : data.payees) books.of(p);
  const int places = plan.rounding_places;
  const auto& cal = plan.calendar;
  const std::size_t n = periods.periods.size();
  for (auto& [payee, b] : books.all()) {
    // Releases before clawbacks, as documented; by transaction within each.
    std::stable_sort(b.tx_lines.begin(), b.tx_lines.end(), [](const PayLine& x, const PayLine& y) {
      const bool cx = x.kind == "clawback", cy = y.kind == "clawback";
      return std::tie(x.period, cx, x.tx) < std::tie(y.period, cy, y.tx);
    });
    const auto adj = data.adjustments.find(payee);
    const auto draws = data.draws.find(payee);
    const auto term = data.terminations.find(payee);
    const auto paid = data.paid.find(payee);
    // A far-future date when the payee is not terminated (std::optional trips GCC's
    // maybe-uninitialized here).
    const bool has_term = term != data.terminations.end();
    const Date terminated = has_term ? term->second : Date(9999, 12, 31);
    Decimal owed, balance, held;
    if (const auto o = data.opening.find(payee); o != data.opening.end()) {
      balance = o->second.first;
      owed = o->second.second;
    }
    std::vector<std::tuple<std::string, Decimal, Decimal>> pending;  // closed period, recomputed, paid
    std::size_t next_tx = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const Period& P = periods.periods[k];
      const std::string& label = periods.labels[k];
      std::vector<PayLine> L;
      auto add = [&](std::string kind, std::string tx, std::string note, const Decimal& amount) {
        L.push_back({k, std::move(kind), std::move(tx), std::move(note), amount});
      };
      Book::Row row{};
      row.period = k;
      if (!b.booked[k].is_zero()) {
        add("commission", "", plan.release.empty() ? "commission statement payout" : "commission released on booking, and lines of no transaction", b.booked[k]);
        row.released += b.booked[k];
      }
      Decimal clawed;
      for (; next_tx < b.tx_lines.size() && b.tx_lines[next_tx].period == k; ++next_tx) {
        const auto& x = b.tx_lines[next_tx];
        L.push_back(x);
        if (x.kind == "clawback") clawed += x.amount;
        else row.released += x.amount;
      }
      row.clawbacks = clawed;
      if (adj != data.adjustments.end()) {
        for (const auto& a : adj->second) {
          if (a.period != label) continue;
          add("adjustment", "", a.reason + " (by " + a.author + (a.entered ? ", " + a.entered->to_string() : "") + ")", a.amount);
          row.adjustments += a.amount;
        }
      }
      const bool closed = paid != data.paid.end() && paid->second.count(label);
      if (!closed) {
        for (const auto& [was, recomputed, amount] : pending) {
          add("prior_period", "", was + " recomputed " + recomputed.to_string() + ", paid " + amount.to_string(), recomputed - amount);
          row.prior += recomputed - amount;
        }
        pending.clear();
      }
      if (owed.sign() > 0) {
        add("brought_forward", "", "owed from earlier periods", -owed);
        row.brought = -owed;
      }
      Decimal T;
      for (const auto& x : L) T += x.amount;
      // What is owed (clawbacks, balances brought forward) is taken up to the limit per period.
      Decimal carry;
      const Decimal negative = owed + std::max(Decimal(0), -clawed);
      if (plan.clawback.limit_per_period && negative > *plan.clawback.limit_per_period) {
        carry = negative - *plan.clawback.limit_per_period;
        add("deferred", "", "clawback limit per period " + plan.clawback.limit_per_period->to_string() + "; the rest is carried forward", carry);
        T += carry;
      }
      if (T.sign() < 0) {
        add("carried_forward", "", "pay cannot be negative; carried forward to the next period", -T);
        carry += -T;
        T = Decimal(0);
      }
      row.carried = carry;
      owed = carry;
      // Draws in force on the period's days (up to a termination), prorated by the plan's rule.
      Decimal d_rec, d_non;
      if (draws != data.draws.end()) {
        const std::int64_t all = prorated_days(P, plan.proration);
        for (const auto& d : draws->second) {
          Period span = d.span;
          span.end = std::min(span.end, terminated);
          const auto x = span.intersect(P);
          if (!x || all == 0) continue;
          const Decimal amt = Decimal::product(d.amount, Fraction(prorated_days(*x, plan.proration), all), places, plan.rounding);
          (d.recoverable ? d_rec : d_non) += amt;
        }
      }
      const Decimal D = d_rec + d_non;
      if (D.sign() > 0 && T < D) {
        const Decimal top = D - T;
        const std::vector<Decimal> w{d_rec, d_non};
        int top_places = places;  // sub-cent earnings (payout rounding) keep their decimals
        while (!top.has_places(top_places)) ++top_places;
        const auto parts = allocate(top, w, top_places);
        if (!parts[0].is_zero()) {
          add("draw", "", "recoverable draw " + d_rec.to_string() + ": pay brought up to the draw; recovered from later earnings", parts[0]);
          balance += parts[0];
        }
        if (!parts[1].is_zero()) add("guarantee", "", "non-recoverable draw " + d_non.to_string() + ": pay brought up to it", parts[1]);
        row.draw = top;
        T = D;
      } else if (balance.sign() > 0 && T > D) {
        Decimal r = Decimal::mul_div(T - D, plan.draws.recovery_percent, Decimal(100), places, Rounding::down);
        r = std::min(r, balance);
        if (plan.draws.recovery_limit_per_period) r = std::min(r, *plan.draws.recovery_limit_per_period);
        if (r.sign() > 0) {
          add("draw_recovery", "", "recovers the draw balance " + balance.to_string() + (D.sign() > 0 ? "; pay stays at or above the draw " + D.to_string() : ""), -r);
          balance -= r;
          row.recovered = -r;
        }
      }
      const bool year_end = cal.period_containing(P.begin, PeriodKind::year).end == P.end;
      const bool leaves = has_term && P.contains(terminated);
      if (balance.sign() > 0 && ((year_end && plan.draws.forgive_at_year_end) || (leaves && plan.draws.forgive_on_termination))) {
        add("draw_forgiven", "", "draw balance " + balance.to_string() + " forgiven " + (leaves && plan.draws.forgive_on_termination ? "on termination" : "at plan-year end"), Decimal(0));
        balance = Decimal(0);
      }
      row.draw_balance = balance;
      for (const auto& x : L) row.net += x.amount;
      held += b.held_change[k];
      row.held = held;
      row.closed = closed;
      if (closed) {
        const Decimal was = paid->second.at(label);
        row.recomputed = row.net;
        if (row.net != was) {
          add("closed_difference", "", "closed period: paid " + was.to_string() + " as recorded; the difference flows into the next open period", was - row.net);
          row.closed_difference = was - row.net;
          pending.emplace_back(label, row.net, was);
        }
        row.net = was;
      }
      const bool active = b.statement[k] || !L.empty() || !owed.is_zero() || !balance.is_zero() || !held.is_zero();
      if (!active) continue;
      // The payee's currency: plan-currency units per unit on the period's last day.
      const auto cur = data.currency.find(payee);
      b.currency = cur == data.currency.end() ? plan_ccy : cur->second;
      if (b.currency == plan_ccy) {
        row.fx_rate = Decimal(1);
        row.local = row.net;
      } else if (const auto rate = fx.rate(b.currency, P.end - 1)) {
        row.fx_rate = *rate;
        row.local = Decimal::div(row.net, *rate, Currency(b.currency).minor_units(), Rounding::half_even);
      } else {
        rejects.add("payees", 0, "", payee, label,
                    fx.missing(b.currency, P.end - 1) + " (net pay shown in " + plan_ccy + " only)");
      }
      b.lines.insert(b.lines.end(), L.begin(), L.end());
      b.rows.push_back(row);
    }
    for (const auto& [was, recomputed, amount] : pending) {
      const auto at = data.paid_row.find({payee, was});
      rejects.add("paid", at == data.paid_row.end() ? 0 : at->second, "", payee, was,
                  "recomputed " + recomputed.to_string() + ", paid " + amount.to_string() +
                      ", and no open period follows in the range to take the difference; extend the range");
    }
  }
}

Table Books::pay_table() const {
  Column payee("payee_id", ColumnType::string), period("period", ColumnType::string),
      start("period_start", ColumnType::date), end("period_end", ColumnType::date),
      status("status", ColumnType::string), earned("earned", ColumnType::decimal),
      released("released", ColumnType::decimal), held("held", ColumnType::decimal),
      adjustments("adjustments", ColumnType::decimal), prior("prior_period", ColumnType::decimal),
      clawbacks("clawbacks", ColumnType::decimal), brought("brought_forward", ColumnType::decimal),
      carried("carried_forward", ColumnType::decimal), draw("draw", ColumnType::decimal),
      recovered("draw_recovered", ColumnType::decimal), balance("draw_balance", ColumnType::decimal),
      closed_diff("closed_difference", ColumnType::decimal),
      net("net_pay", ColumnType::decimal), recomputed("recomputed", ColumnType::decimal),
      currency("currency", ColumnType::string), fx_rate("fx_rate", ColumnType::decimal),
      local("net_pay_local", ColumnType::decimal);
  for (const auto& [id, b] : books_) {
    for (const auto& r : b.rows) {
      payee.push(id);
      period.push(periods_.labels[r.period]);
      start.push(periods_.periods[r.period].begin);
      end.push(periods_.periods[r.period].end);
      status.push(std::string(r.closed ? "closed" : "open"));
      earned.push(b.earned[r.period]);
      released.push(r.released);
      held.push(r.held);
      adjustments.push(r.adjustments);
      prior.push(r.prior);
      clawbacks.push(r.clawbacks);
      brought.push(r.brought);
      carried.push(r.carried);
      draw.push(r.draw);
      recovered.push(r.recovered);
      balance.push(r.draw_balance);
      closed_diff.push(r.closed_difference);
      net.push(r.net);
      if (r.recomputed) recomputed.push(*r.recomputed); else recomputed.push_null();
      currency.push(b.currency);
      if (r.fx_rate) fx_rate.push(*r.fx_rate); else fx_rate.push_null();
      if (r.local) local.push(*r.local); else local.push_null();
    }
  }
  Table t;
  for (auto* c : {&payee, &period, &start, &end, &status, &earned, &released, &held, &adjustments,
                  &prior, &clawbacks, &brought, &carried, &draw, &recovered, &balance,
                  &closed_diff, &net, &recomputed, &currency, &fx_rate, &local}) {
    if (c->type() == ColumnType::decimal && c != &fx_rate) c->set_min_places(2);
    t.add(std::move(*c));
  }
  return t;
}

Table Books::lines_table() const {
  Column payee("payee_id", ColumnType::string), period("period", ColumnType::string),
      line("line", ColumnType::integer), kind("kind", ColumnType::string),
      tx("transaction_id", ColumnType::string), amount("amount", ColumnType::decimal),
      note("note", ColumnType::string);
  for (const auto& [id, b] : books_) {
    std::size_t prev = SIZE_MAX;
    std::int64_t seq = 0;
    for (const auto& x : b.lines) {
      seq = x.period == prev ? seq + 1 : 1;
      prev = x.period;
      payee.push(id);
      period.push(periods_.labels[x.period]);
      line.push(seq);
      kind.push(x.kind);
      if (x.tx.empty()) tx.push_null(); else tx.push(x.tx);
      amount.push(x.amount);
      note.push(x.note);
    }
  }
  amount.set_min_places(2);
  Table t;
  for (auto* c : {&payee, &period, &line, &kind, &tx, &amount, &note}) t.add(std::move(*c));
  return t;
}

Table Books::held_table() const {
  Column payee("payee_id", ColumnType::string), tx("transaction_id", ColumnType::string),
      period("period", ColumnType::string), on("on", ColumnType::string),
      amount("amount", ColumnType::decimal), expected("expected", ColumnType::date);
  for (const auto& [id, b] : books_) {
    for (const auto& h : b.held) {
      payee.push(id);
      tx.push(h.tx);
      period.push(periods_.labels[h.period]);
      on.push(std::string(to_string(h.held.on)));
      amount.push(h.held.amount);
      if (h.held.expected) expected.push(*h.held.expected); else expected.push_null();
    }
  }
  amount.set_min_places(2);
  Table t;
  for (auto* c : {&payee, &tx, &period, &on, &amount, &expected}) t.add(std::move(*c));
  return t;
}

}  // namespace spm::comp::detail
