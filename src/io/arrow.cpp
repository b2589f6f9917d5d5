#include <spm/io/arrow.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <spm/core/error.hpp>

#include "../core/interner.hpp"

namespace spm::io {
namespace {

using Bytes = std::vector<std::uint8_t>;

// ---- export -------------------------------------------------------------------------------

struct ArrayData {
  std::vector<Bytes> buffers;
  std::vector<const void*> pointers;
  std::vector<std::unique_ptr<ArrowArray>> children;
  std::vector<ArrowArray*> child_pointers;
};

void release_array(ArrowArray* a) {
  auto* d = static_cast<ArrayData*>(a->private_data);
  for (auto* c : d->child_pointers) {
    if (c->release) c->release(c);
  }
  delete d;
  a->release = nullptr;
}

struct SchemaData {
  std::string format;
  std::string name;
  std::vector<std::unique_ptr<ArrowSchema>> children;
  std::vector<ArrowSchema*> child_pointers;
};

void release_schema(ArrowSchema* s) {
  auto* d = static_cast<SchemaData*>(s->private_data);
  for (auto* c : d->child_pointers) {
    if (c->release) c->release(c);
  }
  delete d;
  s->release = nullptr;
}

void fill_schema(ArrowSchema* s, std::string format, std::string name, std::int64_t flags,
                 std::vector<std::unique_ptr<ArrowSchema>> children = {}) {
  auto* d = new SchemaData{std::move(format), std::move(name), std::move(children), {}};
  for (auto& c : d->children) d->child_pointers.push_back(c.get());
  *s = ArrowSchema{d->format.c_str(), d->name.c_str(), nullptr, flags,
                   static_cast<std::int64_t>(d->child_pointers.size()),
                   d->child_pointers.empty() ? nullptr : d->child_pointers.data(), nullptr,
                   &release_schema, d};
}

void fill_array(ArrowArray* a, std::int64_t length, std::int64_t null_count, ArrayData* d) {
  for (auto& b : d->buffers) d->pointers.push_back(b.empty() ? nullptr : b.data());
  for (auto& c : d->children) d->child_pointers.push_back(c.get());
  *a = ArrowArray{length, null_count, 0, static_cast<std::int64_t>(d->pointers.size()),
                  static_cast<std::int64_t>(d->child_pointers.size()),
                  d->pointers.empty() ? nullptr : d->pointers.data(),
                  d->child_pointers.empty() ? nullptr : d->child_pointers.data(), nullptr,
                  &release_array, d};
}

Bytes validity_bitmap(const Column& c) {
  if (!c.has_nulls()) return {};
  Bytes bits((c.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c.is_null(i)) bits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
  }
  return bits;
}

template <class T>
Bytes raw_bytes(const std::vector<T>& v) {
  Bytes out(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::size_t string_bytes(const Column& c) {
  const auto v = c.strings();
  std::size_t total = 0;
  for (std::size_t i = 0; i < v.size(); ++i) total += v[i].size();
  return total;
}

// Text of more than 2 GiB needs 64-bit offsets ("U", large_utf8).
constexpr std::size_t max_utf8_bytes = 0x7FFFFFFF;
const char* string_format(std::size_t bytes) { return bytes > max_utf8_bytes ? "U" : "u"; }

// The column's Arrow format: the schema and every batch must agree (large strings). Decimals
// always leave at libspm's scale: a type that followed the values (cents as decimal128(38, 2))
// would differ between runs, and polars rounds when it concatenates such frames.
std::string column_format(const Column& c) {
  switch (c.type()) {
    case ColumnType::string: return string_format(string_bytes(c));
    case ColumnType::decimal: return "d:38,12";
    case ColumnType::integer: return "l";
    case ColumnType::date: return "tdD";
    case ColumnType::boolean: return "b";
    case ColumnType::float64: return "g";
  }
  return "n";
}

// The column's buffers; returns its format (column_format's, without summing the text twice).
std::string export_column(const Column& c, ArrayData& d) {
  d.buffers.push_back(validity_bitmap(c));
  switch (c.type()) {
    case ColumnType::string: {
      const auto v = c.strings();
      const std::size_t total = string_bytes(c);
      Bytes data(total);
      std::size_t pos = 0;
      const bool large = total > max_utf8_bytes;
      Bytes offsets((v.size() + 1) * (large ? 8 : 4));
      for (std::size_t i = 0; i <= v.size(); ++i) {
        if (large) {
          const auto o = static_cast<std::int64_t>(pos);
          std::memcpy(offsets.data() + i * 8, &o, 8);
        } else {
          const auto o = static_cast<std::int32_t>(pos);
          std::memcpy(offsets.data() + i * 4, &o, 4);
        }
        if (i < v.size()) {
          if (!v[i].empty()) std::memcpy(data.data() + pos, v[i].data(), v[i].size());
          pos += v[i].size();
        }
      }
      d.buffers.push_back(std::move(offsets));
      d.buffers.push_back(std::move(data));
      return string_format(total);
    }
    case ColumnType::decimal:
      d.buffers.push_back(raw_bytes(c.values<Decimal>()));  // Decimal is exactly one int128
      break;
    case ColumnType::integer:
      d.buffers.push_back(raw_bytes(c.values<std::int64_t>()));
      break;
    case ColumnType::date:
      d.buffers.push_back(raw_bytes(c.values<Date>()));  // Date is exactly one int32
      break;
    case ColumnType::boolean: {
      const auto& v = c.values<std::uint8_t>();
      Bytes bits((v.size() + 7) / 8, 0);
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i]) bits[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
      }
      d.buffers.push_back(std::move(bits));
      break;
    }
    case ColumnType::float64:
      d.buffers.push_back(raw_bytes(c.values<double>()));
      break;
  }
  return column_format(c);
}

static_assert(sizeof(Decimal) == 16 && sizeof(Date) == 4, "Arrow export copies these verbatim");

// ---- import -------------------------------------------------------------------------------

[[noreturn]] void unsupported(const std::string& column, const std::string& format) {
  throw InvalidInputError("arrow.type", column,
                          "Arrow type '" + format +
                              "' is not supported; cast the column to string, decimal128, "
                              "int64, date32, bool or float64 first");
}

bool bit(const void* buf, std::int64_t i) {
  return (static_cast<const std::uint8_t*>(buf)[i / 8] >> (i % 8)) & 1u;
}

template <class T>
T at(const void* buf, std::int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const std::uint8_t*>(buf) + i * static_cast<std::int64_t>(sizeof(T)), sizeof(T));
  return v;
}

// Text of string-like element i (utf8, large utf8, string view).
std::string_view string_at(const std::string& format, const ArrowArray* a, std::int64_t i) {
  if (format == "u" || format == "U") {
    const auto* data = static_cast<const char*>(a->buffers[2]);
    const std::int64_t b = format == "u" ? at<std::int32_t>(a->buffers[1], i) : at<std::int64_t>(a->buffers[1], i);
    const std::int64_t e = format == "u" ? at<std::int32_t>(a->buffers[1], i + 1) : at<std::int64_t>(a->buffers[1], i + 1);
    return {data + b, static_cast<std::size_t>(e - b)};
  }
  // "vu": 16-byte views; short strings inline, long ones in variadic buffers.
  const auto* view = static_cast<const std::uint8_t*>(a->buffers[1]) + i * 16;
  std::int32_t len = 0;
  std::memcpy(&len, view, 4);
  if (len <= 12) return {reinterpret_cast<const char*>(view + 4), static_cast<std::size_t>(len)};
  std::int32_t index = 0, offset = 0;
  std::memcpy(&index, view + 8, 4);
  std::memcpy(&offset, view + 12, 4);
  const auto* data = static_cast<const char*>(a->buffers[2 + index]);
  return {data + offset, static_cast<std::size_t>(len)};
}

bool is_string_format(const std::string& f) { return f == "u" || f == "U" || f == "vu"; }

ColumnType column_type_for(const ArrowSchema* s) {
  const std::string f = s->format;
  if (s->dictionary != nullptr) {
    if (!is_string_format(s->dictionary->format)) unsupported(s->name ? s->name : "", f + " dictionary");
    return ColumnType::string;
  }
  if (is_string_format(f) || f == "n") return ColumnType::string;
  if (f.rfind("d:", 0) == 0) return ColumnType::decimal;
  if (f == "c" || f == "s" || f == "i" || f == "l" || f == "C" || f == "S" || f == "I" || f == "L") {
    return ColumnType::integer;
  }
  if (f == "tdD" || f == "tdm") return ColumnType::date;
  if (f == "b") return ColumnType::boolean;
  if (f == "g" || f == "f") return ColumnType::float64;
  unsupported(s->name ? s->name : "", f);
}

std::int64_t integer_at(const std::string& f, const void* buf, std::int64_t i, const std::string& col) {
  switch (f[0]) {
    case 'c': return at<std::int8_t>(buf, i);
    case 's': return at<std::int16_t>(buf, i);
    case 'i': return at<std::int32_t>(buf, i);
    case 'l': return at<std::int64_t>(buf, i);
    case 'C': return at<std::uint8_t>(buf, i);
    case 'S': return at<std::uint16_t>(buf, i);
    case 'I': return at<std::uint32_t>(buf, i);
    default: {
      const auto v = at<std::uint64_t>(buf, i);
      if (v > static_cast<std::uint64_t>(INT64_MAX)) {
        throw InvalidInputError("arrow.range", col, "value " + std::to_string(v) + " does not fit in int64");
      }
      return static_cast<std::int64_t>(v);
    }
  }
}

void append(Column& col, const ArrowSchema* s, const ArrowArray* a, std::int64_t parent_offset) {
  const std::string f = s->format;
  const std::string name = s->name ? s->name : "";
  const std::int64_t off = a->offset + parent_offset;
  const void* valid = a->n_buffers > 0 ? a->buffers[0] : nullptr;
  int decimal_shift = 0;
  if (col.type() == ColumnType::decimal) {
    int precision = 0, scale = 0, width = 128;
    if (std::sscanf(f.c_str(), "d:%d,%d,%d", &precision, &scale, &width) < 2 || width != 128 ||
        scale > 38 || scale < 0) {
      unsupported(name, f);
    }
    decimal_shift = Decimal::scale - scale;
  }
  col.reserve(col.size() + static_cast<std::size_t>(a->length));
  if (col.type() == ColumnType::string && s->dictionary == nullptr && (f == "u" || f == "U")) {
    // Plain text, the common case: offsets read straight, no per-element format checks.
    const auto* data = static_cast<const char*>(a->buffers[2]);
    const bool large = f == "U";
    for (std::int64_t k = 0; k < a->length; ++k) {
      const std::int64_t i = k + off;
      if (valid != nullptr && !bit(valid, i)) {
        col.push_null();
        continue;
      }
      const std::int64_t b = large ? at<std::int64_t>(a->buffers[1], i) : at<std::int32_t>(a->buffers[1], i);
      const std::int64_t e = large ? at<std::int64_t>(a->buffers[1], i + 1) : at<std::int32_t>(a->buffers[1], i + 1);
      col.push(std::string(data + b, static_cast<std::size_t>(e - b)));
    }
    return;
  }
  const bool all_null = f == "n";
  for (std::int64_t k = 0; k < a->length; ++k) {
    const std::int64_t i = k + off;
    if (all_null || (valid != nullptr && !bit(valid, i))) {
      col.push_null();
      continue;
    }
    if (s->dictionary != nullptr) {
      const std::int64_t key = integer_at(f, a->buffers[1], i, name);
      col.push(std::string(string_at(s->dictionary->format, a->dictionary, key + a->dictionary->offset)));
      continue;
    }
    switch (col.type()) {
      case ColumnType::string: col.push(std::string(string_at(f, a, i))); break;
      case ColumnType::decimal: {
        const auto raw = at<detail::int128>(a->buffers[1], i);
        detail::int128 scaled = 0;
        if (decimal_shift < 0) {
          // A wider scale than libspm's: exact when the extra digits are zeros, else refused
          // (rounding money silently is not an option).
          const detail::int128 d = detail::pow10_128(-decimal_shift);
          if (raw % d != 0) {
            throw InvalidInputError("arrow.range", name,
                                    "row " + std::to_string(col.size() + 1) +
                                        " has more than " + std::to_string(Decimal::scale) +
                                        " decimal places; round the column first");
          }
          col.push(Decimal::from_raw(raw / d));
          break;
        }
        if (__builtin_mul_overflow(raw, detail::pow10_128(decimal_shift), &scaled)) {
          throw InvalidInputError("arrow.range", name,
                                  "row " + std::to_string(col.size() + 1) +
                                      " holds a decimal beyond libspm's range (below 1.7e26 at 12 "
                                      "decimal places); check its units");
        }
        col.push(Decimal::from_raw(scaled));
        break;
      }
      case ColumnType::integer: col.push(integer_at(f, a->buffers[1], i, name)); break;
      case ColumnType::date:
        if (f == "tdD") {
          col.push(Date::from_days(at<std::int32_t>(a->buffers[1], i)));
        } else {
          const auto ms = at<std::int64_t>(a->buffers[1], i);
          if (ms % 86400000 != 0) {
            throw InvalidInputError("arrow.range", name, "a date64 value is not a whole day");
          }
          col.push(Date::from_days(static_cast<std::int32_t>(ms / 86400000)));
        }
        break;
      case ColumnType::boolean: col.push(static_cast<std::uint8_t>(bit(a->buffers[1], i))); break;
      case ColumnType::float64:
        col.push(f == "g" ? at<double>(a->buffers[1], i) : static_cast<double>(at<float>(a->buffers[1], i)));
        break;
    }
  }
}

// Text collected dictionary-encoded while its distinct values are at most half the rows (payee,
// product, type columns: 4 bytes a row, each distinct value stored once); a column of mostly
// distinct values (ids) turns plain once 65,536 rows show it.
class TextCollector {
 public:
  static constexpr std::size_t probe_rows = 65536;

