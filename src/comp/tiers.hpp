// Rate-table arithmetic in measure space (private to the engine).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
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

/// A rate table with its bounds converted to measure units for one window.
class Schedule {
 public:
  /// `quota` converts attainment bounds to measure units (quota/100 per percent); amount tiers
  /// are in measure units already. `cap`, when set, is the attainment percent (of `quota`, for
  /// amount tiers too) above which nothing more is earned.
  Schedule(const Component& c, const Decimal& quota, const std::optional<Decimal>& cap);

  /// Slices that take cumulative measure from `before` to `after` (the line's arithmetic).
  void slices(const Decimal& before, const Decimal& after, std::vector<Slice>& out) const;
  /// What credits [b, e) earn running on from `cum` (which they advance), with no lines: the sum
  /// over the passing credits of their slices, each slice rounded to `places` as a line is, and
  /// each credit's total cut to `cap` when given. Equal to slicing credit by credit; marginal
  /// rises inside one tier skip the slice list.
  [[nodiscard]] Decimal running_sum(const Decimal* value, const std::uint8_t* passes, std::size_t b,
                                    std::size_t e, Decimal& cum, int places, Rounding mode,
                                    const std::optional<Decimal>& cap) const;
  /// The first tier's rate (the rate without accelerators).
  [[nodiscard]] const Decimal& base_rate() const { return rates_.front(); }
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
  std::size_t k = std::min(hint, lo_.size() - 1);
  while (k + 1 < lo_.size() && before >= lo_[k + 1]) ++k;
  while (k > 0 && before < lo_[k]) --k;
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
