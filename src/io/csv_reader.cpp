#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <algorithm>
#include <optional>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

namespace spm::io {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A column name as compared when no header spells it exactly: lower case, edge blanks dropped,
// blanks and hyphens as underscores.
std::string loose_name(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  std::string out = lower(name);
  for (char& c : out) c = c == ' ' || c == '-' ? '_' : c;
  return out;
}

// The headers spelling `name` loosely (loose_name), but for those `skip` says are taken.
template <class Skip>
std::vector<std::size_t> loose_matches(std::span<const std::string> header, std::string_view name,
                                       Skip&& skip) {
  const std::string want = loose_name(name);
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!skip(i) && loose_name(header[i]) == want) at.push_back(i);
  }
  return at;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// UTF-16 after its byte order mark, as UTF-8; an unpaired surrogate becomes U+FFFD, which the
// reader then keeps as text (it is valid UTF-8) and a number field rejects.
std::string utf16_to_utf8(std::string_view bytes, bool little) {
  std::string out;
  out.reserve(bytes.size());
  auto unit = [&](std::size_t i) -> std::uint32_t {
    const auto a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
    return little ? (static_cast<std::uint32_t>(b) << 8 | a) : (static_cast<std::uint32_t>(a) << 8 | b);
  };
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < bytes.size()) {
      const std::uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp < 0xE000) {
      cp = 0xFFFD;
    }
    append_utf8(out, cp);
  }
  return out;
}

// Single-byte text as UTF-8. Windows-1252 differs from Latin-1 in 0x80-0x9F (five bytes there
// are unassigned: kept as the C1 controls Latin-1 has).
std::string single_byte_to_utf8(std::string_view bytes, TextEncoding encoding) {
  static constexpr std::array<std::uint16_t, 32> cp1252{
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) out += ch;
    else if (c < 0xA0 && encoding == TextEncoding::windows1252) append_utf8(out, cp1252[c - 0x80]);
    else append_utf8(out, c);
  }
  return out;
}

// `text` as UTF-8 when it is not already: UTF-16 by its byte order mark, else a single-byte
// `encoding` (a UTF-8 byte order mark before it is dropped); nullopt when it is UTF-8.
std::optional<std::string> as_utf8(std::string_view text, TextEncoding encoding) {
  if (text.size() >= 2 && (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")) {
    return utf16_to_utf8(text, text[0] == '\xFF');
  }
  if (encoding == TextEncoding::utf8) return std::nullopt;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return single_byte_to_utf8(text, encoding);
}

// Whole-file read: one allocation, then a single pass over memory (no per-line I/O).
std::string read_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw IoError("csv.open", path.string(),
                  std::string("cannot open the file: ") + std::strerror(errno) +
                      "; check the path and permissions");
  }
  std::string data;
  // Size first so the text is read into one buffer with no regrowth; the loop still handles
  // files whose size is unknown or changes (pipes, /proc).
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error) data.resize(static_cast<std::size_t>(size));
  std::size_t have = std::fread(data.data(), 1, data.size(), f);
  data.resize(have);
  std::array<char, 1 << 16> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) data.append(buf.data(), n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw IoError("csv.open", path.string(), "the file could not be read to the end");
  return data;
}

// UTF-8 validity (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto ck = static_cast<unsigned char>(s[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

bool parse_bool(std::string_view s, std::uint8_t& out) {
  if (s == "true" || s == "TRUE" || s == "True" || s == "1") {
    out = 1;
    return true;
  }
  if (s == "false" || s == "FALSE" || s == "False" || s == "0") {
    out = 0;
    return true;
  }
  return false;
}

std::string date_reason(std::string_view text) {
  try {
    (void)Date::parse(text);
  } catch (const Error& e) {
    return e.detail();
  }
  return "not a date";
}

