#include "search.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

#include <spm/core/random.hpp>

namespace spm::territory::detail {

namespace {
constexpr std::uint32_t none = UINT32_MAX;
}  // namespace

Setup::Setup(const Problem& problem, const Graph& graph)
    : pr(problem), u(*problem.units), g(graph), n(u.size()), p(problem.territories), m(u.activity.size()) {
  tau.resize(m);
  for (std::size_t a = 0; a < m; ++a) tau[a] = pr.tolerance.size() == 1 ? pr.tolerance[0] : pr.tolerance[a];
  inv_target.assign(p * m, 0.0);
  for (std::size_t a = 0; a < m; ++a) {
    const double total = std::accumulate(u.activity[a].begin(), u.activity[a].end(), 0.0);
    for (std::size_t t = 0; t < p; ++t) {
      const double target = pr.share.empty() ? total / static_cast<double>(p) : total * pr.share[t];
      inv_target[t * m + a] = target > 0 ? 1 / target : 0.0;
    }
  }
  capacity = pr.capacity.empty() ? std::vector<double>(p, 0.0) : pr.capacity;
  for (const auto& [i, t] : pr.excluded) excluded.push_back(static_cast<std::uint64_t>(i) * p + t);
  std::sort(excluded.begin(), excluded.end());
  rebalance = std::any_of(pr.current.begin(), pr.current.end(), [](std::int32_t t) { return t >= 0; });
  lock = pr.locked.empty() ? std::vector<std::int32_t>(n, -1) : pr.locked;
  for (std::size_t t = 0; t < pr.home.size(); ++t) {
    if (pr.home[t] >= 0) lock[static_cast<std::size_t>(pr.home[t])] = static_cast<std::int32_t>(t);
  }
  // Distance scale: the side of a territory's share of the bounding box.
  const auto [x0, x1] = std::minmax_element(u.x.begin(), u.x.end());
  const auto [y0, y1] = std::minmax_element(u.y.begin(), u.y.end());
  double area = (*x1 - *x0) * (*y1 - *y0);
  if (u.geographic) area *= 111.2 * 111.2;
  dref = area > 0 ? std::sqrt(area / static_cast<double>(p)) : 1.0;
}

bool Setup::allowed(std::size_t i, std::size_t t) const {
  if (locked(i) && lock[i] != static_cast<std::int32_t>(t)) return false;
  return excluded.empty() || !std::binary_search(excluded.begin(), excluded.end(), static_cast<std::uint64_t>(i) * p + t);
}

Search::Search(const Setup& setup, const ExecutionContext& context)
    : s_(setup), ctx_(context), da_(setup.m), db_(setup.m) {}

double Search::pen(std::size_t t, const double* s, bool weighted) const {
  const std::size_t m = s_.m;
  const double* inv = s_.inv_target.data() + t * m;
  const double* w = weight_.data() + t * (m + 1);
  double v = 0;
  for (std::size_t a = 0; a < m; ++a) {
    if (inv[a] <= 0) continue;
    const double e = std::abs(s[a] * inv[a] - 1) - s_.tau[a];
    if (e > 1e-12) v += (weighted ? w[a] : 1.0) * e;
  }
  const double c = s_.capacity[t];
  if (c > 0 && s[s_.pr.capacity_measure] > c * (1 + 1e-12)) v += (weighted ? w[m] : 1.0) * (s[s_.pr.capacity_measure] / c - 1);
  return v;
}

double Search::spread(std::size_t t, const double* s) const {
  const double* inv = s_.inv_target.data() + t * s_.m;
  double v = 0;
  for (std::size_t a = 0; a < s_.m; ++a) {
    const double d = (s[a] * inv[a] - (inv[a] > 0 ? 1 : 0)) / std::max(s_.tau[a], 0.01);
    v += d * d;
  }
  return v;
}

bool Search::moved(std::size_t i, std::int32_t t) const {
  return !s_.pr.current.empty() && s_.pr.current[i] >= 0 && s_.pr.current[i] != t;
}

void Search::set(std::size_t i, std::int32_t t) {
  if (assign_[i] >= 0) unset(i);
  const auto tt = static_cast<std::size_t>(t);
  assign_[i] = t;
  for (std::size_t a = 0; a < s_.m; ++a) sum_[tt * s_.m + a] += s_.u.activity[a][i];
  pos_[i] = static_cast<std::uint32_t>(members_[tt].size());
  members_[tt].push_back(static_cast<std::uint32_t>(i));
  moved_ += moved(i, t) ? 1 : 0;
  cuts_known_[tt] = 0;
  dirty_[tt] = 1;
}

void Search::reset() {
  assign_.assign(s_.n, -1);
  sum_.assign(s_.p * s_.m, 0.0);
  members_.assign(s_.p, {});
  pos_.assign(s_.n, 0);
  cut_.assign(s_.n, 0);
  cuts_known_.assign(s_.p, 0);
  dirty_.assign(s_.p, 1);
  disc_.assign(s_.n, 0);
  low_.assign(s_.n, 0);
  moved_ = 0;
}

double Search::violation() const {
  double v = 0;
  for (std::size_t t = 0; t < s_.p; ++t) v += pen(t, sum_.data() + t * s_.m, false);
  return v;
}

double Search::cost() const {
  double d = 0;
  for (std::size_t i = 0; i < s_.n; ++i) d += s_.u.distance(i, centre_[static_cast<std::size_t>(assign_[i])]);
  return d + s_.pr.disruption_weight.value_or(0) * static_cast<double>(moved_);
}

// Seeds spread over the map (k-means++), homes and locked units first; then territories grow
// over the adjacency, the least loaded first, each taking its nearest frontier unit. A rebalance
// starts from the current alignment instead, so only the search's moves count against a budget.
void Search::construct(std::uint64_t seed) {
  const auto& pr = s_.pr;
  const std::size_t n = s_.n, p = s_.p, m = s_.m;
  Random rng(seed);
  reset();
  centre_.assign(p, 0);
  std::vector<std::uint32_t> seeds(p, none);
  if (s_.rebalance) {  // units with a current territory keep it; the others grow onto them
    for (std::size_t i = 0; i < n; ++i) {
      const auto t = s_.locked(i) ? s_.lock[i] : pr.current[i];
      if (t < 0) continue;
      set(i, t);
      if (seeds[static_cast<std::size_t>(t)] == none) seeds[static_cast<std::size_t>(t)] = static_cast<std::uint32_t>(i);
    }
  }
  for (std::size_t t = 0; t < p && !pr.home.empty(); ++t) {
    if (pr.home[t] >= 0) seeds[t] = static_cast<std::uint32_t>(pr.home[t]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (s_.locked(i) && seeds[static_cast<std::size_t>(s_.lock[i])] == none) {
      seeds[static_cast<std::size_t>(s_.lock[i])] = static_cast<std::uint32_t>(i);
    }
  }
  std::vector<double> nearest(n, INFINITY);
  std::vector<std::uint8_t> taken(n, 0);
  const auto update = [&](std::uint32_t c) {
    taken[c] = 1;
    for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], s_.u.distance(i, c));
  };
  const bool missing = std::find(seeds.begin(), seeds.end(), none) != seeds.end();
  for (std::size_t i = 0; i < n && missing; ++i) taken[i] = assign_[i] >= 0 ? 1 : 0;
  for (const auto c : seeds) {
    if (c != none && missing) update(c);
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (seeds[t] != none) continue;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += taken[i] ? 0.0 : std::isinf(nearest[i]) ? 1.0 : nearest[i] * nearest[i];
    double pick = rng.uniform() * total;
    std::uint32_t chosen = none;
    for (std::size_t i = 0; i < n; ++i) {
      if (taken[i] || !s_.allowed(i, t)) continue;
      chosen = static_cast<std::uint32_t>(i);
      pick -= std::isinf(nearest[i]) ? 1.0 : nearest[i] * nearest[i];
      if (pick <= 0) break;
    }
    // A rebalance onto more territories than the current alignment uses, with no free unit
    // allowed in t: t starts from a unit another territory can spare.
    if (chosen == none && s_.rebalance) chosen = donor(t, nearest, rng);
    if (chosen == none) {  // every free unit excluded from t: take any free one
      for (std::size_t i = 0; i < n && chosen == none; ++i) chosen = taken[i] ? none : static_cast<std::uint32_t>(i);
    }
    if (chosen == none) continue;  // no unit can go to t (all locked elsewhere): it stays empty
    seeds[t] = chosen;
    if (const auto from = assign_[chosen]; from >= 0) {  // a donor: its territory keeps a seed
      set(chosen, static_cast<std::int32_t>(t));
      const auto f = static_cast<std::size_t>(from);
      if (seeds[f] == chosen) seeds[f] = members_[f].front();
    }
    update(chosen);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (s_.locked(i)) set(i, s_.lock[i]);
  }
  for (std::size_t t = 0; t < p; ++t) {
    if (seeds[t] != none && assign_[seeds[t]] < 0) set(seeds[t], static_cast<std::int32_t>(t));
  }
  using Item = std::pair<double, std::uint32_t>;
  std::vector<std::priority_queue<Item, std::vector<Item>, std::greater<>>> frontier(p);
  const auto push_neighbours = [&](std::size_t i, std::size_t t) {
    for (const auto w : s_.g.of(i)) {
      if (assign_[w] < 0 && s_.allowed(w, t)) frontier[t].emplace(s_.u.distance(w, seeds[t]), w);
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (assign_[i] >= 0) push_neighbours(i, static_cast<std::size_t>(assign_[i]));
  }
  const auto load = [&](std::size_t t) {
    double l = 0;
    for (std::size_t a = 0; a < m; ++a) l = std::max(l, sum_[t * m + a] * s_.inv_target[t * m + a]);
    return l;
  };
  using Entry = std::pair<double, std::uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> lightest;
  for (std::size_t t = 0; t < p; ++t) lightest.emplace(load(t), static_cast<std::uint32_t>(t));
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
  // Units no territory reached (no adjacency, or only excluded neighbours): the nearest seed.
  for (std::size_t i = 0; i < n; ++i) {
    if (assign_[i] >= 0) continue;
    std::size_t best = p;
    for (std::size_t t = 0; t < p; ++t) {
      if (seeds[t] == none || !s_.allowed(i, t)) continue;
      if (best == p || s_.u.distance(i, seeds[t]) < s_.u.distance(i, seeds[best])) best = t;
    }
    set(i, static_cast<std::int32_t>(best == p ? 0 : best));
  }
  centre_ = seeds;
  recentre();
}

// A unit for the new territory t taken from a territory that keeps others: not locked, allowed
// in t and (with contiguity, when it can be helped) not holding its territory together;
// k-means++ on the distance to the seeds, so new territories start away from the others.
std::uint32_t Search::donor(std::size_t t, const std::vector<double>& nearest, Random& rng) {
  std::vector<std::uint32_t> options;
  for (const bool keep_whole : {true, false}) {
    for (std::size_t i = 0; i < s_.n; ++i) {
      const auto a = assign_[i];
      if (a < 0 || s_.locked(i) || !s_.allowed(i, t) || members_[static_cast<std::size_t>(a)].size() < 2) continue;
      if (keep_whole && s_.pr.contiguity && is_cut(static_cast<std::uint32_t>(i))) continue;
      options.push_back(static_cast<std::uint32_t>(i));
    }
    if (!options.empty()) break;
  }
  if (options.empty()) return none;
  const auto weight = [&](std::uint32_t i) { return std::isinf(nearest[i]) ? 1.0 : nearest[i] * nearest[i]; };
  double total = 0;
  for (const auto i : options) total += weight(i);
  double pick = rng.uniform() * total;
  for (const auto i : options) {
    pick -= weight(i);
    if (pick <= 0) return i;
  }
  return options.back();
}

// Each territory's medoid (unless its home is fixed); large territories try the 64 units nearest
// their mean. Sums are recomputed too, so that rounding never builds up over many moves.
void Search::recentre() {
  const auto& pr = s_.pr;
  const auto& u = s_.u;
  std::vector<std::pair<double, std::uint32_t>> near;
  for (std::size_t t = 0; t < s_.p; ++t) {
    const auto& list = members_[t];
    for (std::size_t a = 0; a < s_.m; ++a) {
      double s = 0;
      for (const auto i : list) s += u.activity[a][i];
      sum_[t * s_.m + a] = s;
    }
    if ((!pr.home.empty() && pr.home[t] >= 0) || list.empty()) continue;
    std::span<const std::uint32_t> candidates(list);
    std::vector<std::uint32_t> subset;
    if (list.size() > 64) {
      double mx = 0, my = 0;
      for (const auto i : list) {
        mx += u.x[i];
        my += u.y[i];
      }
      mx /= static_cast<double>(list.size());
      my /= static_cast<double>(list.size());
      near.clear();
      for (const auto i : list) near.emplace_back(std::hypot(u.x[i] - mx, u.y[i] - my), i);
      std::nth_element(near.begin(), near.begin() + 63, near.end());
      for (std::size_t k = 0; k < 64; ++k) subset.push_back(near[k].second);
      if (std::find(subset.begin(), subset.end(), centre_[t]) == subset.end() && assign_[centre_[t]] == static_cast<std::int32_t>(t)) {
        subset.push_back(centre_[t]);
      }
      candidates = subset;
    }
    double best = INFINITY;
    for (const auto c : candidates) {
      double s = 0;
      for (const auto i : list) s += u.distance(c, i);
      if (s < best - 1e-9 || (std::abs(s - best) <= 1e-9 && c < centre_[t])) {
        best = s;
        centre_[t] = c;
      }
    }
  }
}

// The articulation units of territory t (those whose leaving would cut it), by Tarjan's
// depth-first search on the territory's part of the adjacency.
void Search::find_cuts(std::size_t t) {
  const auto tt = static_cast<std::int32_t>(t);
  const auto& list = members_[t];
  for (const auto i : list) {
    disc_[i] = 0;
    cut_[i] = 0;
  }
  std::uint32_t clock = 0;
  for (const auto root : list) {
    if (disc_[root] != 0) continue;
    disc_[root] = low_[root] = ++clock;
    std::size_t root_children = 0;
    dfs_.assign(1, {root, 0});
    while (!dfs_.empty()) {
      auto& [v, k] = dfs_.back();
      const auto nb = s_.g.of(v);
      if (k < nb.size()) {
        const auto w = nb[k++];
        if (assign_[w] != tt) continue;
        if (disc_[w] == 0) {
          disc_[w] = low_[w] = ++clock;
          dfs_.emplace_back(w, 0);
        } else {
          low_[v] = std::min(low_[v], disc_[w]);
        }
        continue;
      }
      const auto child = v;
      dfs_.pop_back();
      if (dfs_.empty()) break;
      const auto parent = dfs_.back().first;
      low_[parent] = std::min(low_[parent], low_[child]);
      if (parent == root) {
        ++root_children;
      } else if (low_[child] >= disc_[parent]) {
        cut_[parent] = 1;
      }
    }
    cut_[root] = root_children > 1 ? 1 : 0;
  }
  cuts_known_[t] = 1;
}

bool Search::is_cut(std::uint32_t i) {
  const auto t = static_cast<std::size_t>(assign_[i]);
  if (cuts_known_[t] == 0) find_cuts(t);
  return cut_[i] != 0;
}

// The units that leave with i: i alone, or when i holds its territory together, i and every
// piece it alone holds on, all but the largest piece (so both territories stay in one piece).
// False when that block is too large (over a third of the territory), holds a locked unit or a
// unit that may not go to b.
bool Search::block_of(std::uint32_t i, std::int32_t b) {
  block_.assign(1, i);
  const auto a = assign_[i];
  if (!s_.pr.contiguity || !is_cut(i)) return true;
  if (mark_.size() != s_.n) mark_.assign(s_.n, 0);
  ++stamp_;
  mark_[i] = stamp_;
  std::size_t largest = 0, largest_size = 0;
  std::vector<std::pair<std::size_t, std::size_t>> pieces;  // (start in stack_, size)
  stack_.clear();
  for (const auto w : s_.g.of(i)) {
    if (assign_[w] != a || mark_[w] == stamp_) continue;
    const std::size_t start = stack_.size();
    mark_[w] = stamp_;
    stack_.push_back(w);
    for (std::size_t k = start; k < stack_.size(); ++k) {
      for (const auto x : s_.g.of(stack_[k])) {
        if (assign_[x] != a || mark_[x] == stamp_) continue;
        mark_[x] = stamp_;
        stack_.push_back(x);
      }
    }
    pieces.emplace_back(start, stack_.size() - start);
    if (stack_.size() - start > largest_size) {
      largest_size = stack_.size() - start;
      largest = pieces.size() - 1;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, members_[static_cast<std::size_t>(a)].size() / 3);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (k == largest) continue;
    for (std::size_t x = pieces[k].first; x < pieces[k].first + pieces[k].second; ++x) block_.push_back(stack_[x]);
  }
  if (block_.size() > limit) return false;
  for (const auto x : block_) {
    if (!s_.allowed(x, static_cast<std::size_t>(b))) return false;
  }
  return true;
}

// Whether unit i has a neighbour in territory t other than `other`.
bool Search::has_other_neighbour(std::uint32_t i, std::int32_t t, std::uint32_t other) const {
  for (const auto w : s_.g.of(i)) {
    if (w != other && assign_[w] == t) return true;
  }
  return false;
}

// Unit i from territory a to b, and unit j (if any) from b to a.
Search::Candidate Search::evaluate(std::uint32_t i, std::uint32_t j, std::int32_t a, std::int32_t b, bool weighted) {
  const std::size_t m = s_.m;
  const auto ta = static_cast<std::size_t>(a), tb = static_cast<std::size_t>(b);
  const double* sa = sum_.data() + ta * m;
  const double* sb = sum_.data() + tb * m;
  const auto& act = s_.u.activity;
  Candidate c{};
  c.i = i;
  c.j = j;
  c.from = a;
  c.to = b;
  // Contiguity: a move takes its block along; a swap needs neither unit to hold its territory
  // together, and each to touch its new territory elsewhere than at the other.
  if (j == none) {
    if (!has_other_neighbour(i, b, none) || !block_of(i, b) || block_.size() >= members_[ta].size()) return c;
  } else {
    block_.assign(1, i);
    if (s_.pr.contiguity && (is_cut(i) || is_cut(j) || !has_other_neighbour(j, a, i) || !has_other_neighbour(i, b, j))) return c;
  }
  for (std::size_t k = 0; k < m; ++k) {
    double d = j == none ? 0.0 : -act[k][j];
    for (const auto x : block_) d += act[k][x];
    da_[k] = sa[k] - d;
    db_[k] = sb[k] + d;
  }
  c.valid = true;
  c.dv = pen(ta, da_.data(), false) + pen(tb, db_.data(), false) - pen(ta, sa, false) - pen(tb, sb, false);
  c.dvw = weighted ? pen(ta, da_.data(), true) + pen(tb, db_.data(), true) - pen(ta, sa, true) - pen(tb, sb, true) : c.dv;
  const double ds = spread(ta, da_.data()) + spread(tb, db_.data()) - spread(ta, sa) - spread(tb, sb);
  c.ds = ds;
  const auto& u = s_.u;
  double dc = 0;
  c.dmoved = 0;
  for (const auto x : block_) {
    dc += u.distance(x, centre_[tb]) - u.distance(x, centre_[ta]);
    c.dmoved += (moved(x, b) ? 1 : 0) - (moved(x, a) ? 1 : 0);
  }
  if (j != none) {
    dc += u.distance(j, centre_[ta]) - u.distance(j, centre_[tb]);
    c.dmoved += (moved(j, a) ? 1 : 0) - (moved(j, b) ? 1 : 0);
  }
  c.dcost = dc + s_.pr.disruption_weight.value_or(0) * c.dmoved;
  // Balance first; then room inside the bands, few moves on a rebalance, compactness.
  c.key = c.dvw + 1e-4 * ds + (s_.rebalance ? 1e-3 * c.dmoved : 0.0) + 1e-5 * c.dcost / s_.dref;
  return c;
}

// Every move and swap across territory t's border.
void Search::neighbourhood(std::size_t t, std::vector<Candidate>& out) {
  const auto tt = static_cast<std::int32_t>(t);
  pairs_.clear();
  for (const auto i : members_[t]) {
    for (const auto w : s_.g.of(i)) {
      if (assign_[w] == tt) continue;
      pairs_.emplace_back(assign_[w], i);
      pairs_.emplace_back(assign_[w], w);
    }
  }
  std::sort(pairs_.begin(), pairs_.end());
  pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
  for (std::size_t k = 0; k < pairs_.size();) {
    const auto b = pairs_[k].first;
    std::size_t e = k;
    while (e < pairs_.size() && pairs_[e].first == b) ++e;
    const auto tb = static_cast<std::size_t>(b);
    for (std::size_t x = k; x < e; ++x) {
      const auto i = pairs_[x].second;
      const bool ours = assign_[i] == tt;
      const auto push = [&](const Candidate& c) {
        if (c.valid) out.push_back(c);
      };
      if (ours && members_[t].size() > 1 && s_.allowed(i, tb)) push(evaluate(i, none, tt, b, true));
      if (!ours && members_[tb].size() > 1 && s_.allowed(i, t)) push(evaluate(i, none, b, tt, true));
      if (!ours || !s_.allowed(i, tb)) continue;
      for (std::size_t y = k; y < e; ++y) {
        const auto j = pairs_[y].second;
        if (assign_[j] == b && s_.allowed(j, t)) push(evaluate(i, j, tt, b, true));
      }
    }
    k = e;
  }
}

bool Search::feasible_change(const Candidate& c) {
  const auto& pr = s_.pr;
  return c.valid && !(pr.max_moved && c.dmoved > 0 && moved_ + static_cast<std::size_t>(c.dmoved) > *pr.max_moved);
}

void Search::apply(const Candidate& c) {
  if (c.j == none) {
    (void)block_of(c.i, c.to);
    const auto block = block_;
    for (const auto x : block) set(x, c.to);
  } else {
    set(c.i, c.to);
    set(c.j, c.from);
  }
  ++moves_;
}

// Tabu search on the balance over the borders of the territories outside their bands. A unit
// may not go back for a few iterations; at a local minimum the weights of the bands still broken
// grow (breakout), so the search leaves it. The best balance seen is kept.
bool Search::balance(std::size_t limit) {
  const std::size_t n = s_.n, p = s_.p, m = s_.m;
  weight_.assign(p * (m + 1), 1.0);
  double v = violation(), best_v = v;
  if (best_v <= 1e-12) return true;
  std::vector<std::int32_t> best = assign_;
  if (tabu_to_.size() != n) {
    tabu_to_.assign(n, -1);
    tabu_until_.assign(n, 0);
  }
  std::vector<std::size_t> violated;
  std::vector<Candidate> cands;
  const std::size_t patience = std::max<std::size_t>(limit / 5, 200);
  std::size_t since = 0;
  bool stopped = false;
  for (std::size_t step = 1; step <= limit && best_v > 1e-12 && since < patience; ++step) {
    const std::size_t it = ++clock_;
    if ((step & 31) == 0 && ctx_.should_stop()) {
      stopped = true;
      break;
    }
    violated.clear();
    for (std::size_t t = 0; t < p; ++t) {
      if (pen(t, sum_.data() + t * m, false) > 0) violated.push_back(t);
    }
    cands.clear();
    for (const auto t : violated) neighbourhood(t, cands);
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return a.key < b.key || (a.key == b.key && (a.i < b.i || (a.i == b.i && a.j < b.j)));
    });
    const Candidate* chosen = nullptr;
    for (const auto& c : cands) {
      const bool tabu = (tabu_until_[c.i] > it && tabu_to_[c.i] == c.to) ||
                        (c.j != none && tabu_until_[c.j] > it && tabu_to_[c.j] == c.from);
      if (tabu && v + c.dv >= best_v - 1e-12) continue;
      if (!feasible_change(c)) continue;
      chosen = &c;
      break;
    }
    if (chosen == nullptr) break;
    if (chosen->dvw >= -1e-12) {  // a local minimum: make the broken bands weigh more
      for (const auto t : violated) {
        const double* s = sum_.data() + t * m;
        for (std::size_t a = 0; a < m; ++a) {
          const double inv = s_.inv_target[t * m + a];
          if (inv > 0 && std::abs(s[a] * inv - 1) - s_.tau[a] > 1e-12) weight_[t * (m + 1) + a] += 1;
        }
        const double cap = s_.capacity[t];
        if (cap > 0 && s[s_.pr.capacity_measure] > cap * (1 + 1e-12)) weight_[t * (m + 1) + m] += 1;
      }
    }
    const Candidate c = *chosen;
    apply(c);
    tabu_to_[c.i] = c.from;
    tabu_until_[c.i] = it + 7 + rng_.below(8);
    if (c.j != none) {
      tabu_to_[c.j] = c.to;
      tabu_until_[c.j] = it + 7 + rng_.below(8);
    }
    v = (step & 255) == 0 ? violation() : v + c.dv;
    if (v < best_v - 1e-12) {
      best_v = v;
      best = assign_;
      since = 0;
    } else {
      ++since;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (assign_[i] != best[i]) set(i, best[i]);
  }
  recentre();
  return !stopped;
}

