#include "tiers.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <spm/core/error.hpp>

namespace spm::comp::detail {

Schedule::Schedule(const Component& c, const Decimal& quota, const std::optional<Decimal>& cap,
                   const Decimal* target)
    : mode_(c.mode),
      lower_boundary_(c.boundary_to_lower),
      percent_(c.rate_unit == RateUnit::percent || c.rate_unit == RateUnit::target_incentive) {
  const bool attainment = c.basis == TierBasis::attainment_percent;
  auto to_measure = [&](const Decimal& b) {
    return attainment ? Decimal::product(b, quota, Fraction(1, 100), Decimal::scale) : b;
  };
  // A percent of target incentive per percent of attainment is a percent of the measure.
  auto to_rate = [&](const Decimal& r) {
    return target != nullptr ? Decimal::mul_div(r, *target, quota) : r;
  };
  // One allocation each (a marginal table with a cap gets a tier more).
  for (auto* v : {&lo_, &rates_, &rates_to_}) v->reserve(c.tiers.size() + 1);
  hi_.reserve(c.tiers.size() + 1);
  for (std::size_t k = 0; k < c.tiers.size(); ++k) {
    const Tier& t = c.tiers[k];
    lo_.push_back(to_measure(t.from));
    hi_.push_back(t.to ? std::optional<Decimal>(to_measure(*t.to)) : std::nullopt);
    rates_.push_back(to_rate(t.rate));
    // Interpolation runs from this tier's rate to rate_to, by default the next tier's rate.
    rates_to_.push_back(to_rate(t.rate_to ? *t.rate_to
                                          : (k + 1 < c.tiers.size() ? c.tiers[k + 1].rate : t.rate)));
  }
  if (mode_ != TierMode::marginal) {
    // Retroactive, interpolated and flat tables pay F(min(m, limit)): the measure is clamped, the
    // tiers (and the interpolation spans) stay as written. A bounded last tier is a limit too,
    // as it is for marginal tables, where nothing above the last bound earns.
    if (hi_.back()) limit_ = *hi_.back();
    if (cap) {
      // The cap is an attainment percent whatever the basis of the tiers.
      const Decimal limit = Decimal::product(*cap, quota, Fraction(1, 100), Decimal::scale);
      limit_ = limit_ ? std::min(*limit_, limit) : limit;
    }
    return;
  }
  if (cap) {
    const Decimal limit = Decimal::product(*cap, quota, Fraction(1, 100), Decimal::scale);
    // Marginal: a zero-rate tier from the limit up, so the lines show the capped slice.
    std::size_t keep = 0;
    while (keep < lo_.size() && lo_[keep] < limit) ++keep;
    keep = std::max<std::size_t>(keep, 1);
    lo_.resize(keep);
    hi_.resize(keep);
    rates_.resize(keep);
    rates_to_.resize(keep);
    if (!hi_.back() || *hi_.back() > limit) hi_.back() = limit;
    lo_.push_back(limit);
    hi_.push_back(std::nullopt);
    rates_.push_back(Decimal(0));
    rates_to_.push_back(Decimal(0));
  }
  set_disjoint();
}

void Schedule::set_disjoint() {
  disjoint_ = true;
  for (std::size_t k = 0; k + 1 < lo_.size(); ++k) {
    if (!hi_[k] || *hi_[k] < lo_[k] || lo_[k + 1] < *hi_[k]) disjoint_ = false;
  }
}

std::size_t Schedule::tier_of(const Decimal& m) const {
  for (std::size_t k = lo_.size(); k-- > 1;) {
    if (lower_boundary_ ? m > lo_[k] : m >= lo_[k]) return k;
  }
  return 0;
}

Decimal Schedule::rate_at(const Decimal& m) const {
  const std::size_t k = tier_of(m);
  if (mode_ != TierMode::interpolated || !hi_[k] || rates_to_[k] == rates_[k]) return rates_[k];
  const Decimal span = *hi_[k] - lo_[k];
  const Decimal into = std::clamp(m, lo_[k], *hi_[k]) - lo_[k];
  return rates_[k] + Decimal::div(Decimal::mul(rates_to_[k] - rates_[k], into), span);
}

void Schedule::slices(const Decimal& before, const Decimal& after,
                      std::vector<Slice>& out) const {
  if (mode_ == TierMode::marginal) {
    // The common line: a rise inside one tier (the walk below would find just this slice).
    if (const auto k = rise_tier(before, after, lo_.size() - 1)) {
      out.push_back({after - before, rates_[*k], static_cast<int>(*k + 1), false});
      return;
    }
    const bool up = after >= before;
    const Decimal lo = up ? before : after;
    const Decimal hi = up ? after : before;
    for (std::size_t k = 0; k < lo_.size(); ++k) {
      // The first tier reaches down without limit (negative credits), the last up.
      const Decimal a = k == 0 ? lo : std::max(lo, lo_[k]);
      const Decimal b = hi_[k] ? std::min(hi, *hi_[k]) : hi;
      if (b > a) out.push_back({up ? b - a : a - b, rates_[k], static_cast<int>(k + 1), false});
    }
    if (out.empty()) out.push_back({Decimal(0), rates_[tier_of(before)], static_cast<int>(tier_of(before) + 1), false});
    return;
  }
  // Above an attainment cap the measure counts as the cap.
  const Decimal b = limit_ ? std::min(before, *limit_) : before;
  const Decimal a = limit_ ? std::min(after, *limit_) : after;
  if (mode_ == TierMode::flat) {
    out.push_back({a - b, rates_[0], 1, false});
    return;
  }
  // retroactive and interpolated: F(m) = m x rate(m), so F(a) - F(b) =
  // (a - b) x rate(a) + b x (rate(a) - rate(b)).
  const Decimal ra = rate_at(a);
  const Decimal rb = rate_at(b);
  const int tier = static_cast<int>(tier_of(a) + 1);
  out.push_back({a - b, ra, tier, false});
  if (ra != rb && !b.is_zero()) out.push_back({b, ra - rb, tier, true});
}


Decimal slices_amount(std::span<const Slice> slices, bool percent, int places, Rounding mode) {
  if (slices.size() == 1) {
    if (const auto fast = fast_amount(fast_rate(slices.front().rate, percent, places), slices.front().base,
                                      places, mode)) {
      return Decimal::from_raw(*fast);
    }
  }
  // Exact sum of base x rate at 24 decimals, then one rounding.
  spm::detail::int128 sum = 0;
  for (const auto& s : slices) {
    spm::detail::int128 p = 0;
    if (__builtin_mul_overflow(s.base.raw(), s.rate.raw(), &p) ||
        __builtin_add_overflow(sum, p, &sum)) {
      throw ArithmeticError("comp.overflow", "",
                            "a line's base x rate exceeds 1.7e14 currency units; check the units "
                            "of amounts and rates");
    }
  }
  const spm::detail::int128 divisor =
      spm::detail::pow10_128(2 * Decimal::scale - places) * (percent ? 100 : 1);
  const spm::detail::int128 q = spm::detail::div_round(sum, divisor, mode);
  return Decimal::from_raw(q * spm::detail::pow10_128(Decimal::scale - places));
}

std::vector<FastRate> Schedule::fast_rates(int places) const {
  std::vector<FastRate> out;
  if (mode_ == TierMode::marginal && disjoint_) {
    out.reserve(rates_.size());
    for (const auto& r : rates_) out.push_back(fast_rate(r, percent_, places));
  }
  return out;
}

Decimal Schedule::price_alone(const Decimal& before, const Decimal& after, std::size_t& tier,
                              std::span<const FastRate> fast, int places, Rounding mode,
                              const std::optional<Decimal>& cap, std::vector<Slice>& slices) const {
  Decimal total;
  if (const auto one = rise(before, after, tier, fast, places, mode)) {
    total = one->amount;
  } else {
    slices.clear();
    this->slices(before, after, slices);
    for (const auto& s : slices) total += slices_amount({&s, 1}, percent_, places, mode);
  }
  return cut_to_cap(total, cap);
}

Decimal Schedule::running_sum(const Decimal* value, const std::uint8_t* passes, std::size_t b,
                              std::size_t e, Decimal& cum, int places, Rounding mode,
                              const std::optional<Decimal>& cap, RiseSums* sums) const {
  Decimal sum;
  std::vector<Slice> slices;
  const std::vector<FastRate> fast = fast_rates(places);
  std::size_t tier = 0;  // the last rise's: credits climb the tiers in order
  auto one_by_one = [&](std::size_t i, std::size_t j) {
    for (; i < j; ++i) {
      if (passes[i] == 0) continue;
      const Decimal before = cum;
      cum += value[i];
      sum += price_alone(before, cum, tier, fast, places, mode, cap, slices);
    }
  };
  if (sums == nullptr || fast.empty() || !sums->values_to(e)) {
    one_by_one(b, e);
    return sum;
  }
  // The running measure at credit m is start + value_before(m): runs of credits inside one tier
  // end at the first credit that passes the tier's upper bound, found by bisection.
  const Decimal start = cum - Decimal::from_raw(sums->value_before(b));
  auto measure_at = [&](std::size_t m) { return start + Decimal::from_raw(sums->value_before(m)); };
  for (std::size_t i = b; i < e;) {
    const std::size_t k = start_tier(measure_at(i), tier);
    std::size_t j = e;  // the first credit [i, e) whose rise ends above the tier
    if (hi_[k]) {
      std::size_t lo = i, hi = e;
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (measure_at(mid + 1) > *hi_[k]) hi = mid; else lo = mid + 1;
      }
      j = lo;
    }
    if (j > i) {
      if (const auto run = sums->amounts(fast[k], i, j)) {
        sum += Decimal::from_raw(*run);
        cum = measure_at(j);
        tier = k;
      } else {
        one_by_one(i, j);
      }
    }
    if (j < e) one_by_one(j, j + 1);  // it crosses a bound: sliced
    i = j + 1;
  }
  cum = measure_at(e);
  return sum;
}