// A date as exports write it (see DateFormat); false with `why` set when it is not one.
bool date_of(std::string_view v, DateFormat format, Date& out, std::string& why) {
  if (Date::try_parse(v, out)) return true;
  const std::string q = "'" + std::string(v) + "'";
  std::string_view day = v;
  if (v.empty()) {
    why = date_reason(v);
    return false;
  }
  if (v.front() == ' ' || v.back() == ' ') {
    why = q + " is not a date: it has blanks around it; remove them";
    return false;
  }
  // A time at midnight, as databases export dates: 2026-03-15T00:00:00(.000)(Z).
  if (const auto t = v.find_first_of("T "); t != std::string_view::npos && t >= 6) {
    const std::string_view time = v.substr(t + 1);
    const bool midnight = !time.empty() && time.find_first_not_of("0:.Z") == std::string_view::npos &&
                          time.find_first_of("0") == 0;
    if (!midnight) {
      why = q + " has a time of day; give the day only (YYYY-MM-DD)";
      return false;
    }
    day = v.substr(0, t);
  }
  std::array<std::string_view, 3> part;
  std::size_t n = 0, start = 0;
  char separator = 0;  // one kind per date: "2026-03/05" is not one
  for (std::size_t i = 0; i <= day.size(); ++i) {
    if (i == day.size() || day[i] == '-' || day[i] == '/' || day[i] == '.') {
      if (i < day.size()) {
        if (separator != 0 && day[i] != separator) n = 4;
        separator = day[i];
      }
      if (n >= 3) {
        n = 4;
        break;
      }
      part[n++] = day.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n == 1 && day.size() == 8) {  // YYYYMMDD
    part = {day.substr(0, 4), day.substr(4, 2), day.substr(6, 2)};
    n = 3;
  }
  auto number = [](std::string_view s, unsigned& x) {
    if (s.empty() || s.size() > 4) return false;
    x = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
      x = x * 10 + static_cast<unsigned>(c - '0');
    }
    return true;
  };
  unsigned a = 0, b = 0, c = 0;
  if (n != 3 || !number(part[0], a) || !number(part[1], b) || !number(part[2], c)) {
    why = date_reason(v);
    return false;
  }
  unsigned y = 0, m = 0, d = 0;
  // Month and day have one or two digits, on either side of a four-digit year.
  const std::size_t md = part[0].size() == 4 ? 1 : 0;
  if (part[md].size() > 2 || part[md + 1].size() > 2) {
    why = date_reason(v);
    return false;
  }
  if (part[0].size() == 4) {
    y = a, m = b, d = c;
  } else if (part[2].size() == 4) {
    if (format == DateFormat::iso) {
      why = q + " is not an ISO date (YYYY-MM-DD); if the file writes month/day/year or "
                "day/month/year, read it so (spm: --date-format mdy or dmy)";
      return false;
    }
    y = c;
    m = format == DateFormat::mdy ? a : b;
    d = format == DateFormat::mdy ? b : a;
  } else {
    why = q + " is not a date with a four-digit year; write the year in full (YYYY-MM-DD)";
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(y)},
                                        std::chrono::month{m}, std::chrono::day{d}};
  if (m < 1 || m > 12 || d < 1 || d > 31 || !ymd.ok()) {
    why = day == v && v.size() == 10 && part[0].size() == 4
              ? date_reason(v)  // ISO: says which part is wrong
              : q + " is not a calendar date (read as year " + std::to_string(y) + ", month " +
                    std::to_string(m) + ", day " + std::to_string(d) + ")";
    return false;
  }
  out = Date(std::chrono::sys_days(ymd));
  return true;
}

// Appends the non-empty text `v` as a value of `type` to `col`; when it does not convert, appends
// nothing, sets `reason` and returns false. The reader's and convert_strings' one rule set.
inline bool push_text(Column& col, ColumnType type, std::string_view v, bool lenient_decimals,
                      bool decimal_comma, std::string& reason, bool csv = true,
                      DateFormat date_format = DateFormat::iso) {
  auto fail = [&](std::string why) {
    reason = std::move(why);
    return false;
  };
  switch (type) {
    case ColumnType::string:
      if (!valid_utf8(v)) {
        return fail("the text is not valid UTF-8; re-save the file as UTF-8, or read it as Windows-1252 (Excel's CSV on Western Windows; spm: --encoding windows-1252)");
      }
      col.push(std::string(v));
      return true;
    case ColumnType::decimal: {
      detail::int128 raw = 0;
      const bool has_dot = decimal_comma && v.find('.') != std::string_view::npos;
      if (!has_dot && detail::parse_decimal_simple(v, raw)) {  // "1234" reads the same either way
        col.push(Decimal::from_raw(raw));
        return true;
      }
      // Text converted outside a file (convert_strings) has no reader options to ask for.
      const DecimalReading how{lenient_decimals, decimal_comma ? ',' : '.', csv};
      Decimal d;
      if (const auto st = Decimal::try_parse_as(v, d, how); st != DecimalParseStatus::ok) {
        return fail(Decimal::describe(st, v, how));
      }
      col.push(d);
      return true;
    }
    case ColumnType::integer: {
      std::int64_t x = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || end != v.data() + v.size()) {
        return fail(ec == std::errc::result_out_of_range
                        ? "the whole number is out of the 64-bit range"
                        : "not a whole number; use digits with an optional leading '-'");
      }
      col.push(x);
      return true;
    }
    case ColumnType::date: {
      Date d;
      std::string why;
      if (!date_of(v, date_format, d, why)) return fail(std::move(why));
      col.push(d);
      return true;
    }
    case ColumnType::boolean: {
      std::uint8_t b = 0;
      if (!parse_bool(v, b)) {
        return fail("not a boolean; use true/false or 1/0");
      }
      col.push(b);
      return true;
    }
    case ColumnType::float64: {
      std::string with_point;
      if (decimal_comma) {  // "0,25": no grouping in measures and probabilities
        if (v.find('.') != std::string_view::npos) {
          return fail("not a number: with a decimal comma, write '0,25' (no '.')");
        }
        with_point.assign(v);
        std::replace(with_point.begin(), with_point.end(), ',', '.');
        v = with_point;
      }
      double x = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec == std::errc::result_out_of_range && end == v.data() + v.size()) {
        return fail("out of the range of a 64-bit float (magnitudes from 2.2e-308 to 1.8e308, or 0)");
      }
      if (ec != std::errc() || end != v.data() + v.size()) {
        return fail(decimal_comma ? "not a number; use digits, ',', and an optional exponent"
                                  : "not a number; use digits, '.', and an optional exponent");
      }
      col.push(x);
      return true;
    }
  }
  return fail("unknown column type");
}

