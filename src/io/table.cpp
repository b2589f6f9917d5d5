#include <spm/io/table.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <type_traits>
#include <variant>
#include <utility>

#include <spm/core/error.hpp>

namespace spm::io {
namespace {
constexpr std::array<std::string_view, 6> type_names{"string", "decimal", "integer",
                                                     "date",   "boolean", "float64"};

template <class T>
constexpr ColumnType type_of() {
  if constexpr (std::is_same_v<T, std::string>) return ColumnType::string;
  if constexpr (std::is_same_v<T, Decimal>) return ColumnType::decimal;
  if constexpr (std::is_same_v<T, std::int64_t>) return ColumnType::integer;
  if constexpr (std::is_same_v<T, Date>) return ColumnType::date;
  if constexpr (std::is_same_v<T, std::uint8_t>) return ColumnType::boolean;
  if constexpr (std::is_same_v<T, double>) return ColumnType::float64;
}

Column::Data make_data(ColumnType type) {
  switch (type) {
    case ColumnType::string: return std::vector<std::string>{};
    case ColumnType::decimal: return std::vector<Decimal>{};
    case ColumnType::integer: return std::vector<std::int64_t>{};
    case ColumnType::date: return std::vector<Date>{};
    case ColumnType::boolean: return std::vector<std::uint8_t>{};
    case ColumnType::float64: return std::vector<double>{};
  }
  return std::vector<std::string>{};
}
}  // namespace

std::string_view to_string(ColumnType type) noexcept {
  return type_names[static_cast<std::size_t>(type)];
}

ColumnType parse_column_type(std::string_view name) {
  for (std::size_t i = 0; i < type_names.size(); ++i) {
    if (type_names[i] == name) return static_cast<ColumnType>(i);
  }
  throw InvalidInputError("table.column_type", "",
                          "'" + std::string(name) +
                              "' is not a column type; use string, decimal, integer, date, "
                              "boolean or float64");
}

Column::Column(std::string name, ColumnType type)
    : name_(std::move(name)), data_(std::make_shared<Data>(make_data(type))) {}

Column::Column(Column&& other) noexcept
    : name_(std::move(other.name_)),
      data_(std::move(other.data_)),
      kind_(data_ ? data_->index() : other.kind_),
      valid_(std::move(other.valid_)),
      null_count_(std::exchange(other.null_count_, 0)),
      min_places_(other.min_places_) {
  other.kind_ = kind_;
  other.valid_.clear();
}

Column& Column::operator=(Column&& other) noexcept {
  if (this == &other) return *this;
  name_ = std::move(other.name_);
  kind_ = other.data_ ? other.data_->index() : other.kind_;
  data_ = std::move(other.data_);
  valid_ = std::move(other.valid_);
  null_count_ = std::exchange(other.null_count_, 0);
  min_places_ = other.min_places_;
  other.kind_ = kind_;
  other.valid_.clear();
  return *this;
}

void Column::detach() {
  data_ = std::make_shared<Data>(data_ ? *data_ : empty_data(kind_));
}

const Column::Data& Column::empty_data(std::size_t kind) noexcept {
  static const auto empties = []<std::size_t... K>(std::index_sequence<K...>) {
    return std::array<Data, sizeof...(K)>{Data(std::in_place_index<K>)...};
  }(std::make_index_sequence<std::variant_size_v<Data>>{});
  return empties[kind];
}

std::shared_ptr<const std::vector<std::string>> Column::shared_strings() const {
  if (data_) {
    if (const auto* v = std::get_if<std::vector<std::string>>(data_.get())) {
      return {data_, v};  // aliasing: owns the storage, points at the strings
    }
  }
  throw InvalidInputError("table.column_type", name_, "column does not hold plain strings");
}

Column Column::dictionary(std::string name,
                          std::shared_ptr<const std::vector<std::string>> dictionary,
                          std::vector<std::uint32_t> codes, std::vector<std::uint8_t> valid) {
  if (!dictionary) dictionary = std::make_shared<const std::vector<std::string>>();
  if (!valid.empty() && valid.size() != codes.size()) {
    throw InvalidInputError("table.column_length", name,
                            "the validity mask and the codes differ in length");
  }
  Column c(std::move(name), ColumnType::string);
  // The largest code of a present row first (32-bit maxima, a loop the compiler vectorises:
  // output tables have millions of rows); the row is looked for only when it is out of range.
  // With a mask, the codes of null rows count too at first (one plain loop each for the maxima
  // and the nulls); only when that maximum is out of range are null rows left out.
  std::uint32_t top = 0;  // a null row counts as code 0
  for (const auto code : codes) top = std::max(top, code);
  if (!valid.empty()) {
    std::size_t nulls = 0;
    for (const auto v : valid) nulls += v == 0;
    c.null_count_ = nulls;
    if (top >= dictionary->size()) {
      top = 0;
      for (std::size_t r = 0; r < codes.size(); ++r) top = std::max(top, valid[r] != 0 ? codes[r] : 0u);
    }
  }
  if (c.null_count_ < codes.size() && top >= dictionary->size()) {
    std::size_t r = 0;
    while ((!valid.empty() && valid[r] == 0) || codes[r] < dictionary->size()) ++r;
    throw InvalidInputError("table.dictionary", c.name_,
                            "row " + std::to_string(r + 1) + " has code " + std::to_string(codes[r]) +
                                " but the dictionary holds " + std::to_string(dictionary->size()) +
                                " values");
  }
  if (c.null_count_ == 0) valid.clear();
  c.valid_ = std::move(valid);
  c.mut() = DictionaryStrings{std::move(dictionary), std::move(codes)};
  return c;
}

StringsView Column::strings() const {
  if (const auto* v = std::get_if<std::vector<std::string>>(&get())) return {v, nullptr, &valid_};
  if (const auto* d = std::get_if<DictionaryStrings>(&get())) return {nullptr, d, &valid_};
  throw InvalidInputError("table.column_type", name_,
                          "column holds " + std::string(to_string(type())) + " values, not string");
}

template <class T>
Column Column::of(std::string name, std::vector<T> values) {
  Column c(std::move(name), type_of<T>());
  c.mut() = std::move(values);
  return c;
}

template <class T>
const std::vector<T>& Column::values() const {
  if (const auto* v = std::get_if<std::vector<T>>(&get())) return *v;
  if (is_dictionary() && type_of<T>() == ColumnType::string) {
    throw InvalidInputError("table.column_type", name_,
                            "column is dictionary-encoded; read its text with strings()");
  }
  throw InvalidInputError("table.column_type", name_,
                          "column holds " + std::string(to_string(type())) + " values, not " +
                              std::string(to_string(type_of<T>())));
}

template <class T>
std::vector<T>& Column::values() {
  (void)std::as_const(*this).template values<T>();  // the type check
  return std::get<std::vector<T>>(mut());
}

#define SPM_COLUMN_INSTANTIATE(T)                                     \
  template Column Column::of<T>(std::string, std::vector<T>);        \
  template const std::vector<T>& Column::values<T>() const;          \
  template std::vector<T>& Column::values<T>();
SPM_COLUMN_INSTANTIATE(std::string)
SPM_COLUMN_INSTANTIATE(Decimal)
SPM_COLUMN_INSTANTIATE(std::int64_t)
SPM_COLUMN_INSTANTIATE(Date)
SPM_COLUMN_INSTANTIATE(std::uint8_t)
SPM_COLUMN_INSTANTIATE(double)
#undef SPM_COLUMN_INSTANTIATE

std::size_t Column::size() const noexcept {
  return std::visit([](const auto& v) { return v.size(); }, get());
}

void Column::push_null() {
  const std::size_t n = size();
  if (valid_.empty()) valid_.assign(n, 1);
  std::visit(
      [](auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, DictionaryStrings>) {
          v.codes.push_back(0);
        } else {
          v.emplace_back();
        }
      },
      mut());
  valid_.push_back(0);
  ++null_count_;
}