// Moves and swaps that shorten distances to the centres without hurting the balance (or, on a
// rebalance with no disruption weight given, moving units off their current territory: that is
// what the default means; a weight of 0 lets compaction move them freely), the best first; then
// new centres; until a round gains nothing.
bool Search::compact() {
  std::vector<Candidate> cands;
  const bool keep_put = s_.rebalance && !s_.pr.disruption_weight.has_value();
  for (int round = 0; round < 100; ++round) {
    if (ctx_.should_stop()) return false;
    const double before = cost();
    cands.clear();
    for (std::size_t t = 0; t < s_.p; ++t) neighbourhood(t, cands);
    std::erase_if(cands, [&](const Candidate& c) {
      return c.dv > 1e-12 || c.dcost >= -1e-9 || (keep_put && c.dmoved > 0);
    });
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return a.dcost < b.dcost || (a.dcost == b.dcost && (a.i < b.i || (a.i == b.i && a.j < b.j)));
    });
    for (const auto& stale : cands) {
      if (assign_[stale.i] != stale.from || (stale.j != none && assign_[stale.j] != stale.to)) continue;
      const auto c = evaluate(stale.i, stale.j, stale.from, stale.to, false);
      if (c.dv > 1e-12 || c.dcost >= -1e-9 || (keep_put && c.dmoved > 0)) continue;
      if (!feasible_change(c)) continue;
      apply(c);
    }
    recentre();
    if (cost() >= before - 1e-9 * std::max(1.0, before)) break;
  }
  return true;
}

