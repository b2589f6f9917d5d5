#include "releases.hpp"

#include <algorithm>

#include <spm/core/allocate.hpp>

namespace spm::comp::detail {

std::size_t PeriodIndex::of(Date d) const {
  const auto it = std::upper_bound(periods.begin(), periods.end(), d,
                                   [](Date x, const Period& p) { return x < p.end; });
  return static_cast<std::size_t>(it - periods.begin());
}

namespace {

// Cumulative value at date d of a step function given as (date, cumulative) pairs.
Decimal at(const std::vector<std::pair<Date, Decimal>>& steps, Date d) {
  Decimal v;
  for (const auto& [when, cum] : steps) {
    if (when > d) break;
    v = cum;
  }
  return v;
}

}  // namespace

void release(const Plan& plan, const TxTimeline& tx, std::size_t k, const Decimal& amount,
             const PeriodIndex& periods, int places, std::vector<ReleaseEvent>& events,
             std::vector<Held>& held) {
  static const std::vector<ReleaseStep> on_booking{{ReleaseOn::booking, Decimal(100)}};
  // A return's (negative) commission is netted at once: nothing is invoiced or paid for it.
  const auto& steps = plan.release.empty() || amount.sign() < 0 ? on_booking : plan.release;
  std::vector<Decimal> percents;
  for (const auto& s : steps) percents.push_back(s.percent);
  const int p = amount.has_places(places) ? places : Decimal::scale;
  const auto portions = allocate_percent(amount, percents, p);
  const std::size_t end = periods.periods.size();
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const ReleaseOn on = steps[s].on;
    const Decimal& a = portions[s];
    // What refunds have left of the portion (all of it for a transaction of amount 0).
    auto unrefunded = [&](Date d) {
      if (tx.amount.is_zero()) return a;
      return Decimal::mul_div(a, tx.amount - at(tx.refunded, d), tx.amount, p, plan.rounding);
    };
    // Released so far: on invoice all of what is left once invoiced; on payment the share of
    // the invoice paid, but never more than what is left, whatever came first.
    auto released = [&](Date d) {
      const Decimal left = unrefunded(d);
      if (on == ReleaseOn::invoice) return tx.invoice && *tx.invoice <= d ? left : Decimal(0);
      if (tx.invoiced.sign() <= 0) return Decimal(0);
      return std::min(left, Decimal::mul_div(a, at(tx.paid, d), tx.invoiced, p, plan.rounding));
    };
    // The dates where something changes, in order; payments before refunds on the same day.
    struct Change {
      Date date;
      bool refund;
      std::string note;
    };
    std::vector<Change> changes;
    if (on == ReleaseOn::invoice && tx.invoice) changes.push_back({*tx.invoice, false, "invoiced"});
    if (on == ReleaseOn::payment) {
      for (const auto& [d, cum] : tx.paid) {
        changes.push_back({d, false, "paid " + cum.to_string() + " of " + tx.invoiced.to_string()});
      }
    }
    for (std::size_t i = 0; i < tx.refunded.size(); ++i) {
      changes.push_back({tx.refunded[i].first, true, tx.refund_notes[i]});
    }
    std::stable_sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
      return std::tie(x.date, x.refund) < std::tie(y.date, y.refund);
    });
    const std::string step_note =
        steps.size() == 1 ? std::string()
                          : " (" + steps[s].percent.to_string() + "% on " + std::string(to_string(on)) + ")";
    // Earned in period k: held until released; booking releases at once.
    Decimal R, U = a;
    events.push_back({k, ReleaseEvent::Kind::booking, Decimal(0), a, ""});
    if (on == ReleaseOn::booking) {
      R = a;
      events.push_back({k, ReleaseEvent::Kind::booking, a, -a, ""});
    }
    for (const auto& c : changes) {
      const std::size_t idx = std::max(k, periods.of(c.date));
      if (idx >= end || c.date >= periods.stop) break;  // after the range: a later run's
      const Decimal r = on == ReleaseOn::booking ? unrefunded(c.date) : released(c.date);
      const Decimal u = unrefunded(c.date);
      const Decimal dr = r - R, du = u - U;
      if (!dr.is_zero() || !du.is_zero()) {
        const auto kind = c.refund ? ReleaseEvent::Kind::clawback : ReleaseEvent::Kind::release;
        events.push_back({idx, kind, dr, du - dr, c.note + step_note});
      }
      R = r;
      U = u;
    }
    if (U != R) {
      std::optional<Date> expected;
      if (on == ReleaseOn::invoice && tx.invoice && *tx.invoice >= periods.stop) expected = tx.invoice;
      if (on == ReleaseOn::payment) expected = tx.due;
      held.push_back({on, U - R, expected});
    }
  }
}

}  // namespace spm::comp::detail