  explicit TextCollector(Column& col) : col_(col) {}

  void append(const ArrowSchema* s, const ArrowArray* a, std::int64_t parent_offset) {
    if (!encoding_) {
      io::append(col_, s, a, parent_offset);
      return;
    }
    const std::string f = s->format;
    const bool all_null = f == "n";
    const std::int64_t off = a->offset + parent_offset;
    const void* valid = a->n_buffers > 0 ? a->buffers[0] : nullptr;
    codes_.reserve(codes_.size() + static_cast<std::size_t>(a->length));
    // An Arrow dictionary: its values interned once each.
    std::vector<std::uint32_t> entry_code;
    if (s->dictionary != nullptr) {
      entry_code.resize(static_cast<std::size_t>(a->dictionary->length));
      for (std::size_t k = 0; k < entry_code.size(); ++k) {
        entry_code[k] = code_of(string_at(s->dictionary->format, a->dictionary,
                                          static_cast<std::int64_t>(k) + a->dictionary->offset));
      }
    }
    for (std::int64_t k = 0; k < a->length; ++k) {
      const std::int64_t i = k + off;
      if (all_null || (valid != nullptr && !bit(valid, i))) {
        push_null();
      } else if (s->dictionary != nullptr) {
        const std::int64_t key = integer_at(f, a->buffers[1], i, col_.name());
        if (key < 0 || key >= a->dictionary->length) {
          throw InvalidInputError("arrow.range", col_.name(), "a dictionary key is outside its dictionary");
        }
        push(entry_code[static_cast<std::size_t>(key)]);
      } else {
        push(code_of(string_at(f, a, i)));
      }
      if (codes_.size() >= probe_rows && 2 * intern_.size() > codes_.size()) {
        to_plain();  // mostly distinct: the rest of this array and the next ones stay plain
        ArrowArray rest = *a;
        rest.offset = a->offset + k + 1;
        rest.length = a->length - k - 1;
        io::append(col_, s, &rest, parent_offset);
        return;
      }
    }
  }