// Steepest rounds of moves and swaps that bring territories toward the middle of their bands
// (sum of squared deviations in units of tau): most of the balancing, cheaply, before the tabu
// search deals with the last territories outside.
void Search::smooth(std::span<const std::uint32_t> subset) {
  std::vector<Candidate> cands;
  const auto inside = [&](std::int32_t t) { return subset.empty() || in_subset_[static_cast<std::size_t>(t)] != 0; };
  for (int round = 0; round < 200; ++round) {
    if (subset.empty() && violation() <= 1e-12) break;  // balanced: compactness takes over
    cands.clear();
    // Only borders that changed since the last round can offer new gains: the territories that
    // changed and their neighbours.
    std::vector<std::uint32_t> near_change;
    const auto consider = [&](std::uint32_t t) {
      if (!dirty_[t]) return;
      near_change.push_back(t);
      for (const auto v : members_[t]) {
        for (const auto w : s_.g.of(v)) near_change.push_back(static_cast<std::uint32_t>(assign_[w]));
      }
    };
    if (subset.empty()) {
      for (std::size_t t = 0; t < s_.p; ++t) consider(static_cast<std::uint32_t>(t));
    } else {
      for (const auto t : subset) consider(t);
    }
    std::sort(near_change.begin(), near_change.end());
    near_change.erase(std::unique(near_change.begin(), near_change.end()), near_change.end());
    if (subset.empty()) {
      std::fill(dirty_.begin(), dirty_.end(), 0);
    } else {
      for (const auto t : subset) dirty_[t] = 0;
    }
    for (const auto t : near_change) {
      if (inside(static_cast<std::int32_t>(t))) neighbourhood(t, cands);
    }
    std::erase_if(cands, [&](const Candidate& c) { return c.ds >= -1e-9 || !inside(c.from) || !inside(c.to); });
    if (cands.empty()) break;
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return a.ds < b.ds || (a.ds == b.ds && (a.i < b.i || (a.i == b.i && a.j < b.j)));
    });
    std::size_t made = 0;
    for (const auto& stale : cands) {
      if (assign_[stale.i] != stale.from || (stale.j != none && assign_[stale.j] != stale.to)) continue;
      const auto c = evaluate(stale.i, stale.j, stale.from, stale.to, false);
      if (c.ds >= -1e-9 || !feasible_change(c)) continue;
      apply(c);
      ++made;
    }
    if (made == 0) break;
  }
}

