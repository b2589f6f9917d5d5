#include <spm/io/csv.hpp>

#include <cstring>

#include <spm/core/error.hpp>

namespace spm::io {
namespace {

// The fields of one CSV record, leniently: whatever their count, quotes ("" inside) honoured.
std::vector<std::string> fields_of(std::string_view line, char delimiter, char quote) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted) {
      if (c == quote && k + 1 < line.size() && line[k + 1] == quote) {
        out.back() += quote;
        ++k;
      } else if (c == quote) {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == quote) {
      quoted = true;
    } else if (c == delimiter) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

// The names of a header line (a UTF-8 byte order mark is not part of the first name).
std::vector<std::string> header_names(std::string_view line, const CsvReadOptions& format) {
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.remove_prefix(3);
  return fields_of(line, format.delimiter, format.quote);
}

}  // namespace

std::map<std::int64_t, std::vector<std::string>> csv_fields_at(
    const std::filesystem::path& path, const std::set<std::int64_t>& lines,
    const std::vector<std::string>& names, const CsvReadOptions& format) {
  std::map<std::int64_t, std::vector<std::string>> out;
  if (lines.empty()) return out;
  // Decoded and matched as the reader did, so that a rejected row is found by its id.
  const std::string text = read_text(path, format.encoding);
  std::vector<std::size_t> at(names.size(), SIZE_MAX);
  std::size_t pos = 0;
  for (std::int64_t line = 1; line <= *lines.rbegin() && pos < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view row(text.data() + pos, end - pos);
    pos = end + 1;
    if (line == 1) {
      const auto header = header_names(row, format);
      for (std::size_t j = 0; j < names.size(); ++j) {
        at[j] = find_header(header, names[j]).value_or(SIZE_MAX);
      }
      continue;
    }
    if (!lines.count(line)) continue;
    const auto f = fields_of(row, format.delimiter, format.quote);
    auto& fields = out[line];
    for (const std::size_t k : at) fields.push_back(k < f.size() ? f[k] : std::string());
  }
  return out;
}

std::vector<std::string> csv_header(const std::filesystem::path& path, const CsvReadOptions& format) {
  const std::string text = read_text(path, format.encoding);
  if (text.empty()) return {};
  return header_names(std::string_view(text).substr(0, text.find('\n')), format);
}

CsvReadOptions with_format(CsvReadOptions options, const CsvReadOptions& format) {
  options.delimiter = format.delimiter;
  options.quote = format.quote;
  options.lenient_decimals = format.lenient_decimals;
  options.decimal_comma = format.decimal_comma;
  options.encoding = format.encoding;
  options.date_format = format.date_format;
  return options;
}

}  // namespace spm::io
