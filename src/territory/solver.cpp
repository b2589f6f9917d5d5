// Territory balancing: balanced region growing, then boundary moves that keep territories
// contiguous, balance first, then compactness and disruption.
#include <spm/territory/solver.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <string>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>

namespace spm::territory {

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& message) {
  throw InvalidInputError("territory.problem", path, message);
}

// Adjacency as compressed rows.
struct Graph {
  std::vector<std::uint32_t> offset, next;
  Graph(std::size_t n, const std::vector<Edge>& edges) : offset(n + 1, 0) {
    for (const auto& [a, b] : edges) {
      ++offset[a + 1];
      ++offset[b + 1];
    }
    for (std::size_t i = 0; i < n; ++i) offset[i + 1] += offset[i];
    next.resize(offset[n]);
    std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
    for (const auto& [a, b] : edges) {
      next[fill[a]++] = b;
      next[fill[b]++] = a;
    }
  }
  [[nodiscard]] std::span<const std::uint32_t> of(std::size_t i) const {
    return {next.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

// The pieces of the graph: a label per unit and the count.
std::size_t label_pieces(const Graph& g, std::size_t n, std::vector<std::uint32_t>& label) {
  label.assign(n, UINT32_MAX);
  std::size_t pieces = 0;
  std::vector<std::uint32_t> stack;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (label[s] != UINT32_MAX) continue;
    label[s] = static_cast<std::uint32_t>(pieces);
    stack.push_back(s);
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (const auto w : g.of(v)) {
        if (label[w] == UINT32_MAX) {
          label[w] = static_cast<std::uint32_t>(pieces);
          stack.push_back(w);
        }
      }
    }
    ++pieces;
  }
  return pieces;
}

class Search {
 public:
  Search(const Problem& pr, const Graph& g, const ExecutionContext& ctx)
      : pr_(pr), u_(*pr.units), g_(g), ctx_(ctx), n_(u_.size()), p_(pr.territories), m_(u_.activity.size()) {
    tau_.resize(m_);
    for (std::size_t a = 0; a < m_; ++a) tau_[a] = pr.tolerance.size() == 1 ? pr.tolerance[0] : pr.tolerance[a];
    target_.resize(p_ * m_);
    for (std::size_t a = 0; a < m_; ++a) {
      const double total = std::accumulate(u_.activity[a].begin(), u_.activity[a].end(), 0.0);
      for (std::size_t t = 0; t < p_; ++t) {
        target_[t * m_ + a] = pr.share.empty() ? total / static_cast<double>(p_) : total * pr.share[t];
      }
    }
  }

  // One construction and local search from this seed; returns false when stopped.
  bool run(std::uint64_t seed) {
    construct(seed);
    return improve();
  }

  [[nodiscard]] double violation() const {
    double v = 0;
    for (std::size_t t = 0; t < p_; ++t) v += viol(t, sum_.data() + t * m_);
    return v;
  }
  [[nodiscard]] double cost() const {
    double d = 0;
    for (std::size_t i = 0; i < n_; ++i) d += u_.distance(i, centre_[static_cast<std::size_t>(assign_[i])]);
    return d + pr_.disruption_weight * static_cast<double>(moved_);
  }
  [[nodiscard]] const std::vector<std::int32_t>& assignment() const { return assign_; }
  [[nodiscard]] std::size_t moves() const { return moves_; }

 private:
  // Balance violation of territory t with activity sums s: how far each measure is beyond its band.
  double viol(std::size_t t, const double* s) const {
    double v = 0;
    for (std::size_t a = 0; a < m_; ++a) {
      const double target = target_[t * m_ + a];
      const double dev = target > 0 ? std::abs(s[a] / target - 1) : 0.0;
      v += std::max(0.0, dev - tau_[a]);
    }
    return v;
  }

  // How far territory t's measures are from their targets, squared (inside the band too): steers
  // the search toward the middle of the bands, where later moves have room.
  double spread(std::size_t t, const double* s) const {
    double v = 0;
    for (std::size_t a = 0; a < m_; ++a) {
      const double target = target_[t * m_ + a];
      const double dev = target > 0 ? s[a] / target - 1 : 0.0;
      v += dev * dev;
    }
    return v;
  }

