// Lifecycle input tables after checking: adjustments, draws, cancellations, invoice and payment
// events, terminations and closed-period payments, grouped for the ledger; bad rows rejected.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <spm/comp/lifecycle.hpp>

#include "inputs.hpp"

namespace spm::comp::detail {

struct Adjustment {
  std::string period, reason, author;
  Decimal amount;
  std::optional<Date> entered;
};
struct Draw {
  Period span;
  Decimal amount;
  bool recoverable = true;
};
struct Cancellation {
  std::string tx;
  Date date;
  std::optional<Decimal> amount;  ///< nullopt: the whole transaction
  std::int64_t row = 0;
};
struct TxEvent {
  bool payment = false;
  Date date;
  std::optional<Decimal> amount;
  std::optional<Date> due;
  std::int64_t row = 0;
};

/// The lifecycle inputs by payee (or transaction), in a canonical order whatever the row order.
struct LifecycleData {
  std::map<std::string, std::vector<Adjustment>> adjustments;  ///< by payee; by period, row text
  std::map<std::string, std::vector<Draw>> draws;              ///< by payee; by start, no overlap
  std::map<std::string, Date> terminations;
  std::map<std::string, std::map<std::string, Decimal>> paid;  ///< payee -> period -> amount
  std::map<std::pair<std::string, std::string>, std::size_t> paid_row;  ///< (payee, period) -> input row
  std::map<std::string, std::string> currency;                 ///< payee -> pay currency
  std::map<std::string, std::pair<Decimal, Decimal>> opening;   ///< payee -> draw balance, owed
  std::vector<Cancellation> cancellations;                     ///< by transaction, date, amount
  std::unordered_map<std::string, std::vector<TxEvent>> events;  ///< by transaction; by date
  /// Every payee named by an adjustment, draw, termination or payment.
  std::set<std::string> payees;
};

/// Reads the lifecycle tables (missing required columns throw InvalidInputError "comp.column");
/// rows that cannot be used go to `rejects` with the reason. `periods` are the labels of the pay
/// periods being settled (adjustments and payments must name one); `places`: the decimals money
/// may have (the plan's rounding places).
LifecycleData read_lifecycle(const LifecycleInputs& in, const std::set<std::string>& periods,
                             int places, Rejects& rejects);

}  // namespace spm::comp::detail