bool RiseSums::values_to(std::size_t end) {
  while (monotone_ && begin_ + cum_.size() <= end) {
    const std::size_t m = begin_ + cum_.size() - 1;
    spm::detail::int128 v = passes_[m] != 0 ? value_[m].raw() : 0, next = 0;
    if (v < 0 || __builtin_add_overflow(cum_.back(), v, &next)) monotone_ = false;
    cum_.push_back(next);
  }
  return monotone_;
}

std::optional<spm::detail::int128> RiseSums::amounts(const FastRate& rate, std::size_t i,
                                                      std::size_t j) {
  auto it = std::find_if(prefixes_.begin(), prefixes_.end(), [&](const Prefix& p) {
    return p.rate.r == rate.r && p.rate.k == rate.k;
  });
  if (it == prefixes_.end()) it = prefixes_.insert(prefixes_.end(), Prefix{rate, i});
  Prefix& p = *it;
  // From the first credit asked for: a rate's runs move later as windows grow.
  if (i < p.from) p = Prefix{rate, i};
  if (p.sum.size() == 1) p.sum.reserve(std::max(end_, j) - p.from + 1);
  while (p.from + p.sum.size() <= j && p.bad == SIZE_MAX) {
    const std::size_t m = p.from + p.sum.size() - 1;
    spm::detail::int128 a = 0;
    if (passes_[m] != 0) {
      // A zero rise has no slice of money: 0 (then cut to the cap, as a priced credit is).
      const auto fast = value_[m].is_zero() ? std::optional<spm::detail::int128>(0)
                                            : fast_amount(rate, value_[m], places_, mode_);
      if (!fast) {
        p.bad = m;
        break;
      }
      a = cap_ ? cut_to_cap(Decimal::from_raw(*fast), cap_).raw() : *fast;
    }
    spm::detail::int128 next = 0;
    if (__builtin_add_overflow(p.sum.back(), a, &next)) {
      p.bad = m;
      break;
    }
    p.sum.push_back(next);
  }
  if (j > p.bad) return std::nullopt;
  return p.sum[j - p.from] - p.sum[i - p.from];
}

Decimal lookup(const std::vector<Tier>& table, const Decimal& x) {
  if (table.empty()) return Decimal(1);  // validation requires a row; neutral if built in code
  // Rows are contiguous (validated): the first row whose upper bound is above x holds it, and
  // values outside the table take the factor of the nearest row rather than 0, which would
  // silently wipe the earnings (a score of 5 against rows up to [4, 5) keeps 5's row factor).
  for (const auto& t : table) {
    if (!t.to || x < *t.to) return t.rate;
  }
  return table.back().rate;
}

}  // namespace spm::comp::detail
