#include "columns.hpp"

#include "../core/edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include <spm/core/error.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/csv.hpp>

namespace spm::forecast::detail {

namespace {
[[noreturn]] void wrong_type(const io::Column& c, std::string_view table, std::string_view want) {
  throw InvalidInputError("forecast.column", std::string(table) + "." + c.name(),
                          "the column holds " + std::string(io::to_string(c.type())) +
                              " values; it must be " + std::string(want));
}
}  // namespace

const io::Column* find_column(const io::Table& t, std::string_view name) {
  const auto i = t.find(name);
  return i ? &t.columns()[*i] : nullptr;
}

const io::Column& require_column(const io::Table& t, std::string_view table, std::string_view name) {
  if (const auto* c = find_column(t, name)) return *c;
  std::string present;
  for (const auto& c : t.columns()) present += (present.empty() ? "" : ", ") + c.name();
  throw InvalidInputError("forecast.column", std::string(table) + "." + std::string(name),
                          "the " + std::string(table) + " table has no column '" +
                              std::string(name) + "' (it has: " + present + ")");
}

NumericColumn numeric_column(const io::Column& c, std::string_view table) {
  NumericColumn out;
  const std::size_t n = c.size();
  out.values.resize(n);
  switch (c.type()) {
    case io::ColumnType::float64: out.values = c.values<double>(); break;
    case io::ColumnType::integer: {
      const auto& v = c.values<std::int64_t>();
      for (std::size_t r = 0; r < n; ++r) out.values[r] = static_cast<double>(v[r]);
      break;
    }
    case io::ColumnType::decimal: {
      const auto& v = c.values<Decimal>();
      for (std::size_t r = 0; r < n; ++r) out.values[r] = v[r].to_double();
      break;
    }
    case io::ColumnType::string: {
      // Text numbers (a DataFrame read without types) parse as the CSV reader parses a float64;
      // a column of nulls only (an empty pandas frame's) is no numbers at all.
      // Text that does not parse makes its row invalid (a reject with the reader's reason, as in
      // the CLI); a column without one number is not numbers at all.
      std::vector<io::Reject> bad;
      const io::Column parsed = io::convert_strings(c, io::ColumnType::float64, bad);
      if (!bad.empty() && parsed.null_count() == parsed.size()) {
        const std::string first = "row " + std::to_string(bad.front().line) + " holds '" + bad.front().value + "'";
        throw InvalidInputError("forecast.column", std::string(table) + "." + c.name(),
                                "the column holds text, not numbers (" + first +
                                    "); a numeric feature must be integer, decimal, float64 or "
                                    "text of numbers; name a column of categories in categorical");
      }
      out = numeric_column(parsed, table);
      for (auto& b : bad) out.unreadable.emplace(static_cast<std::size_t>(b.line - 1), std::move(b.reason));
      return out;
    }
    default: wrong_type(c, table, "numeric (integer, decimal, float64 or text of numbers)");
  }
  out.valid.assign(n, 1);
  for (std::size_t r = 0; r < n; ++r) {
    if (c.is_null(r) || !std::isfinite(out.values[r])) out.valid[r] = 0;
  }
  return out;
}

CanonicalDeals canonical_deals(std::span<const double> p, std::span<const Decimal> amount) {
  std::vector<std::size_t> order(std::min(p.size(), amount.size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (amount[a] != amount[b]) return amount[a] < amount[b];
    return p[a] < p[b];
  });
  CanonicalDeals out;
  out.p.reserve(order.size());
  out.amount.reserve(order.size());
  for (const auto i : order) {
    out.p.push_back(p[i]);
    out.amount.push_back(amount[i]);
  }
  return out;
}

NumericFeatures::NumericFeatures(const io::Table& t, const std::vector<std::string>& names) : t_(&t), names_(names) {
  for (const auto& name : names) columns_.push_back(numeric_column(require_column(t, "deals", name), "deals"));
}

bool NumericFeatures::usable(std::size_t r, Rejects& rejects) const {
  for (std::size_t j = 0; j < columns_.size(); ++j) {
    if (columns_[j].valid[r] != 0) continue;
    const auto& c = *find_column(*t_, names_[j]);
    const auto it = columns_[j].unreadable.find(r);
    rejects.add(row_number(*t_, r), names_[j], c.text(r),
                it != columns_[j].unreadable.end() ? "the feature is " + it->second
                : c.is_null(r) || c.text(r).empty() ? std::string("the feature is empty; fill it or leave the column out")
                                                   : std::string("the feature is not a finite number"));
    return false;
  }
  return true;
}

std::vector<int> read_outcomes(const io::Column& c, std::string_view table) {
  std::vector<int> y(c.size(), -1);
  switch (c.type()) {
    case io::ColumnType::string: {
      // Outcome texts are few: remember each one's meaning instead of parsing every row.
      const auto s = c.strings();
      std::vector<std::pair<std::string_view, int>> seen;
      for (std::size_t r = 0; r < y.size(); ++r) {
        if (c.is_null(r)) continue;
        const auto text = s[r];
        const auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == text; });
        if (it != seen.end()) {
          y[r] = it->second;
          continue;
        }
        y[r] = misspelt_outcome(text) ? -2 : parse_outcome(text);
        if (seen.size() < 32) seen.emplace_back(text, y[r]);
      }
      break;
    }
    case io::ColumnType::boolean: {
      const auto& v = c.values<std::uint8_t>();
      for (std::size_t r = 0; r < y.size(); ++r) y[r] = c.is_null(r) ? -1 : (v[r] != 0 ? 1 : 0);
      break;
    }
    case io::ColumnType::integer: {
      const auto& v = c.values<std::int64_t>();
      for (std::size_t r = 0; r < y.size(); ++r) {
        y[r] = c.is_null(r) ? -1 : v[r] != 0 && v[r] != 1 ? -2 : static_cast<int>(v[r]);
      }
      break;
    }
    default:
      throw InvalidInputError("forecast.column", std::string(table) + "." + c.name(),
                              "the outcome column holds " + std::string(io::to_string(c.type())) +
                                  " values; use text (won/lost), booleans or 0/1");
  }
  return y;
}

