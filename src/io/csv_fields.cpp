#include <spm/io/csv.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

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
  std::ifstream in(path, std::ios::binary);
  std::string text;
  std::vector<std::size_t> at(names.size(), SIZE_MAX);
  for (std::int64_t line = 1; line <= *lines.rbegin() && std::getline(in, text); ++line) {
    if (line == 1) {
      const auto header = header_names(text, format);
      for (std::size_t k = 0; k < header.size(); ++k) {
        for (std::size_t j = 0; j < names.size(); ++j) {
          if (header[k] == names[j]) at[j] = k;
        }
      }
      continue;
    }
    if (!lines.count(line)) continue;
    const auto f = fields_of(text, format.delimiter, format.quote);
    auto& row = out[line];
    for (const std::size_t k : at) row.push_back(k < f.size() ? f[k] : std::string());
  }
  return out;
}

std::vector<std::string> csv_header(const std::filesystem::path& path, const CsvReadOptions& format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IoError("csv.open", path.string(),
                  std::string("cannot open the file: ") + std::strerror(errno) +
                      "; check the path and permissions");
  }
  std::string text;
  if (!std::getline(in, text)) return {};
  return header_names(text, format);
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
