// Compensation plans as data: the model, its JSON (and YAML) form and its validation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/currency.hpp>
#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/period.hpp>
#include <spm/core/rounding.hpp>

namespace spm::comp {

/// How a rate table turns a measure into earnings (docs/plan-format.md has worked examples).
enum class TierMode {
  marginal,      ///< each slice of the measure earns its own tier's rate
  retroactive,   ///< the whole measure earns the rate of the highest tier reached
  interpolated,  ///< the whole measure earns a rate interpolated linearly within the tier reached
  flat,          ///< one rate for everything (a table with one tier)
};
/// How transactions meet the rate table.
enum class Processing {
  per_transaction,  ///< each transaction on its own, from zero
  running_total,    ///< cumulative in canonical order (date, then id); each transaction earns the
                    ///< difference it makes to the cumulative earnings
  grouped,          ///< once per window on the total
};
/// What the tier bounds are written in.
enum class TierBasis { attainment_percent, amount };
/// What a tier's rate means.
enum class RateUnit {
  percent,   ///< percent of the credited amount
  per_unit,  ///< currency per unit of the measure (e.g. per seat)
  per_deal,  ///< currency per credited transaction (needs a count measure)
  /// Percent of the payee's target incentive per percent of attainment (100 = 1:1, 200 = 2:1):
  /// a slice of measure earns slice x rate x target incentive / (quota x 100). The target
  /// incentive comes per payee and quota period with the quota (column "target_incentive").
  target_incentive,
};
/// Rolling windows over which earnings are computed before paying the difference.
enum class TrueUp { none, quarter_to_date, year_to_date };
/// Where amounts are rounded to `places`.
enum class RoundingPoint { earning_line, payout };
/// What a gate removes when its condition fails.
enum class GateEffect { no_pay, no_accelerator };
/// How several multipliers combine.
enum class Combine { multiply, add };

/// Keeps transactions whose column equals one of the listed values, for every listed column.
struct Filter {
  struct Condition {
    std::string column;
    std::vector<std::string> values;
  };
  std::vector<Condition> conditions;
};

/// A sum of credited amounts (or of another decimal column, or a count) per payee and window.
/// A split credit contributes its share of the column; in a count, a deal counts its share
/// (1 for a direct credit) and a return (negative amount) does not count.
/// Credit weighting: the credited values of the transactions passing `filter` count `factor`
/// times in a measure (new logos at 1.2, renewals at 0.5).
struct MeasureWeight {
  Filter filter;
  Decimal factor;
};

struct Measure {
  std::string id;
  /// Decimal column summed ("amount" by default); empty when `count` is set.
  std::string sum_column = "amount";
  bool count = false;
  Filter filter;
  /// The first weight whose filter a transaction passes scales its credited value (a count's
  /// too); none: 1.
  std::vector<MeasureWeight> weights;
};

/// One tier: [from, to) in the table's basis, paying `rate` (and `rate_to` at `to` when
/// interpolated). `to` is empty for the open top tier; a bounded last tier is a limit (measure
/// above it earns nothing more, in every mode).
struct Tier {
  Decimal from;
  std::optional<Decimal> to;
  Decimal rate;
  std::optional<Decimal> rate_to;
};

/// Caps and floors on a component's earnings (currency), and a cap on attainment.
struct Limits {
  /// Rate tables processed per transaction or as a running total.
  std::optional<Decimal> cap_per_transaction;
  std::optional<Decimal> cap_per_period;
  std::optional<Decimal> cap_per_year;
  std::optional<Decimal> floor_per_period;
  /// Attainment above this percent (of the quota, whatever the tiers' basis) earns nothing more:
  /// the table pays what it pays at the cap. Rate tables only.
  std::optional<Decimal> attainment_cap_percent;
};

/// A condition on attainment that must hold for the component to pay (fully). `no_pay` holds back
/// any component's window earnings; `no_accelerator` (rate tables only) pays the measure at the
/// first tier's rate.
struct Gate {
  std::string measure;
  Decimal min_attainment_percent;
  /// A threshold on the measure's value itself (10 meetings) instead of its attainment: no
  /// quota needed.
  std::optional<Decimal> min_value;
  /// "period" compares the window's attainment; "year" the plan year's to date.
  bool year_to_date = true;
  GateEffect effect = GateEffect::no_pay;
};

/// Scales a component's window earnings by a factor looked up from another measure's
/// attainment, or from a per-payee score input (MBO).
struct Multiplier {
  std::string id;
  /// Attainment of this measure picks the factor; empty when `score` is used.
  std::string measure;
  /// Name of a score supplied per payee and period in the scores input.
  std::string score;
  /// Factor table: [from, to) in attainment percent (or score) -> factor. Below the first row
  /// its factor applies, above a bounded last row that row's.
  std::vector<Tier> table;
};

enum class ComponentType { rate_table, spif, step_bonus };

/// One way of earning.
struct Component {
  std::string id;
  ComponentType type = ComponentType::rate_table;
  std::string measure;
  // rate_table
  TierBasis basis = TierBasis::attainment_percent;
  TierMode mode = TierMode::marginal;
  Processing processing = Processing::running_total;
  RateUnit rate_unit = RateUnit::percent;
  std::vector<Tier> tiers;
  /// A value exactly on a boundary belongs to the upper tier (default) or the lower one.
  bool boundary_to_lower = false;
  // spif: `amount` per qualifying credited transaction (scaled by the credit share; a return,
  // with a negative amount, earns none)
  Filter filter;
  Decimal amount;
  // step_bonus: `amount` of each step whose attainment is reached in the window
  std::vector<Tier> steps;  ///< from = attainment percent, rate = bonus amount
  Limits limits;
  std::vector<Gate> gates;
  std::vector<Multiplier> multipliers;
  Combine combine = Combine::multiply;
};

/// Indirect credit: up the reporting lines, or to the members of a named relationship (an
/// overlay) on a transaction column's value. Each indirect credit is `percent` of the share it
/// comes from (the rep's credit share; the whole deal for a relationship).
struct RollupRule {
  std::string id;
  bool hierarchy = false;  ///< up the hierarchy input's reporting lines
  int levels = 0;          ///< how many levels up (0 = all)
  std::string relationship;  ///< or: the relationships input's members named so
  std::string by;            ///< on this transaction column's value (e.g. "account_id")
  Decimal percent = Decimal(100);
};
/// What happens when several paths bring one deal to one payee.
enum class RollupPolicy {
  max,    ///< the largest share counts (a direct or split credit is a path too)
  first,  ///< the first path counts: direct or split credit, then the rules in order, nearer
          ///< levels first
  sum,    ///< every indirect path counts (one credit with the sum, every path named)
};
struct Rollup {
  std::vector<RollupRule> rules;
  RollupPolicy policy = RollupPolicy::max;
};

/// How a cancelled or refunded transaction's commission comes back (docs/plan-format.md).
enum class ClawbackPolicy {
  original_rate,  ///< reverse what the transaction's lines paid, as paid (pro rata for a refund)
  recalculate,    ///< recompute from the cancellation's period without it; claw back the difference
};
struct ClawbackRules {
  ClawbackPolicy policy = ClawbackPolicy::original_rate;
  /// A cancellation at most this many days after the transaction date claws back; a later one
  /// is reported (in rejects) and claws back nothing.
  int window_days = 365;
  /// At most this much of what a payee owes (clawbacks and balances brought forward) is taken
  /// per pay period; the rest is carried forward.
  std::optional<Decimal> limit_per_period;
  bool operator==(const ClawbackRules&) const = default;
};

/// How a recoverable draw's balance is recovered from later earnings, and when it is forgiven.
struct DrawRules {
  /// Share (percent) of the earnings above the period's draw (above zero once the draw has
  /// ended) that goes to recovery; pay never falls below the draw while recovering.
  Decimal recovery_percent = Decimal(100);
  std::optional<Decimal> recovery_limit_per_period;
  bool forgive_at_year_end = false;
  bool forgive_on_termination = false;
  bool operator==(const DrawRules&) const = default;
};

/// When earned commission is released for payment.
enum class ReleaseOn { booking, invoice, payment };
/// One step of a release schedule: `percent` of each transaction's commission on `on`.
struct ReleaseStep {
  ReleaseOn on = ReleaseOn::booking;
  Decimal percent = Decimal(100);
  bool operator==(const ReleaseStep&) const = default;
};

/// How quotas and draws are prorated for part of a period.
enum class Proration { calendar_days, business_days };

/// A complete plan: identity, calendar, measures, components and rounding.
struct Plan {
  std::string id;
  std::string name;
  int version = 1;
  Currency currency = Currency("USD");
  Date effective_from;
  Date effective_to;
  FiscalCalendar calendar;
  PeriodKind pay_period = PeriodKind::quarter;
  /// The period quotas are given for when it is longer than the pay period ("quota_period":
  /// "year": one annual quota per payee, and every window's attainment is measured against the
  /// whole quota of the periods it overlaps, not against its pay periods' shares). Unset: the
  /// pay period.
  std::optional<PeriodKind> quota_period;
  TrueUp true_up = TrueUp::none;
  /// The period quotas are given for (quota_period, else the pay period).
  [[nodiscard]] PeriodKind quota_kind() const noexcept { return quota_period.value_or(pay_period); }
  /// The measure whose quota defines "attainment" unless a component names another.
  std::string quota_measure;
  std::vector<Measure> measures;
  std::vector<Component> components;
  Rounding rounding = Rounding::half_even;
  int rounding_places = 2;
  RoundingPoint rounding_point = RoundingPoint::earning_line;
  /// Transactions with a negative amount are accepted (credits, returns) or rejected.
  bool allow_negative = false;
  /// Credit by rule: the transaction column (e.g. "account_id", "territory_id", "product_id")
  /// whose value the credit_rules input maps to payees, effective-dated. Empty = credit the
  /// transaction's own payee_id.
  std::string credit_by;
  /// Currency conversion (with an fx_rates input): the decimal columns converted into the plan
  /// currency, and the rate's date: the transaction date, or the first day of its pay period.
  std::vector<std::string> conversion_columns{"amount"};
  bool conversion_at_period_start = false;
  /// Hierarchy roll-ups and overlays (docs/plan-format.md, "Roll-ups and overlays").
  Rollup rollup;
  /// Lifecycle (docs/plan-format.md, "Lifecycle"): clawbacks, draws, release schedule,
  /// proration. Empty `release` = everything released on booking.
  ClawbackRules clawback;
  DrawRules draws;
  std::vector<ReleaseStep> release;
  Proration proration = Proration::calendar_days;
  /// The document the plan was parsed from, as compact JSON with sorted keys (what run
  /// fingerprints hash); empty for a plan built in code.
  std::string document;

