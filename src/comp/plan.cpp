// Model-level plan validation: every problem at once, each with its path and a fix.
#include <algorithm>
#include <set>

#include <spm/comp/plan.hpp>
#include <spm/core/error.hpp>

namespace spm::comp {
namespace {

std::string interval(const Tier& t) {
  return "[" + t.from.to_string() + ", " + (t.to ? t.to->to_string() : "no limit") + ")";
}

// Tiers must start at `start`, be contiguous and increasing, and only the last may be open.
void validate_lifecycle(const Plan& plan, std::vector<PlanIssue>& issues);

// `rate_key`: the field holding a row's rate ("rate" in rate tables, "factor" in multipliers).
void check_tiers(const std::vector<Tier>& tiers, const std::string& path, const char* what,
                 std::vector<PlanIssue>& issues, bool rates_nonnegative,
                 const std::string& rate_key = "rate") {
  if (tiers.empty()) {
    issues.push_back({path, std::string("needs at least one ") + what});
    return;
  }
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const auto at = path + "[" + std::to_string(i) + "]";
    const Tier& t = tiers[i];
    if (t.to && *t.to <= t.from) {
      issues.push_back({at, "upper bound " + t.to->to_string() + " must be above lower bound " +
                                t.from.to_string()});
    }
    if (!t.to && i + 1 < tiers.size()) {
      issues.push_back({at, "only the last " + std::string(what) +
                                " may be open-ended; give it a 'to' bound"});
    }
    if (rates_nonnegative && t.rate.sign() < 0) {
      issues.push_back({at + "." + rate_key, rate_key + " " + t.rate.to_string() +
                                               " is negative; " + rate_key + "s are zero or more"});
    }
    if (rates_nonnegative && t.rate_to && t.rate_to->sign() < 0) {
      issues.push_back({at + ".rate_to", "rate_to " + t.rate_to->to_string() +
                                " is negative; rates are zero or more"});
    }
    if (i > 0 && tiers[i - 1].to) {
      const Tier& prev = tiers[i - 1];
      if (t.from < *prev.to) {
        issues.push_back({at, "lower bound " + t.from.to_string() + " overlaps previous " + what +
                                  " " + interval(prev) + "; start it at " + prev.to->to_string()});
      } else if (t.from > *prev.to) {
        issues.push_back({at, "lower bound " + t.from.to_string() + " leaves a gap after previous " +
                                  what + " " + interval(prev) + "; start it at " +
                                  prev.to->to_string()});
      }
    }
  }
}

void validate_lifecycle(const Plan& plan, std::vector<PlanIssue>& issues) {
  std::set<std::string> rule_ids;
  for (std::size_t i = 0; i < plan.rollup.rules.size(); ++i) {
    const auto& r = plan.rollup.rules[i];
    const auto at = "rollup.rules[" + std::to_string(i) + "]";
    if (!rule_ids.insert(r.id).second) issues.push_back({at + ".id", "rule '" + r.id + "' is defined twice"});
    if (r.hierarchy == !r.relationship.empty()) {
      issues.push_back({at, "give \"hierarchy\": true or a \"relationship\" name, not both"});
    }
    if (!r.relationship.empty() && r.by.empty()) {
      issues.push_back({at + ".by", "a relationship rule needs the transaction column it matches, e.g. \"account_id\""});
    }
    if (r.hierarchy && !r.by.empty()) issues.push_back({at + ".by", "applies to relationship rules only"});
    if (r.levels < 0) issues.push_back({at + ".levels", "must be 0 (all levels) or more"});
    if (r.percent.sign() <= 0) issues.push_back({at + ".percent", "must be above 0"});
  }
  const auto& cb = plan.clawback;
  if (cb.window_days < 0) issues.push_back({"clawback.window_days", "must be zero or more"});
  if (cb.limit_per_period && cb.limit_per_period->sign() < 0) {
    issues.push_back({"clawback.limit_per_period", "must be zero or more"});
  }
  const auto& d = plan.draws;
  if (d.recovery_percent.sign() < 0 || d.recovery_percent > Decimal(100)) {
    issues.push_back({"draws.recovery_percent", "must be 0 to 100"});
  }
  if (d.recovery_limit_per_period && d.recovery_limit_per_period->sign() < 0) {
    issues.push_back({"draws.recovery_limit_per_period", "must be zero or more"});
  }
  Decimal total;
  std::set<ReleaseOn> seen;
  for (std::size_t i = 0; i < plan.release.size(); ++i) {
    const auto& r = plan.release[i];
    const auto at = "release[" + std::to_string(i) + "]";
    if (r.percent.sign() <= 0) issues.push_back({at + ".percent", "must be above 0"});
    if (!seen.insert(r.on).second) {
      issues.push_back({at + ".on", "'" + std::string(to_string(r.on)) +
                                        "' is listed twice; give each event once"});
    }
    total += r.percent;
  }
  if (!plan.release.empty() && total != Decimal(100)) {
    issues.push_back({"release", "percents add up to " + total.to_string() +
                                     "; they must add up to exactly 100"});
  }
  const bool on_booking_only =
      plan.release.empty() || (plan.release.size() == 1 && plan.release.front().on == ReleaseOn::booking);
  if (!on_booking_only && plan.rounding_point == RoundingPoint::payout) {
    issues.push_back({"release", "a release schedule splits each transaction's lines, which must "
                                 "then be in cents: set rounding.point to earning_line"});
  }
  if (cb.policy == ClawbackPolicy::recalculate && !plan.release.empty() &&
      !(plan.release.size() == 1 && plan.release.front().on == ReleaseOn::booking)) {
    issues.push_back({"clawback.policy",
                      "recalculate needs commission released on booking; use original_rate with "
                      "a release schedule"});
  }
}

}  // namespace