void Column::set_validity(std::vector<std::uint8_t> valid) {
  if (!valid.empty() && valid.size() != size()) {
    throw InvalidInputError("table.column_length", name_,
                            "the null mask has " + std::to_string(valid.size()) +
                                " entries but the column has " + std::to_string(size()) + " rows");
  }
  std::size_t nulls = 0;
  for (const auto v : valid) nulls += v == 0;
  null_count_ = nulls;
  if (nulls == 0) valid.clear();
  valid_ = std::move(valid);
}

void Column::truncate(std::size_t n) {
  if (n >= size()) return;
  if (data_ && data_.use_count() > 1) {
    // Shared: a copy of the first n values, not of all of them.
    data_ = std::make_shared<Data>(std::visit(
        [n](const auto& v) -> Data {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, DictionaryStrings>) {
            return DictionaryStrings{v.dictionary, {v.codes.begin(), v.codes.begin() + static_cast<std::ptrdiff_t>(n)}};
          } else {
            return V(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
          }
        },
        *data_));
  }
  std::visit(
      [n](auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, DictionaryStrings>) {
          v.codes.resize(n);
        } else {
          v.resize(n);
        }
      },
      mut());
  if (!valid_.empty()) {
    for (std::size_t i = n; i < valid_.size(); ++i) null_count_ -= valid_[i] == 0;
    valid_.resize(n);
  }
}

