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
