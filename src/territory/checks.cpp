#include "checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>

namespace spm::territory::detail {

std::string unit_name(const Units& u, std::size_t i) {
  return i < u.id.size() ? u.id[i] : std::to_string(i);
}

void check_units(const Units& u, const char* code) {
  const std::size_t n = u.size();
  if (u.y.size() != n) throw InvalidInputError(code, "units", "x and y have different lengths");
  // Ids and measure names are optional, but when given, one per unit and per measure.
  if (!u.id.empty() && u.id.size() != n) {
    throw InvalidInputError(code, "units.id", std::to_string(u.id.size()) + " ids for " +
                                                  std::to_string(n) + " units; give one per unit or none");
  }
  if (!u.measures.empty() && u.measures.size() != u.activity.size()) {
    throw InvalidInputError(code, "units.measures",
                            std::to_string(u.measures.size()) + " measure names for " +
                                std::to_string(u.activity.size()) +
                                " activity columns; give one per column or none");
  }
  for (std::size_t i = 0; i < u.id.size(); ++i) {
    // An empty id could not be named in a message or matched in an alignment.
    if (u.id[i].empty()) {
      throw InvalidInputError(code, "units.id", "unit " + std::to_string(i) + " (0-based) has an empty id; give every unit an id");
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(u.x[i]) || !std::isfinite(u.y[i])) {
      throw InvalidInputError(code, "units." + unit_name(u, i), "the unit has no coordinates");
    }
    if (std::abs(u.x[i]) > max_coordinate || std::abs(u.y[i]) > max_coordinate) {
      throw InvalidInputError(code, "units." + unit_name(u, i),
                              "a coordinate beyond 1e12 would overflow distances; check its units");
    }
    // Beyond these the great-circle distance wraps around silently: 540 degrees reads as 180.
    if (u.geographic && std::abs(u.x[i]) > 180) {
      throw InvalidInputError(code, "units." + unit_name(u, i) + ".x",
                              "longitude " + Decimal::from_double(u.x[i], 6).to_string() +
                                  " is not within [-180, 180]; geographic units take x = longitude and y = "
                                  "latitude in degrees");
    }
    if (u.geographic && std::abs(u.y[i]) > 90) {
      throw InvalidInputError(code, "units." + unit_name(u, i) + ".y",
                              "latitude " + Decimal::from_double(u.y[i], 6).to_string() +
                                  " is not within [-90, 90]; geographic units take x = longitude and y = "
                                  "latitude in degrees");
    }
  }
  for (std::size_t a = 0; a < u.activity.size(); ++a) {
    const auto name = a < u.measures.size() ? u.measures[a] : std::to_string(a);
    if (u.activity[a].size() != n) {
      throw InvalidInputError(code, "activity." + name, "one value per unit is needed");
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!(u.activity[a][i] >= 0) || !std::isfinite(u.activity[a][i])) {
        throw InvalidInputError(code, "units." + unit_name(u, i) + "." + name,
                                "activity must be a finite number >= 0");
      }
    }
  }
  for (const auto& [a, b] : u.edges) {
    if (a >= n || b >= n || a == b) {
      throw InvalidInputError(code, "edges",
                              "edge (" + std::to_string(a) + ", " + std::to_string(b) +
                                  ") must join two different units of the " + std::to_string(n));
    }
  }
}

void check_tolerance(std::span<const double> tolerance, std::size_t measures, const char* code) {
  if (tolerance.size() != 1 && tolerance.size() != measures) {
    throw InvalidInputError(code, "tolerance", "give one tau, or one per measure");
  }
  for (const double t : tolerance) {
    if (!(t >= 0) || !std::isfinite(t)) {
      throw InvalidInputError(code, "tolerance", "tau must be a finite number >= 0");
    }
    // A band of +-100% or more bounds nothing from below: almost surely a percent given as a
    // whole number (5 for 5%).
    if (t >= 1) {
      throw InvalidInputError(code, "tolerance",
                              "tau " + Decimal::from_double(t, 6).to_string() +
                                  " is a band of +-" + Decimal::from_double(t * 100, 4).to_string() +
                                  "%; give a fraction below 1 (0.05 for +-5%)");
    }
  }
}

