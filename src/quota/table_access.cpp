// Reading the quota module's input tables.
#include "table_access.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <set>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

#include "../core/edit_distance.hpp"

namespace spm::quota::detail {

namespace {
bool type_fits(io::ColumnType have, io::ColumnType want) {
  return have == want || (want == io::ColumnType::decimal && have == io::ColumnType::integer);
}
}  // namespace

std::optional<std::size_t> find_column(const io::Table& t, std::string_view name) {
  if (const auto i = t.find(name)) return i;
  std::vector<std::string> names;
  names.reserve(t.num_columns());
  for (const auto& c : t.columns()) names.emplace_back(c.name());
  return io::find_header(names, name);
}

namespace {

// Lower case without blanks, underscores or hyphens: "Max Increse" -> "maxincrese".
std::string squashed(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::vector<std::string> near_column_notes(const io::Table& t, std::string_view table,
                                           std::span<const std::string> known) {
  // A known column of nulls only is as good as absent (a CSV reader adds the optional ones).
  std::vector<std::size_t> used;
  std::vector<std::uint8_t> filled(known.size(), 0);
  for (std::size_t k = 0; k < known.size(); ++k) {
    if (const auto i = find_column(t, known[k])) {
      used.push_back(*i);
      filled[k] = t.num_rows() == 0 || t.columns()[*i].null_count() < t.num_rows() ? 1 : 0;
    }
  }
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < t.num_columns(); ++i) {
    const std::string& name = t.columns()[i].name();
    if (name.empty() || name.front() == '_' || std::count(used.begin(), used.end(), i)) continue;
    const std::string s = squashed(name);
    for (std::size_t k = 0; k < known.size(); ++k) {
      if (filled[k]) continue;  // the column it could mean is there
      const std::string ks = squashed(known[k]);
      if (s == ks || (ks.size() > 4 && spm::detail::edit_distance(s, ks) <= 2)) {
        notes.push_back(std::string(table) + " column '" + name + "' is not read; did you mean '" +
                        known[k] + "'? (rename it to be used)");
        break;
      }
    }
  }
  return notes;
}

const io::Column* optional_column(const io::Table& t, std::string_view table, std::string_view name,
                                  io::ColumnType type) {
  const auto i = find_column(t, name);
  if (!i) return nullptr;
  const auto& c = t.columns()[*i];
  if (!type_fits(c.type(), type)) {
    throw InvalidInputError("quota.column", std::string(table) + "." + std::string(name),
                            "the column holds " + std::string(io::to_string(c.type())) +
                                " values; it must be " + std::string(io::to_string(type)));
  }
  return &c;
}

const io::Column& require_column(const io::Table& t, std::string_view table, std::string_view name,
                                 io::ColumnType type) {
  if (const auto* c = optional_column(t, table, name, type)) return *c;
  throw InvalidInputError("quota.column", std::string(table) + "." + std::string(name),
                          "the " + std::string(table) + " table has no column '" +
                              std::string(name) + "'; add it (type " +
                              std::string(io::to_string(type)) + ")");
}

Decimal decimal_at(const io::Column& c, std::size_t row) {
  if (c.type() == io::ColumnType::integer) return Decimal(c.values<std::int64_t>()[row]);
  return c.values<Decimal>()[row];
}

DecimalColumn::DecimalColumn(const io::Column* c) {
  if (c == nullptr) return;
  if (c->type() == io::ColumnType::integer) int_ = c->values<std::int64_t>().data();
  else dec_ = c->values<Decimal>().data();
  if (!c->validity().empty()) valid_ = c->validity().data();
}

void Rejects::add(std::string_view source, std::int64_t row, std::string_view id,
                  std::string reason) {
  source_.emplace_back(source);
  row_.push_back(row);
  id_.emplace_back(id);
  reason_.push_back(std::move(reason));
}

std::size_t Rejects::rows_from(std::string_view source) const {
  std::set<std::int64_t> rows;
  for (std::size_t k = 0; k < source_.size(); ++k) {
    if (source_[k] == source) rows.insert(row_[k]);
  }
  return rows.size();
}

io::Table Rejects::table() const {
  io::Table t;
  t.add(io::Column::of("source", source_));
  t.add(io::Column::of("row", row_));
  t.add(io::Column::of("id", id_));
  t.add(io::Column::of("reason", reason_));
  return t;
}

io::Table Rejects::table(std::span<const std::string_view> source_order) const {
  const auto rank = [&](const std::string& s) {
    return static_cast<std::size_t>(std::find(source_order.begin(), source_order.end(), s) -
                                    source_order.begin());
  };
  std::vector<std::size_t> order(source_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(rank(source_[a]), row_[a]) < std::pair(rank(source_[b]), row_[b]);
  });
  Rejects sorted;
  for (const auto i : order) sorted.add(source_[i], row_[i], id_[i], reason_[i]);
  return sorted.table();
}

}  // namespace spm::quota::detail
