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
  const auto& steps = plan.release.empty() ? on_booking : plan.release;
  std::vector<Decimal> percents;
  for (const auto& s : steps) percents.push_back(s.percent);
  const int p = amount.has_places(places) ? places : Decimal::scale;
  const auto portions = allocate_percent(amount, percents, p);
  const std::size_t end = periods.periods.size();
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const ReleaseOn on = steps[s].on;
    const Decimal& a = portions[s];
    // Released so far = a x (share released) x (share not refunded), rounded once.
    auto released = [&](Date d) {
      Decimal num(1), den(1);
      if (on == ReleaseOn::invoice) num = tx.invoice && *tx.invoice <= d ? Decimal(1) : Decimal(0);
      if (on == ReleaseOn::payment) {
        num = at(tx.paid, d);
        den = tx.invoiced;
      }
      const Decimal live = Decimal::mul_div(a, tx.amount - at(tx.refunded, d), tx.amount, Decimal::scale);
      return Decimal::mul_div(live, num, den, p, plan.rounding);
    };
    auto unrefunded = [&](Date d) {
      return Decimal::mul_div(a, tx.amount - at(tx.refunded, d), tx.amount, p, plan.rounding);
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
      if (idx >= end) break;  // after the range: a later run releases it
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
      if (on == ReleaseOn::invoice && tx.invoice && periods.of(*tx.invoice) >= end) expected = tx.invoice;
      if (on == ReleaseOn::payment) expected = tx.due;
      held.push_back({on, U - R, expected});
    }
  }
}

}  // namespace spm::comp::detail
