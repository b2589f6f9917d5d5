// Metrics of an assignment: balance, dispersion, contiguity, disruption.
#include <spm/territory/metrics.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string>

#include <spm/core/error.hpp>

#include "checks.hpp"

namespace spm::territory {

namespace {

// Union-find over units, for the connected pieces of each territory.
struct Pieces {
  std::vector<std::uint32_t> parent;
  explicit Pieces(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0U); }
  std::uint32_t find(std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  }
  void join(std::uint32_t a, std::uint32_t b) { parent[find(a)] = find(b); }
};

}  // namespace

// Through text, as the nearest double to the rounded decimal: its shortest form is then short.
// to_chars/from_chars, not printf: no locale.
double round_for_output(double v, double unit) noexcept {
  if (!std::isfinite(v) || v == 0) return v;
  const double mag = std::max(std::abs(v), unit);
  const int places = 11 - static_cast<int>(std::floor(std::log10(mag)));
  std::array<char, 128> buf{};
  const auto r = places >= 0 && places <= 60
                     ? std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, places)
                     : std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific, 11);
  double out = v;
  if (r.ec == std::errc()) std::from_chars(buf.data(), r.ptr, out);
  return out + 0.0;  // no -0
}

Metrics evaluate(const Units& units, std::span<const std::int32_t> assignment, std::size_t territories,
                 std::span<const double> tolerance, std::span<const double> share,
                 std::span<const std::int32_t> current, std::span<const std::int32_t> home) {
  const std::size_t n = units.size(), m = units.activity.size();
  (void)detail::check_homes(home, territories, units, "territory.options");
  if (territories < 1) {
    throw InvalidInputError("territory.options", "territories", "give at least one territory");
  }
  if (assignment.size() != n) {
    throw InvalidInputError("territory.assignment", "", std::to_string(assignment.size()) + " assignments for " +
                                                            std::to_string(n) + " units");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (assignment[i] == -1) {  // -1 is "none" in a current alignment, not here
      throw InvalidInputError("territory.assignment", detail::unit_name(units, i),
                              "the unit has no territory (-1); every unit needs one in [0, " +
                                  std::to_string(territories) + ")");
    }
    if (assignment[i] < 0 || static_cast<std::size_t>(assignment[i]) >= territories) {
      throw InvalidInputError("territory.assignment", detail::unit_name(units, i),
                              "territory " + std::to_string(assignment[i]) + " is not in [0, " +
                                  std::to_string(territories) + ")");
    }
  }
  detail::check_units(units, "territory.units");
  detail::check_tolerance(tolerance, m, "territory.options");
  const auto scaled = detail::check_share(share, territories, "territory.options");
  share = scaled;
  detail::check_territories(current, territories, units, "current", true, "territory.options");
  Metrics r;
  std::vector<std::vector<std::uint32_t>> members(territories);
  for (std::size_t i = 0; i < n; ++i) members[static_cast<std::size_t>(assignment[i])].push_back(static_cast<std::uint32_t>(i));
  // Balance.
  r.balance.resize(m);
  for (std::size_t a = 0; a < m; ++a) {
    const double total = std::accumulate(units.activity[a].begin(), units.activity[a].end(), 0.0);
    const double tau = tolerance.size() == 1 ? tolerance[0] : tolerance[a];
    r.balance[a].target = total / static_cast<double>(territories);
    r.share.assign(share.begin(), share.end());
    for (std::size_t t = 0; t < territories; ++t) {
      const double target = share.empty() ? total / static_cast<double>(territories) : total * share[t];
      double sum = 0;
      for (const auto i : members[t]) sum += units.activity[a][i];
      const double dev = target > 0 ? std::abs(sum / target - 1) : (sum > 0 ? INFINITY : 0.0);
      r.balance[a].max_deviation = std::max(r.balance[a].max_deviation, dev);
      r.balance[a].outside += dev > tau + 1e-12 ? 1 : 0;
    }
  }
  // Dispersion: each territory's medoid, the distances to it, and its diameter.
  r.centre.assign(territories, UINT32_MAX);
  for (std::size_t t = 0; t < territories; ++t) {
    const auto& mem = members[t];
    if (mem.empty()) {
      ++r.empty;
      continue;
    }
    double best = INFINITY;
    for (const auto c : mem) {
      double sum = 0;
      for (const auto i : mem) {
        const double d = units.distance(c, i);
        sum += d;
        r.diameter = std::max(r.diameter, d);
      }
      if (sum < best) {
        best = sum;
        r.centre[t] = c;
      }
    }
    // A home base is the territory's centre (the rep travels from it), when the territory holds it.
    if (t < home.size() && home[t] >= 0 &&
        assignment[static_cast<std::size_t>(home[t])] == static_cast<std::int32_t>(t)) {
      r.centre[t] = static_cast<std::uint32_t>(home[t]);
      best = 0;
      for (const auto i : mem) best += units.distance(r.centre[t], i);
    }
    r.p_median += best;
    for (const auto i : mem) r.p_center = std::max(r.p_center, units.distance(r.centre[t], i));
  }
  // Contiguity: pieces of each territory over the edges inside it.
  Pieces pieces(n);
  const auto edges = units.edges.empty() ? gabriel_graph(units) : units.edges;
  for (const auto& [a, b] : edges) {
    if (assignment[a] == assignment[b]) pieces.join(a, b);
  }
  r.components.assign(territories, 0);
  std::vector<std::uint8_t> root(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto f = pieces.find(static_cast<std::uint32_t>(i));
    if (root[f] == 0) {
      root[f] = 1;
      ++r.components[static_cast<std::size_t>(assignment[i])];
    }
  }
  for (const auto c : r.components) r.non_contiguous += c > 1 ? 1 : 0;
  // Disruption.
  r.moved_activity.assign(m, 0.0);
  if (!current.empty()) {
    if (current.size() != n) {
      throw InvalidInputError("territory.assignment", "current", "the current assignment has " +
                                                                    std::to_string(current.size()) + " units, not " +
                                                                    std::to_string(n));
    }
    std::vector<std::uint8_t> touched(territories, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (current[i] < 0 || current[i] == assignment[i]) continue;  // new units do not move
      ++r.moved_units;
      for (std::size_t a = 0; a < m; ++a) r.moved_activity[a] += units.activity[a][i];
      touched[static_cast<std::size_t>(assignment[i])] = 1;
      if (current[i] >= 0 && static_cast<std::size_t>(current[i]) < territories) touched[static_cast<std::size_t>(current[i])] = 1;
    }
    for (const auto t : touched) r.territories_affected += t;
  }
  return r;
}

