// What-if: credit once, collapse each payee's credits per pay period, run every variant's
// per-payee computation (the engine's, without lines) on the collapsed credits.
#include <spm/comp/whatif.hpp>

#include <algorithm>
#include <atomic>
#include <map>

#include <spm/core/error.hpp>

#include "../core/workers.hpp"
#include "fx.hpp"
#include "inputs.hpp"
#include "payee_engine.hpp"

namespace spm::comp {
namespace {

using detail::Credit;
using detail::Prepared;
using io::Column;
using io::ColumnType;

bool same_filter(const Filter& a, const Filter& b) {
  if (a.conditions.size() != b.conditions.size()) return false;
  for (std::size_t i = 0; i < a.conditions.size(); ++i) {
    if (a.conditions[i].column != b.conditions[i].column ||
        a.conditions[i].values != b.conditions[i].values) {
      return false;
    }
  }
  return true;
}

// Throws unless `v` credits and measures exactly as `base` does.
void check_variant(const Plan& base, const Variant& v) {
  auto fail = [&](const std::string& why) {
    throw InvalidInputError("whatif.variant", v.id,
                            why + "; a what-if compares plans on the same credited measures, "
                                  "so variants change rates, tiers, caps, gates, multipliers, "
                                  "bonuses and quotas, not what is credited");
  };
  if (const auto issues = validate(v.plan); !issues.empty()) {
    throw InvalidInputError("plan.invalid", v.id, issues.front().path + ": " + issues.front().message);
  }
  const Plan& p = v.plan;
  if (p.currency != base.currency) fail("its currency differs from the baseline's");
  if (p.pay_period != base.pay_period) fail("its pay period differs from the baseline's");
  if (p.quota_kind() != base.quota_kind()) fail("its quota period differs from the baseline's");
  if (p.calendar.first_month() != base.calendar.first_month()) fail("its fiscal calendar differs");
  if (p.credit_by != base.credit_by) fail("it credits by another rule");
  auto same_rule = [](const RollupRule& a, const RollupRule& b) {
    return a.id == b.id && a.hierarchy == b.hierarchy && a.levels == b.levels &&
           a.relationship == b.relationship && a.by == b.by && a.percent == b.percent;
  };
  if (p.rollup.policy != base.rollup.policy ||
      !std::equal(p.rollup.rules.begin(), p.rollup.rules.end(), base.rollup.rules.begin(),
                  base.rollup.rules.end(), same_rule)) {
    fail("its roll-up rules differ");
  }
  if (p.conversion_columns != base.conversion_columns ||
      p.conversion_at_period_start != base.conversion_at_period_start) {
    fail("its currency conversion differs");
  }
  if (p.allow_negative != base.allow_negative) fail("allow_negative differs");
  if (p.effective_from != base.effective_from || p.effective_to != base.effective_to) {
    fail("its effective dates differ");
  }
  if (p.measures.size() != base.measures.size()) fail("its measures differ");
  for (std::size_t m = 0; m < p.measures.size(); ++m) {
    const auto& a = p.measures[m];
    const auto& b = base.measures[m];
    // Credits are prepared once with the baseline's measures: weights included.
    const bool same_weights =
        a.weights.size() == b.weights.size() &&
        std::equal(a.weights.begin(), a.weights.end(), b.weights.begin(),
                   [&](const MeasureWeight& x, const MeasureWeight& y) {
                     return x.factor == y.factor && same_filter(x.filter, y.filter);
                   });
    if (a.id != b.id || a.sum_column != b.sum_column || a.count != b.count ||
        !same_filter(a.filter, b.filter) || !same_weights) {
      fail("measure '" + a.id + "' differs from the baseline's");
    }
  }
  if (v.quota_factor.sign() <= 0) {
    throw InvalidInputError("whatif.variant", v.id,
                            "quota_factor is " + v.quota_factor.to_string() +
                                "; it must be above 0 (1.1 = quotas 10% higher)");
  }
}

// The collapsed credits: per payee, pay period and filter outcome, one credit with the sums.
struct Collapsed {
  Prepared p;                          // value, passes, credits, shares, payees, quotas...
  std::vector<std::uint64_t> spif_bits;  // per collapsed credit: which SPIF filters pass
  std::vector<Filter> spif_filters;      // distinct SPIF filters of all plans
  std::vector<std::uint8_t> reported;    // per collapsed credit: dated in the reported range
  // Per collapsed credit: the run's credit it is, when it stands alone (every credit in exact
  // mode; a split credit earning a SPIF otherwise, whose share is allocated as in a run), else
  // UINT32_MAX.
  std::vector<std::uint32_t> full_credit;
};

// Index of `f` among `filters`, or filters.size() when it is not there.
std::size_t find_filter(const std::vector<Filter>& filters, const Filter& f) {
  for (std::size_t i = 0; i < filters.size(); ++i) {
    if (same_filter(filters[i], f)) return i;
  }
  return filters.size();
}

std::size_t filter_index(std::vector<Filter>& filters, const Filter& f) {
  const std::size_t i = find_filter(filters, f);
  if (i == filters.size()) filters.push_back(f);
  return i;
}

// `merge` = false keeps every credit on its own (plans that compute per transaction).
Collapsed collapse(const Plan& base, std::span<const Variant> variants, const Prepared& full,
                   const io::Table& tx, const Period& range, bool merge) {
  Collapsed out;
  auto add_filters = [&](const Plan& plan) {
    for (const auto& c : plan.components) {
      if (c.type == ComponentType::spif) filter_index(out.spif_filters, c.filter);
    }
  };
  add_filters(base);
  for (const auto& v : variants) add_filters(v.plan);
  const std::size_t nm = base.measures.size(), nf = out.spif_filters.size();
  if (nm > 64 || nf > 64) {
    throw InvalidInputError("whatif.size", "", "a what-if takes up to 64 measures and 64 distinct SPIF filters");
  }
  // A return (negative amount) earns no SPIF, as in a run.
  const auto& amount = tx.values<Decimal>("amount");
  std::vector<std::vector<std::uint8_t>> masks;
  for (const auto& f : out.spif_filters) masks.push_back(detail::filter_mask(f, tx));
  const Date report_begin = base.calendar.period_containing(range.begin, base.pay_period).begin;

  Prepared& s = out.p;
  s.payees = full.payees;
  s.quotas = full.quotas;
  s.targets = full.targets;
  s.days_prorated = full.days_prorated;
  s.scores = full.scores;
  s.assigned = full.assigned;
  s.has_assignments = full.has_assignments;
  s.tx_ids = full.tx_ids;
  s.after_range = full.after_range;
  s.before_range = full.before_range;
  s.value.assign(nm, {});
  s.passes.assign(nm, {});
  s.payee_begin.assign(full.payees.size() + 1, 0);
  struct Group {
    std::uint64_t pass = 0, spif = 0;
    std::size_t at = 0;  // index of the collapsed credit
    bool solo = false;   // one credit of the run, merged with no other
  };
  std::vector<Group> open;  // groups of the current payee and pay period
  for (std::size_t i = 0; i < full.payees.size(); ++i) {
    s.payee_begin[i] = s.credits.size();
    Date period_start;
    open.clear();
    for (std::size_t k = full.payee_begin[i]; k < full.payee_begin[i + 1]; ++k) {
      const Credit& c = full.credits[k];
      const Date start = base.calendar.period_containing(c.date, base.pay_period).begin;
      if (start != period_start) {
        open.clear();
        period_start = start;
      }
      std::uint64_t pass = 0, spif = 0;
      for (std::size_t m = 0; m < nm; ++m) pass |= std::uint64_t{full.passes[m][k]} << m;
      if (amount[c.tx].sign() >= 0) {
        for (std::size_t f = 0; f < nf; ++f) spif |= std::uint64_t{masks[f][c.tx]} << f;
      }
      // A split credit earning a SPIF stays alone: its share of the SPIF is allocated over the
      // split as a run allocates it (the baseline's splits; a SPIF only a variant has is rounded
      // per share).
      const bool solo = !merge || (spif != 0 && full.split_list_of.count(static_cast<std::uint32_t>(k)) != 0);
      auto g = solo ? open.end()
                    : std::find_if(open.begin(), open.end(), [&](const Group& x) {
                        return !x.solo && x.pass == pass && x.spif == spif;
                      });
      if (g == open.end()) {
        open.push_back({pass, spif, s.credits.size(), solo});
        g = open.end() - 1;
        Credit made = c;
        made.date = start;
        made.share = static_cast<std::uint32_t>(s.shares.size());
        s.shares.push_back({Decimal(0), Credit::Source::split});
        s.credits.push_back(made);
        for (std::size_t m = 0; m < nm; ++m) {
          s.value[m].push_back(Decimal(0));
          s.passes[m].push_back(static_cast<std::uint8_t>((pass >> m) & 1));
        }
        out.spif_bits.push_back(spif);
        out.reported.push_back(start >= report_begin);
        out.full_credit.push_back(solo ? static_cast<std::uint32_t>(k) : UINT32_MAX);
      }
      s.shares[s.credits[g->at].share].percent += full.percent(k);
      for (std::size_t m = 0; m < nm; ++m) s.value[m][g->at] += full.value[m][k];
    }
  }
  s.payee_begin.back() = s.credits.size();
  return out;
}

// Nearest-rank percentile of sorted values.
Decimal percentile(const std::vector<Decimal>& sorted, int p) {
  if (sorted.empty()) return Decimal(0);
  const std::size_t n = sorted.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

struct VariantOut {
  std::vector<Decimal> payout;  // per payee
  std::size_t rejected = 0;
};

}  // namespace

WhatIfResult what_if(const Plan& baseline, std::span<const Variant> variants,
                     const CompInputs& inputs, const Period& range,
                     const ExecutionContext& context, bool exact) {
  if (const auto issues = validate(baseline); !issues.empty()) {
    throw InvalidInputError("plan.invalid", baseline.id, issues.front().path + ": " + issues.front().message);
  }
  std::vector<Variant> all{{"baseline", baseline, Decimal(1)}};
  for (const auto& v : variants) {
    check_variant(baseline, v);
    if (v.id == "baseline" || std::any_of(all.begin(), all.end(), [&](const Variant& x) { return x.id == v.id; })) {
      throw InvalidInputError("whatif.variant", v.id, "two variants have this id (\"baseline\" is the baseline's)");
    }
    all.push_back(v);
  }
  detail::Rejects rejects;
  const detail::EngineInputs ready(baseline, inputs, rejects);
  const CompInputs& in = ready.get();
  // A variant may compute from earlier than the baseline (a year-to-date gate or cap): the
  // transactions of every variant's windows are kept.
  Date first_day = detail::first_computed_day(baseline, range);
  for (const auto& v : variants) first_day = std::min(first_day, detail::first_computed_day(v.plan, range));
  const Prepared full =
      detail::prepare(baseline, in, range, rejects, {}, ready.rejected(), 1, first_day);
  context.report(0.1, "whatif");
  // Per-transaction processing and caps need every credit; the rest sees only window totals.
  bool per_transaction = false;
  for (const auto& v : all) {
    for (const auto& c : v.plan.components) {
      per_transaction |= c.type == ComponentType::rate_table &&
                         (c.processing == Processing::per_transaction || c.limits.cap_per_transaction);
    }
  }
  const Collapsed col = collapse(baseline, variants, full, *in.transactions, range,
                                 !per_transaction && !exact);
  const std::size_t n = full.payees.size();

  // Revenue: the amount of each transaction credited (directly or split) in the reported range.
  Decimal revenue;
  {
    const auto& amount = in.transactions->values<Decimal>("amount");
    const Date report_begin = baseline.calendar.period_containing(range.begin, baseline.pay_period).begin;
    std::vector<std::uint8_t> seen(in.transactions->num_rows(), 0);
    for (std::size_t k = 0; k < full.credits.size(); ++k) {
      const Credit& c = full.credits[k];
      if (c.date < report_begin || seen[c.tx] || full.source(k) == Credit::Source::rollup) continue;
      seen[c.tx] = 1;
      revenue += amount[c.tx];
    }
  }
  // Attainment inputs: the quota measure's credited sum per payee over the reported periods.
  std::string qm_id = baseline.quota_measure;
  for (const auto& c : baseline.components) {
    if (qm_id.empty() && !c.measure.empty()) qm_id = c.measure;
  }
  std::size_t qm = 0;
  for (std::size_t m = 0; m < baseline.measures.size(); ++m) {
    if (baseline.measures[m].id == qm_id) qm = m;
  }
  std::vector<Decimal> attained(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = col.p.payee_begin[i]; k < col.p.payee_begin[i + 1]; ++k) {
      if (col.reported[k] && col.p.passes[qm][k]) attained[i] += col.p.value[qm][k];
    }
  }
  std::vector<Period> report_periods;
  for (const auto& q : baseline.calendar.periods(range, baseline.quota_kind())) {
    if (q.end > range.begin && q.begin < baseline.effective_to && q.end > baseline.effective_from) {
      report_periods.push_back(q);
    }
  }
  auto quota_total = [&](std::size_t i, const Decimal& factor) -> std::optional<Decimal> {
    Decimal q;
    for (const auto& per : report_periods) {
      const auto it = full.quotas.find({static_cast<std::uint32_t>(i), qm, per.begin.days_since_epoch()});
      if (it == full.quotas.end()) return std::nullopt;
      q += Decimal::mul(it->second, factor);
    }
    if (q.sign() <= 0) return std::nullopt;
    return q;
  };