void Search::unset(std::size_t i) {
  const auto o = static_cast<std::size_t>(assign_[i]);
  for (std::size_t a = 0; a < s_.m; ++a) sum_[o * s_.m + a] -= s_.u.activity[a][i];
  auto& list = members_[o];
  const auto last = list.back();
  list[pos_[i]] = last;
  pos_[last] = pos_[i];
  list.pop_back();
  moved_ -= moved(i, assign_[i]) ? 1 : 0;
  cuts_known_[o] = 0;
  dirty_[o] = 1;
  assign_[i] = -1;
}

// Re-draws the territories of `cluster` over their units: random seeds (locked units and homes
// stay seeds), randomised balanced growth over the adjacency, then the smooth descent inside.
void Search::redraw(std::span<const std::uint32_t> cluster, std::span<const std::uint32_t> units, Random& rng) {
  const auto& pr = s_.pr;
  const std::size_t m = s_.m;
  for (const auto i : units) unset(i);
  std::vector<std::uint32_t> seed(cluster.size(), none);
  for (std::size_t k = 0; k < cluster.size(); ++k) {
    const auto t = cluster[k];
    if (!pr.home.empty() && pr.home[t] >= 0) seed[k] = static_cast<std::uint32_t>(pr.home[t]);
  }
  for (const auto i : units) {
    if (s_.locked(i)) set(i, s_.lock[i]);
  }
  for (std::size_t k = 0; k < cluster.size(); ++k) {
    if (seed[k] != none || !members_[cluster[k]].empty()) continue;
    for (int tries = 0; tries < 64 && seed[k] == none; ++tries) {
      const auto i = units[rng.below(units.size())];
      if (assign_[i] < 0 && s_.allowed(i, cluster[k])) seed[k] = i;
    }
    for (std::size_t x = 0; x < units.size() && seed[k] == none; ++x) {
      if (assign_[units[x]] < 0) seed[k] = units[x];
    }
    set(seed[k], static_cast<std::int32_t>(cluster[k]));
  }
  using Item = std::pair<double, std::uint32_t>;
  std::vector<std::vector<Item>> frontier(cluster.size());
  const auto load = [&](std::size_t t) {
    double l = 0;
    for (std::size_t a = 0; a < m; ++a) l = std::max(l, sum_[t * m + a] * s_.inv_target[t * m + a]);
    return l;
  };
  // Each step the least loaded territory takes a random one of its nearest free neighbours.
  for (;;) {
    std::size_t pick = cluster.size();
    double lightest = INFINITY;
    std::vector<std::uint32_t> options;
    for (std::size_t k = 0; k < cluster.size(); ++k) {
      const double l = load(cluster[k]);
      if (l >= lightest) continue;
      bool open = false;
      for (const auto v : members_[cluster[k]]) {
        for (const auto w : s_.g.of(v)) open = open || (assign_[w] < 0 && s_.allowed(w, cluster[k]));
        if (open) break;
      }
      if (!open) continue;
      lightest = l;
      pick = k;
    }
    if (pick == cluster.size()) break;
    const auto t = cluster[pick];
    const auto centre = members_[t].front();
    auto& f = frontier[pick];
    f.clear();
    for (const auto v : members_[t]) {
      for (const auto w : s_.g.of(v)) {
        if (assign_[w] < 0 && s_.allowed(w, t)) f.emplace_back(s_.u.distance(w, centre) * (1 + 0.5 * rng.uniform()), w);
      }
    }
    // Among the nearest few, the unit that keeps the territory's measures most even (all reach
    // their targets together).
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end(), [](const Item& x, const Item& y) { return x.second == y.second; }), f.end());
    const std::size_t look = std::min<std::size_t>(f.size(), 6);
    std::uint32_t chosen = f[0].second;
    double chosen_score = INFINITY;
    for (std::size_t k = 0; k < look; ++k) {
      const auto w = f[k].second;
      double mean = 0;
      for (std::size_t a = 0; a < m; ++a) {
        da_[a] = (sum_[t * m + a] + s_.u.activity[a][w]) * s_.inv_target[t * m + a];
        mean += da_[a];
      }
      mean /= static_cast<double>(m);
      double var = 0;
      for (std::size_t a = 0; a < m; ++a) var += (da_[a] - mean) * (da_[a] - mean);
      const double sc = 100 * var + 0.3 * f[k].first / s_.dref;
      if (sc < chosen_score) {
        chosen_score = sc;
        chosen = w;
      }
    }
    set(chosen, static_cast<std::int32_t>(t));
  }
  // Units every territory was kept from (exclusions): the first neighbouring territory.
  for (bool left = true, progress = true; left;) {
    left = false;
    const bool forced = !progress;  // a piece cut off from the cluster: the first territory
    progress = false;
    for (const auto i : units) {
      if (assign_[i] >= 0) continue;
      std::int32_t to = forced ? static_cast<std::int32_t>(cluster[0]) : -1;
      for (const auto w : s_.g.of(i)) {
        if (assign_[w] >= 0 && in_subset_[static_cast<std::size_t>(assign_[w])] != 0) to = assign_[w];
      }
      if (to >= 0) {
        set(i, to);
        progress = true;
      }
      left = left || to < 0;
    }
  }
  smooth(cluster);
}

