// Reading and writing the territory commands' files (see territory_io.hpp).
#include "territory_io.hpp"

#include <spm/territory/units_table.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <ostream>

#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

#include "options.hpp"

namespace spm::cli::territory_io {
namespace {

using io::ColumnSpec;
using io::ColumnType;

// A whole number >= 0 written the usual way ("7", not "07" or "+7").
bool is_index(const std::string& v) {
  std::int64_t x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  return ec == std::errc() && end == v.data() + v.size() && x >= 0 && std::to_string(x) == v;
}

std::string number(double v) {
  return std::isfinite(v) ? Decimal::from_double(v, 2).to_string() : "inf";
}

}  // namespace

std::pair<std::uint32_t, std::string> UnitsFile::find(std::string_view id) const {
  if (const auto it = index.find(id); it != index.end()) return {it->second, {}};
  if (const auto it = rejected.find(id); it != rejected.end()) {
    return {0, "unit '" + std::string(id) + "', which was rejected (" + path + " row " +
                   std::to_string(it->second) + ")"};
  }
  return {0, "unknown unit '" + std::string(id) + "' (not in " + path + ")"};
}

UnitsFile read_units(const std::string& path, const std::vector<std::string>& measures,
                     bool geographic, Loader& rejects) {
  UnitsFile f;
  f.path = path;
  // First every field as text: the header, the ids of every line, and which columns are numbers.
  io::CsvReadOptions text_options = io::with_format({}, rejects.format());
  text_options.line_column = "_line";
  const auto text = io::read_csv(path, std::vector<ColumnSpec>{}, text_options).table;
  const auto has = [&](const char* name) { return text.find(name).has_value(); };
  std::string x = "x", y = "y";
  if (geographic) {
    const bool long_names = !has("lon") && has("longitude");
    x = long_names ? "longitude" : "lon";
    y = long_names ? "latitude" : "lat";
  }
  auto& u = f.units;
  u.geographic = geographic;
  if (text.num_rows() == 0) {
    throw InvalidInputError("territory.units", path,
                            "no rows below the header: give one row per unit");
  }
  for (std::size_t a = 0; a < measures.size(); ++a) {
    const auto& m = measures[a];
    if (m == "id" || m == x || m == y) {
      throw InvalidInputError("territory.measures", "--measures",
                              m + " is the unit's id or a coordinate, not an activity measure");
    }
    if (std::find(measures.begin(), measures.begin() + static_cast<std::ptrdiff_t>(a), m) !=
        measures.begin() + static_cast<std::ptrdiff_t>(a)) {
      throw InvalidInputError("territory.measures", "--measures",
                              "names " + m + " twice; name each measure once");
    }
  }
  if (measures.empty()) {
    // Columns of text are left out: each is named in a note, not silently dropped.
    auto chosen = territory::default_measures(text, {"id", x, y});
    u.measures = std::move(chosen.measures);
    for (const auto& c : chosen.skipped) {
      if (u.measures.empty()) break;  // the error below names them
      f.notes.push_back(c.name + " is not balanced: " + c.reason + "; name it with --measures to balance it and see its rejects");
    }
  } else {
    u.measures = measures;
  }
  if (u.measures.empty()) {
    std::string others;
    for (const auto& c : text.columns()) {
      if (c.name() == "_line" || c.name() == "id" || c.name() == x || c.name() == y) continue;
      others += (others.empty() ? "" : ", ") + c.name();
    }
    throw InvalidInputError(
        "territory.measures", path,
        others.empty() ? "no measure column: the file has only id, " + x + " and " + y +
                             "; add a column per activity measure (e.g. accounts, potential)"
                       : "no measure column: the columns besides id, " + x + " and " + y + " (" +
                             others + ") hold text; name the activity columns with --measures");
  }
  std::vector<ColumnSpec> schema{
      {"id"}, {x, ColumnType::float64, true}, {y, ColumnType::float64, true}};
  for (const auto& m : u.measures) schema.push_back({m, ColumnType::float64, true});
  const auto t = rejects.load(path, schema);
  // Rows the reader rejected (a field that is not a number): their ids, for the edges naming them.
  std::vector<std::int64_t> kept(t.values<std::int64_t>("_line"));
  std::sort(kept.begin(), kept.end());
  if (text.find("id")) {
    for (std::size_t r = 0; r < text.num_rows(); ++r) {
      const auto line = text.values<std::int64_t>("_line")[r];
      const auto id = text.strings("id")[r];
      if (!id.empty() && !std::binary_search(kept.begin(), kept.end(), line))
        f.rejected.emplace(std::string(id), line);
    }
  }
  // The row checks (coordinates, activity, repeated ids) are the library's.
  auto read = territory::units_from_table(t, {"id", x, y, u.measures, geographic});
  const auto& bad = read.rejects;
  for (std::size_t k = 0; k < bad.num_rows(); ++k) {
    const std::string id(bad.strings("id")[k]);
    const auto line = bad.values<std::int64_t>("row")[k];
    rejects.add(path, line, id, std::string(bad.strings("reason")[k]));
    f.rejected.emplace(id, line);
  }
  u = std::move(read.units);
  for (std::size_t i = 0; i < u.size(); ++i) {
    f.index.emplace(u.id[i], static_cast<std::uint32_t>(i));
    f.line.push_back(t.values<std::int64_t>("_line")[read.rows[i]]);
  }
  if (u.size() == 0) {
    const auto rj = rejects.rejects();
    throw InvalidInputError(
        "territory.units", path,
        "no usable unit" + (rj.num_rows() == 0
                                ? std::string(": the file has no rows")
                                : "; the first rejected row is " +
                                      std::to_string(rj.values<std::int64_t>("row")[0]) + ": " +
                                      std::string(rj.strings("reason")[0])));
  }
  return f;
}

std::vector<territory::Edge> read_edges(const std::string& path, const UnitsFile& units,
                                        Loader& rejects) {
  const auto t = rejects.load(path, {{"from"}, {"to"}});
  std::vector<territory::Edge> edges;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const auto line = t.values<std::int64_t>("_line")[r];
    const auto from = t.strings("from")[r], to = t.strings("to")[r];
    const auto [a, why_a] = units.find(from);
    const auto [b, why_b] = units.find(to);
    std::string bad(why_a.empty() ? to : from);
    std::string why = why_a.empty() ? why_b : why_a;
    if (why.empty() && a == b) why = "one unit twice";
    if (!why.empty()) {
      rejects.add(path, line, bad,
                  "the edge " + std::string(from) + "-" + std::string(to) + " names " + why);
      continue;
    }
    edges.emplace_back(std::min(a, b), std::max(a, b));
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

std::vector<std::string> read_territories(const std::string& path, const UnitsFile& units,
                                          Loader& rejects) {
  const auto t = rejects.load(path, {{"id"}, {"territory", ColumnType::string, true}});
  std::vector<std::string> out(units.units.size());
  std::vector<std::int64_t> seen(units.units.size(), 0);
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const auto line = t.values<std::int64_t>("_line")[r];
    const auto id = t.strings("id")[r];
    auto [i, why] = units.find(id);
    if (why.empty() && seen[i] != 0)
      why = "the id repeats row " + std::to_string(seen[i]) + "; keep one row per unit";
    if (!why.empty()) {
      rejects.add(path, line, std::string(id), why);
      continue;
    }
    seen[i] = line;
    out[i] = std::string(t.strings("territory")[r]);
  }
  return out;
}

Shares read_shares(const std::string& path, Loader& rejects) {
  const auto t = rejects.load(path, {{"territory"}, {"share", ColumnType::float64}});
  Shares out;
  std::map<std::string, std::int64_t, std::less<>> seen;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const auto line = t.values<std::int64_t>("_line")[r];
    const std::string name(t.strings("territory")[r]);
    const double v = t.values<double>("share")[r];
    std::string why;
    if (const auto it = seen.find(name); it != seen.end()) {
      why = "the territory repeats row " + std::to_string(it->second) + "; keep one row per territory";
    } else if (!(v >= 0) || !std::isfinite(v)) {
      why = "a share must be a finite number >= 0";
    }
    if (!why.empty()) {
      rejects.add(path, line, name, why);
      continue;
    }
    seen.emplace(name, line);
    out.names.push_back(name);
    out.share.push_back(v);
  }
  return out;
}

