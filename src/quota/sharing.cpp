// Sharing amounts down the hierarchy under constraints, rounded so that totals are conserved.
#include "sharing.hpp"

#include "../core/huge_pages.hpp"
#include "increment.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <spm/core/allocate.hpp>

namespace spm::quota::detail {

namespace {

// The cushion a node at this depth applies when its children share its quota.
Decimal cushion_at(const AllocationOptions& o, std::int32_t depth) {
  const auto d = static_cast<std::size_t>(depth);
  return d < o.cushions.size() ? o.cushions[d] : Decimal();
}

}  // namespace

void aggregate(std::vector<Node>& nodes, std::vector<Decimal>& factors,
               const std::vector<std::int32_t>& children, const AllocationOptions& o,
               std::vector<double>& variances, std::vector<Decimal>& sigmas) {
  const std::size_t k = o.factors.size();
  const bool volatility = o.method == Method::equal_probability;
  if (volatility) sigmas.assign(nodes.size(), Decimal());
  const auto set_sigma = [&](std::int32_t i) {
    sigmas[i] = Decimal::from_double(std::sqrt(std::max(variances[i], 0.0)), 6);
  };
  for (auto i = static_cast<std::int32_t>(nodes.size()) - 1; i >= 0; --i) {
    Node& n = nodes[i];
    if (n.is_rep) {
      if (volatility) set_sigma(i);
      continue;
    }
    if (n.child_count == 0 && !n.locked) {  // nobody under it to carry a quota
      n.locked = n.has_hi = true;
      n.lo = n.hi = Decimal();
      n.floor_why = n.cap_why = Limit::empty;
      continue;
    }
    Decimal lo, hi;
    bool capped = n.child_count > 0, any_reference = false;
    for (auto c = n.first_child; c < n.first_child + n.child_count; ++c) {
      const auto ci = children[static_cast<std::size_t>(c)];
      const Node& ch = nodes[ci];
      n.sales += basis_weight(ch.sales);
      n.last_quota += ch.last_quota;
      n.basis += basis_weight(ch.basis);
      if (volatility) variances[i] += variances[ci];
      for (std::size_t f = 0; f < k; ++f) {
        factors[static_cast<std::size_t>(i) * k + f] += factors[static_cast<std::size_t>(ci) * k + f];
      }
      if (ch.has_reference) {
        any_reference = true;
        n.reference += basis_weight(ch.reference);
      }
      lo += ch.lo;
      if (ch.has_hi) hi += ch.hi;
      else capped = false;
    }
    n.has_reference = any_reference;
    if (volatility) set_sigma(i);
    if (n.locked) continue;  // a node with its own target keeps it as both bounds
    // The children share quota x (1 + c): the node's own bounds are theirs divided by it.
    const Decimal scale = Decimal(1) + cushion_at(o, n.depth);
    n.lo = round_to(Decimal::div(lo, scale), o.increment, Rounding::ceiling);
    n.floor_why = Limit::children;
    if (capped) {
      n.has_hi = true;
      n.hi = round_to(Decimal::div(hi, scale), o.increment, Rounding::floor);
      n.cap_why = Limit::children;
    }
  }
}

Sharing::Sharing(std::vector<Node>& nodes, std::vector<Group>& groups,
                 std::span<const Decimal> factors, std::span<const Decimal> sigmas,
                 const std::vector<std::int32_t>& children,
                 std::span<const std::string_view> ids, const AllocationOptions& options,
                 std::vector<TraceStep>& steps)
    : nodes_(nodes),
      groups_(groups),
      factors_(factors),
      sigmas_(sigmas),
      children_(children),
      ids_(ids),
      opt_(options),
      steps_(steps),
      quota_(nodes.size()),
      to_share_(groups.size()),
      first_step_(nodes.size(), 0),
      step_count_(nodes.size(), 0) {
  spm::detail::reserve_huge(steps_, nodes.size() * 3);
}

void Sharing::step(std::size_t child, StepKind kind, const Decimal& amount,
                   const Decimal& running, Bound bound) {
  pending_.push_back({static_cast<std::uint32_t>(child), {kind, bound, amount, running}});
}

// Writes the group's pending steps child by child (a counting sort by child position).
void Sharing::flush_steps(std::span<const std::int32_t> kids) {
  child_steps_.assign(kids.size() + 1, 0);
  for (const auto& p : pending_) ++child_steps_[p.child + 1];
  const auto base = static_cast<std::uint32_t>(steps_.size());
  for (std::size_t i = 0; i < kids.size(); ++i) {
    first_step_[kids[i]] = base + child_steps_[i];
    step_count_[kids[i]] = static_cast<std::uint8_t>(child_steps_[i + 1]);
    child_steps_[i + 1] += child_steps_[i];
  }
  const std::size_t need = steps_.size() + pending_.size();
  if (need > steps_.capacity()) spm::detail::reserve_huge(steps_, std::max(need, 2 * steps_.capacity()));
  steps_.resize(need);
  for (const auto& p : pending_) steps_[base + child_steps_[p.child]++] = p.step;
  pending_.clear();
}

// What a node's children will share: its quota with the cushion of its level, rounded.
void Sharing::cushion(std::int32_t node, std::size_t child) {
  const Node& n = nodes_[node];
  if (n.group < 0) return;  // a rep: nobody shares its quota
  Decimal& share = to_share_[n.group];
  share = quota_[node];
  const Decimal c = cushion_at(opt_, n.depth);
  if (c.is_zero() || n.child_count == 0) return;
  share = round_to(Decimal::mul(quota_[node], Decimal(1) + c), opt_.increment, Rounding::half_even);
  step(child, StepKind::cushion, share - quota_[node], share);
}

void Sharing::share_from(std::int32_t root) {
  quota_[root] = groups_[nodes_[root].group].target;
  step(0, StepKind::target, quota_[root], quota_[root]);
  cushion(root, 0);
  const std::int32_t one[1] = {root};
  flush_steps(one);
  std::vector<std::int32_t> stack{root};
  while (!stack.empty()) {
    const auto n = stack.back();
    stack.pop_back();
    const Node& node = nodes_[n];
    // Every amount must reach a rep: a node left with nobody under it cannot carry its target
    // (a root's, or a lower node's lock); other empty nodes are held at 0.
    if (node.child_count == 0 && !quota_[n].is_zero()) {
      groups_[node.group].violation = static_cast<std::int32_t>(violations_.size());
      violations_.push_back({std::string(ids_[n]),
                             "no usable reps under this node, so its target " + text(quota_[n]) +
                                 " reaches no rep: fix their rows (see the rejects) or add reps"});
    }
    if (node.child_count == 0) continue;
    share_children(n);
    for (auto c = node.first_child + node.child_count - 1; c >= node.first_child; --c) {
      const auto child = children_[static_cast<std::size_t>(c)];
      if (!nodes_[child].is_rep) stack.push_back(child);
    }
  }
}

void Sharing::share_children(std::int32_t parent) {
  Node& p = nodes_[parent];
  const Decimal amount = to_share_[p.group];
  const std::span<const std::int32_t> kids(children_.data() + p.first_child,
                                           static_cast<std::size_t>(p.child_count));
  method_shares(nodes_, factors_, sigmas_, kids, amount, opt_, first_, &groups_[p.group]);
  Decimal lo_sum, hi_sum;
  bool capped = true;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    const Node& ch = nodes_[kids[i]];
    step(i, StepKind::method, first_[i], first_[i]);
    lo_sum += ch.lo;
    if (ch.has_hi) hi_sum += ch.hi;
    else capped = false;
  }
  if (lo_sum > amount || (capped && hi_sum < amount)) {
    infeasible_group(parent, kids, amount, lo_sum, hi_sum);
  } else {
    clamp_until_consistent(kids, amount);
    round_group(kids, amount);
  }
  for (std::size_t i = 0; i < kids.size(); ++i) cushion(kids[i], i);
  flush_steps(kids);
}

