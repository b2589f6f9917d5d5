// Input files read with their file lines kept, and every bad row collected as a reject in one
// layout for all the files of a command: source (the file), row (its line), id, reason. Used by
// the quota and territory commands.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <spm/io/csv.hpp>
#include <spm/io/table.hpp>

namespace spm::cli {

class Loader {
 public:
  /// Reads `path` with `schema` (extra columns ignored) and a "_line" column; bad fields become
  /// rejects "column=value" with the reader's reason.
  io::Table load(const std::string& path, std::vector<io::ColumnSpec> schema) {
    io::CsvReadOptions opt;
    opt.line_column = "_line";
    opt.ignore_extra_columns = true;
    auto r = io::read_csv(path, schema, opt);
    for (const auto& x : r.rejects) {
      add(path, x.line, x.column.empty() ? "" : x.column + "=" + x.value, x.reason);
    }
    return std::move(r.table);
  }
  /// A row the command itself rejects (after loading).
  void add(std::string source, std::int64_t row, std::string id, std::string reason) {
    source_.push_back(std::move(source));
    row_.push_back(row);
    id_.push_back(std::move(id));
    reason_.push_back(std::move(reason));
  }
  [[nodiscard]] std::size_t size() const noexcept { return row_.size(); }
  /// Input rejects alone.
  [[nodiscard]] io::Table rejects() const { return rejects(empty_rejects()); }
  /// Input rejects followed by the computation's (a table with source, row, id, reason).
  [[nodiscard]] io::Table rejects(const io::Table& more) const {
    auto source = source_;
    auto row = row_;
    auto id = id_;
    auto reason = reason_;
    for (std::size_t i = 0; i < more.num_rows(); ++i) {
      source.emplace_back(more.strings("source")[i]);
      row.push_back(more.values<std::int64_t>("row")[i]);
      id.emplace_back(more.strings("id")[i]);
      reason.emplace_back(more.strings("reason")[i]);
    }
    io::Table t;
    t.add(io::Column::of("source", std::move(source)));
    t.add(io::Column::of("row", std::move(row)));
    t.add(io::Column::of("id", std::move(id)));
    t.add(io::Column::of("reason", std::move(reason)));
    return t;
  }

 private:
  static io::Table empty_rejects() {
    io::Table t;
    for (const char* c : {"source", "id", "reason"}) t.add(io::Column(c, io::ColumnType::string));
    t.add(io::Column("row", io::ColumnType::integer));
    return t;
  }
  std::vector<std::string> source_;
  std::vector<std::int64_t> row_;
  std::vector<std::string> id_;
  std::vector<std::string> reason_;
};

}  // namespace spm::cli