  bool moved(std::size_t i, std::int32_t t) const {
    return !pr_.current.empty() && pr_.current[i] >= 0 && pr_.current[i] != t;
  }

  void add(std::size_t i, std::int32_t t, double sign) {
    for (std::size_t a = 0; a < m_; ++a) sum_[static_cast<std::size_t>(t) * m_ + a] += sign * u_.activity[a][i];
    size_[static_cast<std::size_t>(t)] += sign > 0 ? 1 : -1;
  }

  void set(std::size_t i, std::int32_t t) {
    if (assign_[i] >= 0) {
      add(i, assign_[i], -1);
      moved_ -= moved(i, assign_[i]) ? 1 : 0;
    }
    assign_[i] = t;
    add(i, t, +1);
    moved_ += moved(i, t) ? 1 : 0;
  }

  // Seeds spread over the map (k-means++ on the coordinates), homes and locked units first;
  // then territories grow over the adjacency, the least loaded first, each taking its nearest
  // frontier unit.
  void construct(std::uint64_t seed) {
    Random rng(seed);
    assign_.assign(n_, -1);
    sum_.assign(p_ * m_, 0.0);
    size_.assign(p_, 0);
    moved_ = 0;
    // Rebalancing: start from the current alignment (locked units where they must be), so that
    // only the moves the search makes count against the budget.
    if (!pr_.current.empty() && std::all_of(pr_.current.begin(), pr_.current.end(), [](std::int32_t t) { return t >= 0; })) {
      for (std::size_t i = 0; i < n_; ++i) {
        set(i, !pr_.locked.empty() && pr_.locked[i] >= 0 ? pr_.locked[i] : pr_.current[i]);
      }
      centre_.assign(p_, 0);
      for (std::size_t i = 0; i < n_; ++i) centre_[static_cast<std::size_t>(assign_[i])] = static_cast<std::uint32_t>(i);
      for (std::size_t t = 0; t < p_ && !pr_.home.empty(); ++t) {
        if (pr_.home[t] >= 0) centre_[t] = static_cast<std::uint32_t>(pr_.home[t]);
      }
      recentre();
      return;
    }
    seeds_.assign(p_, UINT32_MAX);
    for (std::size_t t = 0; t < p_; ++t) {
      if (!pr_.home.empty() && pr_.home[t] >= 0) seeds_[t] = static_cast<std::uint32_t>(pr_.home[t]);
    }
    for (std::size_t i = 0; i < n_ && !pr_.locked.empty(); ++i) {
      if (pr_.locked[i] >= 0 && seeds_[static_cast<std::size_t>(pr_.locked[i])] == UINT32_MAX) {
        seeds_[static_cast<std::size_t>(pr_.locked[i])] = static_cast<std::uint32_t>(i);
      }
    }
    std::vector<double> nearest(n_, INFINITY);
    const auto update = [&](std::uint32_t s) {
      for (std::size_t i = 0; i < n_; ++i) nearest[i] = std::min(nearest[i], u_.distance(i, s));
    };
    for (const auto s : seeds_) {
      if (s != UINT32_MAX) update(s);
    }
    for (std::size_t t = 0; t < p_; ++t) {
      if (seeds_[t] != UINT32_MAX) continue;
      double total = 0;
      for (std::size_t i = 0; i < n_; ++i) total += std::isinf(nearest[i]) ? 1.0 : nearest[i] * nearest[i];
      double pick = rng.uniform() * total;
      std::uint32_t chosen = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        pick -= std::isinf(nearest[i]) ? 1.0 : nearest[i] * nearest[i];
        if (pick <= 0) {
          chosen = static_cast<std::uint32_t>(i);
          break;
        }
      }
      while (nearest[chosen] == 0 && std::find(seeds_.begin(), seeds_.end(), chosen) != seeds_.end()) {
        chosen = static_cast<std::uint32_t>((chosen + 1) % n_);
      }
      seeds_[t] = chosen;
      update(chosen);
    }
    for (std::size_t i = 0; i < n_ && !pr_.locked.empty(); ++i) {
      if (pr_.locked[i] >= 0) set(i, pr_.locked[i]);
    }
    for (std::size_t t = 0; t < p_; ++t) {
      if (assign_[seeds_[t]] < 0) set(seeds_[t], static_cast<std::int32_t>(t));
    }
    // Frontiers: per territory, its unassigned neighbours by distance to its seed.
    using Item = std::pair<double, std::uint32_t>;
    std::vector<std::priority_queue<Item, std::vector<Item>, std::greater<>>> frontier(p_);
    const auto push_neighbours = [&](std::size_t i, std::size_t t) {
      for (const auto w : g_.of(i)) {
        if (assign_[w] < 0) frontier[t].emplace(u_.distance(w, seeds_[t]), w);
      }
    };
    for (std::size_t i = 0; i < n_; ++i) {
      if (assign_[i] >= 0) push_neighbours(i, static_cast<std::size_t>(assign_[i]));
    }
    const auto load = [&](std::size_t t) {
      double l = 0;
      for (std::size_t a = 0; a < m_; ++a) {
        const double target = target_[t * m_ + a];
        l += target > 0 ? sum_[t * m_ + a] / target : 0.0;
      }
      return l;
    };
    using Entry = std::pair<double, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> lightest;
    for (std::size_t t = 0; t < p_; ++t) lightest.emplace(load(t), static_cast<std::uint32_t>(t));
    while (!lightest.empty()) {
      const auto [l, t] = lightest.top();
      lightest.pop();
      if (std::abs(l - load(t)) > 1e-12) continue;  // stale
      auto& f = frontier[t];
      while (!f.empty() && assign_[f.top().second] >= 0) f.pop();
      if (f.empty()) continue;  // boxed in: the others take the rest
      const auto i = f.top().second;
      f.pop();
      set(i, static_cast<std::int32_t>(t));
      push_neighbours(i, t);
      lightest.emplace(load(t), t);
    }
    // Units no territory reached (no adjacency, or a piece without a seed): the nearest seed.
    for (std::size_t i = 0; i < n_; ++i) {
      if (assign_[i] >= 0) continue;
      std::size_t best = 0;
      for (std::size_t t = 1; t < p_; ++t) {
        if (u_.distance(i, seeds_[t]) < u_.distance(i, seeds_[best])) best = t;
      }
      set(i, static_cast<std::int32_t>(best));
    }
    centre_ = seeds_;
    recentre();
  }