// Clamps the side with the larger total violation and re-shares the rest by the same method,
// until nothing is out of bounds (at most one round per child).
void Sharing::clamp_until_consistent(std::span<const std::int32_t> kids, const Decimal& amount) {
  const std::size_t n = kids.size();
  fixed_.assign(n, 0);
  raw_.assign(first_.begin(), first_.end());
  bool any_fixed = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Node& ch = nodes_[kids[i]];
    if (!ch.locked) continue;
    fixed_[i] = 1;
    raw_[i] = ch.lo;
    any_fixed = true;
    step(i, StepKind::constraint, ch.lo - first_[i], ch.lo, Bound::lock);
  }
  for (std::size_t round = 0; round <= n; ++round) {
    if (any_fixed) reshare(kids, amount);
    Decimal over, under;
    for (std::size_t i = 0; i < n; ++i) {
      if (fixed_[i]) continue;
      const Node& ch = nodes_[kids[i]];
      if (ch.has_hi && raw_[i] > ch.hi) over += raw_[i] - ch.hi;
      if (raw_[i] < ch.lo) under += ch.lo - raw_[i];
    }
    if (over.is_zero() && under.is_zero()) break;
    const bool cap_side = over >= under;
    for (std::size_t i = 0; i < n; ++i) {
      if (fixed_[i]) continue;
      const Node& ch = nodes_[kids[i]];
      const bool hit = cap_side ? (ch.has_hi && raw_[i] > ch.hi) : raw_[i] < ch.lo;
      if (!hit) continue;
      const Decimal bound = cap_side ? ch.hi : ch.lo;
      if (raw_[i] != first_[i]) {  // re-shared in an earlier round: trace that first
        step(i, StepKind::redistribution, raw_[i] - first_[i], raw_[i]);
      }
      step(i, StepKind::constraint, bound - raw_[i], bound, cap_side ? Bound::cap : Bound::floor);
      raw_[i] = bound;
      fixed_[i] = 1;
    }
    any_fixed = true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (fixed_[i] || raw_[i] == first_[i]) continue;
    step(i, StepKind::redistribution, raw_[i] - first_[i], raw_[i]);
  }
}

