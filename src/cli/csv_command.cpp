// spm csv check: load a CSV with a typed schema, report and write the rejects.
#include <iostream>

#include <boost/program_options.hpp>
#include <spm/io/csv.hpp>

#include "command.hpp"
#include "options.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

int run_csv(const std::vector<std::string>& args, std::ostream& out) {
  std::string action, file, rejects_path, out_path;
  std::vector<std::string> columns;
  CsvFormat format;
  po::options_description desc(
      "spm csv check FILE [options]\n\nLoads FILE with the given column types: good rows are "
      "kept (and written with --out), every bad row goes to the rejects with its line, column, "
      "value and reason.\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "column,c", po::value(&columns)->composing(),
      "expected column as name:type (string, decimal, integer, date, boolean, float64), '?' "
      "at the end for nullable; repeat for each column; none = every column as text")(
      "rejects", po::value(&rejects_path), "write the rejects as CSV to this file")(
      "out", po::value(&out_path), "write the good rows as CSV to this file");
  format.add_to(desc);
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action))("file", po::value(&file));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("action", 1).add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (vm.count("help")) {
    out << desc << "\n";
    return 0;
  }
  po::notify(vm);
  if (action != "check") throw UsageError{"the only csv action is 'check'"};
  if (file.empty()) throw UsageError{"name the CSV file to check"};

  std::vector<io::ColumnSpec> schema;
  for (const auto& c : columns) schema.push_back(io::parse_column_spec(c));
  const auto result = io::read_csv(file, schema, format.options());
  out << file << ": " << result.records << " rows, " << result.table.num_rows() << " loaded, "
      << result.rejected_rows << " rejected\n";
  const std::size_t shown = std::min<std::size_t>(result.rejects.size(), 10);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& r = result.rejects[i];
    out << "  line " << r.line << (r.column.empty() ? "" : ", column " + r.column) << ": "
        << r.reason << "\n";
  }
  if (result.rejects.size() > shown) {
    out << "  ... " << result.rejects.size() - shown << " more"
        << (rejects_path.empty() ? " (write them all with --rejects FILE)" : "") << "\n";
  }
  if (!rejects_path.empty()) io::write_csv(io::rejects_table(result.rejects), rejects_path);
  if (!out_path.empty()) io::write_csv(result.table, out_path);
  return result.rejected_rows == 0 ? 0 : 3;
}

}  // namespace

Command csv_command() { return {"csv", "check a CSV file against column types; write rejects", run_csv}; }

}  // namespace spm::cli