// One pass over the text: records, fields, conversions, rejects.
class Parser {
 public:
  Parser(std::string_view text, std::span<const ColumnSpec> schema, const CsvReadOptions& opt,
         std::string_view source)
      : text_(text), opt_(opt), source_(source) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    specs_.assign(schema.begin(), schema.end());
  }

  CsvReadResult run() {
    if (opt_.delimiter == opt_.quote || opt_.delimiter == '\n' || opt_.delimiter == '\r') {
      throw InvalidInputError("csv.options", std::string(source_),
                              "the delimiter must differ from the quote and from line breaks");
    }
    map_columns();
    CsvReadResult result;
    for (const auto& s : specs_) columns_.emplace_back(s.name, s.type);
    const std::size_t estimate = text_.size() / 64 + 16;
    for (auto& c : columns_) c.reserve(estimate);
    std::vector<std::uint8_t> seen(specs_.size());
    while (pos_ < text_.size()) {
      const std::int64_t record_line = line_;
      if (at_line_end()) {  // blank line: no data to load or lose
        skip_line_end();
        continue;
      }
      if ((text_[pos_] == opt_.delimiter || text_[pos_] == ' ') && empty_row()) continue;  // ",,,": a blank row
      ++result.records;
      bool bad = false;
      std::size_t field = 0;
      std::fill(seen.begin(), seen.end(), 0);
      while (true) {
        std::string_view value;
        bool quoted_ok = true;
        const bool quoted = pos_ < text_.size() && text_[pos_] == opt_.quote;
        if (quoted) {
          quoted_ok = read_quoted(value);
        } else {
          value = read_plain();
        }
        if (!quoted_ok) {
          reject(result, record_line, field_name(field), value,
                 unclosed_ ? "a quote opens here and never closes (the rest of the file would be "
                             "this one field): this line is rejected and the next lines are read "
                             "as rows; close the quote, and double any quote inside it (\"\")"
                           : "unterminated or malformed quoted field; close the quote and double "
                             "any quote inside it (\"\")");
          unclosed_ = false;
          bad = true;
          skip_to_record_end();
          break;
        }
        if (field < field_to_spec_.size() && field_to_spec_[field] >= 0) {
          const auto s = static_cast<std::size_t>(field_to_spec_[field]);
          seen[s] = 1;
          // Convert even after an earlier bad field, so that every problem in the row is reported.
          if (!convert(s, value, quoted, result, record_line)) bad = true;
        }
        ++field;
        if (pos_ < text_.size() && text_[pos_] == opt_.delimiter) {
          ++pos_;
          continue;
        }
        skip_line_end();
        break;
      }
      if (!bad && field != expected_fields_) {
        reject(result, record_line, "", "",
               "the row has " + std::to_string(field) + " fields but the header has " +
                   std::to_string(expected_fields_) +
                   "; check for an unquoted delimiter or a missing field");
        bad = true;
      }
      if (!bad) {
        for (std::size_t s = 0; s < specs_.size(); ++s) {
          if (!seen[s]) columns_[s].push_null();  // optional column absent from the file
        }
        if (!opt_.line_column.empty()) lines_.push_back(record_line);
        ++good_rows_;
      } else {
        ++result.rejected_rows;
        for (auto& c : columns_) c.truncate(good_rows_);
      }
    }
    for (auto& c : columns_) result.table.add(std::move(c));
    if (!opt_.line_column.empty()) result.table.add(Column::of(opt_.line_column, std::move(lines_)));
    return result;
  }

 private:
  // Whether the line from here holds only delimiters and blanks; if so it is passed over.
  bool empty_row() {
    std::size_t p = pos_;
    while (p < text_.size() && (text_[p] == opt_.delimiter || text_[p] == ' ')) ++p;
    if (p < text_.size() && text_[p] != '\n' && text_[p] != '\r') return false;
    pos_ = p;
    if (pos_ < text_.size()) skip_line_end();
    return true;
  }
  [[nodiscard]] bool at_line_end() const {
    return text_[pos_] == '\n' || text_[pos_] == '\r';
  }
  void skip_line_end() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }
  void skip_to_record_end() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    if (pos_ < text_.size()) ++pos_;
    ++line_;
  }

  std::string_view read_plain() {
    const std::size_t start = pos_;
    const char* p = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    const char d = opt_.delimiter;
    while (p != end && *p != d && *p != '\n' && *p != '\r') ++p;
    pos_ = static_cast<std::size_t>(p - text_.data());
    return text_.substr(start, pos_ - start);
  }

  // A quoted field: "" inside is one quote; line breaks inside are data.
  bool read_quoted(std::string_view& value) {
    const std::size_t start = ++pos_;
    scratch_.clear();
    bool escaped = false;
    while (true) {
      const std::size_t q = text_.find(opt_.quote, pos_);
      if (q == std::string_view::npos) {
        // Never closed: taking the rest of the file as this field would lose every later row
        // without a word. Only the line where the quote opens is rejected; reading goes on.
        const std::size_t eol = text_.find('\n', start);
        pos_ = eol == std::string_view::npos ? text_.size() : eol;
        if (pos_ > start && text_[pos_ - 1] == '\r') --pos_;
        value = text_.substr(start, pos_ - start);
        unclosed_ = true;
        return false;
      }
      for (std::size_t i = pos_; i < q; ++i) line_ += text_[i] == '\n';
      if (q + 1 < text_.size() && text_[q + 1] == opt_.quote) {
        scratch_.append(text_.substr(pos_, q + 1 - pos_));
        pos_ = q + 2;
        escaped = true;
        continue;
      }
      scratch_.append(text_.substr(pos_, q - pos_));
      const std::size_t raw_end = q;
      pos_ = q + 1;
      if (!escaped) scratch_.clear();
      value = escaped ? std::string_view(scratch_) : text_.substr(start, raw_end - start);
      return pos_ >= text_.size() || text_[pos_] == opt_.delimiter || at_line_end();
    }
  }

  std::string field_name(std::size_t field) const {
    if (field < field_to_spec_.size() && field_to_spec_[field] >= 0) {
      return specs_[static_cast<std::size_t>(field_to_spec_[field])].name;
    }
    return field < header_.size() ? header_[field] : "";
  }

  static void reject(CsvReadResult& r, std::int64_t line, std::string column,
                     std::string_view value, std::string reason) {
    r.rejects.push_back({line, std::move(column), std::string(value), std::move(reason)});
  }

  // A quoted empty field ("") is an empty string, not a null; elsewhere empty means missing.
  bool convert(std::size_t s, std::string_view v, bool quoted, CsvReadResult& r,
               std::int64_t line) {
    const ColumnSpec& spec = specs_[s];
    Column& col = columns_[s];
    if (v.empty() && !(quoted && spec.type == ColumnType::string)) {
      if (spec.nullable) {
        col.push_null();
        return true;
      }
      reject(r, line, spec.name, v,
             "a value is required here; fill it in or drop the row");
      return false;
    }
    std::string why;
    if (!push_text(col, spec.type, v, opt_.lenient_decimals, opt_.decimal_comma, why, true,
                   opt_.date_format)) {
      reject(r, line, spec.name, v, std::move(why));
      return false;
    }
    return true;
  }

  // Reads the header (if any) and maps file fields to schema columns.
  void map_columns() {
    if (!opt_.header) {
      if (specs_.empty()) {
        throw InvalidInputError("csv.options", std::string(source_),
                                "a file without a header needs a schema naming its columns");
      }
      expected_fields_ = specs_.size();
      for (std::size_t i = 0; i < specs_.size(); ++i) {
        field_to_spec_.push_back(static_cast<int>(i));
        header_.push_back(specs_[i].name);
      }
      return;
    }
    while (pos_ < text_.size() && at_line_end()) skip_line_end();
    if (pos_ >= text_.size()) {
      throw InvalidInputError("csv.empty", std::string(source_),
                              "the file is empty; expected a header line naming the columns");
    }
    while (true) {
      std::string_view v;
      if (text_[pos_] == opt_.quote) {
        if (!read_quoted(v)) {
          throw InvalidInputError("csv.header", std::string(source_),
                                  "the header has a malformed quoted name");
        }
      } else {
        v = read_plain();
      }
      header_.emplace_back(v);
      if (pos_ < text_.size() && text_[pos_] == opt_.delimiter) {
        ++pos_;
        continue;
      }
      skip_line_end();
      break;
    }
    expected_fields_ = header_.size();
    // Unnamed columns (spreadsheets export trailing empty ones) are extra columns, not
    // duplicates of each other: nothing can name them.
    for (std::size_t i = 0; i < header_.size(); ++i) {
      for (std::size_t j = 0; j < i && !header_[i].empty(); ++j) {
        if (header_[i] == header_[j]) {
          throw InvalidInputError("csv.duplicate_column", std::string(source_),
                                  "the header names column '" + header_[i] +
                                      "' twice; rename one of them");
        }
      }
    }
    const bool all_text = specs_.empty();
    field_to_spec_.assign(header_.size(), -1);
    std::string present;
    for (const auto& h : header_) present += (present.empty() ? "" : ", ") + h;
    // A named column is found by its exact name, else by the one header that spells it with
    // other case, blanks or hyphens ("Payee ID", "Last_Quota"), as spreadsheets export them.
    for (std::size_t s = 0; s < specs_.size(); ++s) {
      std::optional<std::size_t> at;
      for (std::size_t i = 0; i < header_.size() && !at; ++i) {
        if (header_[i] == specs_[s].name) at = i;
      }
      if (!at) {
        // Not a header mapped already, nor one another column spells exactly.
        const auto loose = loose_matches(header_, specs_[s].name, [&](std::size_t i) {
          return field_to_spec_[i] >= 0 ||
                 std::any_of(specs_.begin(), specs_.end(),
                             [&](const ColumnSpec& o) { return o.name == header_[i]; });
        });
        if (loose.size() > 1) {
          throw InvalidInputError("csv.duplicate_column", std::string(source_),
                                  "columns '" + header_[loose[0]] + "' and '" + header_[loose[1]] +
                                      "' both read as '" + specs_[s].name + "'; rename one");
        }
        if (!loose.empty()) at = loose.front();
      }
      if (at) {
        field_to_spec_[*at] = static_cast<int>(s);
      } else if (specs_[s].required) {
        throw InvalidInputError("csv.missing_column", std::string(source_),
                                "required column '" + specs_[s].name +
                                    "' is not in the header; the header has: " + present +
                                    delimiter_hint());
      }
    }
    if (all_text || opt_.extra_columns_as_text) {
      for (std::size_t i = 0; i < header_.size(); ++i) {
        if (field_to_spec_[i] >= 0 || header_[i].empty()) continue;
        field_to_spec_[i] = static_cast<int>(specs_.size());
        specs_.push_back({header_[i], ColumnType::string, true, true});
      }
    }
    if (!opt_.ignore_extra_columns) {
      for (std::size_t i = 0; i < header_.size(); ++i) {
        if (field_to_spec_[i] < 0) {
          throw InvalidInputError("csv.extra_column", std::string(source_),
                                  "column '" + header_[i] +
                                      "' is not expected; remove it or allow extra columns");
        }
      }
    }
  }

  // When the header is one name holding another usual delimiter, that delimiter is the cause.
  [[nodiscard]] std::string delimiter_hint() const {
    if (header_.size() != 1) return "";
    for (const char d : {';', '\t', '|', ','}) {
      if (d != opt_.delimiter && header_[0].find(d) != std::string::npos) {
        const std::string shown = d == '\t' ? "tab" : std::string(1, d);
        return " (the file seems to separate columns by '" + shown + "': read it with that "
               "delimiter, e.g. spm's --delimiter '" + shown + "')";
      }
    }
    return "";
  }

  std::string_view text_;
  CsvReadOptions opt_;
  std::string_view source_;
  std::vector<ColumnSpec> specs_;
  std::vector<Column> columns_;
  std::vector<std::string> header_;
  std::vector<int> field_to_spec_;
  std::size_t expected_fields_ = 0;
  std::size_t good_rows_ = 0;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
  std::string scratch_;
  bool unclosed_ = false;  // the last read_quoted found no closing quote
  std::vector<std::int64_t> lines_;
};

}  // namespace

