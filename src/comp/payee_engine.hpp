// The per-payee computation of a commission run (private): one payee's statements and lines
// for every pay period, from prepared inputs.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <spm/comp/plan.hpp>

#include "inputs.hpp"
#include "lines.hpp"

namespace spm::comp::detail {

// A sum over a payee's credits [b, e) of one measure or component. Year- and quarter-to-date
// windows start where the previous period's did and end a period later, so a period's sums go
// on from the previous period's instead of adding the window again: the same additions in the
// same order.
struct WindowSum {
  std::size_t key = 0, b = 0, e = 0;
  Decimal sum;
};

// The sum of `key` from credit `b` that ends latest at or before `e`, or a new empty one.
inline WindowSum& window_sum(std::vector<WindowSum>& sums, std::size_t key, std::size_t b,
                             std::size_t e) {
  WindowSum* best = nullptr;
  for (auto& s : sums) {
    if (s.key == key && s.b == b && s.e <= e && (best == nullptr || s.e > best->e)) best = &s;
  }
  if (best != nullptr) return *best;
  return sums.emplace_back(WindowSum{key, b, b, Decimal()});
}

struct StatementRow {
  std::uint32_t period = 0;
  int component = -1;  // -1 = TOTAL
  std::optional<Decimal> measure_value, quota, attainment;
  Decimal earnings, paid_before, payout;
};

// What a range of payees produced, in payee order.
struct ChunkOut {
  detail::LineChunk lines;
  std::vector<std::pair<std::uint32_t, StatementRow>> statements;  // payee, row
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::string>> rejects;  // payee, period, why
};

// Everything fixed for a run: plan, prepared inputs, the pay periods to compute.
class Engine {
 public:
  /// `explain` = false computes statements only (no lines): what-if runs.
  Engine(const Plan& plan, const Prepared& p, const Period& range, bool explain = true)
      : plan_(plan), p_(p), range_(range), explain_(explain) {
    // Compute from the start of the earliest window so that true-ups know what was paid.
    periods_ = plan.calendar.periods({first_computed_day(plan, range), range.end}, plan.pay_period);
    std::erase_if(periods_, [&](const Period& q) { return q.end <= plan.effective_from || q.begin >= plan.effective_to; });
    for (const auto& q : periods_) labels_.push_back(plan.calendar.label(q.begin, plan.pay_period));
    line_places_ = plan.rounding_point == RoundingPoint::earning_line ? plan.rounding_places : Decimal::scale;
  }

  [[nodiscard]] const std::vector<Period>& periods() const { return periods_; }
  [[nodiscard]] const std::vector<std::string>& labels() const { return labels_; }
  [[nodiscard]] bool reported(std::size_t period) const { return periods_[period].end > range_.begin; }

  void compute(std::uint32_t payee, ChunkOut& out) const;

 private:
  Period window(std::size_t k) const {
    const Period& q = periods_[k];
    if (plan_.true_up == TrueUp::none) return q;
    const PeriodKind kind = plan_.true_up == TrueUp::year_to_date ? PeriodKind::year : PeriodKind::quarter;
    return {std::max(plan_.calendar.period_containing(q.begin, kind).begin, periods_.front().begin), q.end};
  }
  Decimal round_line(const Decimal& x) const { return x.round(line_places_, plan_.rounding); }

  // Quota of a measure over [from, to) as the sum of its pay periods' quotas, prorated by the
  // days assigned; nullopt (with `missing` set) when a period has none. With `target`, the
  // target incentives of the same periods, prorated alike, are summed there (and a period
  // without one is missing too).
  std::optional<Decimal> quota(std::uint32_t payee, std::size_t measure, const Period& w,
                               std::string& missing, Decimal* target = nullptr) const;
  // Days of `span` (by the plan's proration rule) the payee is assigned; nullopt when no
  // assignment overlaps it.
  std::optional<std::int64_t> assigned_days(std::uint32_t payee, const Period& span) const;
  std::string blank_twin(std::uint32_t payee) const;
  // Days of window `w` the payee is on the plan (assignments, by the plan's proration rule) and
  // the window's days on the plan; nullopt when all of them (or without assignments).
  std::optional<std::pair<std::int64_t, std::int64_t>> on_plan_share(std::uint32_t payee,
                                                                     const Period& w) const;
  std::size_t measure_index(const std::string& id) const {
    for (std::size_t k = 0; k < plan_.measures.size(); ++k) {
      if (plan_.measures[k].id == id) return k;
    }
    return 0;
  }
  // Adds the values of credits [b, e) of a measure to `s`, in credit order.
  void add_values(Decimal& s, std::size_t measure, std::size_t b, std::size_t e) const {
    const auto& v = p_.value[measure];
    for (std::size_t k = b; k < e; ++k) s += v[k];
  }

  const Plan& plan_;
  const Prepared& p_;
  Period range_;
  std::vector<Period> periods_;
  std::vector<std::string> labels_;
  int line_places_ = 2;
  bool explain_ = true;
};

}  // namespace spm::comp::detail
