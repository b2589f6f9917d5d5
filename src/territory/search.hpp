// One run of the territory search: construction, smooth descent, re-draws of clusters and tabu
// search on the balance (moves and swaps that keep territories contiguous), then compaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <spm/core/execution.hpp>
#include <spm/core/random.hpp>
#include <spm/territory/solver.hpp>

#include "graph.hpp"

namespace spm::territory::detail {

/// What every run of one problem shares.
struct Setup {
  Setup(const Problem& problem, const Graph& graph);
  const Problem& pr;
  const Units& u;
  const Graph& g;
  std::size_t n, p, m;
  std::vector<double> tau;         ///< per measure
  std::vector<double> inv_target;  ///< [t * m + a]: 1 / target, 0 when the target is 0
  std::vector<double> capacity;    ///< per territory, <= 0: none
  std::vector<std::uint64_t> excluded;  ///< sorted unit * p + territory
  bool rebalance = false;          ///< some units have a current territory: start from it
  double dref = 1;                 ///< distance scale: the side of one territory's share of the map
  [[nodiscard]] bool allowed(std::size_t i, std::size_t t) const;
  std::vector<std::int32_t> lock;  ///< per unit: the territory it must stay in (locks and homes), or -1
  [[nodiscard]] bool locked(std::size_t i) const { return lock[i] >= 0; }
};

class Search {
 public:
  Search(const Setup& setup, const ExecutionContext& context);
  /// Construction, balance, compaction; false when the context said stop.
  bool run(std::uint64_t seed);
  [[nodiscard]] double violation() const;  ///< sum of the excesses beyond the bands
  [[nodiscard]] double cost() const;       ///< p-median to the centres, plus disruption
  [[nodiscard]] const std::vector<std::int32_t>& assignment() const { return assign_; }
  [[nodiscard]] std::size_t moves() const { return moves_; }

 private:
  /// Unit i (and, for a block move, the pieces of `from` it alone holds on) to `to`; unit j
  /// (unless UINT32_MAX) from `to` back to `from`.
  struct Candidate {
    double key, dvw, dv, dcost, ds;  ///< order; weighted and plain balance change; cost, spread
    std::uint32_t i, j;
    std::int32_t from, to;
    int dmoved;
    bool valid;
  };

  double pen(std::size_t t, const double* s, bool weighted) const;
  double spread(std::size_t t, const double* s) const;
  bool moved(std::size_t i, std::int32_t t) const;
  void set(std::size_t i, std::int32_t t);
  void reset();
  void construct(std::uint64_t seed);
  std::uint32_t donor(std::size_t t, const std::vector<double>& nearest, Random& rng);
  void recentre();
  bool is_cut(std::uint32_t i);
  void find_cuts(std::size_t t);
  bool block_of(std::uint32_t i, std::int32_t b);
  bool has_other_neighbour(std::uint32_t i, std::int32_t t, std::uint32_t other) const;
  Candidate evaluate(std::uint32_t i, std::uint32_t j, std::int32_t a, std::int32_t b, bool weighted);
  void neighbourhood(std::size_t t, std::vector<Candidate>& out);
  bool feasible_change(const Candidate& c);
  void apply(const Candidate& c);
  void smooth(std::span<const std::uint32_t> subset = {});
  void unset(std::size_t i);
  void redraw(std::span<const std::uint32_t> cluster, std::span<const std::uint32_t> units, Random& rng);
  void grow_cluster(std::uint32_t a, Random& rng, std::vector<std::uint32_t>& cluster);
  bool repair(Random& rng);
  /// Merges territories a and b and splits them again along an edge of one of `trees` random
  /// spanning trees of their units (both parts contiguous); keeps the best split that lowers the
  /// pair's band violation (or, at equal violation, its spread). True when it changed them.
  /// With `shift`, a split that keeps the pair's violation but moves most of a's onto b counts.
  bool recombine(std::int32_t a, std::int32_t b, Random& rng, int trees, bool shift);
  /// Recombination of each territory outside its bands with its neighbours, while that helps;
  /// false when the context said stop.
  bool recombine_all(Random& rng);
  /// The territories bordering territory a, sorted.
  void neighbours(std::int32_t a, std::vector<std::int32_t>& out) const;
  /// A random walk of recombinations from territories outside their bands to neighbours, fixing
  /// a pair when it can and otherwise passing the excess on; false when the context said stop.
  bool recombine_walk(Random& rng, std::size_t steps);
  bool balance(std::size_t limit);
  bool compact();

  const Setup& s_;
  const ExecutionContext& ctx_;
  std::vector<std::int32_t> assign_;
  std::vector<double> sum_;     ///< [t * m + a]
  std::vector<double> weight_;  ///< [t * (m + 1) + a]: breakout weights; a = m: capacity
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::uint32_t> pos_, centre_, mark_, stack_, block_;
  std::vector<std::uint8_t> cut_;         ///< per unit: an articulation unit of its territory
  std::vector<std::uint8_t> cuts_known_;  ///< per territory: cut_ is up to date
  std::vector<std::uint8_t> in_subset_;   ///< per territory: in the cluster being re-drawn
  std::vector<std::uint8_t> dirty_;       ///< per territory: changed since the last smooth round
  std::vector<std::uint32_t> disc_, low_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> dfs_;
  std::uint32_t stamp_ = 0;
  std::vector<std::int32_t> tabu_to_;
  std::vector<std::size_t> tabu_until_;
  std::size_t clock_ = 0;
  Random rng_{1};
  std::size_t moved_ = 0, moves_ = 0;
  std::vector<double> da_, db_;  ///< scratch: sums after a change
  std::vector<std::pair<std::int32_t, std::uint32_t>> pairs_;  ///< scratch: (territory, unit)
};

}  // namespace spm::territory::detail