ColumnSpec parse_column_spec(std::string_view text) {
  ColumnSpec spec;
  const auto colon = text.rfind(':');
  std::string_view type = colon == std::string_view::npos ? "string" : text.substr(colon + 1);
  spec.name = std::string(text.substr(0, colon));
  if (!type.empty() && type.back() == '?') {
    spec.nullable = true;
    type.remove_suffix(1);
  }
  if (spec.name.empty()) {
    throw InvalidInputError("csv.column_spec", std::string(text),
                            "a column spec needs a name, as in amount:decimal or close_date:date?");
  }
  try {
    spec.type = parse_column_type(type);
  } catch (const InvalidInputError& e) {
    throw InvalidInputError("csv.column_spec", std::string(text), e.detail());
  }
  return spec;
}

bool read_date(std::string_view text, DateFormat format, Date& out, std::string* why) {
  std::string reason;
  const bool ok = date_of(text, format, out, reason);
  if (!ok && why != nullptr) *why = std::move(reason);
  return ok;
}

std::optional<DateFormat> parse_date_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "iso") return DateFormat::iso;
  if (n == "mdy") return DateFormat::mdy;
  if (n == "dmy") return DateFormat::dmy;
  return std::nullopt;
}

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
  const std::string n = lower(name);
  if (n == "utf-8" || n == "utf8") return TextEncoding::utf8;
  if (n == "windows-1252" || n == "cp1252") return TextEncoding::windows1252;
  if (n == "latin-1" || n == "latin1" || n == "iso-8859-1") return TextEncoding::latin1;
  return std::nullopt;
}