  // Variants in parallel: each worker has its own copy of the parts a variant changes.
  std::vector<VariantOut> outs(all.size());
  std::atomic<std::size_t> next = 0;
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(context.thread_count(), all.size()));
  spm::detail::run_workers(threads, [&] {
    Prepared s = col.p;
    for (std::size_t v = next++; v < all.size(); v = next++) {
      if (context.should_stop()) return;
      const Variant& var = all[v];
      s.spif.assign(var.plan.components.size(), {});
      // A split's SPIF is allocated over the split as in a run (split credits earning one are
      // kept alone when credits are collapsed).
      s.spif_share.assign(var.plan.components.size(), {});
      const int places = var.plan.rounding_point == RoundingPoint::earning_line ? var.plan.rounding_places
                                                                                : Decimal::scale;
      for (std::size_t c = 0; c < var.plan.components.size(); ++c) {
        const auto& comp = var.plan.components[c];
        if (comp.type != ComponentType::spif) continue;
        const std::size_t f = find_filter(col.spif_filters, comp.filter);  // collected above
        auto& mask = s.spif[c];
        mask.resize(s.credits.size());
        for (std::size_t k = 0; k < mask.size(); ++k) mask[k] = (col.spif_bits[k] >> f) & 1;
        s.spif_share[c] = detail::split_spif_amounts(full, comp.amount.round(places, var.plan.rounding), places,
                                                     col.full_credit, mask);
      }
      s.quotas = col.p.quotas;
      if (var.quota_factor != Decimal(1)) {
        for (auto& [key, q] : s.quotas) q = Decimal::mul(q, var.quota_factor);
      }
      const detail::Engine engine(var.plan, s, range, false);
      VariantOut& o = outs[v];
      o.payout.assign(n, Decimal(0));
      detail::ChunkOut chunk;
      for (std::size_t i = 0; i < n; ++i) {
        chunk.statements.clear();
        chunk.rejects.clear();
        chunk.lines.truncate(0);
        engine.compute(static_cast<std::uint32_t>(i), chunk);
        for (const auto& [payee, row] : chunk.statements) {
          if (row.component < 0) o.payout[i] += row.payout;
        }
        o.rejected += chunk.rejects.size();
      }
    }
  });
  context.throw_if_cancelled("the what-if");