const Measure* Plan::find_measure(std::string_view measure_id) const noexcept {
  for (const auto& m : measures) {
    if (m.id == measure_id) return &m;
  }
  return nullptr;
}

bool uses_target_incentive(const Plan& plan) noexcept {
  return std::any_of(plan.components.begin(), plan.components.end(), [](const Component& c) {
    return c.type == ComponentType::rate_table && c.rate_unit == RateUnit::target_incentive;
  });
}

std::vector<std::string> plan_notes(const Plan& plan) {
  std::vector<std::string> out;
  const Decimal hundred(100);
  for (const auto& c : plan.components) {
    if (c.type != ComponentType::rate_table || c.rate_unit != RateUnit::percent) continue;
    for (std::size_t t = 0; t < c.tiers.size(); ++t) {
      const Decimal top = std::max(c.tiers[t].rate, c.tiers[t].rate_to.value_or(c.tiers[t].rate));
      if (top <= hundred) continue;
      out.push_back("component '" + c.id + "' tier " + std::to_string(t + 1) + " pays " +
                    top.to_string() + "% of each amount, more than the amount itself; if an "
                    "accelerator was meant (1.5x of a 10% rate), give the rate itself (15)");
    }
    // Every rate a fraction (0.05, 0.08): usually a spreadsheet's 5%, 8%, which pay 100 times
    // less here. Legal (0.5% on large deals), so a note, not an error.
    std::string rates;
    bool all_below_one = !c.tiers.empty();
    for (const auto& t : c.tiers) {
      for (const Decimal& r : {t.rate, t.rate_to.value_or(t.rate)}) all_below_one &= r < Decimal(1);
      rates += (rates.empty() ? "" : ", ") + t.rate.to_string();
    }
    const auto paying = std::find_if(c.tiers.begin(), c.tiers.end(), [](const Tier& t) { return !t.rate.is_zero(); });
    if (all_below_one && paying != c.tiers.end()) {
      const std::string r = paying->rate.to_string();
      out.push_back("component '" + c.id + "' rates are all below 1 (" + rates + "); they are "
                    "percentages, so " + r + " pays " + r + "% of each amount; if fractions were "
                    "meant (0.05 for 5%), write the percentages (5)");
    }
  }
  return out;
}