CsvReadResult parse_csv(std::string_view text, std::span<const ColumnSpec> schema,
                        const CsvReadOptions& options, std::string_view source) {
  if (auto utf8 = as_utf8(text, options.encoding)) return Parser(*utf8, schema, options, source).run();
  return Parser(text, schema, options, source).run();
}

std::optional<std::size_t> find_header(std::span<const std::string> header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  const auto loose = loose_matches(header, name, [](std::size_t) { return false; });
  if (loose.size() != 1) return std::nullopt;  // two loose spellings: neither is it
  return loose.front();
}

std::string read_text(const std::filesystem::path& path, TextEncoding encoding) {
  std::string data = read_file(path);
  if (auto utf8 = as_utf8(data, encoding)) return std::move(*utf8);
  return data;
}

CsvReadResult read_csv(const std::filesystem::path& path, std::span<const ColumnSpec> schema,
                       const CsvReadOptions& options) {
  const std::string data = read_file(path);
  return parse_csv(data, schema, options, path.string());
}

Column convert_strings(const Column& text, ColumnType type, std::vector<Reject>& rejects,
                       bool lenient_decimals) {
  const auto v = text.strings();
  Column out(text.name(), type);
  out.reserve(v.size());
  std::string why;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (text.is_null(i) || v[i].empty()) {
      out.push_null();
    } else if (!push_text(out, type, v[i], lenient_decimals, false, why, /*csv=*/false)) {
      rejects.push_back({static_cast<std::int64_t>(i + 1), text.name(), std::string(v[i]), why});
      out.push_null();
    }
  }
  return out;
}

NumberCount count_numbers(const Column& c) {
  NumberCount n;
  if (c.type() != ColumnType::string) return n;
  const auto s = c.strings();
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (c.is_null(r) || s[r].empty()) continue;
    ++n.filled;
    double x = 0;
    const auto [end, ec] = std::from_chars(s[r].data(), s[r].data() + s[r].size(), x);
    if (ec == std::errc() && end == s[r].data() + s[r].size()) {
      ++n.numbers;
    } else if (n.first_other == SIZE_MAX) {
      n.first_other = r;
    }
  }
  return n;
}

bool mostly_numbers(const Column& c) {
  const auto k = c.type();
  if (k == ColumnType::float64 || k == ColumnType::integer || k == ColumnType::decimal) return true;
  const NumberCount n = count_numbers(c);
  return n.filled > 0 && 2 * n.numbers > n.filled;
}

}  // namespace spm::io
