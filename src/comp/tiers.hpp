// Rate-table arithmetic in measure space (private to the engine).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <spm/comp/plan.hpp>
#include <spm/core/decimal.hpp>

namespace spm::comp::detail {

/// A slice of measure at a rate: one step of a line's arithmetic.
struct Slice {
  Decimal base;
  Decimal rate;
  int tier = 0;         ///< 1-based tier number
  bool retro = false;   ///< an uplift on earlier measure (retroactive/interpolated modes)
};

/// A rate ready for the fast amount of one slice: money amounts have few decimals, so base and
/// rate usually fit in 64 bits with ten trailing zero digits to spare, and base x rate rounds
/// with a 64-bit division instead of a 128-bit one by 10^24.
struct FastRate {
  std::int64_t r = 0;
  int k = -1;  ///< the product is divided by 10^k; < 0: the rate is not of that form
};

// num / 10^K rounded: with K known at compile time the division is a multiplication.
// Half-even (the default) is decided inline: round_quotient is a call per line.
template <int K>
[[gnu::always_inline]] inline std::int64_t div_round_pow10(std::int64_t num, Rounding mode) {
  constexpr std::int64_t d = spm::detail::pow10_64(K);
  const std::int64_t q = num / d, r = num % d;
  if (r == 0) return q;
  if (mode != Rounding::half_even) return spm::detail::round_quotient<std::int64_t>(q, r, num, d, mode);
  const std::int64_t twice = 2 * (r < 0 ? -r : r);  // |r| < d <= 10^18: no overflow
  const bool away = twice > d || (twice == d && (q & 1) != 0);
  return away ? (num < 0 ? q - 1 : q + 1) : q;
}
inline constexpr auto div_round_pow10_table = []<int... K>(std::integer_sequence<int, K...>) {
  return std::array{&div_round_pow10<K>...};
}(std::make_integer_sequence<int, 19>{});

inline constexpr std::int64_t e10 = 10'000'000'000;

/// `rate` in the fast form for amounts rounded to `places` (k < 0 when it is not of that form).
inline FastRate fast_rate(const Decimal& rate, bool percent, int places) {
  const spm::detail::int128 rr = rate.raw();
  if (rr != static_cast<std::int64_t>(rr) || places < 0 || places > Decimal::scale) return {};
  FastRate f{static_cast<std::int64_t>(rr), 2 * Decimal::scale - places + (percent ? 2 : 0)};
  if (f.r % e10 == 0) {
    f.r /= e10;
    f.k -= 10;
  }
  return f;
}

/// base x rate rounded to `places`, as a raw value; nullopt when the operands are not of the
/// fast form. |q| < 2^63 and 10^(scale - places) <= 10^12: the raw value cannot overflow.
inline std::optional<spm::detail::int128> fast_amount(const FastRate& f, const Decimal& base, int places,
                                                      Rounding mode) {
  const spm::detail::int128 br = base.raw();
  if (f.k < 0 || br != static_cast<std::int64_t>(br)) return std::nullopt;
  auto b = static_cast<std::int64_t>(br);
  int k = f.k;
  if (b % e10 == 0) {
    b /= e10;
    k -= 10;
  }
  std::int64_t p = 0;
  if (k < 0 || k > 18 || __builtin_mul_overflow(b, f.r, &p)) return std::nullopt;
  // Two-decimal amounts at percent rates, rounded to cents: 10^4, inlined.
  const std::int64_t q = k == 4 ? div_round_pow10<4>(p, mode)
                                : div_round_pow10_table[static_cast<std::size_t>(k)](p, mode);
  return static_cast<spm::detail::int128>(q) * spm::detail::pow10_128(Decimal::scale - places);
}

/// A transaction's earnings cut to a per-transaction cap, both ways: a return (negative
/// earnings) takes back at most the cap, as much as the capped sale it reverses paid.
inline Decimal cut_to_cap(const Decimal& earnings, const std::optional<Decimal>& cap) {
  if (!cap) return earnings;
  return earnings > *cap ? *cap : earnings < -*cap ? -*cap : earnings;
}

/// A credit's rise inside one marginal tier, priced: what Schedule::slices and slices_amount
/// give for it, without the slice list.
struct Rise {
  std::size_t tier;  ///< 0-based
  Decimal amount;    ///< rounded as a line is
};

/// Per payee and component, for the earlier periods of true-up windows: prefix sums over the
/// payee's credits of the passing values and, per rate met, of each credit's amount priced alone
/// at that rate (cut to the per-transaction cap). A window's run of credits inside one tier then
/// sums as the difference of two prefixes, exactly the amounts of pricing them one by one. Grown
/// on demand (windows reach further as the year goes on).
class RiseSums {
 public:
  /// Amounts rounded to `places` by `mode`, each cut to `cap`.
  /// Credits from `begin` on, at most to `end` (the sums are reserved for that many: they grow
  /// window by window).
  RiseSums(const Decimal* value, const std::uint8_t* passes, std::size_t begin, std::size_t end,
           int places, Rounding mode, const std::optional<Decimal>& cap)
      : value_(value), passes_(passes), begin_(begin), end_(end), places_(places), mode_(mode),
        cap_(cap) {
    cum_.reserve(end - begin + 1);
  }

