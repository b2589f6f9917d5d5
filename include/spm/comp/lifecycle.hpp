// The commission lifecycle after the engine: releases (holds), clawbacks, adjustments, draws,
// prior-period reprocessing, and what each payee is paid each period (docs/lifecycle.md).
#pragma once

#include <span>
#include <string>

#include <spm/comp/engine.hpp>

namespace spm::comp {

/// Lifecycle input tables; each is optional. Amounts are in the plan currency.
struct LifecycleInputs {
  /// Manual adjustments: payee_id, period (pay period label, e.g. "2026-Q2"), amount (decimal,
  /// signed), reason, author, date (the day it was entered). Reason and author are required.
  const io::Table* adjustments = nullptr;
  /// Draws and guarantees: payee_id, from (date), to (date, nullable = open), amount (per full
  /// pay period; prorated for part of one), type ("recoverable" or "non_recoverable"). A payee's
  /// draws may not overlap.
  const io::Table* draws = nullptr;
  /// Cancellations and refunds: transaction_id, date, amount (nullable = the whole transaction).
  const io::Table* cancellations = nullptr;
  /// Invoices and payments, for release schedules: transaction_id, event ("invoice" or
  /// "payment"), date, amount (nullable: the transaction's amount), due (date, nullable: when an
  /// invoice is expected to be paid).
  const io::Table* events = nullptr;
  /// Terminations: payee_id, date (last day employed + 1, i.e. the first day not employed).
  const io::Table* terminations = nullptr;
  /// What was paid for closed periods: payee_id, period (label), amount. A period listed here
  /// for a payee is closed: it stays paid as recorded, and a recomputation's difference flows
  /// into the payee's next open period.
  const io::Table* paid = nullptr;
  /// Payees paid in another currency: payee_id, currency (ISO 4217). Their pay rows show the
  /// net pay converted at the inputs' fx_rates in force on the period's last day.
  const io::Table* payees = nullptr;
  /// Balances brought in from before the range (the last pay rows of the previous settle):
  /// payee_id, draw_balance (recoverable draw outstanding), owed (amounts carried forward), both
  /// decimals of zero or more (nullable = 0).
  const io::Table* opening = nullptr;
};

/// Everything a lifecycle run produces.
struct LifecycleResult {
  /// The engine's statements, lines and rejects (under the recalculate clawback policy, each
  /// period as computed without the transactions cancelled by then).
  CompResult commission;
  /// One row per payee and pay period: payee_id, period, period_start, period_end, status
  /// ("open" or "closed"), earned (the commission statement's payout), released, held (at the
  /// period's end), adjustments, prior_period, clawbacks, brought_forward, carried_forward,
  /// draw, draw_recovered, draw_balance (at the end), closed_difference (closed periods: paid
  /// minus recomputed), net_pay, recomputed (closed periods: the net pay as recomputed now; null
  /// otherwise), currency (the payee's), fx_rate and
  /// net_pay_local (net pay in the payee's currency: net_pay / fx_rate, rounded half-even to its
  /// minor units; the plan currency's payees have rate 1).
  io::Table pay;
  /// Lines that explain each net pay (per payee and period they sum to net_pay): payee_id,
  /// period, line, kind, transaction_id, amount, note.
  io::Table pay_lines;
  /// Commission earned but not released by the end of the range: payee_id, transaction_id,
  /// period (earned), on ("invoice" or "payment"), amount, expected (date, nullable).
  io::Table held;
  /// The commission run's rejects, then the lifecycle inputs': source, row, id, payee_id,
  /// period, reason.
  io::Table rejects;
  /// SHA-256 (hex) of the plan versions (their documents, or id and version for plans built in
  /// code), the range and every input table, independent of row and column order (each row is
  /// first hashed to 128 bits): the same fingerprint means the same inputs (barring a deliberate
  /// collision; it is a check, not a security boundary), and the run reproduces the same bytes.
  std::string fingerprint;
  /// Cancellations and refunds dated on or after the range's end: not clawed back by this run
  /// (a later run that covers their dates does it).
  std::size_t cancellations_after_range = 0;
  /// Cancellations and refunds dated before the range: the settle of their dates took them
  /// back, so they are passed over (not rejected) when their transaction has no lines here.
  std::size_t cancellations_before_range = 0;
};

/// Computes commission over `range` with `run`, then the lifecycle of every pay period in it:
/// balances (draw, amounts owed) start on the range's first day from the opening input (zero
/// without it), so settle a whole history (a plan year, say) and bring the last balances into
/// the next one. Same inputs, same bytes out, whatever the row
/// order or thread count. Throws what `run` throws.
[[nodiscard]] LifecycleResult settle(std::span<const Plan> versions, const CompInputs& inputs,
                                     const LifecycleInputs& lifecycle, const Period& range,
                                     const ExecutionContext& context = {});
[[nodiscard]] LifecycleResult settle(const Plan& plan, const CompInputs& inputs,
                                     const LifecycleInputs& lifecycle, const Period& range,
                                     const ExecutionContext& context = {});

/// The fingerprint `settle` records, without running anything.
[[nodiscard]] std::string fingerprint(std::span<const Plan> versions, const CompInputs& inputs,
                                      const LifecycleInputs& lifecycle, const Period& range);

}  // namespace spm::comp