std::vector<double> shares_by_index(const Shares& s, const Names& names, const std::string& path) {
  std::vector<double> out(names.size(), -1);
  for (std::size_t k = 0; k < s.names.size(); ++k) {
    out[static_cast<std::size_t>(names.indices({s.names[k]}).front())] = s.share[k];
  }
  for (std::size_t t = 0; t < out.size(); ++t) {
    if (out[t] < 0) {
      throw InvalidInputError("territory.shares", path,
                              "territory " + names[t] +
                                  " has no share; give one row per territory (shares sum to 1)");
    }
  }
  return out;
}

void keep_units(UnitsFile& f, const std::vector<std::uint8_t>& keep,
                std::vector<std::vector<std::string>>& per_unit) {
  UnitsFile kept;
  kept.path = f.path;
  kept.rejected = std::move(f.rejected);
  auto& u = kept.units;
  u.measures = f.units.measures;
  u.geographic = f.units.geographic;
  u.activity.assign(u.measures.size(), {});
  std::vector<std::vector<std::string>> lists(per_unit.size());
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i] == 0) {
      kept.rejected.emplace(f.units.id[i], f.line[i]);
      continue;
    }
    kept.index.emplace(f.units.id[i], static_cast<std::uint32_t>(u.id.size()));
    kept.line.push_back(f.line[i]);
    u.id.push_back(f.units.id[i]);
    u.x.push_back(f.units.x[i]);
    u.y.push_back(f.units.y[i]);
    for (std::size_t a = 0; a < u.measures.size(); ++a)
      u.activity[a].push_back(f.units.activity[a][i]);
    for (std::size_t l = 0; l < lists.size(); ++l) lists[l].push_back(per_unit[l][i]);
  }
  f = std::move(kept);
  per_unit = std::move(lists);
}

