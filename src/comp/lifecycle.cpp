// The lifecycle: commission runs, releases and clawbacks, then each payee's ledger in period
// order (adjustments, prior-period differences, amounts owed, draws).
#include <spm/comp/lifecycle.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include <spm/core/error.hpp>

#include "ledger.hpp"
#include "lifecycle_inputs.hpp"
#include "releases.hpp"

namespace spm::comp {
namespace {

using detail::LifecycleData;
using detail::PeriodIndex;
using detail::TxTimeline;
using io::Column;
using io::ColumnType;
using io::Table;

// The plan whose lifecycle rules apply: the latest version.
const Plan& current(std::span<const Plan> versions) {
  return *std::max_element(versions.begin(), versions.end(), [](const Plan& a, const Plan& b) {
    return a.effective_from < b.effective_from;
  });
}

// The pay periods of `range` that some version covers, as the engine reports them.
PeriodIndex settled_periods(std::span<const Plan> versions, const Period& range) {
  const Plan& plan = versions.front();
  Date from = plan.effective_from, to = plan.effective_to;
  for (const auto& v : versions) {
    from = std::min(from, v.effective_from);
    to = std::max(to, v.effective_to);
  }
  PeriodIndex out;
  for (const auto& q : plan.calendar.periods(range, plan.pay_period)) {
    if (q.end <= from || q.begin >= to || q.end <= range.begin) continue;
    out.periods.push_back(q);
    out.labels.push_back(plan.calendar.label(q.begin, plan.pay_period));
  }
  out.stop = range.end;
  return out;
}

// Transactions by id: row, date, amount (for refunds, payments and reruns).
struct TxIndex {
  std::unordered_map<std::string, std::size_t> row;
  const std::vector<Date>* date = nullptr;
  const std::vector<Decimal>* amount = nullptr;
};
TxIndex index_transactions(const Table& tx) {
  TxIndex ix;
  const auto ids = detail::need(tx, "transactions", "transaction_id", io::ColumnType::string).strings();
  ix.row.reserve(tx.num_rows());
  for (std::size_t r = 0; r < tx.num_rows(); ++r) ix.row.emplace(std::string(ids[r]), r);
  ix.date = &detail::need(tx, "transactions", "date", io::ColumnType::date).values<Date>();
  ix.amount = &detail::need(tx, "transactions", "amount", io::ColumnType::decimal).values<Decimal>();
  return ix;
}

// Per transaction: checked refunds (in window, not above the amount, known, dated after the
// deal) and payments (not above the invoice). Bad rows go to rejects.
std::map<std::string, TxTimeline> timelines(const Plan& plan, const LifecycleData& data,
                                            const TxIndex& ix, const PeriodIndex& periods,
                                            detail::Rejects& rejects, std::vector<std::string>& notes) {
  std::map<std::string, TxTimeline> out;
  auto timeline = [&](const std::string& id) -> TxTimeline* {
    const auto it = ix.row.find(id);
    if (it == ix.row.end()) return nullptr;
    auto [t, fresh] = out.try_emplace(id);
    if (fresh) {
      t->second.row = it->second;
      t->second.date = (*ix.date)[it->second];
      t->second.amount = (*ix.amount)[it->second];
      t->second.invoiced = t->second.amount;
    }
    return &t->second;
  };
  const Date end = periods.stop;
  for (const auto& c : data.cancellations) {
    auto reject = [&](std::string why) {
      rejects.add("cancellations", c.row, c.tx, "", "", std::move(why));
    };
    if (c.date >= end) continue;  // a later run claws it back
    TxTimeline* t = timeline(c.tx);
    if (t == nullptr) { reject("unknown transaction; nothing was paid for it"); continue; }
    if (c.date < t->date) {
      reject("dated " + c.date.to_string() + ", before the transaction (" + t->date.to_string() + ")");
      continue;
    }
    if (c.date - t->date > plan.clawback.window_days) {
      reject("cancelled " + std::to_string(c.date - t->date) + " days after the deal, outside the " +
             std::to_string(plan.clawback.window_days) + "-day clawback window: nothing is clawed back");
      continue;
    }
    const Decimal before = t->refunded.empty() ? Decimal(0) : t->refunded.back().second;
    const Decimal amount = c.amount.value_or(t->amount - before);
    if (t->amount.sign() <= 0) {
      reject("the transaction's amount is " + t->amount.to_string() +
             ": a return (or zero) earned nothing to claw back");
      continue;
    }
    if (before == t->amount) {
      reject("the transaction was already cancelled or refunded in full (on " +
             t->refunded.back().first.to_string() + "); nothing is left to take back");
      continue;
    }
    if (amount.sign() <= 0 || before + amount > t->amount) {
      reject("refunds would total " + (before + amount).to_string() + ", more than the transaction's " +
             t->amount.to_string());
      continue;
    }
    const Decimal cum = before + amount;
    // Refunds of one day are one entry, noted with the day's total.
    const bool same_day = !t->refunded.empty() && t->refunded.back().first == c.date;
    if (same_day) {
      t->refunded.back().second = cum;
    } else {
      t->refunded.emplace_back(c.date, cum);
      t->refund_notes.emplace_back();
    }
    const Decimal earlier = t->refunded.size() >= 2 ? t->refunded[t->refunded.size() - 2].second : Decimal(0);
    const std::string policy = " (" + std::string(to_string(plan.clawback.policy)) + ")";
    t->refund_notes.back() = cum == t->amount && earlier.is_zero()
                                 ? "cancelled " + c.date.to_string() + policy
                                 : "refunded " + (cum - earlier).to_string() + " of " + t->amount.to_string() +
                                       " on " + c.date.to_string() + policy;
  }
  // Payments without an invoice, invoices above the deal, payments before their invoice.
  std::array<std::vector<std::string>, 3> odd;
  for (const auto& [id, events] : data.events) {
    TxTimeline* t = timeline(id);
    if (t == nullptr) {
      for (const auto& e : events) rejects.add("events", e.row, id, "", "", "unknown transaction");
      continue;
    }
    // The invoice first (payments are checked against it whatever their dates), then payments.
    // Money cannot change hands for a deal before it is booked.
    auto before_deal = [&](const auto& e) {
      if (e.date >= t->date) return false;
      rejects.add("events", e.row, id, "", "",
                  std::string(e.payment ? "payment" : "invoice") + " dated " + e.date.to_string() +
                      ", before the transaction (" + t->date.to_string() + "); fix the date");
      return true;
    };
    for (const auto& e : events) {
      if (e.payment || before_deal(e)) continue;
      t->invoice = e.date;
      t->due = e.due;
      if (e.amount) t->invoiced = *e.amount;
    }
    // Used as given, but said: each is more often a data error than a fact.
    if (t->invoiced > t->amount) {
      odd[1].push_back(id + " (" + t->invoiced.to_string() + " of " + t->amount.to_string() + ")");
    }
    for (const auto& e : events) {
      if (!e.payment || before_deal(e)) continue;
      if (!t->invoice && (odd[0].empty() || odd[0].back() != id)) odd[0].push_back(id);
      if (t->invoice && e.date < *t->invoice &&
          (odd[2].empty() || odd[2].back() != id)) {
        odd[2].push_back(id);
      }
      const Decimal before = t->paid.empty() ? Decimal(0) : t->paid.back().second;
      const Decimal amount = e.amount.value_or(t->invoiced - before);
      if (amount.sign() <= 0 || before + amount > t->invoiced) {
        rejects.add("events", e.row, id, "", "",
                    "payments would total " + (before + amount).to_string() +
                        ", more than the invoice's " + t->invoiced.to_string() + "; nothing of it is released");
        continue;
      }
      if (!t->paid.empty() && t->paid.back().first == e.date) t->paid.back().second += amount;
      else t->paid.emplace_back(e.date, before + amount);
    }
  }
  static constexpr std::array<const char*, 3> what{
      " paid with no invoice event: paid against the transaction's amount",
      " invoiced above the transaction's amount: commission released pro rata to the invoice, "
      "so all of it only when the whole invoice is paid",
      " paid before the invoice's date"};
  for (std::size_t k = 0; k < odd.size(); ++k) {
    if (odd[k].empty()) continue;
    std::sort(odd[k].begin(), odd[k].end());  // the events are in no order
    std::string ids;
    for (std::size_t i = 0; i < std::min<std::size_t>(odd[k].size(), 5); ++i) ids += (i ? ", " : "") + odd[k][i];
    if (odd[k].size() > 5) ids += ", ...";
    notes.push_back(std::to_string(odd[k].size()) + (odd[k].size() == 1 ? " transaction" : " transactions") + what[k] + " (" + ids +
                    "); used as given: check the events if that is not so");
  }
  return out;
}

}  // namespace

LifecycleResult settle(const Plan& plan, const CompInputs& inputs, const LifecycleInputs& life,
                       const Period& range, const ExecutionContext& context) {
  return settle(std::span<const Plan>(&plan, 1), inputs, life, range, context);
}

LifecycleResult settle(std::span<const Plan> versions, const CompInputs& inputs,
                       const LifecycleInputs& life, const Period& range,
                       const ExecutionContext& context) {
  if (versions.empty()) {
    throw InvalidInputError("plan.versions", "", "a run needs at least one plan version");
  }
  const Plan& plan = current(versions);
  // One set of lifecycle rules serves every transaction: versions that differ would pay some
  // deals by rules not in force on their dates.
  for (const auto& v : versions) {
    const char* field = v.release != plan.release     ? "release"
                        : v.clawback != plan.clawback  ? "clawback"
                        : v.draws != plan.draws        ? "draws"
                        : v.proration != plan.proration  ? "proration"
                                                         : nullptr;
    if (field == nullptr) continue;
    throw InvalidInputError("plan.versions", plan.id,
                            std::string("the versions from ") + v.effective_from.to_string() +
                                " and " + plan.effective_from.to_string() + " differ in " + field +
                                ": settle applies one set of lifecycle rules; settle each "
                                "version's dates separately (carry balances with the opening input)");
  }
  LifecycleResult out;
  out.fingerprint = fingerprint(versions, inputs, life, range);
  const PeriodIndex periods = settled_periods(versions, range);
  const std::set<std::string> labels(periods.labels.begin(), periods.labels.end());
  detail::Rejects rejects;
  const LifecycleData data = detail::read_lifecycle(life, labels, plan.rounding_places, rejects);
  if (inputs.transactions == nullptr) {
    throw InvalidInputError("comp.column", "transactions", "a run needs the transactions table");
  }
  out.cancellations_after_range = static_cast<std::size_t>(
      std::count_if(data.cancellations.begin(), data.cancellations.end(),
                    [&](const auto& c) { return c.date >= periods.stop; }));
  const bool needs_index = !data.cancellations.empty() || !data.events.empty();
  const TxIndex ix = needs_index ? index_transactions(*inputs.transactions) : TxIndex{};
  std::vector<std::string> event_notes;
  auto tl = needs_index ? timelines(plan, data, ix, periods, rejects, event_notes)
                        : std::map<std::string, TxTimeline>{};

  detail::Books books(periods);
  if (plan.clawback.policy == ClawbackPolicy::recalculate) {
    out.commission = detail::recalculated(versions, inputs, range, context, tl, periods, books);
  } else {
    out.commission = run(versions, inputs, range, context);
  }
  for (auto& note : event_notes) out.commission.notes.push_back(std::move(note));
  const auto passed_over = detail::book_commission(plan, out.commission, tl, data, periods, books, rejects);
  out.cancellations_before_range = passed_over.size();
  if (!passed_over.empty()) {
    std::string ids;
    for (std::size_t i = 0; i < std::min<std::size_t>(passed_over.size(), 5); ++i) ids += (i ? ", " : "") + passed_over[i];
    if (passed_over.size() > 5) ids += ", ...";
    out.commission.notes.push_back(
        std::to_string(passed_over.size()) + " cancellations dated before the range, of deals with "
        "no lines in it, were passed over (" + ids + "): the settle over their dates takes them "
        "back; one entered after that settle ran is taken back only by settling again over its date");
  }
  detail::Rejects fx_rejects;  // the run reported the table's bad rows already
  const detail::FxRates fx = inputs.fx_rates != nullptr ? detail::FxRates(*inputs.fx_rates, fx_rejects)
                                                       : detail::FxRates();
  detail::book_ledger(plan, data, periods, fx, books, rejects);
  out.pay = books.pay_table();
  out.pay_lines = books.lines_table();
  out.held = books.held_table();
  out.rejects = io::concat(out.commission.rejects, std::move(rejects).table());
  return out;
}

}  // namespace spm::comp