io::Table Metrics::territories_table(const Units& units, std::span<const std::int32_t> assignment) const {
  const std::size_t p = centre.size();
  // The units and assignment these metrics were computed on, as evaluate() checked them.
  if (assignment.size() != units.size()) {
    throw InvalidInputError("territory.assignment", "", std::to_string(assignment.size()) +
                                                            " assignments for " +
                                                            std::to_string(units.size()) + " units");
  }
  detail::check_territories(assignment, p, units, "assignment", false, "territory.assignment");
  std::vector<std::int64_t> territory(p), count(p, 0), pieces(components.begin(), components.end());
  std::vector<std::string> centre_id(p);
  std::vector<std::vector<double>> activity(units.activity.size(), std::vector<double>(p, 0.0));
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    const auto t = static_cast<std::size_t>(assignment[i]);
    ++count[t];
    for (std::size_t a = 0; a < units.activity.size(); ++a) activity[a][t] += units.activity[a][i];
  }
  for (std::size_t t = 0; t < p; ++t) {
    territory[t] = static_cast<std::int64_t>(t);
    centre_id[t] = centre[t] == UINT32_MAX ? std::string() : detail::unit_name(units, centre[t]);
  }
  io::Table out;
  out.add(io::Column::of("territory", std::move(territory)));
  out.add(io::Column::of("units", std::move(count)));
  out.add(io::Column::of("centre", std::move(centre_id)));
  out.add(io::Column::of("components", std::move(pieces)));
  for (std::size_t a = 0; a < units.activity.size(); ++a) {
    std::vector<double> dev(p);
    for (std::size_t t = 0; t < p; ++t) {
      const double target = share.empty() ? balance[a].target : balance[a].target * static_cast<double>(p) * share[t];
      dev[t] = round_for_output(target > 0 ? activity[a][t] / target - 1 : 0.0, 1);
    }
    for (auto& v : activity[a]) v = round_for_output(v);
    const auto& name = a < units.measures.size() ? units.measures[a] : "measure" + std::to_string(a + 1);
    out.add(io::Column::of(name, std::move(activity[a])));
    out.add(io::Column::of(name + "_deviation", std::move(dev)));
  }
  return out;
}

}  // namespace spm::territory
