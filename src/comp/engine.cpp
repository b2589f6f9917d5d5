// The commission engine: per payee, per pay period, per component, with explained lines.
#include <spm/comp/engine.hpp>

#include <algorithm>
#include <atomic>

#include <spm/core/error.hpp>

#include "../core/workers.hpp"
#include "fx.hpp"
#include "inputs.hpp"
#include "lines.hpp"
#include "payee_engine.hpp"
#include "run_version.hpp"
#include "tiers.hpp"

namespace spm::comp {
namespace {

using detail::ChunkOut;
using detail::Credit;
using detail::Engine;
using detail::LineKind;
using detail::StatementRow;
using detail::no_index;
using detail::Prepared;
using detail::Slice;
using io::Column;
using io::ColumnType;

}  // namespace

namespace detail {

// An id that differs from the payee's only by edge blanks ("alice " in the quotas, "alice" in
// the transactions) is two payees to the engine; a missing quota says which other id it is.
std::string Engine::blank_twin(std::uint32_t payee) const {
  const auto& ids = p_.payees;  // sorted: "R1 " right after "R1", " R1" among the first
  const std::string_view me = trim_blanks(ids[payee]);
  std::vector<std::size_t> near{payee - 1, payee + 1};
  const auto at = static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), me) - ids.begin());
  near.insert(near.end(), {at, at + 1});
  for (std::size_t k = 0; k < ids.size() && !ids[k].empty() && (ids[k][0] == ' ' || ids[k][0] == '\t'); ++k) {
    near.push_back(k);
  }
  for (const std::size_t k : near) {
    if (k < ids.size() && k != payee && trim_blanks(ids[k]) == me) {
      return " (payee '" + ids[k] + "' differs from '" + ids[payee] +
             "' only by blanks: fix the id in the file that has the blank)";
    }
  }
  return {};
}

