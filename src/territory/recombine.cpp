// Recombination (ReCom, as in redistricting): two neighbouring territories are merged and split
// again along an edge of a random spanning tree of their units, so both parts are contiguous;
// the split that best fits both territories' bands is kept when it improves them.
#include <algorithm>
#include <numeric>

#include "search.hpp"

namespace spm::territory::detail {

namespace {

std::uint32_t find(std::vector<std::uint32_t>& parent, std::uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

}  // namespace

bool Search::recombine(std::int32_t a, std::int32_t b, Random& rng, int trees, bool shift) {
  const std::size_t m = s_.m;
  // The merged units, numbered locally.
  std::vector<std::uint32_t> units(members_[static_cast<std::size_t>(a)]);
  units.insert(units.end(), members_[static_cast<std::size_t>(b)].begin(), members_[static_cast<std::size_t>(b)].end());
  const std::size_t k = units.size();
  if (k < 2) return false;
  std::sort(units.begin(), units.end());
  auto local = [&](std::uint32_t v) {
    return static_cast<std::uint32_t>(std::lower_bound(units.begin(), units.end(), v) - units.begin());
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (std::size_t x = 0; x < k; ++x) {
    for (const auto w : s_.g.of(units[x])) {
      if (w > units[x] && (assign_[w] == a || assign_[w] == b)) edges.emplace_back(static_cast<std::uint32_t>(x), local(w));
    }
  }
  // What each part must respect: units locked to (or kept from) a or b.
  std::vector<std::uint8_t> bad_a(k), bad_b(k);  // may not go to a / to b
  for (std::size_t x = 0; x < k; ++x) {
    const auto i = units[x];
    bad_a[x] = !s_.allowed(i, static_cast<std::size_t>(a));
    bad_b[x] = !s_.allowed(i, static_cast<std::size_t>(b));
  }
  const double* sa = sum_.data() + static_cast<std::size_t>(a) * m;
  const double* sb = sum_.data() + static_cast<std::size_t>(b) * m;
  std::vector<double> total(m), part(m), rest(m);
  for (std::size_t q = 0; q < m; ++q) total[q] = sa[q] + sb[q];
  const double now_v = pen(static_cast<std::size_t>(a), sa, false) + pen(static_cast<std::size_t>(b), sb, false);
  const double now_s = spread(static_cast<std::size_t>(a), sa) + spread(static_cast<std::size_t>(b), sb);
  // A shift keeps the pair's violation but takes it off a (onto b), to walk an excess through
  // the map until some territory has room for it.
  const double now_a = pen(static_cast<std::size_t>(a), sa, false);
  double best_v = shift ? now_v + 1e-12 : now_v - 1e-12, best_s = shift ? INFINITY : now_s;
  std::vector<std::uint8_t> best_side;  // per local unit: 1 = to a
  std::vector<std::uint32_t> parent(k), order, up(k), head(k), next(2 * k), to(2 * k);
  std::vector<double> sub(k * m);
  std::vector<std::uint32_t> sub_bad_a(k), sub_bad_b(k), sub_size(k);
  std::vector<double> weight(edges.size());
  std::vector<std::uint32_t> idx(edges.size());
  for (int tree = 0; tree < trees; ++tree) {
    // A random spanning tree: Kruskal on random weights.
    for (auto& w : weight) w = rng.uniform();
    std::iota(idx.begin(), idx.end(), 0u);
    std::sort(idx.begin(), idx.end(), [&](std::uint32_t x, std::uint32_t y) { return weight[x] < weight[y]; });
    std::iota(parent.begin(), parent.end(), 0u);
    std::fill(head.begin(), head.end(), UINT32_MAX);
    std::size_t ne = 0, joined = 0;
    for (const auto e : idx) {
      const auto [x, y] = edges[e];
      const auto rx = find(parent, x), ry = find(parent, y);
      if (rx == ry) continue;
      parent[rx] = ry;
      to[ne] = y; next[ne] = head[x]; head[x] = static_cast<std::uint32_t>(ne++);
      to[ne] = x; next[ne] = head[y]; head[y] = static_cast<std::uint32_t>(ne++);
      if (++joined + 1 == k) break;
    }
    if (joined + 1 != k) return false;  // not connected (cannot happen for two contiguous neighbours)
    // Root at a random unit; subtree sums in reverse BFS order.
    order.assign(1, static_cast<std::uint32_t>(rng.below(k)));
    up[order[0]] = UINT32_MAX;
    for (std::size_t h = 0; h < order.size(); ++h) {
      const auto x = order[h];
      for (auto e = head[x]; e != UINT32_MAX; e = next[e]) {
        if (to[e] == up[x]) continue;
        up[to[e]] = x;
        order.push_back(to[e]);
      }
    }
    for (std::size_t h = k; h-- > 0;) {
      const auto x = order[h];
      for (std::size_t q = 0; q < m; ++q) sub[x * m + q] = s_.u.activity[q][units[x]];
      sub_bad_a[x] = bad_a[x];
      sub_bad_b[x] = bad_b[x];
      sub_size[x] = 1;
      for (auto e = head[x]; e != UINT32_MAX; e = next[e]) {
        const auto c = to[e];
        if (c == up[x]) continue;
        for (std::size_t q = 0; q < m; ++q) sub[x * m + q] += sub[c * m + q];
        sub_bad_a[x] += sub_bad_a[c];
        sub_bad_b[x] += sub_bad_b[c];
        sub_size[x] += sub_size[c];
      }
    }
    const auto root = order[0];
    // Each edge (x, its parent): the subtree of x to one territory, the rest to the other.
    std::uint32_t cut = UINT32_MAX;
    bool cut_to_a = false;
    for (std::size_t h = 1; h < k; ++h) {
      const auto x = order[h];
      for (std::size_t q = 0; q < m; ++q) {
        part[q] = sub[x * m + q];
        rest[q] = total[q] - part[q];
      }
      const std::uint32_t rest_bad_a = sub_bad_a[root] - sub_bad_a[x];
      const std::uint32_t rest_bad_b = sub_bad_b[root] - sub_bad_b[x];
      for (const bool part_to_a : {true, false}) {
        if (part_to_a ? (sub_bad_a[x] || rest_bad_b) : (sub_bad_b[x] || rest_bad_a)) continue;
        const double* ta = part_to_a ? part.data() : rest.data();
        const double* tb = part_to_a ? rest.data() : part.data();
        const double va = pen(static_cast<std::size_t>(a), ta, false);
        const double v = va + pen(static_cast<std::size_t>(b), tb, false);
        if (v > best_v + 1e-12) continue;
        if (shift && va > now_a * 0.5) continue;
        const double sp = spread(static_cast<std::size_t>(a), ta) + spread(static_cast<std::size_t>(b), tb);
        if (v < best_v - 1e-12 || sp < best_s - 1e-9) {
          best_v = v;
          best_s = sp;
          cut = x;
          cut_to_a = part_to_a;
        }
      }
    }
    if (cut == UINT32_MAX) continue;
    // The subtree of `cut`, marked by walking the BFS order (a descendant comes after it).
    best_side.assign(k, cut_to_a ? 0 : 1);
    std::vector<std::uint8_t> in(k, 0);
    in[cut] = 1;
    for (std::size_t h = 0; h < k; ++h) {
      const auto x = order[h];
      if (x != cut && up[x] != UINT32_MAX && in[up[x]]) in[x] = 1;
      if (in[x]) best_side[x] = cut_to_a ? 1 : 0;
    }
  }
  if (best_side.empty()) return false;
  for (std::size_t x = 0; x < k; ++x) {
    const std::int32_t t = best_side[x] ? a : b;
    if (assign_[units[x]] != t) set(units[x], t);
  }
  return true;
}

void Search::neighbours(std::int32_t a, std::vector<std::int32_t>& out) const {
  out.clear();
  for (const auto v : members_[static_cast<std::size_t>(a)]) {
    for (const auto w : s_.g.of(v)) {
      if (assign_[w] != a) out.push_back(assign_[w]);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

bool Search::recombine_all(Random& rng) {
  const std::size_t p = s_.p, m = s_.m;
  std::vector<std::int32_t> around;
  for (int pass = 0; pass < 30; ++pass) {
    std::vector<std::pair<double, std::int32_t>> bad;
    for (std::size_t t = 0; t < p; ++t) {
      const double v = pen(t, sum_.data() + t * m, false);
      if (v > 0) bad.emplace_back(-v, static_cast<std::int32_t>(t));
    }
    if (bad.empty()) return true;
    std::sort(bad.begin(), bad.end());
    bool changed = false;
    for (const auto& [neg, a] : bad) {
      if (ctx_.should_stop()) return false;
      neighbours(a, around);
      for (std::size_t r = around.size(); r > 1; --r) std::swap(around[r - 1], around[rng.below(r)]);
      for (const auto b : around) {
        if (recombine(a, b, rng, 24, false)) {
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  return true;
}

bool Search::recombine_walk(Random& rng, std::size_t steps) {
  const std::size_t p = s_.p, m = s_.m;
  std::vector<std::int32_t> bad, around;
  for (std::size_t step = 0; step < steps; ++step) {
    if (ctx_.should_stop()) return false;
    bad.clear();
    for (std::size_t t = 0; t < p; ++t) {
      if (pen(t, sum_.data() + t * m, false) > 0) bad.push_back(static_cast<std::int32_t>(t));
    }
    if (bad.empty()) return true;
    const auto a = bad[rng.below(bad.size())];
    neighbours(a, around);
    if (around.empty()) continue;
    const auto b = around[rng.below(around.size())];
    // First a fix of the pair; failing that, the excess moves on to b.
    if (!recombine(a, b, rng, 24, false)) recombine(a, b, rng, 24, true);
  }
  return true;
}

}  // namespace spm::territory::detail
