// Top-down quota allocation through a hierarchy: quotas that add up exactly and explain themselves.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/period.hpp>
#include <spm/io/table.hpp>

namespace spm::quota {

/// How a node's target is shared among its children (docs/quota.md has a worked example each).
enum class Method {
  history,            ///< in proportion to base-window sales
  potential,          ///< in proportion to a weighted composite index of potential factors
  blend,              ///< w x history share + (1 - w) x potential share
  growth_percent,     ///< every child grows by the same percentage over its base
  growth_absolute,    ///< every child grows by the same absolute amount over its base
  regression,         ///< in proportion to sales fitted on the potential factors (OLS, "fair share")
  equal_probability,  ///< mean + z x volatility with one common z: the same chance of attaining
  ratchet,            ///< last quota + up x (sales above it) - down x (shortfall below it)
};

/// "history", "potential", "blend", "growth_percent", "growth_absolute", "regression",
/// "equal_probability", "ratchet".
[[nodiscard]] std::string_view to_string(Method method) noexcept;
/// Parses a method name; throws InvalidInputError "quota.method" listing the names.
[[nodiscard]] Method parse_method(std::string_view name);

/// What growth methods grow from.
enum class GrowthBase { sales, last_quota };

/// "sales" or "last_quota"; other names throw InvalidInputError "quota.options".
[[nodiscard]] GrowthBase parse_growth_base(std::string_view name);

/// What to do with a rep that has no history in the base window.
enum class NoHistoryPolicy {
  reject,    ///< the rep goes to rejects with the reason
  new_hire,  ///< treated as a new hire: history-based parts use the mean of sibling reps with
             ///< history (a full-territory equivalent; ramp it with phase_quotas)
};

/// "reject" or "new_hire"; other names throw InvalidInputError "quota.options".
[[nodiscard]] NoHistoryPolicy parse_no_history(std::string_view name);

/// A base window written as spm comp writes periods, on the calendar year: "2025", "2025-Q4",
/// "2025-H2", "2025-03", "2025-01..2025-06" (inclusive), "2025-01-01..2026-01-01" (half-open).
/// Other text throws InvalidInputError "quota.options" at "base" naming these forms.
[[nodiscard]] Period parse_base_window(std::string_view text);

/// A potential factor: a numeric column of the reps table and its weight in the composite index.
struct PotentialFactor {
  std::string column;
  Decimal weight;
};

/// Everything that shapes an allocation. Defaults are the common practice.
struct AllocationOptions {
  Method method = Method::blend;
  /// blend: weight of the history share (0..1); w = 1 is history, w = 0 is potential.
  Decimal history_weight = Decimal::from_units(5, 1);
  /// potential, blend, regression: factor columns of the reps table and weights that sum to
  /// exactly 1 (each factor enters as its share of the siblings' total).
  std::vector<PotentialFactor> factors;
  /// growth methods: grow from base-window sales or from last_quota.
  GrowthBase growth_base = GrowthBase::sales;
  /// ratchet: weight of sales above last quota, and of the shortfall below it (0..1 each).
  Decimal ratchet_up = Decimal::from_units(5, 1);
  Decimal ratchet_down = Decimal::from_units(5, 1);
  /// Quotas are multiples of this (e.g. 1000); targets and locked quotas must be too.
  Decimal increment = 1;
  /// Over-assignment cushion by level: cushions[d] applies when a node at depth d (roots are 0)
  /// hands its target to its children, which then share target x (1 + cushions[d]). Layers
  /// compound: 10% at two levels gives 1.1 x 1.1 = 1.21 at the reps. Missing levels: none.
  /// Each is at least 0 and below 1 (+100%): a negative cushion (under-assignment) and one of 1
  /// or more (10 for 10%?) throw "quota.options".
  std::vector<Decimal> cushions;
  /// Base window: history rows with period_start in it are "last year". Default: the calendar
  /// year of the latest period_start in the history.
  std::optional<Period> base;
  /// Constraints for every rep (the reps table may override per rep with columns
  /// max_increase, max_decrease, min_quota, locked_quota): change versus the reference (the
  /// rep's `reference` column, else last_quota, else base sales) as a fraction, e.g. 0.30 = at
  /// most +30% (Decimal::parse_fraction also reads "30%"). max_increase is 0 or more and below
  /// 10 (+1000%: a larger one is taken for a percent typed as a number); max_decrease is in
  /// [0, 1]. Out of range: "quota.options" here, a reject for a reps-table value.
  std::optional<Decimal> max_increase;
  std::optional<Decimal> max_decrease;
  std::optional<Decimal> min_quota;
  NoHistoryPolicy no_history = NoHistoryPolicy::reject;
};

/// The input tables. Columns by name; extra columns are ignored unless named as factors.
struct AllocationInputs {
  /// node_id (string), target (decimal): every root needs one; a target on a lower node locks
  /// that node's amount (its parent shares the rest among the other children).
  const io::Table* targets = nullptr;
  /// Optional: the non-rep nodes, node_id (string), parent_id (string, null for roots).
  const io::Table* org = nullptr;
  /// rep_id (string), parent_id (string), and as the method needs: last_quota (decimal),
  /// reference (decimal, nullable: what change constraints compare with; default last_quota),
  /// factor columns (decimal or integer), expected_sales and volatility (decimal, for
  /// equal_probability when history is not used), and the optional per-rep constraint columns
  /// locked_quota, min_quota, max_increase, max_decrease (decimal, nullable).
  const io::Table* reps = nullptr;
  /// Optional: rep_id (string), period_start (date), sales (decimal): sales per rep per period.
  const io::Table* history = nullptr;
  /// A reps or history row that could not be read at all (e.g. a CSV reader rejected it): the
  /// allocation notes how many there were per table, and a rep left without history because of
  /// one is rejected (or made a new hire) with a reason naming that row.
  struct UnreadRow {
    std::string rep_id;
    std::string source;  // "reps" or "history"
    std::int64_t row = 0;
  };
  std::vector<UnreadRow> unread{};
};

/// Why an adjustment in a quota's trace happened.
enum class StepKind {
  target,          ///< the amount handed down by the parent (or the root's own target)
  cushion,         ///< over-assignment added before sharing among the children
  method,          ///< the method's share before constraints
  constraint,      ///< clamped to a floor, a cap, a lock, or shared by bounds when infeasible
  redistribution,  ///< what constrained siblings left to share (or took away)
  rounding,        ///< the largest-remainder rounding to the increment
};

/// "target", "cushion", "method", "constraint", "redistribution", "rounding".
[[nodiscard]] std::string_view to_string(StepKind kind) noexcept;

/// Which bound a constraint step applied.
enum class Bound : std::uint8_t { none, floor, cap, lock, infeasible };

/// One line of a quota's trace: the amount it added (or took) and why. The words for it come
/// from AllocationResult::note (made on demand, so that large allocations stay fast).
struct TraceStep {
  StepKind kind = StepKind::method;
  Bound bound = Bound::none;  ///< constraint steps: the bound applied
  Decimal amount;   ///< the change this step made (for target: the amount itself)
  Decimal running;  ///< the quota after this step (cushion: the amount the children share)
};

/// A constraint set that cannot hold, and what was done instead.
struct Violation {
  std::string node_id;  ///< the parent whose children could not satisfy their bounds
  std::string message;  ///< e.g. "floors need 1200000 but the target is 1000000 (short 200000)"
};

/// The outcome a caller must look at: `infeasible` lists what could not hold; it still conserves
/// every total, except that a node with a target but no usable reps keeps it: no rep carries it.
enum class AllocationStatus { ok, infeasible };

/// One row per node.
struct NodeQuota {
  std::string node_id;
  std::string parent_id;
  int depth = 0;
  bool is_rep = false;
  Decimal quota;
  std::optional<Decimal> reference;  ///< what change constraints compare with (sums for nodes)
  std::uint32_t first_step = 0;      ///< this node's trace: AllocationResult::trace(node)
  std::uint32_t step_count = 0;
};

namespace detail {
struct NoteData;
}

/// Everything an allocation produces.
struct AllocationResult {
  AllocationStatus status = AllocationStatus::ok;
  std::vector<Violation> violations;
  /// Nodes in depth-first order (children by id), roots first.
  std::vector<NodeQuota> nodes;
  /// Every node's trace steps, node after node (see trace()).
  std::vector<TraceStep> steps;
  /// Input rows that were not used: source, row, id, reason.
  io::Table rejects;
  /// The base window history was read in (the option, or the calendar year of the latest
  /// history date); none without history.
  std::optional<Period> base;
  /// Worth a look though not errors: rep rows rejected (their share went to the reps left
  /// under their nodes); reps or history rows that could not be read; history rows naming no
  /// rep of the reps table (with the rep ids they differ from only by case, blanks or leading
  /// zeros); reps with negative base sales (counted as 0); a base window chosen by the latest
  /// history date that holds the history of at most half of the reps with history; reps
  /// columns that are not read but look like a misspelt optional column.
  std::vector<std::string> notes;

