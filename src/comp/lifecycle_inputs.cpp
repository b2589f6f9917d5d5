#include "lifecycle_inputs.hpp"

#include <algorithm>
#include <tuple>

namespace spm::comp::detail {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

// Nullable cell readers (a missing optional column reads as null).
std::string text(const Column* c, std::size_t r) {
  return c == nullptr || c->is_null(r) ? std::string() : std::string(c->strings()[r]);
}
std::optional<Decimal> dec(const Column* c, std::size_t r) {
  if (c == nullptr || c->is_null(r)) return std::nullopt;
  return c->values<Decimal>()[r];
}
std::optional<Date> date(const Column* c, std::size_t r) {
  if (c == nullptr || c->is_null(r)) return std::nullopt;
  return c->values<Date>()[r];
}

std::string known_periods(const std::set<std::string>& periods) {
  std::string s;
  for (const auto& p : periods) s += (s.empty() ? "" : ", ") + p;
  return s.empty() ? "none" : s;
}

void read_adjustments(const Table& t, const std::set<std::string>& periods, int places,
                      LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "adjustments", "payee_id", ColumnType::string);
  const auto& period = need(t, "adjustments", "period", ColumnType::string);
  const auto& amount = need(t, "adjustments", "amount", ColumnType::decimal);
  const auto& reason = need(t, "adjustments", "reason", ColumnType::string);
  const auto& author = need(t, "adjustments", "author", ColumnType::string);
  const auto* entered = maybe(t, "adjustments", "date", ColumnType::date);
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r), per = text(&period, r);
    auto reject = [&](std::string why) {
      rejects.add("adjustments", io::row_number(t, r), "", p, per, std::move(why));
    };
    if (p.empty()) { reject("payee_id is empty; name the payee adjusted"); continue; }
    if (!periods.count(per)) {
      reject("period '" + per + "' is not a pay period of the run; use one of: " + known_periods(periods));
      continue;
    }
    const auto a = dec(&amount, r);
    if (!a) { reject("amount is empty; give the signed amount"); continue; }
    if (!a->has_places(places)) {
      reject("amount " + a->to_string() + " has more than the plan's " + std::to_string(places) + " decimals");
      continue;
    }
    Adjustment adj{per, text(&reason, r), text(&author, r), *a, date(entered, r)};
    if (adj.reason.empty()) { reject("reason is empty; every adjustment says why"); continue; }
    if (adj.author.empty()) { reject("author is empty; every adjustment says who made it"); continue; }
    out.adjustments[p].push_back(std::move(adj));
    out.payees.insert(p);
  }
  // Canonical order whatever the row order: by period, then everything else.
  for (auto& [p, v] : out.adjustments) {
    std::sort(v.begin(), v.end(), [](const Adjustment& a, const Adjustment& b) {
      return std::tie(a.period, a.entered, a.reason, a.author, a.amount) <
             std::tie(b.period, b.entered, b.reason, b.author, b.amount);
    });
  }
}

void read_draws(const Table& t, int places, LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "draws", "payee_id", ColumnType::string);
  const auto& from = need(t, "draws", "from", ColumnType::date);
  const auto* to = maybe(t, "draws", "to", ColumnType::date);
  const auto& amount = need(t, "draws", "amount", ColumnType::decimal);
  const auto& type = need(t, "draws", "type", ColumnType::string);
  struct Row { std::string payee; Draw d; std::int64_t row; };
  std::vector<Row> rows;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    auto reject = [&](std::string why) {
      rejects.add("draws", io::row_number(t, r), "", p, "", std::move(why));
    };
    const auto f = date(&from, r);
    const auto a = dec(&amount, r);
    const std::string ty = text(&type, r);
    if (p.empty()) { reject("payee_id is empty"); continue; }
    if (!f) { reject("from is empty; give the draw's first day"); continue; }
    if (!a || a->sign() < 0) { reject("amount must be zero or more"); continue; }
    if (!a->has_places(places)) {
      reject("amount " + a->to_string() + " has more than the plan's " + std::to_string(places) + " decimals");
      continue;
    }
    if (ty != "recoverable" && ty != "non_recoverable") {
      reject("type '" + ty + "' is not recoverable or non_recoverable");
      continue;
    }
    const Date end = date(to, r).value_or(Date(9999, 12, 31));
    if (end <= *f) { reject("to must be after from"); continue; }
    rows.push_back({p, {{*f, end}, *a, ty == "recoverable"}, io::row_number(t, r)});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.payee, a.d.span.begin, a.d.span.end, a.d.amount, a.d.recoverable) <
           std::tie(b.payee, b.d.span.begin, b.d.span.end, b.d.amount, b.d.recoverable);
  });
  for (const auto& x : rows) {
    auto& v = out.draws[x.payee];
    if (!v.empty() && v.back().span.end > x.d.span.begin) {
      rejects.add("draws", x.row, "", x.payee, "",
                  "overlaps the payee's draw from " + v.back().span.begin.to_string() +
                      "; end one draw before the next starts");
      continue;
    }
    v.push_back(x.d);
    out.payees.insert(x.payee);
  }
}

