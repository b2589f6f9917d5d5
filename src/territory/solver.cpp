// Territory balancing: checks the problem, runs the searches (in parallel, one per restart),
// keeps the best and lists what it does not satisfy.
#include <spm/territory/solver.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <mutex>
#include <string>

#include <spm/core/error.hpp>

#include "../core/workers.hpp"
#include "checks.hpp"
#include "graph.hpp"
#include "search.hpp"

namespace spm::territory {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& message) {
  throw InvalidInputError("territory.problem", path, message);
}

// A signed percentage with one decimal, e.g. "+5.2%".
// With `beyond`, as many decimals (up to 4) as it takes to show v outside +-beyond: -5.02%, not
// a -5.0% that reads as inside a 5% band.
std::string percent(double v, double beyond = -1) {
  char buf[32];
  for (int places = 1;; ++places) {
    std::snprintf(buf, sizeof buf, "%+.*f%%", places, 100 * v);
    if (beyond < 0 || places == 4 || std::abs(std::strtod(buf, nullptr)) > 100 * beyond) return buf;
  }
}

// A measure's value for a message: six significant digits, no trailing zeros.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Checks the problem; returns the target shares scaled to sum to 1 (empty: equal shares).
std::vector<double> check(const Problem& pr) {
  if (pr.units == nullptr || pr.units->size() == 0) bad("units", "give at least one unit");
  const auto& u = *pr.units;
  const std::size_t n = u.size();
  if (pr.territories < 1 || pr.territories > n) {
    bad("territories", "p = " + std::to_string(pr.territories) + " must be between 1 and the " + std::to_string(n) + " units");
  }
  constexpr const char* code = "territory.problem";
  if (u.activity.empty()) {
    bad("activity", "no activity measure to balance: give at least one (a column of ones "
                    "balances the number of units)");
  }
  detail::check_units(u, code);
  detail::check_tolerance(pr.tolerance, u.activity.size(), code);
  const auto share = detail::check_share(pr.share, pr.territories, code);
  detail::check_territories(pr.current, pr.territories, u, "current", true, code);
  detail::check_territories(pr.locked, pr.territories, u, "locked", true, code);
  if (pr.restarts < 0 || pr.restarts > max_restarts) {
    bad("restarts", std::to_string(pr.restarts) + " is not in [0, " + std::to_string(max_restarts) +
                        "]; give 0 for automatic, or the number of constructions to try");
  }
  if (pr.disruption_weight && (!(*pr.disruption_weight >= 0) || !std::isfinite(*pr.disruption_weight))) {
    bad("disruption_weight", "give a finite number >= 0 (0: moves cost nothing), or none to move units only "
                             "where the balance needs it");
  }
  // Moves are counted against the current alignment: without one, a budget would bound nothing.
  const bool has_current = std::any_of(pr.current.begin(), pr.current.end(), [](std::int32_t t) { return t >= 0; });
  if (pr.max_moved && !has_current) {
    bad("max_moved", "a budget of moved units needs the current alignment (current) to count "
                     "moves against; give current, or leave max_moved out");
  }
  if (pr.disruption_weight.value_or(0) > 0 && !has_current) {
    bad("disruption_weight", "a weight on moved units needs the current alignment (current) to "
                             "count moves against; give current, or leave the weight out");
  }
  // Homes: a unit is the fixed centre of one territory at most (two territories cannot both hold
  // it: one would end without its home, unreported).
  const auto home_of = detail::check_homes(pr.home, pr.territories, u, code);
  for (std::size_t i = 0; i < n && !pr.locked.empty(); ++i) {
    const auto t = home_of[i];
    if (t >= 0 && pr.locked[i] >= 0 && pr.locked[i] != t) {
      bad("home[" + std::to_string(t) + "]", "the home unit " + detail::unit_name(u, i) + " is locked to territory " +
                                                 std::to_string(pr.locked[i]) + ", not to territory " + std::to_string(t));
    }
  }
  std::vector<std::uint32_t> excluded_count(n, 0);
  for (const auto& [i, t] : pr.excluded) {
    if (i >= n || t >= pr.territories) {
      bad("excluded", "pair (" + std::to_string(i) + ", " + std::to_string(t) + ") names no unit or territory");
    }
    if (++excluded_count[i] == pr.territories) {
      bad("excluded." + detail::unit_name(u, i), "the unit is excluded from every territory");
    }
    if (!pr.locked.empty() && pr.locked[i] == static_cast<std::int32_t>(t)) {
      bad("excluded." + detail::unit_name(u, i), "the unit is locked to territory " + std::to_string(t) + ", which it is excluded from");
    }
    if (home_of[i] == static_cast<std::int32_t>(t)) {
      bad("excluded." + detail::unit_name(u, i), "the unit is the home of territory " + std::to_string(t) + ", which it is excluded from");
    }
  }
  if (!pr.capacity.empty() && pr.capacity.size() != pr.territories) bad("capacity", "one value per territory is needed");
  if (!pr.capacity.empty() && pr.capacity_measure >= u.activity.size()) bad("capacity_measure", "not a measure");
  // Locked units alone must fit in their territory's band.
  if (!pr.locked.empty()) {
    const std::size_t m = u.activity.size();
    std::vector<double> locked_sum(pr.territories * m, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (pr.locked[i] < 0) continue;
      for (std::size_t a = 0; a < m; ++a) locked_sum[static_cast<std::size_t>(pr.locked[i]) * m + a] += u.activity[a][i];
    }
    for (std::size_t a = 0; a < m; ++a) {
      double total = 0;
      for (const double v : u.activity[a]) total += v;
      const double tau = pr.tolerance.size() == 1 ? pr.tolerance[0] : pr.tolerance[a];
      for (std::size_t t = 0; t < pr.territories; ++t) {
        const double target = share.empty() ? total / static_cast<double>(pr.territories) : total * share[t];
        if (locked_sum[t * m + a] <= (1 + tau) * target * (1 + 1e-12)) continue;
        const auto name = a < u.measures.size() ? u.measures[a] : std::to_string(a);
        std::string units;  // the first few, so the territory can be recognised by its units
        std::size_t listed = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (pr.locked[i] != static_cast<std::int32_t>(t)) continue;
          if (listed++ < 5) units += (units.empty() ? "" : ", ") + detail::unit_name(u, i);
        }
        if (listed > 5) units += ", ...";
        bad("locked", "the units locked to territory " + std::to_string(t) + " (" + units + ") have " +
                          name + " " + number(locked_sum[t * m + a]) + ", above its band's upper end " +
                          number((1 + tau) * target) + "; unlock some or widen the tolerance");
      }
    }
  }
  return share;
}

}  // namespace

