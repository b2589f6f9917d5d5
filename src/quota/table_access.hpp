// Reading the quota module's input tables: typed column lookups with clear errors, and rejects.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/io/table.hpp>

namespace spm::quota::detail {

/// The named column, checked: InvalidInputError "quota.column" at "<table>.<name>" when it is
/// missing or not of `type` (integer columns are accepted where decimals are asked for).
const io::Column& require_column(const io::Table& t, std::string_view table, std::string_view name,
                                 io::ColumnType type);
/// As require_column, or nullptr when the table has no such column.
const io::Column* optional_column(const io::Table& t, std::string_view table, std::string_view name,
                                  io::ColumnType type);
/// Where `name` is in `t`: the column spelling it exactly, else the one spelling it loosely as
/// the CSV reader matches headers (io::find_header: case, edge blanks, blanks or hyphens for
/// underscores), so that a DataFrame and a CSV file with the same header read the same.
std::optional<std::size_t> find_column(const io::Table& t, std::string_view name);
/// Notes for columns of `t` that nothing reads but that look like a column of `known` the table
/// lacks (the same name loosely, or at most 2 edits apart ignoring case, blanks, underscores
/// and hyphens): "reps column 'max_increse' is not read; did you mean 'max_increase'?".
std::vector<std::string> near_column_notes(const io::Table& t, std::string_view table,
                                           std::span<const std::string> known);
/// A decimal or integer column's value at `row` as a Decimal.
Decimal decimal_at(const io::Column& c, std::size_t row);

/// Fast row access to a decimal or integer column (or to no column: every row absent).
class DecimalColumn {
 public:
  DecimalColumn() = default;
  explicit DecimalColumn(const io::Column* c);
  [[nodiscard]] bool present() const noexcept { return dec_ != nullptr || int_ != nullptr; }
  /// The row has a value (the column exists and the row is not null).
  [[nodiscard]] bool has(std::size_t r) const noexcept {
    return present() && (valid_ == nullptr || valid_[r] != 0);
  }
  [[nodiscard]] Decimal at(std::size_t r) const noexcept {
    return dec_ != nullptr ? dec_[r] : Decimal(int_[r]);
  }
  /// Starts loading row `r` into the cache (rows read in a scattered order).
  void prefetch(std::size_t r) const noexcept {
    if (dec_ != nullptr) __builtin_prefetch(dec_ + r);
    if (int_ != nullptr) __builtin_prefetch(int_ + r);
    if (valid_ != nullptr) __builtin_prefetch(valid_ + r);
  }

 private:
  const Decimal* dec_ = nullptr;
  const std::int64_t* int_ = nullptr;
  const std::uint8_t* valid_ = nullptr;
};
using io::row_number;

/// Rows not used, with reasons; becomes a table source, row, id, reason.
class Rejects {
 public:
  void add(std::string_view source, std::int64_t row, std::string_view id, std::string reason);
  [[nodiscard]] std::size_t size() const noexcept { return source_.size(); }
  /// Distinct rows rejected from `source`.
  [[nodiscard]] std::size_t rows_from(std::string_view source) const;
  /// "row N: reason" of the first reject of `id` from `source`, or "" when there is none.
  [[nodiscard]] std::string why(std::string_view source, std::string_view id) const {
    for (std::size_t k = 0; k < source_.size(); ++k) {
      if (source_[k] == source && id_[k] == id) {
        return "row " + std::to_string(row_[k]) + ": " + reason_[k];
      }
    }
    return "";
  }
  [[nodiscard]] io::Table table() const;
  /// The rejects ordered by source (in the order given; others last) then row.
  [[nodiscard]] io::Table table(std::span<const std::string_view> source_order) const;

 private:
  std::vector<std::string> source_;
  std::vector<std::int64_t> row_;
  std::vector<std::string> id_;
  std::vector<std::string> reason_;
};

}  // namespace spm::quota::detail
