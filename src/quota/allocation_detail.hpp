// Internals shared by the allocation sources: the nodes, what each method reads, and what the
// trace notes are made from.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/quota/allocation.hpp>

namespace spm::quota::detail {

/// Why a rep's floor or cap is what it is (for notes).
enum class Limit : std::uint8_t { none, zero, min_quota, max_decrease, max_increase, locked,
                                  node_target, children, empty };

/// One org node or rep. Internal nodes hold the sums of their children's method inputs.
struct Node {
  std::int32_t parent = -1;   ///< -1 root, -2 dropped (rejected)
  std::int32_t first_child = 0;  ///< into Allocation::children
  std::int32_t child_count = 0;
  std::int32_t depth = 0;
  bool is_rep = false;
  bool has_history = false;
  bool has_reference = false;
  bool has_hi = false;
  bool locked = false;
  Limit floor_why = Limit::none;
  Limit cap_why = Limit::none;
  Limit lock_over = Limit::none;   ///< a locked rep: the floor or cap its lock is outside of
  std::int32_t imputed_from = -1;  ///< new hire: sibling reps whose mean sales it took
  std::int32_t group = -1;         ///< org nodes: index into the groups
  Decimal sales;       ///< base-window sales (imputed for new hires)
  Decimal last_quota;
  /// The method's own input: expected sales (equal_probability), fitted sales floored at zero
  /// (regression) or last quota moved by the up/down weights (ratchet).
  Decimal basis;
  Decimal reference;
  Decimal lo, hi;      ///< bounds, multiples of the increment
  Decimal floor_param, cap_param;  ///< the min quota / change limit behind the bound
  Decimal lock_bound;  ///< a locked rep: the value of the bound in lock_over
  // The share this node got, for notes.
  Decimal weight;      ///< the method's weight among its siblings (growth: base; eq. prob: mean)
  // equal_probability's volatility is kept apart (NoteData::sigmas): the other methods do not
  // need it, and a narrower node means less memory to touch.
};

/// A node that has children (an org node or a root): its target and how its children shared.
struct Group {
  Decimal target;        ///< from the targets table (roots)
  Decimal shared;        ///< the amount the children shared
  Decimal weight_total;  ///< the sum of the children's weights
  Decimal z;             ///< equal_probability: the common z
  Decimal sigma_total;
  std::int32_t violation = -1;  ///< index into violations when the children were infeasible
  bool equal_shares = false;    ///< no weight under this node: shared equally
};

/// What notes are made from: the nodes (in the result's depth-first order), their factor values
/// and the options.
struct NoteData {
  AllocationOptions options;
  std::vector<Node> nodes;
  std::vector<Group> groups;             ///< the org nodes' (Node::group)
  std::vector<Decimal> factors;          ///< nodes.size() x options.factors.size()
  std::vector<Decimal> sigmas;           ///< equal_probability: each node's volatility, else empty
  std::string regression_fit;            ///< the fitted equation in words
  std::vector<Violation> violations;
};

/// The method's share of `total` among `members` (indices into nodes), written to `shares`:
/// exact enough for constraint checks (12 places) and summing to `total` within a few 10^-12.
/// `sigmas`: the nodes' volatilities (equal_probability only).
/// When `record` is set, every member's `weight` and the parent's group facts are kept for notes.
void method_shares(std::vector<Node>& nodes, std::span<const Decimal> factors,
                   std::span<const Decimal> sigmas, std::span<const std::int32_t> members,
                   const Decimal& total, const AllocationOptions& options, std::vector<Decimal>& shares,
                   Group* record);

/// True for the methods whose shares are proportional to a weight per child (all but
/// growth_absolute and equal_probability, which add to a base).
bool is_proportional(Method m);

/// `total` shared among `members` in proportion to the `weight` method_shares recorded for
/// them (equal shares when they all weigh nothing): how proportional methods redistribute.
void weighted_shares(const std::vector<Node>& nodes, std::span<const std::int32_t> members,
                     const Decimal& total, std::vector<Decimal>& shares);

/// Regression: fits base sales on the factors over the reps with history (least squares with an
/// intercept) and sets every rep's `basis` to its fitted sales. Returns the fit in words. Throws
/// InvalidInputError "quota.regression" when there are too few reps to fit.
std::string fit_regression(std::vector<Node>& nodes, std::span<const Decimal> factors,
                           const AllocationOptions& options);

/// Why a rep's floor (or cap) is what it is: "minimum quota 200", "at most +10% over 100".
std::string limit_reason(const Node& n, bool cap);

/// What a base (sales, expected sales, a ratchet basis) weighs in the shares: a negative one
/// (net clawbacks) counts as 0, for the rep and in the sums of every node above it, so that a
/// node's weight is the sum of its reps' weights at every level.
inline Decimal basis_weight(const Decimal& v) { return v.sign() < 0 ? Decimal() : v; }

/// Shortest exact text of a decimal.
std::string text(const Decimal& d);

}  // namespace spm::quota::detail