std::vector<double> check_share(std::span<const double> share, std::size_t territories, const char* code) {
  if (share.empty()) return {};
  if (share.size() != territories) {
    throw InvalidInputError(code, "share", std::to_string(share.size()) + " shares for " +
                                               std::to_string(territories) +
                                               " territories; give one per territory");
  }
  double sum = 0;
  for (std::size_t t = 0; t < share.size(); ++t) {
    if (!(share[t] >= 0) || !std::isfinite(share[t])) {
      throw InvalidInputError(code, "share[" + std::to_string(t) + "]",
                              "a target share must be a finite number >= 0");
    }
    sum += share[t];
  }
  // Shares written to a few decimals (thirds as 0.333333) miss 1 by rounding: within share_slack
  // they are scaled to sum to 1; further off they are more likely a mistake. (The 1e-12: the
  // sum of three 0.333333 is 1e-6 off and a few bits more.)
  if (std::abs(sum - 1) > share_slack + 1e-12) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", sum);
    throw InvalidInputError(code, "share", "the target shares must sum to 1 (they sum to " + std::string(buf) +
                                               "; within 1e-6 of 1 they are scaled to sum to 1)");
  }
  std::vector<double> out(share.begin(), share.end());
  if (std::abs(sum - 1) > 1e-12) {
    for (auto& v : out) v /= sum;
  }
  return out;
}

std::vector<std::int32_t> check_homes(std::span<const std::int32_t> home, std::size_t territories, const Units& u,
                                      const char* code) {
  std::vector<std::int32_t> home_of(u.size(), -1);
  if (home.empty()) return home_of;
  if (home.size() != territories) throw InvalidInputError(code, "home", "one value per territory is needed");
  for (std::size_t t = 0; t < home.size(); ++t) {
    const auto h = home[t];
    const std::string at = "home[" + std::to_string(t) + "]";
    if (h < -1 || h >= static_cast<std::int32_t>(u.size())) {
      throw InvalidInputError(code, at, std::to_string(h) + " is not a unit (or -1 for none)");
    }
    if (h < 0) continue;
    const auto i = static_cast<std::size_t>(h);
    if (home_of[i] >= 0) {
      throw InvalidInputError(code, at, "unit " + unit_name(u, i) + " is already the home of territory " +
                                            std::to_string(home_of[i]) + "; it cannot also be the home of territory " +
                                            std::to_string(t) + ": give each territory its own home unit, or none");
    }
    home_of[i] = static_cast<std::int32_t>(t);
  }
  return home_of;
}

void check_territories(std::span<const std::int32_t> v, std::size_t territories, const Units& u,
                       const std::string& what, bool none_allowed, const char* code) {
  if (v.empty()) return;
  if (v.size() != u.size()) {
    throw InvalidInputError(code, what, std::to_string(v.size()) + " values for " +
                                            std::to_string(u.size()) +
                                            " units; give one per unit");
  }
  const std::int32_t most = *std::max_element(v.begin(), v.end());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool none = none_allowed && v[i] == -1;
    if (!none && (v[i] < 0 || static_cast<std::size_t>(v[i]) >= territories)) {
      // Territories beyond p: more than p named (p too small), or numbered from 1.
      const std::string fix = v[i] < 0 ? "" : "; " + what + " uses territories up to " + std::to_string(most) +
                                                  ": give p = " + std::to_string(most + 1) +
                                                  " or more, or number them from 0";
      throw InvalidInputError(code, what + "." + unit_name(u, i),
                              "territory " + std::to_string(v[i]) + " is not in [0, " +
                                  std::to_string(territories) + ")" +
                                  (none_allowed ? " (or -1 for none)" : "") + fix);
    }
  }
}

}  // namespace spm::territory::detail