// Shares what the fixed children leave among the others, by the method.
void Sharing::reshare(std::span<const std::int32_t> kids, const Decimal& amount) {
  free_.clear();
  Decimal rest = amount;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    if (fixed_[i]) rest -= raw_[i];
    else free_.push_back(kids[i]);
  }
  if (free_.empty()) return;
  // Proportional methods keep each child's weight; the others re-run on the free children.
  if (is_proportional(opt_.method)) weighted_shares(nodes_, free_, rest, shares_);
  else method_shares(nodes_, factors_, sigmas_, free_, rest, opt_, shares_, nullptr);
  std::size_t k = 0;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    if (!fixed_[i]) raw_[i] = shares_[k++];
  }
}

// Rounds the free children to the increment by largest remainder so that the group sums to
// `amount` exactly; fixed children keep their bound (already a multiple).
void Sharing::round_group(std::span<const std::int32_t> kids, const Decimal& amount) {
  const Decimal inc = opt_.increment;
  const bool proportional = is_proportional(opt_.method);
  free_pos_.clear();
  weights_.clear();
  Decimal rest = amount;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    if (fixed_[i]) {
      rest -= raw_[i];
      continue;
    }
    free_pos_.push_back(i);
    // Proportional methods round by their exact weights (the free shares are proportional to
    // them), so that exact ties are ties; the 12-place shares would tilt them.
    weights_.push_back(std::max(proportional ? nodes_[kids[i]].weight : raw_[i], Decimal()));
  }
  final_.assign(raw_.begin(), raw_.end());
  if (!free_pos_.empty()) {
    const Decimal units = Decimal::div(rest, inc, 0, Rounding::half_even);
    if (std::all_of(weights_.begin(), weights_.end(), [](const Decimal& w) { return w.is_zero(); })) {
      std::fill(weights_.begin(), weights_.end(), Decimal(1));
    }
    const auto parts = allocate(units, weights_, 0);
    for (std::size_t k = 0; k < free_pos_.size(); ++k) {
      final_[free_pos_[k]] = Decimal::mul(parts[k], inc);
    }
    // The 10^-12 error of the shares can put a rounded value one increment outside a bound its
    // exact share touches: move single increments between free siblings to fix it.
    for (const auto i : free_pos_) {
      const Node& ni = nodes_[kids[i]];
      while (final_[i] < ni.lo) {
        const auto j = std::find_if(free_pos_.begin(), free_pos_.end(), [&](std::size_t x) {
          return x != i && final_[x] - inc >= nodes_[kids[x]].lo;
        });
        if (j == free_pos_.end()) break;
        final_[*j] -= inc;
        final_[i] += inc;
      }
      while (ni.has_hi && final_[i] > ni.hi) {
        const auto j = std::find_if(free_pos_.begin(), free_pos_.end(), [&](std::size_t x) {
          const Node& nx = nodes_[kids[x]];
          return x != i && (!nx.has_hi || final_[x] + inc <= nx.hi);
        });
        if (j == free_pos_.end()) break;
        final_[*j] += inc;
        final_[i] -= inc;
      }
    }
  }
  for (std::size_t i = 0; i < kids.size(); ++i) {
    quota_[kids[i]] = final_[i];
    const Decimal diff = final_[i] - raw_[i];
    if (!diff.is_zero()) step(i, StepKind::rounding, diff, final_[i]);
  }
}

void Sharing::infeasible_group(std::int32_t parent, std::span<const std::int32_t> kids,
                               const Decimal& amount, const Decimal& lo_sum,
                               const Decimal& hi_sum) {
  const bool floors = lo_sum > amount;
  std::string msg = floors ? "the children's floors and locks need " + text(lo_sum) + " but " +
                                 text(amount) + " is to share (short " + text(lo_sum - amount) + ")"
                           : "the children's caps and locks allow " + text(hi_sum) + " but " +
                                 text(amount) + " is to share (over by " + text(amount - hi_sum) +
                                 ")";
  msg += "; shared in proportion to the " + std::string(floors ? "floors" : "caps") +
         " instead: loosen the constraints or change the target";
  groups_[nodes_[parent].group].violation = static_cast<std::int32_t>(violations_.size());
  violations_.push_back({std::string(ids_[parent]), std::move(msg)});
  weights_.clear();
  for (const auto k : kids) weights_.push_back(floors ? nodes_[k].lo : nodes_[k].hi);
  if (std::all_of(weights_.begin(), weights_.end(), [](const Decimal& w) { return w.is_zero(); })) {
    std::fill(weights_.begin(), weights_.end(), Decimal(1));
  }
  const auto parts = allocate(Decimal::div(amount, opt_.increment, 0), weights_, 0);
  for (std::size_t i = 0; i < kids.size(); ++i) {
    const Decimal v = Decimal::mul(parts[i], opt_.increment);
    step(i, StepKind::constraint, v - first_[i], v, Bound::infeasible);
    quota_[kids[i]] = v;
  }
}

}  // namespace spm::quota::detail