  /// Puts what was collected into the column: dictionary-encoded when the distinct values are
  /// at most half the rows, else plain.
  void finish() {
    if (!encoding_) return;
    if (2 * intern_.size() > codes_.size()) {
      to_plain();
      return;
    }
    auto dict = std::make_shared<std::vector<std::string>>(std::make_move_iterator(values_.begin()),
                                                           std::make_move_iterator(values_.end()));
    col_ = Column::dictionary(col_.name(), std::move(dict), std::move(codes_), std::move(valid_));
  }

 private:
  std::uint32_t code_of(std::string_view v) {
    const std::uint32_t c = intern_.find(v);
    if (c != spm::detail::Interner::none) return c;
    values_.emplace_back(v);  // a deque: the interner's views stay valid
    return intern_(values_.back());
  }
  void push(std::uint32_t code) {
    codes_.push_back(code);
    if (!valid_.empty()) valid_.push_back(1);
  }
  void push_null() {
    if (valid_.empty()) valid_.assign(codes_.size(), 1);
    codes_.push_back(0);
    valid_.push_back(0);
  }
  void to_plain() {
    encoding_ = false;
    col_.reserve(codes_.size());
    for (std::size_t r = 0; r < codes_.size(); ++r) {
      if (!valid_.empty() && valid_[r] == 0) col_.push_null();
      else col_.push(values_[codes_[r]]);
    }
    codes_ = {};
    valid_ = {};
    values_.clear();
    intern_ = {};
  }
  Column& col_;
  bool encoding_ = true;
  spm::detail::Interner intern_;
  std::deque<std::string> values_;
  std::vector<std::uint32_t> codes_;
  std::vector<std::uint8_t> valid_;  // empty while there is no null
};

// ---- stream -------------------------------------------------------------------------------

// The schema alone (the formats the batch will have).
void export_schema(const Table& table, ArrowSchema* schema) {
  std::vector<std::unique_ptr<ArrowSchema>> child_schemas;
  for (const auto& c : table.columns()) {
    auto cs = std::make_unique<ArrowSchema>();
    fill_schema(cs.get(), column_format(c), c.name(), ARROW_FLAG_NULLABLE);
    child_schemas.push_back(std::move(cs));
  }
  fill_schema(schema, "+s", "", 0, std::move(child_schemas));
}

struct StreamData {
  Table table;
  bool done = false;
  std::string error;
};

int stream_get_schema(ArrowArrayStream* st, ArrowSchema* out) {
  auto* d = static_cast<StreamData*>(st->private_data);
  try {
    export_schema(d->table, out);
    return 0;
  } catch (const std::exception& e) {
    d->error = e.what();
    return EINVAL;
  }
}

int stream_get_next(ArrowArrayStream* st, ArrowArray* out) {
  auto* d = static_cast<StreamData*>(st->private_data);
  if (d->done) {
    out->release = nullptr;  // end of stream
    return 0;
  }
  try {
    ArrowSchema schema;
    export_table(d->table, &schema, out);
    schema.release(&schema);
    d->done = true;
    return 0;
  } catch (const std::exception& e) {
    d->error = e.what();
    return EINVAL;
  }
}

const char* stream_last_error(ArrowArrayStream* st) {
  auto* d = static_cast<StreamData*>(st->private_data);
  return d->error.empty() ? nullptr : d->error.c_str();
}

void stream_release(ArrowArrayStream* st) {
  delete static_cast<StreamData*>(st->private_data);
  st->release = nullptr;
}

}  // namespace

