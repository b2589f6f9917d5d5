// Sharing amounts down the hierarchy: the method's shares, constraints and redistribution,
// largest-remainder rounding, and each node's trace steps.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "allocation_detail.hpp"

namespace spm::quota::detail {

/// Bottom-up over nodes in depth-first order (children after their parent): an internal node's
/// method inputs, reference and bounds are its children's sums; bounds are divided by the
/// node's cushion (the children share quota x (1 + cushion)). equal_probability: `variances`
/// (the reps' own, by node) are summed up the tree and each node's volatility goes to `sigmas`.
void aggregate(std::vector<Node>& nodes, std::vector<Decimal>& factors,
               const std::vector<std::int32_t>& children, const AllocationOptions& options,
               std::vector<double>& variances, std::vector<Decimal>& sigmas);

/// Shares amounts down the hierarchy, writing each node's trace steps to `steps` (a node's steps
/// are contiguous: first_step(node), step_count(node)).
class Sharing {
 public:
  Sharing(std::vector<Node>& nodes, std::vector<Group>& groups, std::span<const Decimal> factors,
          std::span<const Decimal> sigmas,
          const std::vector<std::int32_t>& children, std::span<const std::string_view> ids,
          const AllocationOptions& options, std::vector<TraceStep>& steps);

  /// Shares a root's target down to its reps.
  void share_from(std::int32_t root);

  [[nodiscard]] const Decimal& quota(std::int32_t node) const { return quota_[node]; }
  [[nodiscard]] std::uint32_t first_step(std::int32_t node) const { return first_step_[node]; }
  [[nodiscard]] std::uint32_t step_count(std::int32_t node) const { return step_count_[node]; }
  std::vector<Violation> take_violations() { return std::move(violations_); }

 private:
  // A group's steps are made phase by phase (all methods, then constraints...) and written
  // child by child when the group is done.
  void step(std::size_t child, StepKind kind, const Decimal& amount, const Decimal& running,
            Bound bound = Bound::none);
  void flush_steps(std::span<const std::int32_t> kids);
  void cushion(std::int32_t node, std::size_t child);
  void share_children(std::int32_t parent);
  void clamp_until_consistent(std::span<const std::int32_t> kids, const Decimal& amount);
  void reshare(std::span<const std::int32_t> kids, const Decimal& amount);
  void round_group(std::span<const std::int32_t> kids, const Decimal& amount);
  void infeasible_group(std::int32_t parent, std::span<const std::int32_t> kids,
                        const Decimal& amount, const Decimal& lo_sum, const Decimal& hi_sum);

  std::vector<Node>& nodes_;
  std::vector<Group>& groups_;
  std::span<const Decimal> factors_;
  std::span<const Decimal> sigmas_;
  const std::vector<std::int32_t>& children_;
  std::span<const std::string_view> ids_;
  const AllocationOptions& opt_;
  std::vector<TraceStep>& steps_;
  std::vector<Decimal> quota_;
  std::vector<Decimal> to_share_;  ///< by group: what a node's children share (quota x cushion)
  std::vector<std::uint32_t> first_step_;
  std::vector<std::uint8_t> step_count_;
  struct PendingStep {
    std::uint32_t child;
    TraceStep step;
  };
  std::vector<PendingStep> pending_;
  std::vector<std::uint32_t> child_steps_;
  std::vector<Violation> violations_;
  // Scratch for one group, reused.
  std::vector<Decimal> first_, raw_, shares_, weights_, final_;
  std::vector<std::uint8_t> fixed_;
  std::vector<std::int32_t> free_;
  std::vector<std::size_t> free_pos_;
};

}  // namespace spm::quota::detail