const io::Column& money_column(const io::Table& t, std::string_view table, std::string_view name) {
  const auto& c = require_column(t, table, name);
  if (c.type() != io::ColumnType::decimal && c.type() != io::ColumnType::integer) {
    throw InvalidInputError("forecast.column", std::string(table) + "." + std::string(name),
                            "the column holds " + std::string(io::to_string(c.type())) +
                                " values; it must be decimal (exact money)");
  }
  return c;
}

Decimal money_at(const io::Column& c, std::size_t row) {
  return c.type() == io::ColumnType::integer ? Decimal(c.values<std::int64_t>()[row]) : c.values<Decimal>()[row];
}

const io::Column& date_column(const io::Table& t, std::string_view table, std::string_view name) {
  const auto& c = require_column(t, table, name);
  if (c.type() != io::ColumnType::date) wrong_type(c, table, "dates (YYYY-MM-DD)");
  return c;
}

io::StringsView string_column(const io::Column& c, std::string_view table) {
  if (c.type() != io::ColumnType::string) wrong_type(c, table, "string");
  return c.strings();
}

io::Table take_rows(const io::Table& t, std::span<const std::size_t> rows, std::vector<std::string> columns) {
  const bool has_line = find_column(t, "_line") != nullptr;
  if (has_line) columns.emplace_back("_line");
  for (const auto& c : columns) (void)require_column(t, "deals", c);  // names the missing one
  auto out = io::take(t, rows, columns);
  if (!has_line) {
    std::vector<std::int64_t> line;
    line.reserve(rows.size());
    for (const auto r : rows) line.push_back(static_cast<std::int64_t>(r + 1));
    out.add(io::Column::of("_line", std::move(line)));
  }
  return out;
}

IdClaims::IdClaims(const io::Table& t, const std::string& id_column) : t_(&t), name_(id_column) {
  if (!id_column.empty()) c_ = &require_column(t, "deals", id_column);
}

bool IdClaims::claim(std::size_t r, Rejects& rejects) {
  if (c_ == nullptr || c_->is_null(r)) return true;
  const auto [it, added] = first_.try_emplace(c_->text(r), r);
  if (added) return true;
  rejects.add(row_number(*t_, r), name_, c_->text(r),
              "duplicate id: row " + std::to_string(row_number(*t_, it->second)) +
                  " has it already; that row stands for the deal (the first row of the id not rejected for "
                  "another reason)");
  return false;
}

void reject_duplicate_ids(const io::Table& t, const std::string& id_column, std::vector<std::uint8_t>& keep,
                          Rejects& rejects) {
  IdClaims ids(t, id_column);
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    if (keep[r] != 0 && !ids.claim(r, rejects)) keep[r] = 0;
  }
}

bool misspelt_outcome(std::string_view text) {
  if (text.empty() || parse_outcome(text) >= 0) return false;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;  // blank: no outcome yet
  const auto trimmed = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  if (parse_outcome(trimmed) >= 0) return true;
  if (std::all_of(trimmed.begin(), trimmed.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'; })) {
    return true;
  }
  // One edit (Levenshtein) from a word of three letters or more; shorter ones ("no") would catch
  // real stage names.
  for (const std::string_view w : {"won", "win", "lost", "loss", "true", "false", "yes", "closed won", "closed lost"}) {
    if (trimmed.size() + 1 < w.size() || trimmed.size() > w.size() + 1) continue;
    if (spm::detail::edit_distance(trimmed, w) <= 1) return true;
  }
  return false;
}

std::string unknown_outcome_reason(std::string_view value) {
  return "unknown outcome '" + std::string(value) +
         "'; use won (win, closed won, yes, true, 1) or lost (loss, closed lost, no, false, 0), in any case, "
         "or leave it empty while the deal is open";
}

bool outcome_without_close(const io::Column& outcome, const io::Column& closed, std::size_t row) {
  if (!closed.is_null(row) || outcome.is_null(row)) return false;
  switch (outcome.type()) {
    case io::ColumnType::string: return parse_outcome(outcome.strings()[row]) >= 0;
    case io::ColumnType::integer: {
      const auto v = outcome.values<std::int64_t>()[row];
      return v == 0 || v == 1;
    }
    case io::ColumnType::boolean: return true;
    default: return false;
  }
}

void reject_outcome_without_close(Rejects& rejects, std::int64_t row, const io::Column& outcome,
                                  std::size_t r, std::string_view closed_name) {
  rejects.add(row, closed_name, "",
              "outcome " + outcome.text(r) +
                  " but the close date is missing; give the close date or clear the outcome");
}

void Rejects::add(std::int64_t row, std::string_view column, std::string_view value,
                  std::string reason) {
  row_.push_back(row);
  column_.emplace_back(column);
  value_.emplace_back(value);
  reason_.push_back(std::move(reason));
}

io::Table Rejects::table() const {
  io::Table t;
  t.add(io::Column::of("row", row_));
  t.add(io::Column::of("column", column_));
  t.add(io::Column::of("value", value_));
  t.add(io::Column::of("reason", reason_));
  return t;
}

}  // namespace spm::forecast::detail