  /// Grows the value prefix to credit `end`; false (from then on) when a passing value is
  /// negative (the running measure would not be monotone) or a sum leaves 128 bits.
  bool values_to(std::size_t end);
  /// The passing values of credits [begin, i) (values_to(i) first).
  [[nodiscard]] spm::detail::int128 value_before(std::size_t i) const { return cum_[i - begin_]; }
  /// The amounts of credits [i, j) priced alone at `rate`, or nullopt when one of them is not of
  /// the fast form (the caller prices those one by one).
  std::optional<spm::detail::int128> amounts(const FastRate& rate, std::size_t i, std::size_t j);

 private:
  struct Prefix {
    FastRate rate;
    std::size_t from = 0;  ///< sum[k]: the amounts of credits [from, from + k)
    std::vector<spm::detail::int128> sum{0};
    std::size_t bad = SIZE_MAX;  ///< the first credit not priced by the fast form
  };
  const Decimal* value_;
  const std::uint8_t* passes_;
  std::size_t begin_, end_;
  int places_;
  Rounding mode_;
  std::optional<Decimal> cap_;
  std::vector<spm::detail::int128> cum_{0};
  bool monotone_ = true;
  std::vector<Prefix> prefixes_;
};

/// A rate table with its bounds converted to measure units for one window.
class Schedule {
 public:
  /// `quota` converts attainment bounds to measure units (quota/100 per percent); amount tiers
  /// are in measure units already. `cap`, when set, is the attainment percent (of `quota`, for
  /// amount tiers too) above which nothing more is earned. `target` (target_incentive rates):
  /// the window's target incentive; each rate becomes the percent rate rate x target / quota,
  /// rounded to Decimal::scale places (half-even), which the lines show.
  Schedule(const Component& c, const Decimal& quota, const std::optional<Decimal>& cap,
           const Decimal* target = nullptr);

  /// Slices that take cumulative measure from `before` to `after` (the line's arithmetic).
  void slices(const Decimal& before, const Decimal& after, std::vector<Slice>& out) const;
  /// What credits [b, e) earn running on from `cum` (which they advance), with no lines: the sum
  /// over the passing credits of their slices, each slice rounded to `places` as a line is, and
  /// each credit's total cut to `cap` when given. Equal to slicing credit by credit; marginal
  /// rises inside one tier skip the slice list, and with `sums` (the same value, passes,
  /// places, mode and cap) a run of them inside one tier is one difference of prefix sums.
  [[nodiscard]] Decimal running_sum(const Decimal* value, const std::uint8_t* passes, std::size_t b,
                                    std::size_t e, Decimal& cum, int places, Rounding mode,
                                    const std::optional<Decimal>& cap,
                                    RiseSums* sums = nullptr) const;
  /// Per tier, the fast form of its rate for amounts rounded to `places`; empty unless the table
  /// is marginal with disjoint tiers (the only tables whose rises `rise` prices).
  [[nodiscard]] std::vector<FastRate> fast_rates(int places) const;
  /// A marginal rise from `before` to `after` inside one tier, priced by `fast` (from
  /// fast_rates(places)); nullopt when it crosses a bound or the operands are not of the fast
  /// form: then slices() and slices_amount give it. `tier`: where to start looking (the previous
  /// rise's tier when credits run on); set to the rise's tier.
  [[nodiscard]] std::optional<Rise> rise(const Decimal& before, const Decimal& after,
                                         std::size_t& tier, std::span<const FastRate> fast,
                                         int places, Rounding mode) const {
    if (fast.empty()) return std::nullopt;
    const auto k = rise_tier(before, after, tier);
    if (!k) return std::nullopt;
    tier = *k;
    const auto amount = fast_amount(fast[*k], after - before, places, mode);
    if (!amount) return std::nullopt;
    return Rise{*k, Decimal::from_raw(*amount)};
  }
  /// Tier k's rate.
  [[nodiscard]] const Decimal& rate(std::size_t k) const { return rates_[k]; }
  /// The highest rate of the first tier (the rate without accelerators): its rate, or in an
  /// interpolated table the higher end of its span (below the first tier's bound the rate
  /// climbs to it: no accelerator yet).
  [[nodiscard]] Decimal base_rate() const {
    return mode_ == TierMode::interpolated ? std::max(rates_.front(), rates_to_.front()) : rates_.front();
  }
  /// Percent rates are divided by 100 when slices are turned into money.
  [[nodiscard]] bool percent() const { return percent_; }
  /// Lower bound of tier k in measure units.
  [[nodiscard]] const Decimal& lower(std::size_t k) const { return lo_[k]; }