void read_cancellations(const Table& t, LifecycleData& out, Rejects& rejects) {
  const auto& tx = need(t, "cancellations", "transaction_id", ColumnType::string);
  const auto& when = need(t, "cancellations", "date", ColumnType::date);
  const auto* amount = maybe(t, "cancellations", "amount", ColumnType::decimal);
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string id = text(&tx, r);
    auto reject = [&](std::string why) {
      rejects.add("cancellations", io::row_number(t, r), id, "", "", std::move(why));
    };
    const auto d = date(&when, r);
    const auto a = dec(amount, r);
    if (id.empty()) { reject("transaction_id is empty"); continue; }
    if (!d) { reject("date is empty; give the day of the cancellation or refund"); continue; }
    if (a && a->sign() <= 0) { reject("amount must be above 0 (the amount refunded)"); continue; }
    out.cancellations.push_back({id, *d, a, io::row_number(t, r)});
  }
  std::sort(out.cancellations.begin(), out.cancellations.end(),
            [](const Cancellation& a, const Cancellation& b) {
              return std::tie(a.tx, a.date, a.amount, a.row) < std::tie(b.tx, b.date, b.amount, b.row);
            });
}

void read_events(const Table& t, LifecycleData& out, Rejects& rejects) {
  const auto& tx = need(t, "events", "transaction_id", ColumnType::string);
  const auto& event = need(t, "events", "event", ColumnType::string);
  const auto& when = need(t, "events", "date", ColumnType::date);
  const auto* amount = maybe(t, "events", "amount", ColumnType::decimal);
  const auto* due = maybe(t, "events", "due", ColumnType::date);
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string id = text(&tx, r), ev = text(&event, r);
    auto reject = [&](std::string why) {
      rejects.add("events", io::row_number(t, r), id, "", "", std::move(why));
    };
    const auto d = date(&when, r);
    const auto a = dec(amount, r);
    if (id.empty()) { reject("transaction_id is empty"); continue; }
    if (ev != "invoice" && ev != "payment") { reject("event '" + ev + "' is not invoice or payment"); continue; }
    if (!d) { reject("date is empty"); continue; }
    if (a && a->sign() <= 0) { reject("amount must be above 0"); continue; }
    out.events[id].push_back({ev == "payment", *d, a, date(due, r), io::row_number(t, r)});
  }
  for (auto& [id, v] : out.events) {
    std::sort(v.begin(), v.end(), [](const TxEvent& a, const TxEvent& b) {
      return std::tie(a.date, a.payment, a.amount, a.due, a.row) <
             std::tie(b.date, b.payment, b.amount, b.due, b.row);
    });
    // One invoice per transaction: the earliest stays, later ones are rejected.
    bool invoiced = false;
    std::erase_if(v, [&, &id = id](const TxEvent& e) {
      if (e.payment) return false;
      if (!invoiced) return !(invoiced = true);
      rejects.add("events", e.row, id, "", "",
                  "a second invoice for the transaction; give one invoice per transaction");
      return true;
    });
  }
}

void read_terminations(const Table& t, LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "terminations", "payee_id", ColumnType::string);
  const auto& when = need(t, "terminations", "date", ColumnType::date);
  std::set<std::string> conflicts;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    const auto d = date(&when, r);
    if (p.empty() || !d) {
      rejects.add("terminations", io::row_number(t, r), "", p, "", "payee_id and date are required");
      continue;
    }
    const auto [it, fresh] = out.terminations.emplace(p, *d);
    if (!fresh && it->second != *d) conflicts.insert(p);
    out.payees.insert(p);
  }
  // Two dates for one payee are ambiguous whatever the row order: every row of it is rejected.
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    if (!conflicts.count(p)) continue;
    rejects.add("terminations", io::row_number(t, r), "", p, "",
                "the payee has more than one termination date; give one");
    out.terminations.erase(p);
  }
}

