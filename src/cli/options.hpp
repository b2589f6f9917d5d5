// Helpers shared by the subcommands: option parsing with --help, output folders, lists, numbers
// for people.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

#include "command.hpp"

namespace spm::cli {

/// Parses the options; prints the help and returns true when --help was given.
inline bool parse_or_help(const boost::program_options::options_description& desc,
                          const std::vector<std::string>& args,
                          boost::program_options::variables_map& vm, std::ostream& out) {
  boost::program_options::store(
      boost::program_options::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    out << desc << "\n";
    return true;
  }
  boost::program_options::notify(vm);
  return false;
}

/// `dir/name`, creating `dir`; IoError "<area>.out" when it cannot be created.
inline std::filesystem::path out_file(const std::string& dir, const char* name,
                                      const std::string& area) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(area + ".out", dir, "cannot create the output folder: " + ec.message());
  return std::filesystem::path(dir) / name;
}

/// Removes the files an earlier run of the same action wrote to `dir`, so that a run that fails
/// leaves no older result looking like its own. Other files are left alone.
inline void clear_outputs(const std::string& dir, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path(dir) / name, ec);
  }
}

/// The format of a command's input CSV files (Excel exports in many locales use ';' or tabs and
/// write amounts as 1,234.50 or 1.234,50): --delimiter, and for amounts --lenient and
/// --decimal-comma, for every file the command reads.
struct CsvFormat {
  std::string delimiter = ",";
  std::string encoding = "utf-8";
  std::string date_format = "iso";
  bool lenient = false;
  bool decimal_comma = false;

  /// --delimiter, and --lenient and --decimal-comma when the command reads decimal amounts.
  void add_to(boost::program_options::options_description& desc, bool amounts = true) {
    namespace po = boost::program_options;
    desc.add_options()("delimiter", po::value(&delimiter)->default_value(delimiter),
                       "field delimiter of the input files: one character, or 'tab'")(
        "encoding", po::value(&encoding)->default_value(encoding),
        "text encoding of the input files: utf-8, windows-1252 (Excel's CSV on Western "
        "Windows) or latin-1; UTF-16 with a byte order mark is read whatever this says")(
        "date-format", po::value(&date_format)->default_value(date_format),
        "dates besides YYYY-MM-DD: iso (also 2026-3-5, 20260305, midnight times), mdy "
        "(03/05/2026, US) or dmy (05/03/2026, 05.03.2026)");
    if (amounts) {
      desc.add_options()("lenient", po::bool_switch(&lenient),
                         "read amounts leniently: thousands separators (1,234.50), blanks around, "
                         "accounting negatives ((12.50))")(
          "decimal-comma", po::bool_switch(&decimal_comma),
          "amounts use ',' as the decimal point (1234,50; with --lenient 1.234,50)");
    }
  }
  /// The reader's options for them; UsageError when the delimiter is not one usable character.
  [[nodiscard]] io::CsvReadOptions options() const {
    io::CsvReadOptions o;
    const std::string d = delimiter == "tab" || delimiter == "\\t" ? "\t" : delimiter;
    if (d.size() != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r') {
      throw UsageError{"--delimiter must be one character other than a quote or a line break "
                       "(e.g. ';', or 'tab'), not '" + delimiter + "'"};
    }
    o.delimiter = d[0];
    const auto enc = io::parse_text_encoding(encoding);
    if (!enc) {
      throw UsageError{"--encoding must be utf-8, windows-1252 or latin-1, not '" + encoding + "'"};
    }
    o.encoding = *enc;
    const auto dates = io::parse_date_format(date_format);
    if (!dates) {
      throw UsageError{"--date-format must be iso, mdy or dmy, not '" + date_format + "'"};
    }
    o.date_format = *dates;
    o.lenient_decimals = lenient;
    o.decimal_comma = decimal_comma;
    return o;
  }
};

/// "a,b,c" -> {"a", "b", "c"}; empty text -> {}.
inline std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (const char c : text) {
    if (c == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item.push_back(c);
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

/// A statistic for people reading a summary, to `places` decimals ("0.661").
inline std::string fixed(double v, int places) { return Decimal::from_double(v, places).to_string(places); }

}  // namespace spm::cli
