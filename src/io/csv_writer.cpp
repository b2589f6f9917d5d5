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
      write_field(buf, cols[c].text(r), options);
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