std::optional<std::int64_t> Engine::assigned_days(std::uint32_t payee, const Period& span) const {
  std::int64_t days = 0;
  bool any = false;
  for (const auto& a : p_.assigned[payee]) {
    if (const auto x = a.intersect(span)) {
      days += prorated_days(*x, plan_.proration);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return days;
}

std::optional<std::pair<std::int64_t, std::int64_t>> Engine::on_plan_share(std::uint32_t payee,
                                                                          const Period& w) const {
  if (!p_.has_assignments) return std::nullopt;
  const auto in_plan = w.intersect({plan_.effective_from, plan_.effective_to});
  if (!in_plan) return std::nullopt;
  const std::int64_t all = prorated_days(*in_plan, plan_.proration);
  const std::int64_t on = assigned_days(payee, *in_plan).value_or(0);
  if (all == 0 || on >= all) return std::nullopt;
  return std::pair{on, all};
}

std::optional<Decimal> Engine::quota(std::uint32_t payee, std::size_t measure, const Period& w,
                                     std::string& missing, Decimal* target) const {
  Decimal total;
  if (target != nullptr) *target = Decimal(0);
  // Whole quota periods overlapping w: its pay periods, or with a longer quota_period the
  // periods (a year) it falls in, whose whole quota every window inside is measured against.
  for (const auto& q : plan_.calendar.periods(w, plan_.quota_kind())) {
    // Days of the pay period on the plan: inside its effective dates and, when assignments are
    // given, assigned. A plan starting or ending mid-period prorates the quota by days.
    const auto in_plan = q.intersect({plan_.effective_from, plan_.effective_to});
    if (!in_plan) continue;
    // Days count by the plan's proration rule (calendar or business days).
    std::int64_t days = prorated_days(*in_plan, plan_.proration);
    if (p_.has_assignments) {
      const auto assigned = assigned_days(payee, *in_plan);
      if (!assigned) continue;  // not on the plan in this period: no quota needed
      days = *assigned;
    }
    const std::tuple<std::uint32_t, std::size_t, std::int32_t> key{payee, measure, q.begin.days_since_epoch()};
    const auto it = p_.quotas.find(key);
    if (it == p_.quotas.end() && p_.conflicting_quotas.count(key)) {
      missing = "the quotas rows for measure '" + plan_.measures[measure].id + "' in the " +
                (plan_.quota_period ? std::string(to_string(*plan_.quota_period)) : "pay period") +
                " starting " + q.begin.to_string() + " disagree (see the quotas rejects); keep one";
      return std::nullopt;
    }
    if (it == p_.quotas.end()) {
      missing = "no quota for measure '" + plan_.measures[measure].id + "' in the " +
                (plan_.quota_period ? std::string(to_string(*plan_.quota_period)) : "pay period") +
                " starting " + q.begin.to_string() + "; add a row to the quotas table" + blank_twin(payee);
      return std::nullopt;
    }
    const std::int64_t all = prorated_days(q, plan_.proration);
    auto prorated = [](const Decimal& x, std::int64_t part, std::int64_t whole) {
      return part == whole ? x : Decimal::product(x, Fraction(part, whole), Decimal::scale);
    };
    // A quota already for the days worked (quota phase's days_prorated) is cut only to the
    // part of them on the plan: with assignments (the days worked, as far as the run knows)
    // the assigned days on the plan of those assigned in the period; without, as any quota.
    std::int64_t q_all = all;
    if (p_.days_prorated.count(it->first) && p_.has_assignments) {
      q_all = assigned_days(payee, q).value_or(days);
    }
    total += prorated(it->second, days, q_all);
    if (target != nullptr) {
      const auto t = p_.targets.find(it->first);
      if (t == p_.targets.end()) {
        missing = "no target_incentive for measure '" + plan_.measures[measure].id +
                  "' in the quota period starting " + q.begin.to_string() +
                  "; give it in the quotas table's target_incentive column (the plan's rates "
                  "are in percent of target incentive)";
        return std::nullopt;
      }
      *target += prorated(t->second, days, all);  // a period's target, as given: by days
    }
  }
  return total;
}

void Engine::compute(std::uint32_t payee, ChunkOut& out) const {
  detail::LineChunk& lines = out.lines;
  const std::size_t cb = p_.payee_begin[payee];
  const std::size_t ce = p_.payee_begin[payee + 1];
  const auto& credits = p_.credits;
  auto first_on_or_after = [&](Date d) {
    return static_cast<std::size_t>(
        std::lower_bound(credits.begin() + static_cast<std::ptrdiff_t>(cb),
                         credits.begin() + static_cast<std::ptrdiff_t>(ce), d,
                         [](const Credit& c, Date x) { return c.date < x; }) -
        credits.begin());
  };
  const std::size_t nc = plan_.components.size();
  // What each component paid in each period: paid[c * periods + k] (one allocation a payee).
  const std::size_t np = periods_.size();
  std::vector<Decimal> paid(nc * np);
  // Per component, what the yearly cap held back: in the plan year's earlier windows (year_held,
  // for the year starting held_year) and in the current window so far (window_held, for the
  // window starting held_window; window earnings are cumulative, so the latest period's).
  struct YearHeld {
    Decimal year_held, window_held;
    Date held_year, held_window;
  };
  std::vector<YearHeld> year_cap(nc);
  std::vector<Slice> slices;
  // Per rate-table component: prefix sums of the payee's credits (true-up windows sum the
  // earlier periods' credits again, at the window's tiers).
  std::vector<std::optional<detail::RiseSums>> rise_sums(nc);
  std::uint32_t retro_note = no_index;
  // Sums of measures and of SPIF earnings, kept to go on from in later windows.
  std::vector<detail::WindowSum> measure_sums, spif_sums;
  auto measure_sum = [&](std::size_t m, std::size_t b, std::size_t e) {
    detail::WindowSum& s = detail::window_sum(measure_sums, m, b, e);
    // Kept only once complete: a sum that overflows throws and leaves the kept one as it was.
    Decimal sum = s.sum;
    add_values(sum, m, s.e, e);
    s.sum = sum;
    s.e = e;
    return sum;
  };
  std::vector<StatementRow> rows;  // a period's, reused
  for (std::size_t k = 0; k < periods_.size(); ++k) {
    const Period& P = periods_[k];
    if (p_.has_assignments &&
        std::none_of(p_.assigned[payee].begin(), p_.assigned[payee].end(),
                     [&](const Period& a) { return a.intersect(P).has_value(); })) {
      continue;  // not on the plan in this pay period: no statement
    }
    const Period W = window(k);
    const std::size_t wb = first_on_or_after(W.begin);
    const std::size_t pb = first_on_or_after(P.begin);
    const std::size_t we = first_on_or_after(W.end);
    const Period year{plan_.calendar.period_containing(P.begin, PeriodKind::year).begin, P.end};
    const std::size_t yb = first_on_or_after(std::max(year.begin, periods_.front().begin));
    const std::size_t mark = lines.size();  // this period's lines start here
    rows.clear();
    std::string missing;
    bool failed = false;
    // Arithmetic beyond the decimal range (absurd amounts or rates) rejects this payee's
    // period like a missing quota, instead of stopping the whole run.
    try {
      for (std::size_t c = 0; c < nc && !failed; ++c) {
        const Component& comp = plan_.components[c];
        const auto cu = static_cast<std::uint32_t>(c);
        StatementRow row;
        row.period = static_cast<std::uint32_t>(k);
        row.component = static_cast<int>(c);
        Decimal S;              // window earnings so far
        Decimal emitted;        // lines shown for this period so far
        auto emit = [&](LineKind kind, std::uint32_t credit, int tier, const Decimal* base,
                        const Decimal* rate, const Decimal& amount, std::uint32_t note) {
          emitted += amount;
          if (!explain_) return;
          lines.push(p_, plan_, payee, static_cast<std::uint32_t>(k), cu,
                     static_cast<std::int64_t>(lines.size() - mark + 1), kind, credit, tier, base,
                     rate, amount, note);
        };
        auto adjust = [&](LineKind kind, const Decimal& amount, std::string note) {
          if (amount.is_zero()) return;
          S += amount;
          emit(kind, no_index, 0, nullptr, nullptr, amount, lines.note(std::move(note)));
        };
        const std::size_t mi = comp.measure.empty() ? 0 : measure_index(comp.measure);
        const bool on_target = comp.type == ComponentType::rate_table &&
                               comp.rate_unit == RateUnit::target_incentive;
        const bool needs_quota =
            !comp.measure.empty() &&
            (comp.type == ComponentType::step_bonus || on_target ||
             (comp.type == ComponentType::rate_table &&
              (comp.basis == TierBasis::attainment_percent || comp.limits.attainment_cap_percent)));
        std::optional<Decimal> Q;
        Decimal target;  // the window's target incentive (on_target)
        if (needs_quota) {
          Q = quota(payee, mi, W, missing, on_target ? &target : nullptr);
          if (!Q) {
            failed = true;
            break;
          }
        }
        Decimal M;
        if (!comp.measure.empty()) {
          M = measure_sum(mi, wb, we);
          row.measure_value = M;
          row.quota = Q;
          if (Q) row.attainment = Decimal::div(M * Decimal(100), *Q, 4);
        }
        std::optional<detail::Schedule> schedule;
        if (comp.type == ComponentType::rate_table) {
          const detail::Schedule& sched =
              schedule.emplace(comp, Q.value_or(Decimal(0)), comp.limits.attainment_cap_percent,
                               on_target ? &target : nullptr);
          // How a line's rate came from the plan's, for target_incentive rates.
          const std::string rate_text =
              on_target && explain_ ? "rate = the plan's rate x target incentive " + target.to_string() +
                                          " / quota " + Q->to_string()
                                    : std::string();
          const std::uint32_t rate_note = rate_text.empty() ? no_index : lines.note(rate_text);
          const auto& value = p_.value[mi];
          const auto& passes = p_.passes[mi];
          const std::vector<detail::FastRate> fast = sched.fast_rates(line_places_);
          std::size_t tier = 0;  // the last rise's: credits climb the tiers in order
          // A return priced on its own (per_transaction) mirrors the sale it reverses: the
          // tiers of its size, negated (from zero down, every return would be at the first
          // tier's rate).
          std::uint32_t mirror_note = no_index;
          auto slice_lines = [&](std::uint32_t credit, bool shown, const Decimal& before,
                                 const Decimal& after) {
            const bool mirror = comp.processing == Processing::per_transaction && after < before;
            const Decimal& from = before;
            const Decimal to = mirror ? before + (before - after) : after;
            if (mirror && shown && explain_ && mirror_note == no_index) {
              mirror_note = lines.note("a return, priced as the sale of its size, negated" +
                                       (rate_text.empty() ? "" : "; " + rate_text));
            }
            auto show = [&](LineKind kind, int tier_no, const Decimal& base, const Decimal& rate,
                            const Decimal& amt, std::uint32_t note) {
              if (!shown) return;
              const Decimal b = mirror ? -base : base;
              emit(kind, credit, tier_no, &b, &rate, mirror ? -amt : amt, mirror ? mirror_note : note);
            };
            Decimal tx_total;
            slices.clear();
            if (const auto one = sched.rise(from, to, tier, fast, line_places_, plan_.rounding)) {
              // The common line, priced without the slice list.
              tx_total = one->amount;
              show(LineKind::tier, static_cast<int>(one->tier + 1), to - from, sched.rate(one->tier),
                   one->amount, rate_note);
            } else {
              sched.slices(from, to, slices);
            }
            for (const auto& s : slices) {
              const Decimal amt =
                  detail::slices_amount({&s, 1}, sched.percent(), line_places_, plan_.rounding);
              tx_total += amt;
              if (s.retro && shown && retro_note == no_index) {
                retro_note = lines.note("uplift on earlier measure to the new rate");
              }
              show(s.retro ? LineKind::retro : LineKind::tier, s.tier, s.base, s.rate, amt,
                   s.retro ? retro_note : rate_note);
            }
            if (mirror) tx_total = -tx_total;
            S += tx_total;
            // The cap bounds a transaction's earnings both ways: a return takes back at most
            // the cap, as much as the capped sale it reverses paid.
            const auto& cap = comp.limits.cap_per_transaction;
            if (!cap) return;
            if (const Decimal cut = detail::cut_to_cap(tx_total, cap) - tx_total; !cut.is_zero()) {
              S += cut;
              if (shown) {
                emit(LineKind::cap, credit, 0, nullptr, nullptr, cut,
                     lines.note("per-transaction cap " + cap->to_string() +
                                (tx_total < Decimal(0) ? " (a return takes back at most the cap)" : "")));
              }
            }
          };
          if (comp.processing == Processing::grouped) {
            slice_lines(no_index, true, Decimal(0), M);
          } else {
            Decimal cum;
            std::size_t i = wb;
            if (comp.processing == Processing::running_total && pb > wb) {
              // Earlier periods of the window (a true-up): their credits count, without lines.
              if (!rise_sums[c]) {
                rise_sums[c].emplace(value.data(), passes.data(), cb, ce, line_places_, plan_.rounding,
                                     comp.limits.cap_per_transaction);
              }
              S += sched.running_sum(value.data(), passes.data(), wb, pb, cum, line_places_,
                                     plan_.rounding, comp.limits.cap_per_transaction,
                                     &*rise_sums[c]);
              i = pb;
            }
            for (; i < we; ++i) {
              if (!passes[i]) continue;
              const Decimal before =
                  comp.processing == Processing::running_total ? cum : Decimal(0);
              cum += value[i];
              slice_lines(static_cast<std::uint32_t>(i), i >= pb, before, before + value[i]);
            }
          }
        } else if (comp.type == ComponentType::spif) {
          const auto& mask = p_.spif[c];
          // The earlier periods of the window earned what they did before (lines not repeated).
          detail::WindowSum& sum = detail::window_sum(spif_sums, c, wb, pb);
          S = sum.sum;
          for (std::size_t i = sum.e; i < we; ++i) {
            if (!mask[i]) continue;
            const Decimal percent = p_.percent(i);
            Decimal amt = round_line(comp.amount);
            if (percent != Decimal(100)) {
              // A split's share as allocated over the split; a roll-up's, its percent.
              const auto& shares = p_.spif_share[c];
              const auto it = shares.find(static_cast<std::uint32_t>(i));
              amt = it != shares.end() ? it->second
                                       : round_line(Decimal::product(comp.amount, percent, Fraction(1, 100),
                                                                     Decimal::scale));
            }
            S += amt;
            if (i >= pb) {
              emit(LineKind::spif, static_cast<std::uint32_t>(i), 0, &comp.amount, nullptr, amt,
                   percent == Decimal(100)
                       ? no_index
                       : lines.note("credit share " + percent.to_string() + "%"));
            }
          }
          sum.e = we;
          sum.sum = S;
        } else {  // step bonus, prorated by the window's days on the plan
          const auto share = on_plan_share(payee, W);
          for (std::size_t s = 0; s < comp.steps.size(); ++s) {
            if (M * Decimal(100) >= comp.steps[s].from * *Q) {
              const std::string why = "reached " + comp.steps[s].from.to_string() + "% attainment";
              if (!share) {
                adjust(LineKind::step, round_line(comp.steps[s].rate), why);
              } else {
                adjust(LineKind::step,
                       Decimal::product(comp.steps[s].rate, Fraction(share->first, share->second),
                                        line_places_, plan_.rounding),
                       why + "; prorated " + std::to_string(share->first) + "/" +
                           std::to_string(share->second) + " days on the plan");
              }
            }
          }
        }
        // Gates hold back what the window earned (every kind of component).
        for (const auto& g : comp.gates) {
          const std::size_t gm = measure_index(g.measure);
          const Period gw =
              g.year_to_date ? Period{std::max(year.begin, periods_.front().begin), P.end} : W;
          const Decimal gv = measure_sum(gm, g.year_to_date ? yb : wb, we);
          std::string why;
          if (g.min_value) {  // the value itself: "meetings 9 < 10"
            if (gv >= *g.min_value) continue;
            why = "gate: " + g.measure + " " + gv.to_string() + " < " + g.min_value->to_string();
          } else {
            const auto gq = quota(payee, gm, gw, missing);
            if (!gq) {
              failed = true;
              break;
            }
            if (gv * Decimal(100) >= g.min_attainment_percent * *gq) continue;
            const Decimal att = Decimal::div(gv * Decimal(100), *gq, 4);
            why = "gate: " + g.measure + " attainment " + att.to_string() + "% < " +
                  g.min_attainment_percent.to_string() + "%";
          }
          if (g.effect == GateEffect::no_pay) {
            adjust(LineKind::gate, -S, why + ", no pay");
          } else {
            // Validation allows no_accelerator on rate tables only, so the schedule is there.
            const Decimal base =
                detail::slices_amount(std::vector<detail::Slice>{{M, schedule->base_rate(), 1, false}}, schedule->percent(),
                                      line_places_, plan_.rounding);
            adjust(LineKind::gate, std::min(Decimal(0), base - S),
                   why + ", no accelerator: measure at base rate " +
                       schedule->base_rate().to_string());
          }
        }
        if (failed) break;
        // Multipliers on the window's earnings.
        if (!comp.multipliers.empty()) {
          Decimal factor = comp.combine == Combine::multiply ? Decimal(1) : Decimal(0);
          std::string why;
          for (const auto& m : comp.multipliers) {
            Decimal x;
            if (!m.measure.empty()) {
              const std::size_t mm = measure_index(m.measure);
              const auto mq = quota(payee, mm, W, missing);
              if (!mq) {
                failed = true;
                break;
              }
              x = Decimal::div(measure_sum(mm, wb, we) * Decimal(100), *mq, Decimal::scale);
            } else {
              const auto it = p_.scores.find({payee, m.score, P.begin.days_since_epoch()});
              if (it == p_.scores.end()) {
                missing = "no score '" + m.score + "' for the pay period starting " +
                          P.begin.to_string();
                failed = true;
                break;
              }
              x = it->second;
            }
            const Decimal f = detail::lookup(m.table, x);
            factor = comp.combine == Combine::multiply ? factor * f : factor + (f - Decimal(1));
            why += (why.empty() ? "" : ", ") + m.id + " " + x.round(4).to_string() + " -> x" +
                   f.to_string();
          }
          if (failed) break;
          if (comp.combine == Combine::add) factor += Decimal(1);
          // The base is the window's earnings so far (with a true-up, more than this period's
          // lines), so the line checks as base x (factor - 1).
          const Decimal earned = S;
          const Decimal amt = round_line(Decimal::mul(earned, factor - Decimal(1)));
          if (!amt.is_zero()) {
            S += amt;
            emit(LineKind::multiplier, no_index, 0, &earned, nullptr, amt,
                 lines.note(why + " (factor " + factor.to_string() + ")"));
          }
        }
        // Yearly cap: the year pays at most the cap. The window gets the room the periods of
        // the year before it left, and earnings it takes back (a return) come first out of
        // what the cap held back in those earlier windows, not out of pay.
        if (comp.limits.cap_per_year) {
          Decimal outside;
          for (std::size_t j = 0; j < k; ++j) {
            if (periods_[j].begin >= year.begin && periods_[j].begin < W.begin) outside += paid[c * np + j];
          }
          YearHeld& h = year_cap[c];
          if (h.held_window != W.begin) {  // a new window: the last one's held back is final
            h.year_held = h.held_year == year.begin ? h.year_held + h.window_held : Decimal(0);
            h.window_held = Decimal(0);
            h.held_window = W.begin;
            h.held_year = year.begin;
          }
          // Held-back earnings only soften a return (negative window earnings), down to 0:
          // they are never paid out otherwise.
          const Decimal allowed =
              std::min(*comp.limits.cap_per_year - outside,
                       S.sign() < 0 ? std::min(S + h.year_held, Decimal(0)) : S);
          h.window_held = S - allowed;  // negative when a return used held-back earnings
          if (S != allowed) {
            adjust(LineKind::cap, allowed - S,
                   "yearly cap " + comp.limits.cap_per_year->to_string() +
                       (allowed > S ? " (a return taken out of earnings the cap held back)" : ""));
          }
        }
        // True-up: pay the window's earnings minus what earlier periods of the window paid.
        Decimal before;
        for (std::size_t j = 0; j < k; ++j) {
          if (periods_[j].begin >= W.begin) before += paid[c * np + j];
        }
        const Decimal due = S - before;
        if (due != emitted) {
          emit(LineKind::true_up, no_index, 0, &S, nullptr, due - emitted,
               lines.note(std::string(to_string(plan_.true_up)) + ": window earnings " +
                          S.to_string() + " - paid before " + before.to_string() +
                          " - lines above " + emitted.to_string()));
        }
        Decimal payout = due;
        if (comp.limits.cap_per_period && payout > *comp.limits.cap_per_period) {
          const Decimal cut = *comp.limits.cap_per_period - payout;
          emit(LineKind::cap, no_index, 0, nullptr, nullptr, cut,
               lines.note("cap per period " + comp.limits.cap_per_period->to_string() +
                          (plan_.true_up == TrueUp::none
                               ? ""
                               : "; the excess stays earned and is paid by a later true-up if "
                                 "room remains")));
          payout += cut;
        }
        if (comp.limits.floor_per_period && payout < *comp.limits.floor_per_period) {
          const Decimal add = *comp.limits.floor_per_period - payout;
          emit(LineKind::floor, no_index, 0, nullptr, nullptr, add,
               lines.note("floor per period " + comp.limits.floor_per_period->to_string()));
          payout += add;
        }
        // Earlier periods of the window paid rounded amounts: the window's total paid is
        // rounded once, so the cents it pays do not depend on how the window was cut up.
        const Decimal rounded =
            (before + payout).round(plan_.rounding_places, plan_.rounding) - before;
        if (rounded != payout) {
          emit(LineKind::rounding, no_index, 0, &payout, nullptr, rounded - payout,
               lines.note("payout rounded " + std::string(spm::to_string(plan_.rounding)) +
                          " to " + std::to_string(plan_.rounding_places) + " places" +
                          (before.is_zero() ? std::string()
                                            : " (the window's total paid, " +
                                                  (before + payout).to_string() +
                                                  ", rounded once)")));
          payout = rounded;
        }
        paid[c * np + k] = payout;
        row.earnings = S;
        row.paid_before = before;
        row.payout = payout;
        rows.push_back(row);
      }
    } catch (const ArithmeticError& e) {
      missing = e.detail();
      failed = true;
    }
    if (failed) {
      lines.truncate(mark);
      // The transactions left unpaid, so that every credited row can be traced.
      // Those a measure or SPIF counts: a credit no filter passes would earn nothing anyway.
      std::size_t unpaid = 0;
      std::string ids;
      for (std::size_t i = pb, pe = first_on_or_after(P.end); i < pe; ++i) {
        const bool counted =
            std::any_of(p_.passes.begin(), p_.passes.end(), [&](const auto& m) { return m[i] != 0; }) ||
            std::any_of(p_.spif.begin(), p_.spif.end(), [&](const auto& s) { return !s.empty() && s[i] != 0; });
        if (!counted) continue;
        if (++unpaid <= 3) ids += (ids.empty() ? "" : ", ") + (*p_.tx_ids)[credits[i].tx];
      }
      if (unpaid > 0) {
        missing += "; not paid: its " + std::to_string(unpaid) + (unpaid == 1 ? " credit" : " credits") +
                   " in the period (transaction" + (unpaid == 1 ? " " : "s ") + ids +
                   (unpaid > 3 ? ", ...)" : ")");
      }
      out.rejects.emplace_back(payee, static_cast<std::uint32_t>(k), missing);
      // Later periods of the same window cannot be trued up either; they fail on their own.
      for (std::size_t c = 0; c < nc; ++c) paid[c * np + k] = Decimal(0);
      continue;
    }
    if (!reported(k)) {
      lines.truncate(mark);
      continue;
    }
    StatementRow total;
    total.period = static_cast<std::uint32_t>(k);
    for (const auto& r : rows) {
      total.earnings += r.earnings;
      total.paid_before += r.paid_before;
      total.payout += r.payout;
    }
    for (const auto& r : rows) out.statements.emplace_back(payee, r);
    out.statements.emplace_back(payee, total);
  }
}

}  // namespace detail

bool Plan::components_need_year() const noexcept {
  for (const auto& c : components) {
    if (c.limits.cap_per_year) return true;
    for (const auto& g : c.gates) {
      if (g.year_to_date) return true;
    }
  }
  return false;
}

CompResult run(const Plan& plan, const CompInputs& inputs, const Period& range,
               const ExecutionContext& context) {
  CompResult r = detail::run_version(plan, inputs, range, context, {});
  for (auto& note : plan_notes(plan)) r.notes.push_back(std::move(note));
  const Period effective{plan.effective_from, plan.effective_to};
  if (r.statements.num_rows() == 0) detail::note_range_outside(range, {&effective, 1}, r.notes);
  detail::note_range_inside_period(plan, range, plan.effective_to, r.notes);
  return r;
}

namespace detail {

void note_range_outside(const Period& range, std::span<const Period> effective,
                        std::vector<std::string>& notes) {
  std::string dates;
  for (const auto& e : effective) {
    if (range.begin < e.end && e.begin < range.end) return;
    dates += (dates.empty() ? "" : ", ") + e.to_string();
  }
  notes.push_back("the run's periods " + range.to_string() + " are outside the plan's effective "
                  "dates " + dates + ", so nothing was computed; check the period asked for");
}

void note_range_inside_period(const Plan& plan, const Period& range, Date effective_to,
                              std::vector<std::string>& notes) {
  // A run computes whole pay periods from the one holding the range's start
  // (first_computed_day): only its end can cut one short, and only before the plan ends.
  if (range.end <= range.begin || range.end >= effective_to) return;
  const Period last = plan.calendar.period_containing(range.end - 1, plan.pay_period);
  if (last.end == range.end) return;
  notes.push_back("the run's range " + range.to_string() + " ends inside the pay period " +
                  last.to_string() + ": its statement leaves out the transactions dated from " +
                  range.end.to_string() + " (counted after the range, and before the range of "
                  "a run from the next pay period, so no run pays them); a range's end date is "
                  "exclusive: to include " + range.end.to_string() + " write .." +
                  last.end.to_string() + ", or give the pay period itself");
}

CompResult run_version(const Plan& plan, const CompInputs& inputs, const Period& range,
                       const ExecutionContext& context, std::span<const Period> versions,
                       ReleaseCredits release) {
  if (const auto issues = validate(plan); !issues.empty()) {
    throw InvalidInputError("plan.invalid", plan.id,
                            issues.front().path + ": " + issues.front().message +
                                " (validate the plan first; nothing was computed)");
  }
  detail::Rejects rejects;
  // Kept alive: the prepared inputs point into it.
  const detail::EngineInputs in(plan, inputs, rejects);
  Prepared p = detail::prepare(plan, in.get(), range, rejects, versions, in.rejected(),
                               context.thread_count());
  p.fx_rate = in.rates();
  const Engine engine(plan, p, range);
  context.report(0.0, "comp");

  // Payees are independent: contiguous ranges of payees (chunks, one per thread, of about as
  // many credits) go to threads, and the chunks are assembled in payee order, so the bytes out
  // do not depend on the thread count. The first chunk's lines are reserved for all the lines:
  // its columns become the table's.
  const std::size_t n = p.payees.size();
  const std::size_t threads =
      std::max<std::size_t>(1, std::min<std::size_t>(context.thread_count(), n / 64 + 1));
  const std::size_t nc = p.credits.size();
  std::vector<std::size_t> first(threads + 1, n);
  for (std::size_t k = 0; k < threads; ++k) {
    first[k] = static_cast<std::size_t>(
        std::lower_bound(p.payee_begin.begin(), p.payee_begin.end() - 1, nc * k / threads) -
        p.payee_begin.begin());
  }
  auto lines_for = [](std::size_t credits) { return credits * 11 / 10 + 64; };
  std::vector<ChunkOut> chunks(threads);
  std::atomic<std::size_t> next_chunk = 0;
  std::atomic<bool> stopped = false;
  spm::detail::run_workers(threads, [&] {
    for (std::size_t k = next_chunk++; k < threads; k = next_chunk++) {
      const std::size_t b = first[k], e = first[k + 1];
      chunks[k].lines.reserve(lines_for(k == 0 ? nc : p.payee_begin[e] - p.payee_begin[b]));
      // Computed credits are given back as the lines grow, so the peak is not credits + lines.
      // Always from the chunk's first credit: a page straddling two releases goes with the next.
      std::size_t released = p.payee_begin[b];
      for (std::size_t i = b; i < e; ++i) {
        if (context.should_stop()) {
          stopped = true;
          return;
        }
        engine.compute(static_cast<std::uint32_t>(i), chunks[k]);
        if (p.payee_begin[i + 1] - released >= release.every) {
          p.release(p.payee_begin[b], p.payee_begin[i + 1], release.page);
          released = p.payee_begin[i + 1];
        }
      }
    }
  });
  context.throw_if_cancelled("the commission run");
  // Statements of some payees only would look complete: a run stopped by its time limit has no
  // result to return.
  if (stopped) {
    throw CancelledError("execution.time_limit", "",
                         "the commission run reached its time limit before every payee was "
                         "computed; nothing is returned (allow more time or fewer payees)");
  }

  // Assemble the tables.
  const auto& labels = engine.labels();
  const auto& periods = engine.periods();
  CompResult result;
  result.transactions_after_range = p.after_range;
  result.transactions_before_range = p.before_range;
  result.credits = p.credits.size();
  result.notes = p.notes;
  p.free_credits();
  {
    Column payee("payee_id", ColumnType::string), period("period", ColumnType::string),
        start("period_start", ColumnType::date), end("period_end", ColumnType::date),
        component("component", ColumnType::string), measure("measure", ColumnType::string),
        mvalue("measure_value", ColumnType::decimal), quota("quota", ColumnType::decimal),
        att("attainment_percent", ColumnType::decimal), earn("earnings", ColumnType::decimal),
        before("paid_before", ColumnType::decimal), pay("payout", ColumnType::decimal);
    auto opt = [](Column& col, const std::optional<Decimal>& v) {
      if (v) col.push(*v); else col.push_null();
    };
    for (const auto& chunk : chunks) {
      for (const auto& [i, r] : chunk.statements) {
        payee.push(p.payees[i]);
        period.push(labels[r.period]);
        start.push(periods[r.period].begin);
        end.push(periods[r.period].end);
        component.push(r.component < 0 ? std::string("TOTAL") : plan.components[static_cast<std::size_t>(r.component)].id);
        if (r.component < 0 || plan.components[static_cast<std::size_t>(r.component)].measure.empty()) measure.push_null();
        else measure.push(plan.components[static_cast<std::size_t>(r.component)].measure);
        opt(mvalue, r.measure_value);
        opt(quota, r.quota);
        opt(att, r.attainment);
        earn.push(r.earnings);
        before.push(r.paid_before);
        pay.push(r.payout);
      }
      for (const auto& [i, k, why] : chunk.rejects) {
        // Earlier periods are computed for true-ups, yearly caps and year-to-date gates, not reported; their
        // rejects are kept (a reported period may rest on them), saying so.
        rejects.add("payees", 0, p.payees[i], p.payees[i], labels[k],
                    engine.reported(k) ? why
                                       : "before the range (computed for the windows of true-ups and "
                                         "of yearly caps and gates, not reported): " + why);
      }
    }
    for (auto* c : {&earn, &before, &pay}) c->set_min_places(plan.rounding_places);
    for (auto* c : {&payee, &period, &start, &end, &component, &measure, &mvalue, &quota, &att, &earn, &before, &pay}) {
      result.statements.add(std::move(*c));
    }
  }
  std::vector<detail::LineChunk> line_chunks;
  line_chunks.reserve(chunks.size());
  for (auto& c : chunks) line_chunks.push_back(std::move(c.lines));
  result.lines = detail::assemble_lines(line_chunks, p, plan, labels, threads);
  result.rejects = std::move(rejects).table();
  context.report(1.0, "comp");
  return result;
}

}  // namespace detail

}  // namespace spm::comp