  [[nodiscard]] const Measure* find_measure(std::string_view measure_id) const noexcept;
  /// True when some component looks at the whole plan year (a yearly cap or a year gate).
  [[nodiscard]] bool components_need_year() const noexcept;
};

/// One problem found in a plan: where it is and what to do.
struct PlanIssue {
  std::string path;
  std::string message;
};

/// Parses and validates a plan from JSON text. Every problem is collected (unknown fields,
/// wrong types, overlapping or unordered tiers, unknown measure references, ...); if there is
/// any, throws InvalidInputError "plan.invalid" whose message lists them all, one per line, as
/// "path: message". `issues` (when not null) receives them too.
[[nodiscard]] Plan parse_plan(std::string_view json, std::vector<PlanIssue>* issues = nullptr);
/// Parses and validates a plan from YAML text: the document is read as the JSON tree it spells,
/// then exactly as parse_plan (same problems, same paths). Plain scalars that are whole numbers
/// become integers, true/false booleans, null and ~ null; every other scalar (0.08 too) and
/// every quoted one is text, so decimals never pass through binary floating point. A key
/// written twice in one mapping is a problem. Throws InvalidInputError "plan.yaml" for
/// malformed YAML (with line and column), "plan.no_yaml" when libspm was built without yaml-cpp.
[[nodiscard]] Plan parse_plan_yaml(std::string_view yaml, std::vector<PlanIssue>* issues = nullptr);
/// The JSON text of a YAML plan, scalars mapped as parse_plan_yaml maps them; not validated,
/// except that a key written twice throws "plan.invalid" (JSON could keep only one of them).
[[nodiscard]] std::string plan_yaml_to_json(std::string_view yaml);
/// Reads and parses a plan file: YAML when the name ends in .yaml or .yml, JSON otherwise
/// (IoError "plan.open" when unreadable).
[[nodiscard]] Plan load_plan(const std::string& path);
/// Validates a plan built in code; returns the problems (empty when valid).
[[nodiscard]] std::vector<PlanIssue> validate(const Plan& plan);
/// What is legal in a valid plan but usually a slip, worth a word (a run's notes, `spm comp
/// validate`): a percent rate above 100, which pays more than the credited amount (a 1.5x
/// accelerator typed as 150).
[[nodiscard]] std::vector<std::string> plan_notes(const Plan& plan);

/// Whether a rate table of the plan is in percent of target incentive (its quotas then need a
/// target_incentive column).
[[nodiscard]] bool uses_target_incentive(const Plan& plan) noexcept;

/// Names as written in plan documents.
[[nodiscard]] std::string_view to_string(TierMode m) noexcept;
[[nodiscard]] std::string_view to_string(Processing p) noexcept;
[[nodiscard]] std::string_view to_string(TrueUp t) noexcept;
[[nodiscard]] std::string_view to_string(ClawbackPolicy p) noexcept;
[[nodiscard]] std::string_view to_string(RollupPolicy p) noexcept;
[[nodiscard]] std::string_view to_string(ReleaseOn r) noexcept;

/// Days of `p` that count for proration: all of them, or Monday to Friday.
[[nodiscard]] std::int64_t prorated_days(const Period& p, Proration rule) noexcept;

}  // namespace spm::comp