// Territory a and neighbouring territories chosen so that the cluster's total is near its
// targets: then a re-draw can put every territory of it inside its bands.
void Search::grow_cluster(std::uint32_t a, Random& rng, std::vector<std::uint32_t>& cluster) {
  const std::size_t m = s_.m;
  cluster.assign(1, a);
  std::vector<double> total(m), target(m);
  for (std::size_t k = 0; k < m; ++k) {
    total[k] = sum_[a * m + k];
    target[k] = s_.inv_target[a * m + k] > 0 ? 1 / s_.inv_target[a * m + k] : 0.0;
  }
  const auto off = [&](const double* add_sum, std::size_t b) {
    double v = 0;
    for (std::size_t k = 0; k < m; ++k) {
      const double tb = b == SIZE_MAX ? 0.0 : (s_.inv_target[b * m + k] > 0 ? 1 / s_.inv_target[b * m + k] : 0.0);
      const double tt = target[k] + tb;
      if (tt <= 0) continue;
      const double d = ((total[k] + (add_sum ? add_sum[k] : 0.0)) / tt - 1) / std::max(s_.tau[k], 0.01);
      v += d * d;
    }
    return v;
  };
  const std::size_t cap = 8;
  std::vector<std::uint32_t> around;
  while (cluster.size() < cap) {
    if (cluster.size() >= 3 && off(nullptr, SIZE_MAX) <= 0.25 * static_cast<double>(m)) break;
    around.clear();
    for (const auto t : cluster) {
      for (const auto v : members_[t]) {
        for (const auto w : s_.g.of(v)) {
          const auto b = static_cast<std::uint32_t>(assign_[w]);
          if (std::find(cluster.begin(), cluster.end(), b) == cluster.end()) around.push_back(b);
        }
      }
    }
    std::sort(around.begin(), around.end());
    around.erase(std::unique(around.begin(), around.end()), around.end());
    if (around.empty()) break;
    std::uint32_t best = around[0];
    double best_off = INFINITY;
    for (const auto b : around) {
      const double o = off(sum_.data() + b * m, b) * (1 + 0.2 * rng.uniform());
      if (o < best_off) {
        best_off = o;
        best = b;
      }
    }
    cluster.push_back(best);
    for (std::size_t k = 0; k < m; ++k) {
      total[k] += sum_[best * m + k];
      target[k] += s_.inv_target[best * m + k] > 0 ? 1 / s_.inv_target[best * m + k] : 0.0;
    }
  }
}

