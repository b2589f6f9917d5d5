// Typed, columnar tables: what every module reads and writes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>

namespace spm::io {

/// The value types a column can hold. Money columns are `decimal` (with a currency column beside
/// them); statistics columns are `float64`.
enum class ColumnType { string, decimal, integer, date, boolean, float64 };

/// "string", "decimal", "integer", "date", "boolean", "float64".
[[nodiscard]] std::string_view to_string(ColumnType type) noexcept;
/// Parses a type name; throws InvalidInputError "table.column_type" for unknown names.
[[nodiscard]] ColumnType parse_column_type(std::string_view name);

/// Dictionary-encoded strings: each row is a code into a shared list of distinct values. Output
/// columns with few distinct values (payee, period, kind) use it: 4 bytes a row, no copies.
struct DictionaryStrings {
  std::shared_ptr<const std::vector<std::string>> dictionary;
  std::vector<std::uint32_t> codes;
  [[nodiscard]] std::size_t size() const noexcept { return codes.size(); }
};

/// Read access to the text of a string column whatever its storage (plain or dictionary).
class StringsView {
 public:
  StringsView(const std::vector<std::string>* plain, const DictionaryStrings* dict,
              const std::vector<std::uint8_t>* valid) noexcept
      : plain_(plain), dict_(dict), valid_(valid) {}
  [[nodiscard]] std::string_view operator[](std::size_t row) const noexcept {
    if (plain_ != nullptr) return (*plain_)[row];
    if (!valid_->empty() && (*valid_)[row] == 0) return {};
    return (*dict_->dictionary)[dict_->codes[row]];
  }
  [[nodiscard]] std::size_t size() const noexcept {
    return plain_ != nullptr ? plain_->size() : dict_->codes.size();
  }

 private:
  const std::vector<std::string>* plain_;
  const DictionaryStrings* dict_;
  const std::vector<std::uint8_t>* valid_;
};

/// One column: a name, a type, values and an optional null mask. Values at null slots are
/// default-constructed and must be ignored. Copies share their values until one of them changes
/// (copy on write), so a result can hold an input's column (the lines' transaction ids) without
/// copying millions of strings. Read through a const reference: the non-const accessors are for
/// changing, and give a shared column its own copy first; a reference they return is valid
/// until the column is next copied, and a write through it after a copy changes the copy too.
class Column {
 public:
  /// Storage per type, in ColumnType order (booleans as 0/1 bytes), then dictionary-encoded
  /// strings (type string).
  using Data = std::variant<std::vector<std::string>, std::vector<Decimal>,
                            std::vector<std::int64_t>, std::vector<Date>,
                            std::vector<std::uint8_t>, std::vector<double>, DictionaryStrings>;

  Column(std::string name, ColumnType type);
  Column(const Column&) = default;
  Column& operator=(const Column&) = default;
  /// The moved-from column is empty, of the same type, with no nulls.
  Column(Column&& other) noexcept;
  Column& operator=(Column&& other) noexcept;
  ~Column() = default;
  /// A column built from values (no nulls).
  template <class T>
  static Column of(std::string name, std::vector<T> values);
  /// A dictionary-encoded string column; `valid` (1 = present) may be empty for no nulls.
  /// Throws InvalidInputError "table.dictionary" when a code is outside the dictionary.
  static Column dictionary(std::string name,
                           std::shared_ptr<const std::vector<std::string>> dictionary,
                           std::vector<std::uint32_t> codes, std::vector<std::uint8_t> valid = {});

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// A new name (for a column read under another one); a table's names stay the caller's to
  /// keep unique.
  void rename(std::string name) noexcept { name_ = std::move(name); }
  [[nodiscard]] ColumnType type() const noexcept {
    return get().index() == 6 ? ColumnType::string : static_cast<ColumnType>(get().index());
  }
  [[nodiscard]] bool is_dictionary() const noexcept { return get().index() == 6; }
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool has_nulls() const noexcept { return null_count_ > 0; }
  [[nodiscard]] std::size_t null_count() const noexcept { return null_count_; }
  [[nodiscard]] bool is_null(std::size_t row) const noexcept {
    return !valid_.empty() && valid_[row] == 0;
  }
  /// 1 = value present, 0 = null; empty when the column has no nulls.
  [[nodiscard]] const std::vector<std::uint8_t>& validity() const noexcept { return valid_; }

  /// The text of a string column, plain or dictionary-encoded ("" at nulls); throws
  /// InvalidInputError "table.column_type" for other types.
  [[nodiscard]] StringsView strings() const;
  /// The typed values; throws InvalidInputError "table.column_type" when T does not match (also
  /// for std::string on a dictionary-encoded column: use strings()).
  template <class T>
  [[nodiscard]] const std::vector<T>& values() const;
  template <class T>
  [[nodiscard]] std::vector<T>& values();
  [[nodiscard]] const Data& data() const noexcept { return get(); }
  /// For changing the values: a copy sharing them gets its own first.
  [[nodiscard]] Data& data() { return mut(); }
  /// The plain strings of a string column, shared with this column (no copy; they stay as they
  /// are while the pointer lives, whatever later happens to this column). Throws
  /// InvalidInputError "table.column_type" for other storage.
  [[nodiscard]] std::shared_ptr<const std::vector<std::string>> shared_strings() const;

