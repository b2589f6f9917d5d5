// Input files read with their file lines kept, and every bad row collected as a reject in one
// layout for all the files of a command: source (the file), row (its line), id, reason. Used by
// the quota and territory commands.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spm/io/csv.hpp>
#include <spm/io/table.hpp>

namespace spm::cli {

/// Input rows rejected: distinct (source, row) pairs over rejects tables with a "row" column (and
/// a "source" one when several files) — a row with two bad fields is one row.
inline std::size_t rejected_rows(std::initializer_list<const io::Table*> parts) {
  std::set<std::pair<std::string, std::int64_t>> rows;
  for (const auto* t : parts) {
    if (t->num_rows() == 0) continue;
    const auto& row = t->values<std::int64_t>("row");
    const bool sourced = t->find("source").has_value();
    for (std::size_t i = 0; i < t->num_rows(); ++i) {
      rows.emplace(sourced ? std::string(t->strings("source")[i]) : std::string(), row[i]);
    }
  }
  return rows.size();
}

/// Whether the reader's reason already quotes the field's value ("'abc' is not a decimal"), or
/// there is none to quote.
inline bool quotes_value(const io::Reject& x) {
  return x.value.empty() || x.reason.find("'" + x.value + "'") != std::string::npos;
}

/// A reader reject's reason, starting with its field: "x is 'abc': not a number; ...".
inline std::string field_reason(const io::Reject& x) {
  if (x.column.empty()) return x.reason;
  return quotes_value(x) ? x.column + ": " + x.reason : x.column + " is '" + x.value + "': " + x.reason;
}

class Loader {
 public:
  /// `format`: the files' delimiter, quote and lenient decimals.
  explicit Loader(io::CsvReadOptions format = {}) : format_(std::move(format)) {}
  [[nodiscard]] const io::CsvReadOptions& format() const noexcept { return format_; }
  /// Reads `path` with `schema` (extra columns ignored, or kept as nullable text when
  /// `extra_columns_as_text`) and a "_line" column. A row the reader rejects is named by its
  /// first schema column (its id), read leniently from the line, and its reason names the field
  /// and value.
  io::Table load(const std::string& path, std::vector<io::ColumnSpec> schema,
                 bool extra_columns_as_text = false) {
    io::CsvReadOptions opt = io::with_format({}, format_);
    opt.line_column = "_line";
    opt.ignore_extra_columns = true;
    opt.extra_columns_as_text = extra_columns_as_text;
    auto r = io::read_csv(path, schema, opt);
    std::set<std::int64_t> lines;
    for (const auto& x : r.rejects) lines.insert(x.line);
    const auto ids = io::csv_fields_at(path, lines, {schema.front().name}, format_);
    for (const auto& x : r.rejects) {
      const auto it = ids.find(x.line);
      add(path, x.line, it == ids.end() ? "" : it->second.front(), field_reason(x));
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
  /// The rows of `source` rejected so far: (row, id).
  [[nodiscard]] std::vector<std::pair<std::int64_t, std::string>> rejected(
      const std::string& source) const {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (std::size_t k = 0; k < row_.size(); ++k) {
      if (source_[k] == source) out.emplace_back(row_[k], id_[k]);
    }
    return out;
  }
  /// Input rejects alone.
  [[nodiscard]] io::Table rejects() const { return rejects(empty_rejects()); }
  /// Input rejects, by file (in the order first rejected) and line, followed by the
  /// computation's (a table with source, row, id, reason).
  [[nodiscard]] io::Table rejects(const io::Table& more) const {
    std::vector<std::size_t> order(row_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::map<std::string_view, std::size_t> file_rank;
    for (const auto& s : source_) file_rank.try_emplace(s, file_rank.size());
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto fa = file_rank.at(source_[a]), fb = file_rank.at(source_[b]);
      return fa != fb ? fa < fb : row_[a] < row_[b];
    });
    std::vector<std::string> source, id, reason;
    std::vector<std::int64_t> row;
    for (const auto k : order) {
      source.push_back(source_[k]);
      row.push_back(row_[k]);
      id.push_back(id_[k]);
      reason.push_back(reason_[k]);
    }
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
  io::CsvReadOptions format_;
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