  WhatIfResult result;
  Column sv("variant", ColumnType::string), total("payout", ColumnType::decimal),
      rev("revenue", ColumnType::decimal), cos("cost_of_sales_percent", ColumnType::decimal),
      payees("payees", ColumnType::integer), p10("payout_p10", ColumnType::decimal),
      p25("payout_p25", ColumnType::decimal), p50("payout_p50", ColumnType::decimal),
      p75("payout_p75", ColumnType::decimal), p90("payout_p90", ColumnType::decimal),
      pmax("payout_max", ColumnType::decimal), above("above_quota_percent", ColumnType::decimal),
      delta("delta", ColumnType::decimal), rejected("rejected", ColumnType::integer);
  Column pv("variant", ColumnType::string), pid("payee_id", ColumnType::string),
      pp("payout", ColumnType::decimal), pb("baseline", ColumnType::decimal),
      pd("delta", ColumnType::decimal), pa("attainment_percent", ColumnType::decimal);
  Decimal base_total;
  for (std::size_t v = 0; v < all.size(); ++v) {
    const auto& o = outs[v];
    Decimal sum;
    std::size_t with_quota = 0, over = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sum += o.payout[i];
      pv.push(all[v].id);
      pid.push(full.payees[i]);
      pp.push(o.payout[i]);
      pb.push(outs[0].payout[i]);
      pd.push(o.payout[i] - outs[0].payout[i]);
      if (const auto q = quota_total(i, all[v].quota_factor)) {
        const Decimal att = Decimal::div(attained[i] * Decimal(100), *q, 4);
        pa.push(att);
        ++with_quota;
        if (att >= Decimal(100)) ++over;
      } else {
        pa.push_null();
      }
    }
    if (v == 0) base_total = sum;
    std::vector<Decimal> sorted = o.payout;
    std::sort(sorted.begin(), sorted.end());
    sv.push(all[v].id);
    total.push(sum);
    rev.push(revenue);
    if (revenue.sign() > 0) cos.push(Decimal::div(sum * Decimal(100), revenue, 4)); else cos.push_null();
    payees.push(static_cast<std::int64_t>(n));
    p10.push(percentile(sorted, 10));
    p25.push(percentile(sorted, 25));
    p50.push(percentile(sorted, 50));
    p75.push(percentile(sorted, 75));
    p90.push(percentile(sorted, 90));
    pmax.push(sorted.empty() ? Decimal(0) : sorted.back());
    if (with_quota > 0) above.push(Decimal::div(Decimal(static_cast<std::int64_t>(over * 100)), Decimal(static_cast<std::int64_t>(with_quota)), 2));
    else above.push_null();
    delta.push(sum - base_total);
    rejected.push(static_cast<std::int64_t>(o.rejected));
  }
  const int places = baseline.rounding_places;
  for (auto* c : {&total, &rev, &p10, &p25, &p50, &p75, &p90, &pmax, &delta, &pp, &pb, &pd}) c->set_min_places(places);
  for (auto* c : {&sv, &total, &rev, &cos, &payees, &p10, &p25, &p50, &p75, &p90, &pmax, &above, &delta, &rejected}) {
    result.summary.add(std::move(*c));
  }
  for (auto* c : {&pv, &pid, &pp, &pb, &pd, &pa}) result.payees.add(std::move(*c));
  result.rejects = std::move(rejects).table();
  context.report(1.0, "whatif");
  return result;
}

}  // namespace spm::comp
