// Reading the quota module's input tables.
#include "table_access.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include <spm/core/error.hpp>

namespace spm::quota::detail {

namespace {
bool type_fits(io::ColumnType have, io::ColumnType want) {
  return have == want || (want == io::ColumnType::decimal && have == io::ColumnType::integer);
}
}  // namespace

const io::Column* optional_column(const io::Table& t, std::string_view table, std::string_view name,
                                  io::ColumnType type) {
  const auto i = t.find(name);
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