std::vector<PlanIssue> validate(const Plan& plan) {
  std::vector<PlanIssue> issues;
  if (plan.id.empty()) issues.push_back({"id", "is required (a short name such as \"ae-2026\")"});
  if (plan.effective_to <= plan.effective_from) {
    issues.push_back({"effective", "'to' (" + plan.effective_to.to_string() +
                                       ") must be after 'from' (" +
                                       plan.effective_from.to_string() + ")"});
  }
  if (plan.true_up == TrueUp::quarter_to_date && plan.pay_period != PeriodKind::month) {
    issues.push_back({"true_up", "quarter_to_date needs monthly pay periods"});
  }
  // Kinds in order month < quarter < half_year < year: each holds whole periods of the shorter.
  if (plan.quota_period && static_cast<int>(*plan.quota_period) < static_cast<int>(plan.pay_period)) {
    issues.push_back({"quota_period", "must be the pay period or longer (quotas for a whole " +
                                          std::string(to_string(plan.pay_period)) +
                                          " at least)"});
  }
  if (plan.rounding_places < 0 || plan.rounding_places > Decimal::scale) {
    issues.push_back({"rounding.places", "must be 0 to 12"});
  }
  std::set<std::string> measure_ids;
  for (std::size_t i = 0; i < plan.measures.size(); ++i) {
    const auto& m = plan.measures[i];
    const auto at = "measures[" + std::to_string(i) + "]";
    if (!measure_ids.insert(m.id).second) {
      issues.push_back({at + ".id", "measure '" + m.id + "' is defined twice"});
    }
    if (!m.count && m.sum_column.empty()) {
      issues.push_back({at, "give 'sum' (a decimal column such as \"amount\") or \"count\": true"});
    }
    for (std::size_t k = 0; k < m.weights.size(); ++k) {
      const auto wp = at + ".weights[" + std::to_string(k) + "]";
      if (m.weights[k].filter.conditions.empty()) {
        issues.push_back({wp + ".filter", "a weight needs a filter: the transactions it applies to"});
      }
      if (m.weights[k].factor.sign() < 0) {
        issues.push_back({wp + ".factor", "must be 0 or more (1.2 counts 120%)"});
      }
    }
  }
  if (plan.measures.empty()) issues.push_back({"measures", "define at least one measure"});
  auto check_measure = [&](const std::string& id, const std::string& at) {
    if (id.empty() || measure_ids.count(id)) return;
    std::string known;
    for (const auto& m : plan.measures) known += (known.empty() ? "" : ", ") + m.id;
    issues.push_back({at, "unknown measure '" + id + "'; defined measures: " + known});
  };
  if (!plan.quota_measure.empty()) check_measure(plan.quota_measure, "quota_measure");
  std::set<std::string> component_ids;
  for (std::size_t i = 0; i < plan.components.size(); ++i) {
    const auto& c = plan.components[i];
    const auto at = "components[" + std::to_string(i) + "]";
    if (!component_ids.insert(c.id).second) {
      issues.push_back({at + ".id", "component '" + c.id + "' is defined twice"});
    }
    check_measure(c.measure, at + ".measure");
    const Measure* m = plan.find_measure(c.measure);
    if (c.type == ComponentType::rate_table) {
      check_tiers(c.tiers, at + ".tiers", "tier", issues, true);
      if (!c.tiers.empty() && c.tiers.front().from.sign() != 0) {
        issues.push_back({at + ".tiers[0]", "the first tier must start at 0"});
      }
      if (c.mode == TierMode::flat && c.tiers.size() != 1) {
        issues.push_back({at + ".tiers", "a flat rate table has exactly one tier"});
      }
      for (std::size_t k = 0; k < c.tiers.size(); ++k) {
        if (c.tiers[k].rate_to && c.mode != TierMode::interpolated) {
          issues.push_back({at + ".tiers[" + std::to_string(k) + "].rate_to",
                            "only interpolated tables take 'rate_to'"});
        }
      }
      if (c.mode == TierMode::interpolated && !c.tiers.empty() && !c.tiers.back().to &&
          c.tiers.back().rate_to) {
        issues.push_back({at + ".tiers", "an open-ended tier cannot interpolate; drop its rate_to"});
      }
      if (c.rate_unit == RateUnit::per_deal && m != nullptr && !m->count) {
        issues.push_back({at + ".rate_unit", "per_deal rates need a count measure (\"count\": true)"});
      }
      if (c.rate_unit == RateUnit::percent && m != nullptr && m->count) {
        issues.push_back({at + ".rate_unit", "a percent rate needs an amount measure, not a count"});
      }
      if (c.basis == TierBasis::attainment_percent && c.processing == Processing::per_transaction) {
        issues.push_back({at + ".processing",
                          "per_transaction processing starts every transaction from zero, so its "
                          "tiers must be keyed by amount (\"basis\": \"amount\")"});
      }
    } else if (c.type == ComponentType::spif) {
      if (c.amount.sign() <= 0) issues.push_back({at + ".amount", "must be above 0"});
    } else {
      // Steps are milestones: increasing attainment, a bonus each; no ranges to keep contiguous.
      if (c.steps.empty()) issues.push_back({at + ".steps", "needs at least one step"});
      for (std::size_t k = 0; k < c.steps.size(); ++k) {
        const auto sp = at + ".steps[" + std::to_string(k) + "]";
        if (k > 0 && c.steps[k].from <= c.steps[k - 1].from) {
          issues.push_back({sp, "attainment_percent " + c.steps[k].from.to_string() +
                                    " must be above the previous step's " +
                                    c.steps[k - 1].from.to_string()});
        }
        if (c.steps[k].rate.sign() < 0) issues.push_back({sp, "the bonus amount must be zero or more"});
      }
    }
    for (std::size_t g = 0; g < c.gates.size(); ++g) {
      const auto gp = at + ".gates[" + std::to_string(g) + "]";
      check_measure(c.gates[g].measure, gp + ".measure");
      if (c.gates[g].min_value && c.gates[g].min_value->sign() < 0) {
        issues.push_back({gp + ".min_value", "must be 0 or more"});
      }
      if (c.gates[g].min_value && !c.gates[g].min_attainment_percent.is_zero()) {
        issues.push_back({gp + ".min_value", "give min_attainment_percent or min_value, not both"});
      }
      if (c.gates[g].effect == GateEffect::no_accelerator && c.type != ComponentType::rate_table) {
        issues.push_back(
            {gp + ".effect", "no_accelerator applies to rate tables only; use no_pay"});
      }
    }
    for (std::size_t k = 0; k < c.multipliers.size(); ++k) {
      const auto& mult = c.multipliers[k];
      const auto mp = at + ".multipliers[" + std::to_string(k) + "]";
      if (mult.measure.empty() == mult.score.empty()) {
        issues.push_back({mp, "give exactly one of 'measure' (attainment) or 'score' (an input)"});
      }
      check_measure(mult.measure, mp + ".measure");
      check_tiers(mult.table, mp + ".table", "row", issues, true, "factor");
    }
    const auto& lim = c.limits;
    // Limits that a component would otherwise ignore silently.
    if (lim.cap_per_transaction &&
        (c.type != ComponentType::rate_table || c.processing == Processing::grouped)) {
      issues.push_back({at + ".limits.cap_per_transaction",
                        "applies to rate tables processed per_transaction or as a running_total"});
    }
    if (lim.attainment_cap_percent && c.type != ComponentType::rate_table) {
      issues.push_back({at + ".limits.attainment_cap_percent", "applies to rate tables only"});
    }
    for (const auto& [value, name] :
         {std::pair{lim.cap_per_transaction, "cap_per_transaction"},
          std::pair{lim.cap_per_period, "cap_per_period"}, std::pair{lim.cap_per_year, "cap_per_year"},
          std::pair{lim.floor_per_period, "floor_per_period"},
          std::pair{lim.attainment_cap_percent, "attainment_cap_percent"}}) {
      if (value && value->sign() < 0) {
        issues.push_back({at + ".limits." + name, "must be zero or more"});
      }
    }
  }
  if (plan.components.empty()) issues.push_back({"components", "define at least one component"});
  validate_lifecycle(plan, issues);
  return issues;
}