  /// A node's trace steps.
  [[nodiscard]] std::span<const TraceStep> trace(const NodeQuota& node) const;
  /// The words for step `i` of a node's trace: the method's inputs and weights, the bound and
  /// its reason, the rounding. `node` must be an element of `nodes` (a copy throws
  /// InvalidInputError "quota.node").
  [[nodiscard]] std::string note(const NodeQuota& node, std::size_t i) const;
  /// quotas as a table: node_id, parent_id, depth, is_rep, quota, reference, change_percent,
  /// method.
  [[nodiscard]] io::Table quotas_table() const;
  /// Every trace step with its note: node_id, step, kind, amount, running, note.
  [[nodiscard]] io::Table trace_table() const;
  /// The node's row, or nullptr.
  [[nodiscard]] const NodeQuota* find(std::string_view node_id) const;

  /// What notes are made from (internal; shared by copies of the result).
  std::shared_ptr<const detail::NoteData> note_data;
};

/// Allocates every root's target down the hierarchy to the reps. Quotas under a node sum
/// exactly to the node's amount (target x cushion, rounded to the increment). Bad rep or history
/// rows go to rejects; unusable inputs throw InvalidInputError: "quota.column" (missing or
/// mistyped column), "quota.options" (weights not summing to 1, negative increment...),
/// "quota.hierarchy" (cycles, unknown parents of org nodes, duplicate nodes), "quota.target"
/// (missing, negative or off-increment target).
[[nodiscard]] AllocationResult allocate_quotas(const AllocationInputs& inputs,
                                               const AllocationOptions& options);

/// The trace of one node as text a rep can follow with a calculator.
[[nodiscard]] std::string explain(const AllocationResult& result, std::string_view node_id);
/// The same from the tables quotas_table() and trace_table() wrote (e.g. read back from CSV).
[[nodiscard]] std::string explain(const io::Table& quotas, const io::Table& trace,
                                  std::string_view node_id);

}  // namespace spm::quota