  // Each territory's medoid (unless its home is fixed).
  void recentre() {
    std::vector<std::vector<std::uint32_t>> members(p_);
    for (std::size_t i = 0; i < n_; ++i) members[static_cast<std::size_t>(assign_[i])].push_back(static_cast<std::uint32_t>(i));
    for (std::size_t t = 0; t < p_; ++t) {
      if ((!pr_.home.empty() && pr_.home[t] >= 0) || members[t].empty()) continue;
      double best = INFINITY;
      for (const auto c : members[t]) {
        double s = 0;
        for (const auto i : members[t]) s += u_.distance(c, i);
        if (s < best) {
          best = s;
          centre_[t] = c;
        }
      }
    }
  }

  // Whether territory t stays in one piece without unit i (a search inside t from one of i's
  // neighbours in t must reach the others).
  bool stays_connected(std::size_t i, std::int32_t t) {
    std::uint32_t start = UINT32_MAX;
    std::size_t wanted = 0;
    for (const auto w : g_.of(i)) {
      if (assign_[w] != t) continue;
      ++wanted;
      if (start == UINT32_MAX) start = w;
    }
    if (wanted <= 1) return true;
    ++stamp_;
    if (mark_.size() != n_) mark_.assign(n_, 0);
    mark_[i] = stamp_;
    mark_[start] = stamp_;
    stack_.assign(1, start);
    std::size_t found = 0;
    while (!stack_.empty() && found < wanted) {
      const auto v = stack_.back();
      stack_.pop_back();
      for (const auto w : g_.of(v)) {
        if (assign_[w] != t || mark_[w] == stamp_) continue;
        mark_[w] = stamp_;
        stack_.push_back(w);
      }
      found = 0;
      for (const auto w : g_.of(i)) found += assign_[w] == t && mark_[w] == stamp_ ? 1 : 0;
    }
    return found == wanted;
  }