std::string_view to_string(TierMode m) noexcept {
  switch (m) {
    case TierMode::marginal: return "marginal";
    case TierMode::retroactive: return "retroactive";
    case TierMode::interpolated: return "interpolated";
    case TierMode::flat: return "flat";
  }
  return "marginal";
}

std::string_view to_string(Processing p) noexcept {
  switch (p) {
    case Processing::per_transaction: return "per_transaction";
    case Processing::running_total: return "running_total";
    case Processing::grouped: return "grouped";
  }
  return "running_total";
}

std::string_view to_string(TrueUp t) noexcept {
  switch (t) {
    case TrueUp::none: return "none";
    case TrueUp::quarter_to_date: return "quarter_to_date";
    case TrueUp::year_to_date: return "year_to_date";
  }
  return "none";
}

}  // namespace spm::comp

namespace spm::comp {

std::string_view to_string(RollupPolicy p) noexcept {
  switch (p) {
    case RollupPolicy::max: return "max";
    case RollupPolicy::first: return "first";
    case RollupPolicy::sum: return "sum";
  }
  return "max";
}

std::string_view to_string(ClawbackPolicy p) noexcept {
  return p == ClawbackPolicy::recalculate ? "recalculate" : "original_rate";
}

std::string_view to_string(ReleaseOn r) noexcept {
  switch (r) {
    case ReleaseOn::booking: return "booking";
    case ReleaseOn::invoice: return "invoice";
    case ReleaseOn::payment: return "payment";
  }
  return "booking";
}

std::int64_t prorated_days(const Period& p, Proration rule) noexcept {
  if (p.empty()) return 0;
  if (rule == Proration::calendar_days) return p.days();
  // Whole weeks have five business days; the remaining days are counted one by one.
  const std::int64_t days = p.days();
  std::int64_t n = days / 7 * 5;
  for (Date d = p.begin + static_cast<std::int32_t>(days / 7 * 7); d < p.end; d = d + 1) {
    const unsigned w = d.weekday();
    if (w != 0 && w != 6) ++n;
  }
  return n;
}

}  // namespace spm::comp
