// Reading and writing the forecast commands' files: CSV in with file lines kept, rejects in the
// forecast layout (row, column, value, reason), output folders.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include <spm/io/csv.hpp>
#include <spm/io/table.hpp>

#include "loader.hpp"
#include "options.hpp"

namespace spm::cli::forecast_io {

using io::ColumnSpec;
using io::ColumnType;

inline std::filesystem::path out_file(const std::string& dir, const char* name) {
  return cli::out_file(dir, name, "forecast");
}

// Reads a CSV with its file lines kept; bad fields become rejects (row, column, value, reason).
struct Loaded {
  io::Table table;
  io::Table rejects;
};

inline Loaded load(const io::CsvReadOptions& format, const std::string& path,
                   const std::vector<ColumnSpec>& schema, bool extra_columns_as_text = false) {
  io::CsvReadOptions opt = io::with_format({}, format);
  opt.line_column = "_line";
  opt.extra_columns_as_text = extra_columns_as_text;
  auto r = io::read_csv(path, schema, opt);
  std::vector<std::int64_t> row;
  std::vector<std::string> column, value, reason;
  for (const auto& x : r.rejects) {
    row.push_back(x.line);
    column.push_back(x.column);
    value.push_back(x.value);
    reason.push_back(x.reason);
  }
  io::Table rejects;
  rejects.add(io::Column::of("row", std::move(row)));
  rejects.add(io::Column::of("column", std::move(column)));
  rejects.add(io::Column::of("value", std::move(value)));
  rejects.add(io::Column::of("reason", std::move(reason)));
  return {std::move(r.table), std::move(rejects)};
}

// Input rejects followed by the computation's (same columns).
inline io::Table all_rejects(const io::Table& input, const io::Table& more) {
  io::Table t;
  for (const auto& c : input.columns()) {
    const auto& m = more.column(c.name());
    if (c.type() == ColumnType::integer) {
      auto v = c.values<std::int64_t>();
      const auto& w = m.values<std::int64_t>();
      v.insert(v.end(), w.begin(), w.end());
      t.add(io::Column::of(c.name(), std::move(v)));
    } else {
      std::vector<std::string> v;
      for (std::size_t i = 0; i < c.size(); ++i) v.emplace_back(c.strings()[i]);
      for (std::size_t i = 0; i < m.size(); ++i) v.emplace_back(m.strings()[i]);
      t.add(io::Column::of(c.name(), std::move(v)));
    }
  }
  return t;
}

// `more` without the rows `first` already lists (same row and reason): two passes over one
// table (a fit, then a forecast) find some bad rows twice.
inline io::Table without_repeats(const io::Table& first, const io::Table& more) {
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (std::size_t i = 0; i < first.num_rows(); ++i) {
    seen.emplace(first.values<std::int64_t>("row")[i], std::string(first.strings("reason")[i]));
  }
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < more.num_rows(); ++i) {
    if (!seen.count({more.values<std::int64_t>("row")[i], std::string(more.strings("reason")[i])})) {
      keep.push_back(i);
    }
  }
  return io::take(more, keep);
}

// Rejects of a second input file, each reason starting with the file's option ("targets: ...").
inline io::Table from_file(const io::Table& rejects, const std::string& option) {
  io::Table t;
  for (const auto& c : rejects.columns()) {
    if (c.name() != "reason") {
      t.add(c);
      continue;
    }
    std::vector<std::string> v;
    for (std::size_t i = 0; i < c.size(); ++i) v.push_back(option + ": " + std::string(c.strings()[i]));
    t.add(io::Column::of(c.name(), std::move(v)));
  }
  return t;
}

using cli::rejected_rows;

using cli::fixed;

/// The pipeline analytics actions (forecast_pipeline_command.cpp): amounts, slippage,
/// categories, overrides, diff, capacity. Returns -1 for another action.
int pipeline_action(const std::string& action, const std::vector<std::string>& args, std::ostream& out);

}  // namespace spm::cli::forecast_io