  // Boundary moves, best neighbouring territory per unit, until a pass improves nothing.
  bool improve() {
    std::vector<double> with(m_), without(m_);
    for (int round = 0; round < 50; ++round) {
      bool improved = false;
      for (std::size_t i = 0; i < n_; ++i) {
        if ((i & 1023) == 0 && ctx_.should_stop()) return false;
        if (!pr_.locked.empty() && pr_.locked[i] >= 0) continue;
        const auto from = assign_[i];
        if (size_[static_cast<std::size_t>(from)] <= 1) continue;
        const auto f = static_cast<std::size_t>(from);
        for (std::size_t a = 0; a < m_; ++a) without[a] = sum_[f * m_ + a] - u_.activity[a][i];
        const double v_from = viol(f, sum_.data() + f * m_), v_from_after = viol(f, without.data());
        const double d_from = u_.distance(i, centre_[f]);
        std::int32_t best = -1;
        double best_dv = 0, best_dc = 0;
        for (const auto w : g_.of(i)) {
          const auto to = assign_[w];
          if (to == from || to == best) continue;
          const auto tt = static_cast<std::size_t>(to);
          for (std::size_t a = 0; a < m_; ++a) with[a] = sum_[tt * m_ + a] + u_.activity[a][i];
          const double dv = (v_from_after + viol(tt, with.data())) - (v_from + viol(tt, sum_.data() + tt * m_));
          const double dmoved = (moved(i, to) ? 1.0 : 0.0) - (moved(i, from) ? 1.0 : 0.0);
          if (pr_.max_moved && dmoved > 0 && moved_ + 1 > *pr_.max_moved) continue;
          const double dc = u_.distance(i, centre_[tt]) - d_from + pr_.disruption_weight * dmoved;
          const bool better = dv < best_dv - 1e-12 || (std::abs(dv - best_dv) <= 1e-12 && dc < best_dc - 1e-9);
          if (better) {
            best = to;
            best_dv = dv;
            best_dc = dc;
          }
        }
        if (best < 0) continue;
        if (pr_.contiguity && !stays_connected(i, from)) continue;
        set(i, best);
        ++moves_;
        improved = true;
      }
      recentre();
      if (!improved) break;
    }
    return violation() <= 1e-12 || tabu();
  }

  // When descent leaves territories outside their bands: tabu search on the balance. Each
  // iteration makes the best boundary move (even a worse one) that is not tabu, a moved unit may
  // not return to the territory it left for a while, and the best balance seen is kept.
  bool tabu() {
    const std::size_t limit = 2000 + 40 * p_;
    std::vector<std::int32_t> best = assign_;
    double best_v = violation(), v = best_v;
    std::vector<std::int32_t> left(n_, -1);
    std::vector<std::size_t> until(n_, 0);
    Random rng(static_cast<std::uint64_t>(moves_) * 0x9E3779B97F4A7C15ULL + 17);
    std::vector<double> with(m_), without(m_);
    struct Move {
      double dv, ds, dc;
      std::uint32_t unit;
      std::int32_t to;
    };
    std::vector<Move> moves;
    for (std::size_t it = 1; it <= limit && best_v > 1e-12; ++it) {
      if ((it & 63) == 0 && ctx_.should_stop()) return false;
      moves.clear();
      for (std::size_t i = 0; i < n_; ++i) {
        if (!pr_.locked.empty() && pr_.locked[i] >= 0) continue;
        const auto from = assign_[i];
        const auto f = static_cast<std::size_t>(from);
        if (size_[f] <= 1) continue;
        bool boundary = false;
        for (const auto w : g_.of(i)) boundary = boundary || assign_[w] != from;
        if (!boundary) continue;
        for (std::size_t a = 0; a < m_; ++a) without[a] = sum_[f * m_ + a] - u_.activity[a][i];
        const double base = viol(f, sum_.data() + f * m_), after = viol(f, without.data());
        const double spread_base = spread(f, sum_.data() + f * m_), spread_after = spread(f, without.data());
        std::int32_t seen = -1;
        for (const auto w : g_.of(i)) {
          const auto to = assign_[w];
          if (to == from || to == seen) continue;
          seen = to;
          const auto tt = static_cast<std::size_t>(to);
          for (std::size_t a = 0; a < m_; ++a) with[a] = sum_[tt * m_ + a] + u_.activity[a][i];
          const double dv = after + viol(tt, with.data()) - base - viol(tt, sum_.data() + tt * m_);
          const bool forbidden = until[i] > it && left[i] == to && v + dv >= best_v - 1e-12;  // aspiration
          if (forbidden) continue;
          const double dmoved = (moved(i, to) ? 1.0 : 0.0) - (moved(i, from) ? 1.0 : 0.0);
          if (pr_.max_moved && dmoved > 0 && moved_ + 1 > *pr_.max_moved) continue;
          const double dc = u_.distance(i, centre_[tt]) - u_.distance(i, centre_[f]) + pr_.disruption_weight * dmoved;
          const double ds = spread_after + spread(tt, with.data()) - spread_base - spread(tt, sum_.data() + tt * m_);
          moves.push_back({dv, ds, dc, static_cast<std::uint32_t>(i), to});
        }
      }
      if (moves.empty()) break;
      const auto order = [](const Move& a, const Move& b) {
        const double ka = a.dv + 0.1 * a.ds, kb = b.dv + 0.1 * b.ds;
        return ka < kb - 1e-12 || (std::abs(ka - kb) <= 1e-12 && (a.dc < b.dc || (a.dc == b.dc && a.unit < b.unit)));
      };
      const std::size_t k = std::min<std::size_t>(moves.size(), 32);
      std::partial_sort(moves.begin(), moves.begin() + static_cast<std::ptrdiff_t>(k), moves.end(), order);
      bool made = false;
      for (std::size_t c = 0; c < k && !made; ++c) {
        const auto& mv = moves[c];
        const auto from = assign_[mv.unit];
        if (pr_.contiguity && !stays_connected(mv.unit, from)) continue;
        set(mv.unit, mv.to);
        left[mv.unit] = from;
        until[mv.unit] = it + 5 + rng.below(10);
        v += mv.dv;
        made = true;
        ++moves_;
      }
      if (!made) break;
      if (v < best_v - 1e-12) {
        best_v = v;
        best = assign_;
      }
      if ((it & 255) == 0) recentre();
    }
    // Back to the best balance seen.
    sum_.assign(p_ * m_, 0.0);
    size_.assign(p_, 0);
    moved_ = 0;
    std::fill(assign_.begin(), assign_.end(), -1);
    for (std::size_t i = 0; i < n_; ++i) set(i, best[i]);
    recentre();
    return true;
  }