void export_table(const Table& table, ArrowSchema* schema, ArrowArray* array) {
  auto* parent = new ArrayData;
  parent->buffers.emplace_back();  // struct validity: none
  std::vector<std::unique_ptr<ArrowSchema>> child_schemas;
  for (const auto& c : table.columns()) {
    auto* d = new ArrayData;
    const std::string format = export_column(c, *d);
    auto child = std::make_unique<ArrowArray>();
    fill_array(child.get(), static_cast<std::int64_t>(c.size()),
               static_cast<std::int64_t>(c.null_count()), d);
    parent->children.push_back(std::move(child));
    auto cs = std::make_unique<ArrowSchema>();
    fill_schema(cs.get(), format, c.name(), ARROW_FLAG_NULLABLE);
    child_schemas.push_back(std::move(cs));
  }
  fill_array(array, static_cast<std::int64_t>(table.num_rows()), 0, parent);
  fill_schema(schema, "+s", "", 0, std::move(child_schemas));
}

void export_table_stream(Table table, ArrowArrayStream* stream) {
  auto* d = new StreamData{std::move(table), false, {}};
  *stream = ArrowArrayStream{&stream_get_schema, &stream_get_next, &stream_last_error,
                             &stream_release, d};
}

Table import_table_stream(ArrowArrayStream* stream) {
  struct Guard {
    ArrowArrayStream* s;
    ~Guard() {
      if (s->release) s->release(s);
    }
  } guard{stream};
  ArrowSchema schema{};
  if (stream->get_schema(stream, &schema) != 0) {
    const char* err = stream->get_last_error(stream);
    throw InvalidInputError("arrow.stream", "", std::string("the Arrow stream failed: ") + (err ? err : "no schema"));
  }
  struct SchemaGuard {
    ArrowSchema* s;
    ~SchemaGuard() {
      if (s->release) s->release(s);
    }
  } schema_guard{&schema};
  if (std::string(schema.format) != "+s") {
    throw InvalidInputError("arrow.type", "", "expected a table (struct of columns), got Arrow type '" + std::string(schema.format) + "'");
  }
  std::vector<Column> columns;
  for (std::int64_t c = 0; c < schema.n_children; ++c) {
    const ArrowSchema* cs = schema.children[c];
    columns.emplace_back(cs->name ? cs->name : "", column_type_for(cs));
  }
  std::deque<std::optional<TextCollector>> text;  // per column; engaged for text columns
  for (auto& col : columns) {
    text.emplace_back();
    if (col.type() == ColumnType::string) text.back().emplace(col);
  }
  while (true) {
    ArrowArray batch{};
    if (stream->get_next(stream, &batch) != 0) {
      const char* err = stream->get_last_error(stream);
      throw InvalidInputError("arrow.stream", "", std::string("the Arrow stream failed: ") + (err ? err : "no batch"));
    }
    if (batch.release == nullptr) break;
    struct BatchGuard {
      ArrowArray* a;
      ~BatchGuard() {
        if (a->release) a->release(a);
      }
    } batch_guard{&batch};
    for (std::int64_t c = 0; c < schema.n_children; ++c) {
      const auto k = static_cast<std::size_t>(c);
      if (text[k]) text[k]->append(schema.children[c], batch.children[c], batch.offset);
      else append(columns[k], schema.children[c], batch.children[c], batch.offset);
    }
  }
  for (auto& t : text) {
    if (t) t->finish();
  }
  Table t;
  for (auto& c : columns) t.add(std::move(c));
  return t;
}

}  // namespace spm::io