// Large neighbourhood search on the balance: for each territory outside its bands, its
// neighbourhood of territories is re-drawn from scratch several times, the best kept.
bool Search::repair(Random& rng) {
  const std::size_t p = s_.p, m = s_.m;
  in_subset_.assign(p, 0);
  std::vector<std::uint32_t> cluster, units;
  std::vector<std::int32_t> best_assign;
  const auto score = [&](std::span<const std::uint32_t> c) {
    double v = 0, sp = 0;
    for (const auto t : c) {
      v += pen(t, sum_.data() + t * m, false);
      sp += spread(t, sum_.data() + t * m);
    }
    return std::pair{v, sp};
  };
  double last = INFINITY;
  int idle = 0;
  for (int pass = 0; pass < 50; ++pass) {
    const double now = violation();
    idle = now < last * 0.98 ? 0 : idle + 1;
    last = std::min(last, now);
    if (idle >= 2) return true;
    std::vector<std::pair<double, std::uint32_t>> bad;
    for (std::size_t t = 0; t < p; ++t) {
      const double v = pen(t, sum_.data() + t * m, false);
      if (v > 0) bad.emplace_back(-v, static_cast<std::uint32_t>(t));
    }
    if (bad.empty()) return true;
    std::sort(bad.begin(), bad.end());
    for (const auto& [neg, a] : bad) {
      if (ctx_.should_stop()) return false;
      if (pen(a, sum_.data() + a * m, false) <= 0) continue;
      grow_cluster(a, rng, cluster);
      units.clear();
      for (const auto t : cluster) {
        in_subset_[t] = 1;
        units.insert(units.end(), members_[t].begin(), members_[t].end());
      }
      std::sort(units.begin(), units.end());
      best_assign.clear();
      for (const auto i : units) best_assign.push_back(assign_[i]);
      auto best = score(cluster);
      const int trials = static_cast<int>(std::clamp<std::size_t>(400 / bad.size(), 12, 100));
      for (int trial = 0; trial < trials; ++trial) {
        redraw(cluster, units, rng);
        const auto sc = score(cluster);
        if (s_.pr.max_moved && moved_ > *s_.pr.max_moved) continue;
        if (sc.first < best.first - 1e-12 || (sc.first <= best.first + 1e-12 && sc.second < best.second - 1e-9)) {
          best = sc;
          for (std::size_t k = 0; k < units.size(); ++k) best_assign[k] = assign_[units[k]];
        }
      }
      for (const auto i : units) unset(i);
      for (std::size_t k = 0; k < units.size(); ++k) set(units[k], best_assign[k]);
      for (const auto t : cluster) in_subset_[t] = 0;
    }
  }
  return true;
}