  const Problem& pr_;
  const Units& u_;
  const Graph& g_;
  const ExecutionContext& ctx_;
  std::size_t n_, p_, m_;
  std::vector<double> tau_, target_, sum_;
  std::vector<std::int32_t> assign_;
  std::vector<std::int64_t> size_;
  std::vector<std::uint32_t> seeds_, centre_, mark_, stack_;
  std::uint32_t stamp_ = 0;
  std::size_t moved_ = 0, moves_ = 0;
};

void check(const Problem& pr) {
  if (pr.units == nullptr || pr.units->size() == 0) bad("units", "give at least one unit");
  const auto& u = *pr.units;
  const std::size_t n = u.size();
  if (pr.territories < 1 || pr.territories > n) {
    bad("territories", "p = " + std::to_string(pr.territories) + " must be between 1 and the " + std::to_string(n) + " units");
  }
  if (u.y.size() != n) bad("units", "x and y have different lengths");
  for (std::size_t a = 0; a < u.activity.size(); ++a) {
    const auto name = a < u.measures.size() ? u.measures[a] : std::to_string(a);
    if (u.activity[a].size() != n) bad("activity." + name, "one value per unit is needed");
    for (std::size_t i = 0; i < n; ++i) {
      if (!(u.activity[a][i] >= 0) || !std::isfinite(u.activity[a][i])) {
        bad("units." + (u.id.empty() ? std::to_string(i) : u.id[i]) + "." + name,
            "activity must be a finite number >= 0");
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(u.x[i]) || !std::isfinite(u.y[i])) {
      bad("units." + (u.id.empty() ? std::to_string(i) : u.id[i]), "the unit has no coordinates");
    }
  }
  if (pr.tolerance.size() != 1 && pr.tolerance.size() != u.activity.size()) {
    bad("tolerance", "give one tau, or one per measure");
  }
  for (const double t : pr.tolerance) {
    if (!(t >= 0)) bad("tolerance", "tau must be >= 0");
  }
  if (!pr.share.empty()) {
    double s = 0;
    for (const double v : pr.share) s += v;
    if (pr.share.size() != pr.territories || std::abs(s - 1) > 1e-9) {
      bad("share", "give one target share per territory, summing to 1 (they sum to " + std::to_string(s) + ")");
    }
  }
  const auto in_range = [&](std::int32_t t) { return t >= -1 && t < static_cast<std::int32_t>(pr.territories); };
  for (const auto* v : {&pr.current, &pr.locked}) {
    if (!v->empty() && v->size() != n) bad(v == &pr.current ? "current" : "locked", "one value per unit is needed");
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!in_range((*v)[i])) {
        bad((v == &pr.current ? "current." : "locked.") + (u.id.empty() ? std::to_string(i) : u.id[i]),
            "territory " + std::to_string((*v)[i]) + " is not in [0, " + std::to_string(pr.territories) + ")");
      }
    }
  }
  if (!pr.home.empty()) {
    if (pr.home.size() != pr.territories) bad("home", "one value per territory is needed");
    for (std::size_t t = 0; t < pr.home.size(); ++t) {
      if (pr.home[t] < -1 || pr.home[t] >= static_cast<std::int32_t>(n)) bad("home[" + std::to_string(t) + "]", "not a unit");
      if (pr.home[t] >= 0 && !pr.locked.empty() && pr.locked[static_cast<std::size_t>(pr.home[t])] >= 0 &&
          pr.locked[static_cast<std::size_t>(pr.home[t])] != static_cast<std::int32_t>(t)) {
        bad("home[" + std::to_string(t) + "]", "the home unit is locked to another territory");
      }
    }
  }
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