void Column::reserve(std::size_t n) {
  std::visit(
      [n](auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, DictionaryStrings>) {
          v.codes.reserve(n);
        } else {
          v.reserve(n);
        }
      },
      mut());
}

std::string Column::text(std::size_t row) const {
  if (is_null(row)) return {};
  if (const auto* d = std::get_if<DictionaryStrings>(&get())) return (*d->dictionary)[d->codes[row]];
  return std::visit(
      [row, this](const auto& v) -> std::string {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, DictionaryStrings>) {
          return {};  // handled above
        } else {
        using T = typename V::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          return v[row];
        } else if constexpr (std::is_same_v<T, Decimal>) {
          std::array<char, Decimal::max_chars> buf{};
          return std::string(buf.data(), v[row].format_to(buf.data(), min_places_));
        } else if constexpr (std::is_same_v<T, Date>) {
          return v[row].to_string();
        } else if constexpr (std::is_same_v<T, std::uint8_t>) {
          return v[row] ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          // Shortest text that reads back to the same double: 0.2, not 0.20000000000000001.
          std::array<char, 32> buf{};
          return std::string(buf.data(), std::to_chars(buf.data(), buf.data() + buf.size(), v[row]).ptr);
        } else {
          return std::to_string(v[row]);
        }
        }
      },
      get());
}

Table& Table::add(Column column) {
  if (find(column.name())) {
    throw InvalidInputError("table.duplicate_column", column.name(),
                            "the table already has a column with this name");
  }
  if (!columns_.empty() && column.size() != rows_) {
    throw InvalidInputError("table.column_length", column.name(),
                            "column has " + std::to_string(column.size()) +
                                " rows but the table has " + std::to_string(rows_));
  }
  rows_ = column.size();
  columns_.push_back(std::move(column));
  return *this;
}

std::optional<std::size_t> Table::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name() == name) return i;
  }
  return std::nullopt;
}

const Column& Table::column(std::string_view name) const {
  if (const auto i = find(name)) return columns_[*i];
  std::string present;
  for (const auto& c : columns_) present += (present.empty() ? "" : ", ") + c.name();
  throw InvalidInputError("table.no_column", std::string(name),
                          "no such column; the table has: " + present);
}

void Table::set_num_rows(std::size_t rows) {
  for (const auto& c : columns_) {
    if (c.size() != rows) {
      throw InvalidInputError("table.column_length", c.name(),
                              "column has " + std::to_string(c.size()) + " rows, expected " +
                                  std::to_string(rows));
    }
  }
  rows_ = rows;
}

