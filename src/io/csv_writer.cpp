#include <array>
#include <charconv>
#include <fstream>
#include <ostream>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

namespace spm::io {
namespace {

bool needs_quotes(std::string_view s, const CsvWriteOptions& opt) {
  if (s.empty()) return false;
  if (s.front() == ' ' || s.back() == ' ') return true;
  for (const char c : s) {
    if (c == opt.delimiter || c == opt.quote || c == '\n' || c == '\r') return true;
  }
  return false;
}

void write_field(std::string& line, std::string_view s, const CsvWriteOptions& opt) {
  if (!needs_quotes(s, opt)) {
    line.append(s);
    return;
  }
  line.push_back(opt.quote);
  for (const char c : s) {
    if (c == opt.quote) line.push_back(opt.quote);
    line.push_back(c);
  }
  line.push_back(opt.quote);
}

// One cell, formatted straight into a stack buffer (no string per cell except text columns).
void write_cell(std::string& line, const Column& c, std::size_t r, const CsvWriteOptions& opt) {
  if (c.is_null(r)) return;
  std::array<char, 64> buf{};
  std::size_t n = 0;
  switch (c.type()) {
    case ColumnType::string:
      write_field(line, c.strings()[r], opt);
      return;
    case ColumnType::decimal:
      n = c.values<Decimal>()[r].format_to(buf.data(), c.min_places());
      break;
    case ColumnType::integer:
      n = static_cast<std::size_t>(
          std::to_chars(buf.data(), buf.data() + buf.size(), c.values<std::int64_t>()[r]).ptr -
          buf.data());
      break;
    case ColumnType::date: {
      const auto ymd = c.values<Date>()[r].ymd();
      const int y = static_cast<int>(ymd.year());
      if (y < 0 || y > 9999) {
        write_field(line, c.text(r), opt);
        return;
      }
      const unsigned m = static_cast<unsigned>(ymd.month());
      const unsigned d = static_cast<unsigned>(ymd.day());
      buf = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
             static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
             static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
             static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
      n = 10;
      break;
    }
    case ColumnType::boolean:
      line.append(c.values<std::uint8_t>()[r] ? "true" : "false");
      return;
    case ColumnType::float64:
      write_field(line, c.text(r), opt);
      return;
  }
  write_field(line, std::string_view(buf.data(), n), opt);
}

}  // namespace

void write_csv(const Table& table, std::ostream& out, const CsvWriteOptions& options) {
  std::string buf;
  const auto& cols = table.columns();
  if (options.header) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) buf.push_back(options.delimiter);
      write_field(buf, cols[c].name(), options);
    }
    buf.push_back('\n');
  }
  for (std::size_t r = 0; r < table.num_rows(); ++r) {
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) buf.push_back(options.delimiter);
      write_cell(buf, cols[c], r, options);
    }
    buf.push_back('\n');
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void write_csv(const Table& table, const std::filesystem::path& path,
               const CsvWriteOptions& options) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    throw IoError("csv.write", path.string(),
                  "cannot create the file; check that the folder exists and is writable");
  }
  write_csv(table, out, options);
  out.flush();
  if (!out) throw IoError("csv.write", path.string(), "writing the file failed (disk full?)");
}

}  // namespace spm::io
