// Reading the forecast module's input tables: typed column lookups with clear errors, values as
// doubles (statistics), and rejects that name the row, column and value.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast::detail {

/// InvalidInputError "forecast.amount" naming the first negative amount, or the deal at which
/// the amounts add up to more than max_total_amount.
void check_amounts(std::span<const Decimal> amount);

/// Deals in one canonical order: by amount, then probability (equal pairs are interchangeable).
/// The distributions sum doubles and draw scenarios deal by deal, so they take the deals in this
/// order to give the same bytes whatever the input order. Check the inputs first: errors name
/// the caller's indices.
struct CanonicalDeals {
  std::vector<double> p;
  std::vector<Decimal> amount;
};
CanonicalDeals canonical_deals(std::span<const double> p, std::span<const Decimal> amount);

/// expected_bookings before its rounding to the cent (12 places): what the roll-up allocates
/// the total's cents by.
Decimal expected_bookings_unrounded(std::span<const double> probability, std::span<const Decimal> amount,
                                    const Arrivals& arrivals);

/// The named column; InvalidInputError "forecast.column" at "<table>.<name>" when missing.
const io::Column& require_column(const io::Table& t, std::string_view table, std::string_view name);
/// As require_column, or nullptr when absent.
const io::Column* find_column(const io::Table& t, std::string_view name);

/// A numeric column (integer, decimal, float64, or text parsed as the CSV reader parses a
/// float64) read as doubles; InvalidInputError "forecast.column" for other types or a text
/// column without one number (categories named as numbers). `valid[r]` is 0 at nulls,
/// non-finite values and text that does not parse (`unreadable` holds the reader's reason for
/// those, as the CLI's reader would reject the row).
struct NumericColumn {
  std::vector<double> values;
  std::vector<std::uint8_t> valid;
  std::unordered_map<std::size_t, std::string> unreadable;
};
NumericColumn numeric_column(const io::Column& c, std::string_view table);

class Rejects;

/// The numeric features of a table, read once: the one check of them (win model, window
/// forecast, hazard model, deal_durations with features).
class NumericFeatures {
 public:
  NumericFeatures(const io::Table& t, const std::vector<std::string>& names);
  /// Whether row r has every feature; otherwise rejects it (the first bad column: empty, text
  /// that is not a number, or not finite).
  bool usable(std::size_t r, Rejects& rejects) const;
  [[nodiscard]] std::size_t size() const noexcept { return columns_.size(); }
  const NumericColumn& operator[](std::size_t j) const { return columns_[j]; }

 private:
  const io::Table* t_;
  std::vector<std::string> names_;
  std::vector<NumericColumn> columns_;
};

/// The one reading of an outcome column (text, booleans or integers 0/1), everywhere an outcome
/// is read: per row 1 won, 0 lost, -1 none (empty, or an open stage's text), -2 unknown (a
/// misspelt won/lost, an integer other than 0 and 1: see unknown_outcome_reason).
/// InvalidInputError "forecast.column" for another type.
std::vector<int> read_outcomes(const io::Column& c, std::string_view table);

/// A decimal (or integer) money column; InvalidInputError "forecast.column" otherwise ("it must
/// be decimal (exact money)").
const io::Column& money_column(const io::Table& t, std::string_view table, std::string_view name);
/// Its value at `row` as a Decimal.
Decimal money_at(const io::Column& c, std::size_t row);
/// A date column; InvalidInputError "forecast.column" otherwise.
const io::Column& date_column(const io::Table& t, std::string_view table, std::string_view name);

/// A string column's text; InvalidInputError "forecast.column" for other types.
io::StringsView string_column(const io::Column& c, std::string_view table);

using io::row_number;

/// Whether an outcome text looks like a misspelt won or lost ("WON ", "Wonn", "2"): padded, a
/// number other than 0/1, or one letter off. Other texts are open stages ("Prospecting", "open").
bool misspelt_outcome(std::string_view text);
/// The reject reason for such an outcome, naming it and the accepted values.
std::string unknown_outcome_reason(std::string_view value);


/// The rows `rows` of `t` with only `columns`, plus "_line" (the source line, or the 1-based
/// row when `t` has none) so that rejects of the subset point into the input.
io::Table take_rows(const io::Table& t, std::span<const std::size_t> rows, std::vector<std::string> columns);

/// Which row stands for each deal id: the first row of the id that is not rejected for a reason
/// of its own (docs/forecast.md, "Duplicate deal ids"). Rows are offered in input order.
class IdClaims {
 public:
  /// No-op (every row stands for itself) when `id_column` is empty.
  IdClaims(const io::Table& t, const std::string& id_column);
  /// For a row not rejected otherwise: true when it stands for its deal (its id is null or not
  /// seen yet: it takes it); false when an earlier row has the id, after rejecting this row
  /// ("duplicate id: row N has it already; that row stands for the deal ...").
  bool claim(std::size_t r, Rejects& rejects);

 private:
  const io::Table* t_;
  const io::Column* c_ = nullptr;
  std::string name_;
  std::unordered_map<std::string, std::size_t> first_;
};

/// Duplicate ids judged after each row's own validation, for callers that validate in stages:
/// on entry keep[r] is 0 for the rows already rejected for a reason of their own (they never
/// hold their id) and 1 for the others, used or merely out of scope; those are offered to
/// IdClaims in input order and the later duplicates set to 0 (and rejected). No-op when
/// `id_column` is empty.
void reject_duplicate_ids(const io::Table& t, const std::string& id_column, std::vector<std::uint8_t>& keep,
                          Rejects& rejects);

/// The rows of `t` to use, in one pass in input order: valid(r) returns false for a row it
/// rejected (it adds the reject itself) and true for the others (also those out of scope); a
/// valid row is then offered to IdClaims. So a deal whose first row is invalid still counts once,
/// by its first valid row, and the rejects come in row order. The one way the forecast functions
/// combine row checks with duplicate ids.
template <class Valid>
std::vector<std::uint8_t> valid_rows(const io::Table& t, const std::string& id_column, Rejects& rejects,
                                     Valid&& valid) {
  IdClaims ids(t, id_column);
  std::vector<std::uint8_t> keep(t.num_rows(), 0);
  for (std::size_t r = 0; r < t.num_rows(); ++r) keep[r] = valid(r) && ids.claim(r, rejects) ? 1 : 0;
  return keep;
}

/// Rows not used: row, column, value, reason.
class Rejects {
 public:
  void add(std::int64_t row, std::string_view column, std::string_view value, std::string reason);
  [[nodiscard]] std::size_t size() const noexcept { return row_.size(); }
  [[nodiscard]] io::Table table() const;

 private:
  std::vector<std::int64_t> row_;
  std::vector<std::string> column_, value_, reason_;
};

/// Whether a row says won or lost but has no close date. Its close is unknown, so it is neither
/// open nor closed on any as-of date: taken as open it would be forecast again (counted twice).
bool outcome_without_close(const io::Column& outcome, const io::Column& closed, std::size_t row);
/// Rejects such a row (column: the close date) with a reason naming the outcome and the fix.
void reject_outcome_without_close(Rejects& rejects, std::int64_t row, const io::Column& outcome,
                                  std::size_t r, std::string_view closed_name);

}  // namespace spm::forecast::detail