const char* to_string(SolveStatus s) noexcept {
  switch (s) {
    case SolveStatus::feasible: return "feasible";
    case SolveStatus::infeasible: return "infeasible";
    case SolveStatus::stopped: return "stopped";
  }
  return "feasible";
}

Solution solve(const Problem& given, const ExecutionContext& context) {
  // Shares that miss 1 by rounding are scaled: the search then works on a copy that holds them.
  auto share = check(given);
  Problem scaled;
  if (share != given.share) {
    scaled = given;
    scaled.share = std::move(share);
  }
  const Problem& pr = scaled.units != nullptr ? scaled : given;
  const auto& u = *pr.units;
  const std::size_t n = u.size();
  // Adjacency: given, or the Gabriel graph of the points when none.
  const auto edges = u.edges.empty() ? gabriel_graph(u) : u.edges;
  const detail::Graph g(n, edges);
  if (pr.contiguity) {
    std::vector<std::uint32_t> label;
    if (const auto pieces = detail::label_pieces(g, n, label); pieces > 1) {
      std::string names;
      std::vector<std::uint8_t> seen(pieces, 0);
      std::size_t shown = 0;
      for (std::size_t i = 0; i < n && shown < 3; ++i) {
        if (seen[label[i]] != 0) continue;
        seen[label[i]] = 1;
        names += (shown++ ? ", " : "") + detail::unit_name(u, i);
      }
      bad("edges", "the adjacency has " + std::to_string(pieces) + " separate pieces (units " + names +
                       " are in different ones): contiguous territories need a connected graph; add edges "
                       "joining the pieces or turn contiguity off");
    }
  }
  // One search per restart, in parallel; the best is chosen by restart order, so the result
  // does not depend on the thread count.
  const detail::Setup setup(pr, g);
  // While no run is balanced, more runs (up to four times as many), each from its own seed. Runs are
  // taken in order and the answer is chosen among runs 0 .. R-1, R = max(restarts, first balanced
  // run + 1), so it does not depend on the thread count either.
  const std::size_t wanted = pr.restarts > 0 ? static_cast<std::size_t>(pr.restarts)
                                             : std::clamp<std::size_t>(2000 / n, 4, 64);
  const std::size_t most = 4 * wanted;
  std::vector<std::vector<std::int32_t>> found(most);
  std::vector<double> viol(most, INFINITY), cost(most, INFINITY);
  std::vector<std::size_t> moves(most, 0);
  std::vector<std::uint8_t> finished(most, 0), taken(most, 0);
  std::mutex lock;
  std::size_t next = 0, first_balanced = most;
  const auto work = [&] {
    for (;;) {
      std::size_t r = 0;
      {
        const std::lock_guard guard(lock);
        if (next >= most || (next >= wanted && first_balanced < next) || (context.should_stop() && next > 0)) return;
        r = next++;
        taken[r] = 1;
      }
      detail::Search s(setup, context);
      const bool complete = s.run(context.seed() * 0x9E3779B97F4A7C15ULL + r);
      const std::lock_guard guard(lock);
      found[r] = s.assignment();
      viol[r] = s.violation();
      cost[r] = s.cost();
      moves[r] = s.moves();
      finished[r] = complete ? 1 : 0;
      if (viol[r] <= 1e-12 && complete) first_balanced = std::min(first_balanced, r);
      context.report(static_cast<double>(std::min(next, wanted)) / static_cast<double>(wanted), "territory search");
    }
  };
  spm::detail::run_workers(std::min<std::size_t>(context.thread_count(), wanted), work);
  const std::size_t considered = std::min(most, std::max(wanted, first_balanced + 1));
  Solution best;
  std::size_t pick = most;
  bool stopped = false;
  for (std::size_t r = 0; r < considered; ++r) {
    if (taken[r] == 0 || found[r].empty()) {
      stopped = true;  // the time limit came first
      continue;
    }
    stopped = stopped || finished[r] == 0;
    if (pick == most || viol[r] < viol[pick] - 1e-12 || (std::abs(viol[r] - viol[pick]) <= 1e-12 && cost[r] < cost[pick])) pick = r;
  }
  best.assignment = std::move(found[pick]);
  best.moves = moves[pick];
  std::vector<double> tau = pr.tolerance;
  best.metrics = evaluate(u, best.assignment, pr.territories, tau, pr.share, pr.current, pr.home);
  // Violations: each territory and measure outside its band, each territory in pieces.
  const std::size_t m = u.activity.size();
  std::vector<std::vector<double>> sums(pr.territories, std::vector<double>(m, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < m; ++a) sums[static_cast<std::size_t>(best.assignment[i])][a] += u.activity[a][i];
  }
  for (std::size_t t = 0; t < pr.territories; ++t) {
    for (std::size_t a = 0; a < m; ++a) {
      const double total = best.metrics.balance[a].target * static_cast<double>(pr.territories);
      const double target = pr.share.empty() ? best.metrics.balance[a].target : total * pr.share[t];
      const double t_a = tau.size() == 1 ? tau[0] : tau[a];
      const double dev = target > 0 ? sums[t][a] / target - 1 : 0.0;
      if (std::abs(dev) <= t_a + 1e-12) continue;
      const auto name = a < u.measures.size() ? u.measures[a] : std::to_string(a);
      best.violations.push_back({t, name, std::abs(dev) - t_a,
                                 "territory " + std::to_string(t) + ": " + name + " is " + percent(dev, t_a) +
                                     " from its target (band +-" + percent(t_a).substr(1) + ")"});
    }
    if (pr.contiguity && best.metrics.components[t] > 1) {
      best.violations.push_back({t, "contiguity", static_cast<double>(best.metrics.components[t] - 1),
                                 "territory " + std::to_string(t) + " is in " +
                                     std::to_string(best.metrics.components[t]) + " pieces"});
    }
    if (!pr.capacity.empty() && pr.capacity[t] > 0 && sums[t][pr.capacity_measure] > pr.capacity[t] * (1 + 1e-12)) {
      const auto name = pr.capacity_measure < u.measures.size() ? u.measures[pr.capacity_measure] : std::to_string(pr.capacity_measure);
      best.violations.push_back({t, "capacity", sums[t][pr.capacity_measure] / pr.capacity[t] - 1,
                                 "territory " + std::to_string(t) + ": " + name + " " + std::to_string(sums[t][pr.capacity_measure]) +
                                     " is above its capacity " + std::to_string(pr.capacity[t])});
    }
  }
  for (const auto& [i, t] : pr.excluded) {
    if (best.assignment[i] != static_cast<std::int32_t>(t)) continue;
    best.violations.push_back({t, "excluded", 1.0,
                               "unit " + detail::unit_name(u, i) + " is in territory " +
                                   std::to_string(t) + ", which it is excluded from"});
  }
  // A search cut short that still breaks nothing is feasible: stopped says only that more time
  // might have fixed what is listed.
  best.status = best.violations.empty() ? SolveStatus::feasible : stopped ? SolveStatus::stopped : SolveStatus::infeasible;
  return best;
}

}  // namespace spm::territory