void read_paid(const Table& t, const std::set<std::string>& periods, int places,
               LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "paid", "payee_id", ColumnType::string);
  const auto& period = need(t, "paid", "period", ColumnType::string);
  const auto& amount = need(t, "paid", "amount", ColumnType::decimal);
  std::set<std::pair<std::string, std::string>> conflicts;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r), per = text(&period, r);
    auto reject = [&](std::string why) {
      rejects.add("paid", io::row_number(t, r), "", p, per, std::move(why));
    };
    const auto a = dec(&amount, r);
    if (p.empty() || !a) { reject("payee_id and amount are required"); continue; }
    if (!a->has_places(places)) {
      reject("amount " + a->to_string() + " has more than the plan's " + std::to_string(places) + " decimals");
      continue;
    }
    if (!periods.count(per)) {
      reject("period '" + per + "' is not a pay period of the run; use one of: " + known_periods(periods));
      continue;
    }
    if (a->sign() < 0) {
      reject("amount " + a->to_string() + " is negative; paid is what the period paid out (0 or more)");
      continue;
    }
    if (!out.paid[p].emplace(per, *a).second) conflicts.emplace(p, per);
    out.paid_row.emplace(std::pair{p, per}, io::row_number(t, r));
    out.payees.insert(p);
  }
  // A period paid twice is ambiguous whatever the row order: every row of it is rejected.
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r), per = text(&period, r);
    if (!conflicts.count({p, per})) continue;
    rejects.add("paid", io::row_number(t, r), "", p, per,
                "the period's payment is listed more than once; give one row per payee and period");
    out.paid[p].erase(per);
  }
}

void read_payees(const Table& t, LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "payees", "payee_id", ColumnType::string);
  const auto& ccy = need(t, "payees", "currency", ColumnType::string);
  std::set<std::string> conflicts;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r), c = text(&ccy, r);
    if (p.empty() || !is_iso_currency(c)) {
      rejects.add("payees", io::row_number(t, r), "", p, "",
                  "needs a payee_id and an ISO 4217 currency code such as EUR");
      continue;
    }
    const auto [it, fresh] = out.currency.emplace(p, c);
    if (!fresh && it->second != c) conflicts.insert(p);
  }
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    if (!conflicts.count(p)) continue;
    rejects.add("payees", io::row_number(t, r), "", p, "",
                "the payee has more than one currency; give one (paid in the plan currency meanwhile)");
    out.currency.erase(p);
  }
}

void read_opening(const Table& t, int places, LifecycleData& out, Rejects& rejects) {
  const auto& payee = need(t, "opening", "payee_id", ColumnType::string);
  const auto* draw = maybe(t, "opening", "draw_balance", ColumnType::decimal);
  const auto* owed = maybe(t, "opening", "owed", ColumnType::decimal);
  std::set<std::string> twice;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    const Decimal d = dec(draw, r).value_or(Decimal(0)), o = dec(owed, r).value_or(Decimal(0));
    if (p.empty() || d.sign() < 0 || o.sign() < 0 || !d.has_places(places) || !o.has_places(places)) {
      rejects.add("opening", io::row_number(t, r), "", p, "",
                  "needs a payee_id and balances of zero or more with at most " +
                      std::to_string(places) + " decimals");
      continue;
    }
    if (!out.opening.emplace(p, std::pair{d, o}).second) twice.insert(p);
    out.payees.insert(p);
  }
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = text(&payee, r);
    if (!twice.count(p)) continue;
    rejects.add("opening", io::row_number(t, r), "", p, "",
                "the payee's opening balances are listed more than once; give one row");
    out.opening.erase(p);
  }
}

}  // namespace

LifecycleData read_lifecycle(const LifecycleInputs& in, const std::set<std::string>& periods,
                             int places, Rejects& rejects) {
  LifecycleData out;
  if (in.adjustments != nullptr) read_adjustments(*in.adjustments, periods, places, out, rejects);
  if (in.draws != nullptr) read_draws(*in.draws, places, out, rejects);
  if (in.cancellations != nullptr) read_cancellations(*in.cancellations, out, rejects);
  if (in.events != nullptr) read_events(*in.events, out, rejects);
  if (in.terminations != nullptr) read_terminations(*in.terminations, out, rejects);
  if (in.paid != nullptr) read_paid(*in.paid, periods, places, out, rejects);
  if (in.payees != nullptr) read_payees(*in.payees, out, rejects);
  if (in.opening != nullptr) read_opening(*in.opening, places, out, rejects);
  return out;
}

}  // namespace spm::comp::detail
