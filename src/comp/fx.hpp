// Currency conversion of transactions into the plan currency with effective-dated rates
// (private to the engine and the lifecycle).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inputs.hpp"

namespace spm::comp::detail {

/// Effective-dated rates: plan-currency units per unit of a currency, from a date on.
class FxRates {
 public:
  FxRates() = default;
  /// Reads currency, date, rate; bad and conflicting rows go to `rejects`. A rejected row that
  /// names its currency and date leaves no rate in force from that date (the earlier one must
  /// not quietly go on); without a readable date, none for the currency at all. Rows flagged
  /// `_rejected` (the CSV reader's, see load_inputs) count so too, without a second reject.
  FxRates(const io::Table& table, Rejects& rejects);
  /// The rate in force on `d` (the latest dated on or before it); none when there is none or
  /// it was rejected (missing() says which).
  [[nodiscard]] std::optional<Decimal> rate(const std::string& currency, Date d) const;
  /// Why rate(currency, d) has none, with the fix.
  [[nodiscard]] std::string missing(const std::string& currency, Date d) const;

 private:
  struct Entry {
    Date from;
    Decimal rate;
    std::int64_t rejected_row = 0;  ///< > 0: this date's rate was rejected (that row)
  };
  [[nodiscard]] const Entry* in_force(const std::string& currency, Date d) const;
  std::map<std::string, std::vector<Entry>, std::less<>> rates_;
  std::map<std::string, std::int64_t, std::less<>> undated_;  ///< a rejected row without a date
};

/// Transactions with amounts converted into the plan currency.
struct Converted {
  /// The table to compute from: the converted copy, or `original` when nothing was converted.
  [[nodiscard]] const io::Table& transactions(const io::Table& original) const {
    return table ? *table : original;
  }
  /// The transactions, converted (currency = the plan's); none when no row needed converting.
  std::optional<io::Table> table;
  std::vector<Decimal> rate;          ///< per row: the rate used, 0 = not converted
  std::vector<std::uint8_t> rejected; ///< per row: no rate (already in rejects)
};

/// Converts the plan's conversion columns of foreign-currency transactions at the rate in force
/// on the transaction date (or on the first day of its pay period, as the plan says), rounded
/// half-even to the plan currency's minor units. Nullopt when no rates table is given.
std::optional<Converted> convert(const Plan& plan, const CompInputs& in, Rejects& rejects);

/// The transaction columns the engine reads as text by row: ids, currency, the credit-rule
/// key, the relationship keys of roll-ups.
std::vector<std::string> text_columns(const Plan& plan);
/// The transactions' columns the engine reads as decimals: amount and the measures' sums.
std::vector<std::string> decimal_columns(const Plan& plan);

/// The inputs as the engine reads them: dictionary-encoded string columns decoded to text and
/// foreign-currency transactions converted (see convert); it keeps the copies alive.
class EngineInputs {
 public:
  EngineInputs(const Plan& plan, const CompInputs& in, Rejects& rejects)
      : plain_(in, text_columns(plan), decimal_columns(plan)), converted_(convert(plan, plain_.get(), rejects)), in_(plain_.get()) {
    if (converted_) in_.transactions = &converted_->transactions(*plain_.get().transactions);
  }
  EngineInputs(const EngineInputs&) = delete;  // in_ points into the members
  EngineInputs& operator=(const EngineInputs&) = delete;
  [[nodiscard]] const CompInputs& get() const noexcept { return in_; }
  /// Per transaction row: rejected for want of a rate; nullptr without an fx_rates table.
  [[nodiscard]] const std::vector<std::uint8_t>* rejected() const noexcept {
    return converted_ ? &converted_->rejected : nullptr;
  }
  /// Per transaction row: the rate used (0 = none); nullptr without an fx_rates table.
  [[nodiscard]] const std::vector<Decimal>* rates() const noexcept {
    return converted_ ? &converted_->rate : nullptr;
  }

 private:
  PlainInputs plain_;
  std::optional<Converted> converted_;
  CompInputs in_;
};

}  // namespace spm::comp::detail