 private:
  [[nodiscard]] std::size_t tier_of(const Decimal& m) const;
  /// The tier of a marginal rise that stays inside one (disjoint tables): one slice, no walk.
  /// `hint`: where to start looking (the previous rise's tier when credits run on).
  [[nodiscard]] std::optional<std::size_t> rise_tier(const Decimal& before, const Decimal& after,
                                                     std::size_t hint) const;
  /// The tier a rise from `before` starts in, searched from `hint` (as rise_tier does).
  [[nodiscard]] std::size_t start_tier(const Decimal& before, std::size_t hint) const {
    std::size_t k = std::min(hint, lo_.size() - 1);
    while (k + 1 < lo_.size() && before >= lo_[k + 1]) ++k;
    while (k > 0 && before < lo_[k]) --k;
    return k;
  }
  /// A credit priced alone as running_sum prices it (a rise or its slices), cut to `cap`.
  [[nodiscard]] Decimal price_alone(const Decimal& before, const Decimal& after, std::size_t& tier,
                                    std::span<const FastRate> fast, int places, Rounding mode,
                                    const std::optional<Decimal>& cap,
                                    std::vector<Slice>& slices) const;
  void set_disjoint();
  [[nodiscard]] Decimal rate_at(const Decimal& m) const;

  TierMode mode_;
  bool lower_boundary_;
  bool percent_;
  std::vector<Decimal> lo_;
  std::vector<std::optional<Decimal>> hi_;
  std::vector<Decimal> rates_;
  std::vector<Decimal> rates_to_;
  /// Attainment cap (or bounded last tier) in measure units, for the modes that clamp the measure
  /// (not marginal, whose cap is a zero-rate top tier and whose slices stop at the last bound).
  std::optional<Decimal> limit_;
  /// Tiers ascending without overlap, only the last unbounded: a slice inside one tier needs no
  /// walk over the others.
  bool disjoint_ = false;
};

inline std::optional<std::size_t> Schedule::rise_tier(const Decimal& before, const Decimal& after,
                                                      std::size_t hint) const {
  if (mode_ != TierMode::marginal || !disjoint_ || !(after > before)) return std::nullopt;
  // The last tier whose lower bound `before` reaches, searched from the hint.
  const std::size_t k = start_tier(before, hint);
  if (hi_[k] && after > *hi_[k]) return std::nullopt;
  return k;
}

/// Sum of base x rate over slices, divided by 100 for percent rates, rounded once to `places`.
[[nodiscard]] Decimal slices_amount(std::span<const Slice> slices, bool percent, int places,
                                    Rounding mode);

/// Looks up a factor table ([from, to) -> rate, rows contiguous) at `x`. Outside the table the
/// nearest row applies: below the first row its factor, above a bounded last row that row's.
[[nodiscard]] Decimal lookup(const std::vector<Tier>& table, const Decimal& x);

}  // namespace spm::comp::detail