bool Search::run(std::uint64_t seed) {
  construct(seed);
  weight_.assign(s_.p * (s_.m + 1), 1.0);
  Random rng(seed ^ 0xA5A5A5A5ULL);
  rng_ = Random(seed * 31 + 7);
  // A rebalance goes straight to the tabu search, which moves few units; a new design first
  // evens the territories out, then re-draws neighbourhoods while that gains, then the tabu
  // search; again while bands are broken.
  if (!s_.rebalance) smooth();
  for (int round = 0; round < 4 && violation() > 1e-12; ++round) {
    const double before = violation();
    if (!s_.rebalance && !repair(rng)) return false;
    if (!s_.rebalance && s_.pr.contiguity && !recombine_all(rng)) return false;
    recentre();
    if (!balance(20000 + 20 * s_.n)) return false;
    if (violation() > 0.99 * before) break;  // a round that gains nothing: the next will not either
  }
  // Still outside the bands: walk the excess through the map by recombinations (contiguous
  // territories only: a split of two is along a spanning tree of their units), then polish.
  if (!s_.rebalance && s_.pr.contiguity && violation() > 1e-12) {
    if (!recombine_walk(rng, 200 * s_.p)) return false;
    recentre();
    if (violation() > 1e-12 && !balance(20000 + 20 * s_.n)) return false;
  }
  return compact();
}

}  // namespace spm::territory::detail