  /// Appends a value of the column's type.
  template <class T>
  void push(T value) {
    std::get<std::vector<T>>(mut()).push_back(std::move(value));  // inline: the CSV hot path
    if (!valid_.empty()) valid_.push_back(1);
  }
  /// Appends a null.
  void push_null();
  /// Replaces the null mask: 1 = value present, 0 = null (same length as the column); an empty
  /// mask means no nulls. Throws InvalidInputError "table.column_length" on a length mismatch.
  void set_validity(std::vector<std::uint8_t> valid);
  /// The value at `row` as text ("" for null): decimals exact, dates ISO, booleans true/false.
  [[nodiscard]] std::string text(std::size_t row) const;
  /// Decimal columns: text() writes at least this many decimals ("4800.00"), never rounding.
  void set_min_places(int places) noexcept { min_places_ = places; }
  [[nodiscard]] int min_places() const noexcept { return min_places_; }
  /// Keeps the first n rows.
  void truncate(std::size_t n);
  /// Reserves room for n rows.
  void reserve(std::size_t n);

 private:
  // A moved-from column reads as empty storage of its kind; the first change gives it its own.
  [[nodiscard]] const Data& get() const noexcept { return data_ ? *data_ : empty_data(kind_); }
  Data& mut() {
    if (!data_ || data_.use_count() > 1) {
      detach();
    } else {
      // Sole owner: the last other owner's reads happen before this write (its release of
      // the count pairs with this fence).
      std::atomic_thread_fence(std::memory_order_acquire);
    }
    return *data_;
  }
  void detach();
  static const Data& empty_data(std::size_t kind) noexcept;

  std::string name_;
  std::shared_ptr<Data> data_;
  std::size_t kind_ = 0;  // Data's alternative when data_ is null (after a move)
  std::vector<std::uint8_t> valid_;
  std::size_t null_count_ = 0;
  int min_places_ = 0;
};

/// Columns of equal length with unique names.
class Table {
 public:
  Table() = default;
  /// Adds a column; throws InvalidInputError "table.column_length" when its length differs from
  /// the table's, "table.duplicate_column" when the name is taken.
  Table& add(Column column);

  [[nodiscard]] std::size_t num_rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t num_columns() const noexcept { return columns_.size(); }
  [[nodiscard]] const std::vector<Column>& columns() const noexcept { return columns_; }
  [[nodiscard]] std::vector<Column>& columns() noexcept { return columns_; }
  /// Position of the named column, if present.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const noexcept;
  /// The named column; throws InvalidInputError "table.no_column" naming the columns present.
  [[nodiscard]] const Column& column(std::string_view name) const;
  /// Typed values of the named column.
  template <class T>
  [[nodiscard]] const std::vector<T>& values(std::string_view name) const {
    return column(name).values<T>();
  }
  /// Text of the named string column, plain or dictionary-encoded.
  [[nodiscard]] StringsView strings(std::string_view name) const { return column(name).strings(); }
  /// Sets the row count of a table whose columns were filled directly (checks lengths).
  void set_num_rows(std::size_t rows);

 private:
  std::vector<Column> columns_;
  std::size_t rows_ = 0;
};

/// Where row `row` came from, for messages and rejects: the source line when the CSV reader kept
/// it (an integer "_line" column, see CsvReadOptions::line_column), else the 1-based row.
[[nodiscard]] std::int64_t row_number(const Table& table, std::size_t row);

/// The rows `rows` of `table` (in that order; repeats allowed) with their types, nulls and
/// dictionaries: every column, or the named `columns` in that order (InvalidInputError
/// "table.no_column" for a missing one). Throws std::out_of_range for a row past the end.
[[nodiscard]] Table take(const Table& table, std::span<const std::size_t> rows,
                         std::span<const std::string> columns = {});

/// The rows of `a`, then those of `b`: the same column names and types in the same order, else
/// InvalidInputError "table.concat" naming the first difference. A table with no columns is
/// the identity.
[[nodiscard]] Table concat(const Table& a, const Table& b);

/// A row that could not be loaded, and why. `line` is the 1-based line where the record starts
/// in the source file (the header is line 1); `column` is empty for row-level problems.
struct Reject {
  std::int64_t line = 0;
  std::string column;
  std::string value;
  std::string reason;
};

/// Rejects as a table with columns line, column, value, reason (to write next to the output).
[[nodiscard]] Table rejects_table(std::span<const Reject> rejects);

}  // namespace spm::io