Table rejects_table(std::span<const Reject> rejects) {
  std::vector<std::int64_t> lines;
  std::vector<std::string> columns, values, reasons;
  for (const auto& r : rejects) {
    lines.push_back(r.line);
    columns.push_back(r.column);
    values.push_back(r.value);
    reasons.push_back(r.reason);
  }
  Table t;
  t.add(Column::of("line", std::move(lines)));
  t.add(Column::of("column", std::move(columns)));
  t.add(Column::of("value", std::move(values)));
  t.add(Column::of("reason", std::move(reasons)));
  return t;
}

std::int64_t row_number(const Table& table, std::size_t row) {
  if (const auto i = table.find("_line")) {
    const auto& c = table.columns()[*i];
    if (c.type() == ColumnType::integer) return c.values<std::int64_t>()[row];
  }
  return static_cast<std::int64_t>(row + 1);
}

Table take(const Table& table, std::span<const std::size_t> rows, std::span<const std::string> columns) {
  for (const auto r : rows) {
    if (r >= table.num_rows()) throw std::out_of_range("io::take: row past the end of the table");
  }
  std::vector<const Column*> picked;
  if (columns.empty()) {
    for (const auto& c : table.columns()) picked.push_back(&c);
  } else {
    for (const auto& name : columns) picked.push_back(&table.column(name));
  }
  Table out;
  for (const auto* cp : picked) {
    const auto& c = *cp;
    Column col(c.name(), c.type());
    col.set_min_places(c.min_places());
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, DictionaryStrings>) {
            std::vector<std::uint32_t> codes;
            codes.reserve(rows.size());
            for (const auto r : rows) codes.push_back(v.codes[r]);
            std::vector<std::uint8_t> valid;
            if (c.has_nulls()) {
              for (const auto r : rows) valid.push_back(c.is_null(r) ? 0 : 1);
            }
            col = Column::dictionary(c.name(), v.dictionary, std::move(codes), std::move(valid));
          } else {
            auto& dst = std::get<V>(col.data());
            dst.reserve(rows.size());
            for (const auto r : rows) dst.push_back(v[r]);
            if (c.has_nulls()) {
              std::vector<std::uint8_t> valid;
              valid.reserve(rows.size());
              for (const auto r : rows) valid.push_back(c.is_null(r) ? 0 : 1);
              col.set_validity(std::move(valid));
            }
          }
        },
        c.data());
    out.add(std::move(col));
  }
  out.set_num_rows(rows.size());
  return out;
}

Table concat(const Table& a, const Table& b) {
  if (a.num_columns() == 0) return b;
  if (b.num_columns() == 0) return a;
  if (a.num_columns() != b.num_columns()) {
    throw InvalidInputError("table.concat", "", "the tables have " + std::to_string(a.num_columns()) + " and " +
                                                    std::to_string(b.num_columns()) + " columns");
  }
  Table out;
  for (std::size_t k = 0; k < a.num_columns(); ++k) {
    const auto& x = a.columns()[k];
    const auto& y = b.columns()[k];
    if (x.name() != y.name() || x.type() != y.type()) {
      throw InvalidInputError("table.concat", x.name(), "column " + std::to_string(k + 1) + " differs: " + x.name() +
                                                            " " + std::string(to_string(x.type())) + " vs " + y.name() +
                                                            " " + std::string(to_string(y.type())));
    }
    Column col(x.name(), x.type());
    col.set_min_places(std::max(x.min_places(), y.min_places()));
    col.reserve(x.size() + y.size());
    for (const auto* c : {&x, &y}) {
      if (c->type() == ColumnType::string) {  // plain or dictionary: copy the text
        const auto text = c->strings();
        for (std::size_t r = 0; r < c->size(); ++r) {
          if (c->is_null(r)) col.push_null();
          else col.push(std::string(text[r]));
        }
        continue;
      }
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (!std::is_same_v<V, DictionaryStrings> && !std::is_same_v<V, std::vector<std::string>>) {
              for (std::size_t r = 0; r < v.size(); ++r) {
                if (c->is_null(r)) col.push_null();
                else col.push(v[r]);
              }
            }
          },
          c->data());
    }
    out.add(std::move(col));
  }
  return out;
}

}  // namespace spm::io
