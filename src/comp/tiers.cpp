#include "tiers.hpp"

#include <algorithm>

#include <spm/core/error.hpp>

namespace spm::comp::detail {

Schedule::Schedule(const Component& c, const Decimal& quota, const std::optional<Decimal>& cap)
    : mode_(c.mode),
      lower_boundary_(c.boundary_to_lower),
      percent_(c.rate_unit == RateUnit::percent) {
  const bool attainment = c.basis == TierBasis::attainment_percent;
  auto to_measure = [&](const Decimal& b) {
    return attainment ? Decimal::product(b, quota, Fraction(1, 100), Decimal::scale) : b;
  };
  for (std::size_t k = 0; k < c.tiers.size(); ++k) {
    const Tier& t = c.tiers[k];
    lo_.push_back(to_measure(t.from));
    hi_.push_back(t.to ? std::optional<Decimal>(to_measure(*t.to)) : std::nullopt);
    rates_.push_back(t.rate);
    // Interpolation runs from this tier's rate to rate_to, by default the next tier's rate.
    rates_to_.push_back(t.rate_to ? *t.rate_to
                                  : (k + 1 < c.tiers.size() ? c.tiers[k + 1].rate : t.rate));
  }
  if (cap) {
    const Decimal limit = to_measure(*cap);
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
  const Decimal x = after - before;
  if (mode_ == TierMode::marginal) {
    const bool up = x.sign() >= 0;
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
  if (mode_ == TierMode::flat) {
    out.push_back({x, rates_[0], 1, false});
    return;
  }
  // retroactive and interpolated: F(m) = m x rate(m), so F(after) - F(before) =
  // x x rate(after) + before x (rate(after) - rate(before)).
  const Decimal ra = rate_at(after);
  const Decimal rb = rate_at(before);
  const int tier = static_cast<int>(tier_of(after) + 1);
  out.push_back({x, ra, tier, false});
  if (ra != rb && !before.is_zero()) out.push_back({before, ra - rb, tier, true});
}

Decimal slices_amount(const std::vector<Slice>& slices, bool percent, int places, Rounding mode) {
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

Decimal lookup(const std::vector<Tier>& table, const Decimal& x) {
  for (const auto& t : table) {
    if (x >= t.from && (!t.to || x < *t.to)) return t.rate;
  }
  return Decimal(0);
}

}  // namespace spm::comp::detail
