#include <spm/territory/units_table.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

namespace spm::territory {
namespace {

const io::Column& column(const io::Table& t, const std::string& name) {
  const auto i = t.find(name);
  if (!i) {
    std::string have;
    for (const auto& c : t.columns()) have += (have.empty() ? "" : ", ") + c.name();
    throw InvalidInputError("territory.column", name,
                            "the units table has no column '" + name + "'; it has: " + have);
  }
  return t.columns()[*i];
}

// A numeric column as doubles (nulls as NaN); the column must exist and be a number type.
std::vector<double> numbers(const io::Table& t, const std::string& name) {
  const io::Column& c = column(t, name);
  std::vector<double> out(c.size(), std::nan(""));
  for (std::size_t r = 0; r < c.size(); ++r) {
    if (c.is_null(r)) continue;
    switch (c.type()) {
      case io::ColumnType::float64: out[r] = c.values<double>()[r]; break;
      case io::ColumnType::integer: out[r] = static_cast<double>(c.values<std::int64_t>()[r]); break;
      case io::ColumnType::decimal: out[r] = c.values<Decimal>()[r].to_double(); break;
      default:
        throw InvalidInputError("territory.column", name,
                                "column holds " + std::string(io::to_string(c.type())) +
                                    " values; give numbers (float64, integer or decimal)");
    }
  }
  return out;
}

// 27,167.98 or -1,000: thousands separators, which the float64 reader does not take.
bool grouped(std::string_view v) {
  std::size_t k = !v.empty() && v[0] == '-' ? 1 : 0;
  const auto digits = [&] {
    const std::size_t from = k;
    while (k < v.size() && v[k] >= '0' && v[k] <= '9') ++k;
    return k - from;
  };
  const std::size_t lead = digits();
  if (lead < 1 || lead > 3) return false;
  std::size_t groups = 0;
  while (k < v.size() && v[k] == ',') {
    ++k;
    if (digits() != 3) return false;
    ++groups;
  }
  if (k < v.size() && v[k] == '.') {
    ++k;
    digits();
  }
  return groups > 0 && k == v.size();
}

// Why a column is not a measure: its type, or its first field that is not a number.
std::string not_numbers(const io::Table& t, const io::Column& c) {
  if (c.type() != io::ColumnType::string) {
    return "holds " + std::string(io::to_string(c.type())) + " values, not numbers";
  }
  const io::NumberCount n = io::count_numbers(c);
  if (n.filled == 0) return "empty: no value in any row";
  const std::string v(c.strings()[n.first_other]);
  std::string why = "not numeric: " + std::to_string(n.filled - n.numbers) + " of its " + std::to_string(n.filled) +
                    " values are not numbers (row " + std::to_string(io::row_number(t, n.first_other)) + " holds '" + v +
                    "')";
  if (grouped(v)) {
    std::string plain = v;
    std::erase(plain, ',');
    why += ", with thousands separators: write " + plain;
  }
  return why;
}

}  // namespace

DefaultMeasures default_measures(const io::Table& table, const std::vector<std::string>& skip) {
  DefaultMeasures out;
  for (const auto& c : table.columns()) {
    if (c.name() == "_line" || std::find(skip.begin(), skip.end(), c.name()) != skip.end()) continue;
    if (io::mostly_numbers(c)) {
      out.measures.push_back(c.name());
    } else {
      out.skipped.push_back({c.name(), not_numbers(table, c)});
    }
  }
  return out;
}

UnitsTable units_from_table(const io::Table& table, const UnitColumns& columns) {
  if (columns.measures.empty()) {
    throw InvalidInputError("territory.column", "measures",
                            "no activity measure: name at least one column (a column of ones "
                            "balances the number of units)");
  }
  const io::Column& id_col = column(table, columns.id);
  if (id_col.type() != io::ColumnType::string) {
    throw InvalidInputError("territory.column", columns.id,
                            "column holds " + std::string(io::to_string(id_col.type())) +
                                " values; unit ids must be text");
  }
  const io::StringsView ids = id_col.strings();
  const auto x = numbers(table, columns.x), y = numbers(table, columns.y);
  std::vector<std::vector<double>> activity;
  for (const auto& m : columns.measures) activity.push_back(numbers(table, m));

  UnitsTable out;
  Units& u = out.units;
  u.geographic = columns.geographic;
  u.measures = columns.measures;
  u.activity.assign(columns.measures.size(), {});
  std::vector<std::int64_t> rej_row;
  std::vector<std::string> rej_id, rej_reason;
  std::unordered_map<std::string_view, std::size_t> first_row;  // id -> row of its unit
  for (std::size_t r = 0; r < table.num_rows(); ++r) {
    const std::string_view id = id_col.is_null(r) ? std::string_view() : ids[r];
    std::string why;
    if (id.empty()) {
      why = "no id: give each unit an id";
    } else if (std::isnan(x[r]) || std::isnan(y[r])) {
      why = "no coordinates: fill in " + columns.x + " and " + columns.y;
    } else if (!std::isfinite(x[r]) || !std::isfinite(y[r])) {
      why = "the coordinates must be finite numbers";
    } else if (std::abs(x[r]) > max_coordinate || std::abs(y[r]) > max_coordinate) {
      why = "a coordinate beyond 1e12 would overflow distances; check its units";
    } else if (columns.geographic && (std::abs(x[r]) > 180 || std::abs(y[r]) > 90)) {
      why = "longitude must be within [-180, 180] and latitude within [-90, 90]";
    }
    for (std::size_t a = 0; a < activity.size() && why.empty(); ++a) {
      const double v = activity[a][r];
      if (std::isnan(v) && table.column(columns.measures[a]).is_null(r)) {
        why = "no " + columns.measures[a] + ": give a number >= 0";
      } else if (!(std::isfinite(v) && v >= 0)) {
        why = columns.measures[a] + " is " + table.column(columns.measures[a]).text(r) +
              ": activity must be a finite number >= 0";
      }
    }
    if (why.empty()) {
      if (const auto it = first_row.find(id); it != first_row.end()) {
        why = "the id repeats row " + std::to_string(io::row_number(table, it->second)) +
              "; keep one row per unit";
      }
    }
    if (!why.empty()) {
      rej_row.push_back(io::row_number(table, r));
      rej_id.emplace_back(id);
      rej_reason.push_back(std::move(why));
      continue;
    }
    first_row.emplace(id, r);
    out.rows.push_back(r);
    u.id.emplace_back(id);
    u.x.push_back(x[r]);
    u.y.push_back(y[r]);
    for (std::size_t a = 0; a < activity.size(); ++a) u.activity[a].push_back(activity[a][r]);
  }
  out.rejects.add(io::Column::of("row", std::move(rej_row)));
  out.rejects.add(io::Column::of("id", std::move(rej_id)));
  out.rejects.add(io::Column::of("reason", std::move(rej_reason)));
  return out;
}

}  // namespace spm::territory