Solution solve(const Problem& pr, const ExecutionContext& context) {
  check(pr);
  const auto& u = *pr.units;
  const std::size_t n = u.size();
  // Adjacency: given, or the Gabriel graph when none (growth and moves need neighbours).
  const auto edges = u.edges.empty() && !pr.contiguity ? gabriel_graph(u.x, u.y) : u.edges;
  if (pr.contiguity && edges.empty() && n > 1) bad("edges", "contiguity needs the units' adjacency (edges)");
  const Graph g(n, edges);
  if (pr.contiguity) {
    std::vector<std::uint32_t> label;
    const auto pieces = label_pieces(g, n, label);
    if (pieces > pr.territories) {
      std::string names;
      std::vector<std::uint8_t> seen(pieces, 0);
      std::size_t shown = 0;
      for (std::size_t i = 0; i < n && shown < 3; ++i) {
        if (seen[label[i]] != 0) continue;
        seen[label[i]] = 1;
        names += (shown++ ? ", " : "") + (u.id.empty() ? std::to_string(i) : u.id[i]);
      }
      bad("edges", "the adjacency has " + std::to_string(pieces) + " separate pieces (units " + names +
                       " are in different ones) but only " + std::to_string(pr.territories) +
                       " territories: contiguous territories cannot cover them; join the pieces or turn contiguity off");
    }
  }
  Solution best;
  double best_v = INFINITY, best_c = INFINITY;
  bool stopped = false;
  for (int r = 0; r < std::max(1, pr.restarts) && !stopped; ++r) {
    Search s(pr, g, context);
    stopped = !s.run(context.seed() * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(r));
    const double v = s.violation(), c = s.cost();
    if (v < best_v - 1e-12 || (std::abs(v - best_v) <= 1e-12 && c < best_c)) {
      best_v = v;
      best_c = c;
      best.assignment = s.assignment();
      best.moves = s.moves();
    }
  }
  std::vector<double> tau = pr.tolerance;
  best.metrics = evaluate(u, best.assignment, pr.territories, tau, pr.share, pr.current);
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
                                 "territory " + std::to_string(t) + ": " + name + " is " +
                                     std::to_string(std::lround(100 * dev)) + "% from its target (band +-" +
                                     std::to_string(std::lround(100 * t_a)) + "%)"});
    }
    if (pr.contiguity && best.metrics.components[t] > 1) {
      best.violations.push_back({t, "contiguity", static_cast<double>(best.metrics.components[t] - 1),
                                 "territory " + std::to_string(t) + " is in " +
                                     std::to_string(best.metrics.components[t]) + " pieces"});
    }
  }
  best.status = stopped ? SolveStatus::stopped : best.violations.empty() ? SolveStatus::feasible : SolveStatus::infeasible;
  return best;
}

}  // namespace spm::territory
