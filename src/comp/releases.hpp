// Release schedules and original-rate clawbacks: when each transaction's commission is paid, and
// what a cancellation or refund takes back (private to the lifecycle).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <spm/comp/plan.hpp>

#include "lifecycle_inputs.hpp"

namespace spm::comp::detail {

/// What is known of one transaction's invoice, payments and refunds, checked once.
struct TxTimeline {
  std::size_t row = 0;  ///< in the transactions table
  Date date;
  Decimal amount;                         ///< the transaction's amount (what refunds are of)
  std::optional<Date> invoice, due;
  Decimal invoiced;                       ///< what payments are of (invoice amount or amount)
  std::vector<std::pair<Date, Decimal>> paid;      ///< cumulative payments by date
  std::vector<std::pair<Date, Decimal>> refunded;  ///< cumulative refunds by date (original_rate)
  std::vector<std::string> refund_notes;           ///< per refunded entry
};

/// Maps dates to the settled pay periods.
struct PeriodIndex {
  std::vector<Period> periods;
  std::vector<std::string> labels;
  Date stop;  ///< the range's end: events from this day on belong to a later run
  /// Index of the period containing d (0 before the first); periods.size() at or after the end.
  [[nodiscard]] std::size_t of(Date d) const;
};

/// One change to a payee's pay in a period, produced by the releases.
struct ReleaseEvent {
  std::size_t period = 0;
  enum class Kind { booking, release, clawback } kind = Kind::booking;
  Decimal amount;
  Decimal held_change;  ///< change of the amount held (earned, not released, not refunded)
  std::string note;
};
/// Commission still held at the end: on which event it waits, and when it is expected.
struct Held {
  ReleaseOn on = ReleaseOn::invoice;
  Decimal amount;
  std::optional<Date> expected;
};

/// The releases (and, under original_rate, clawbacks) of `amount`, a payee's commission for one
/// transaction earned in period `k`, split by the plan's release schedule (negative commission,
/// from a return, is released on booking). Cumulative amounts are rounded to `places`, so the
/// events add up exactly to what is released; a payment releases its share of the invoice, never
/// more than what refunds left.
void release(const Plan& plan, const TxTimeline& tx, std::size_t k, const Decimal& amount,
             const PeriodIndex& periods, int places, std::vector<ReleaseEvent>& events,
             std::vector<Held>& held);

}  // namespace spm::comp::detail