Names::Names(std::span<const std::vector<std::string>> per_unit, std::size_t p) {
  std::vector<std::string> named;
  for (const auto& list : per_unit) {
    for (const auto& v : list) {
      if (!v.empty()) named.push_back(v);
    }
  }
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  if (p == 0) p = named.size();
  if (named.size() > p) {
    std::string some;
    for (std::size_t k = 0; k < std::min<std::size_t>(named.size(), 5); ++k)
      some += (k ? ", " : "") + named[k];
    throw InvalidInputError("territory.p", "p",
                            "-p " + std::to_string(p) + " but the files name " +
                                std::to_string(named.size()) + " territories (" + some +
                                (named.size() > 5 ? ", ..." : "") + "); give -p " +
                                std::to_string(named.size()) + " or more");
  }
  const bool numbers = std::all_of(named.begin(), named.end(), is_index);
  names_ = named;
  if (numbers) {
    for (std::int64_t k = 0; names_.size() < p; ++k) {
      if (!std::binary_search(named.begin(), named.end(), std::to_string(k)))
        names_.push_back(std::to_string(k));
    }
    std::sort(names_.begin(), names_.end(), [](const std::string& a, const std::string& b) {
      return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
  } else {
    for (std::size_t k = 1; names_.size() < p; ++k) {
      const auto name = "new" + std::to_string(k);
      if (!std::binary_search(named.begin(), named.end(), name)) names_.push_back(name);
    }
  }
  for (std::size_t t = 0; t < names_.size(); ++t)
    index_.emplace(names_[t], static_cast<std::int32_t>(t));
}

std::vector<std::int32_t> Names::indices(const std::vector<std::string>& per_unit) const {
  std::vector<std::int32_t> out(per_unit.size(), -1);
  for (std::size_t i = 0; i < per_unit.size(); ++i) {
    if (!per_unit[i].empty()) out[i] = index_.at(per_unit[i]);
  }
  return out;
}

std::string Names::relabel(const std::string& message, std::size_t t) const {
  const auto prefix = "territory " + std::to_string(t);
  if (names_[t] == std::to_string(t) || message.rfind(prefix, 0) != 0) return message;
  if (message.size() > prefix.size() && message[prefix.size()] != ':' &&
      message[prefix.size()] != ' ')
    return message;
  return "territory " + names_[t] + message.substr(prefix.size());
}

std::string Names::relabel_all(const std::string& message) const {
  static constexpr std::string_view word = "territory ";
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = message.find(word); at != std::string::npos; at = message.find(word, from)) {
    std::size_t end = at + word.size();
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
    out.append(message, from, end - from);
    from = end;
    const std::string digits = message.substr(at + word.size(), end - at - word.size());
    if (digits.empty() || digits.size() > 9) continue;
    const auto t = static_cast<std::size_t>(std::stoul(digits));
    if (t < names_.size()) out.replace(out.size() - digits.size(), digits.size(), names_[t]);
  }
  return out + message.substr(from);
}

io::Table assignment_table(const territory::Units& units, std::span<const std::int32_t> assignment,
                           const Names& names) {
  std::vector<std::string> territory;
  territory.reserve(assignment.size());
  for (const auto t : assignment) territory.push_back(names[static_cast<std::size_t>(t)]);
  io::Table out;
  out.add(io::Column::of("id", units.id));
  out.add(io::Column::of("territory", std::move(territory)));
  return out;
}

io::Table territories_table(const territory::Metrics& m, const territory::Units& units,
                            std::span<const std::int32_t> assignment, const Names& names) {
  const auto by_index = m.territories_table(units, assignment);
  std::vector<std::string> name;
  for (const auto t : by_index.values<std::int64_t>("territory"))
    name.push_back(names[static_cast<std::size_t>(t)]);
  io::Table out;
  out.add(io::Column::of("territory", std::move(name)));
  for (const auto& c : by_index.columns()) {
    if (c.name() != "territory") out.add(c);
  }
  return out;
}

io::Table violations_table(const std::vector<territory::Violation>& violations,
                           const Names& names) {
  std::vector<std::string> territory, measure, message;
  std::vector<double> excess;
  for (const auto& v : violations) {
    territory.push_back(names[v.territory]);
    measure.push_back(v.measure);
    excess.push_back(territory::round_for_output(v.excess, 1));
    message.push_back(names.relabel(v.message, v.territory));
  }
  io::Table out;
  out.add(io::Column::of("territory", std::move(territory)));
  out.add(io::Column::of("measure", std::move(measure)));
  out.add(io::Column::of("excess", std::move(excess)));
  out.add(io::Column::of("message", std::move(message)));
  return out;
}

io::Table summary_table(const territory::Metrics& m, const territory::Units& units,
                        const Outcome& o) {
  const auto count = [](std::size_t v) {
    return std::vector<std::int64_t>{static_cast<std::int64_t>(v)};
  };
  io::Table out;
  out.add(io::Column::of("status", std::vector<std::string>{o.status}));
  out.add(io::Column::of("violations", count(o.violations)));
  out.add(io::Column::of("units", count(units.size())));
  out.add(io::Column::of("territories", count(m.centre.size())));
  out.add(io::Column::of("p_median", std::vector<double>{territory::round_for_output(m.p_median)}));
  out.add(io::Column::of("p_center", std::vector<double>{territory::round_for_output(m.p_center)}));
  out.add(io::Column::of("diameter", std::vector<double>{territory::round_for_output(m.diameter)}));
  out.add(io::Column::of("non_contiguous", count(m.non_contiguous)));
  out.add(io::Column::of("empty", count(m.empty)));
  out.add(io::Column::of("moved_units", count(m.moved_units)));
  out.add(io::Column::of("territories_affected", count(m.territories_affected)));
  for (std::size_t a = 0; a < m.balance.size(); ++a) {
    const auto& name = units.measures[a];
    const auto& b = m.balance[a];
    out.add(io::Column::of(name + "_target", std::vector<double>{territory::round_for_output(b.target)}));
    out.add(io::Column::of(name + "_max_deviation",
                           std::vector<double>{territory::round_for_output(b.max_deviation, 1)}));
    out.add(io::Column::of(name + "_outside", count(b.outside)));
    out.add(io::Column::of(name + "_moved", std::vector<double>{territory::round_for_output(
                                                a < m.moved_activity.size() ? m.moved_activity[a] : 0.0)}));
  }
  std::string notes;
  for (const auto& n : o.notes) notes += (notes.empty() ? "" : "\n") + n;
  out.add(io::Column::of("notes", std::vector<std::string>{notes}));
  return out;
}

std::string percent(double v) { return std::isfinite(v) ? fixed(100 * v, 1) + "%" : "inf"; }

std::string max_deviation_text(const territory::Metrics& m) {
  double worst = 0;
  for (const auto& b : m.balance) worst = std::max(worst, b.max_deviation);
  return percent(worst);
}

void print_summary(std::ostream& out, const territory::Metrics& m, const territory::Units& units,
                   const Outcome& o) {
  const auto p = m.centre.size();
  out << "status " << o.status;
  if (!o.detail.empty()) out << " (" << o.detail << ")";
  out << "\n";
  for (std::size_t a = 0; a < m.balance.size(); ++a) {
    const auto& b = m.balance[a];
    out << "  " << units.measures[a] << ": target " << number(b.target) << ", max deviation "
        << percent(b.max_deviation) << ", outside the band (+-" << percent(o.tolerance[a]) << ") "
        << b.outside << " of " << p << "\n";
  }
  out << "p-median " << number(m.p_median) << ", p-center " << number(m.p_center) << ", diameter "
      << number(m.diameter) << (units.geographic ? " (km)" : "") << "\n"
      << "non-contiguous " << m.non_contiguous << ", empty " << m.empty;
  if (o.has_current)
    out << "; moved units " << m.moved_units << ", territories affected " << m.territories_affected;
  out << "\n";
  if (o.has_current && !m.moved_activity.empty()) {
    // Each measure's activity in the moved units, and its share of the total.
    out << "moved activity:";
    for (std::size_t a = 0; a < m.moved_activity.size() && a < units.measures.size(); ++a) {
      double total = 0;
      for (const double v : units.activity[a]) total += v;
      out << (a ? ", " : " ") << units.measures[a] << " " << number(m.moved_activity[a]) << " ("
          << percent(total > 0 ? m.moved_activity[a] / total : 0.0) << ")";
    }
    out << "\n";
  }
}

}  // namespace spm::cli::territory_io
