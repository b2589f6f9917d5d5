#include <spm/core/allocate.hpp>

#include <algorithm>
#include <numeric>

#include <spm/core/error.hpp>

#include "wide_int.hpp"

namespace spm {

using detail::int128;
using detail::int256;
using detail::to_wide;

namespace {

int128 narrow(int128 v) { return v; }
int128 narrow(const int256& v) {
  int128 r = 0;
  detail::try_narrow(v, r);
  return r;
}

// Units per part, by largest remainder: floor(units x w / wsum) each, then one more unit to the
// parts with the largest remainders (ties by key, then position). I is int128 or int256.
template <class I>
std::vector<int128> largest_remainder(const I& units, std::span<const Decimal> weights,
                                      const I& wsum, std::span<const std::size_t> tie_keys) {
  const std::size_t n = weights.size();
  std::vector<int128> floor_units(n);
  std::vector<I> remainder(n);
  I given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const I x = units * I(weights[i].raw());
    const I q = x / wsum;
    remainder[i] = x - q * wsum;
    given += q;
    floor_units[i] = narrow(q);  // q <= units, which fits
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
    return tie_keys[a] != tie_keys[b] ? tie_keys[a] < tie_keys[b] : a < b;
  });
  const auto left = static_cast<std::size_t>(narrow(I(units - given)));  // < number of parts
  for (std::size_t k = 0; k < left; ++k) floor_units[order[k]] += 1;
  return floor_units;
}

}  // namespace

std::vector<Decimal> allocate(const Decimal& total, std::span<const Decimal> weights, int places,
                              std::span<const std::size_t> tie_keys) {
  if (places < 0 || places > Decimal::scale) {
    throw InvalidInputError("allocate.places", "places", "places must be between 0 and 12");
  }
  if (!total.has_places(places)) {
    throw InvalidInputError("allocate.places", "total",
                            "the total " + total.to_string() + " has more than " +
                                std::to_string(places) +
                                " decimals, so no parts in that unit can add up to it; round it "
                                "first");
  }
  if (tie_keys.size() != weights.size()) {
    throw InvalidInputError("allocate.tie_keys", "tie_keys",
                            "give one tie key per weight (" + std::to_string(weights.size()) +
                                "), got " + std::to_string(tie_keys.size()));
  }
  // The weights' sum in 128 bits while it fits (the common case), else in 256.
  int128 wsum128 = 0;
  bool wide_sum = false;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i].sign() < 0) {
      throw InvalidInputError("allocate.negative_weight", "weights[" + std::to_string(i) + "]",
                              "weight " + weights[i].to_string() +
                                  " is negative; weights must be zero or more");
    }
    wide_sum = wide_sum || __builtin_add_overflow(wsum128, weights[i].raw(), &wsum128);
  }
  if (!wide_sum && wsum128 == 0) {
    throw InvalidInputError("allocate.zero_weights", "weights",
                            "all weights are zero (or there are none), so there is no share to "
                            "give; give at least one positive weight");
  }
  const int128 step = detail::pow10_128(Decimal::scale - places);
  const bool negative = total.sign() < 0;
  const int128 units = total.abs().raw() / step;
  // 128-bit arithmetic when units x every weight fits, 256-bit otherwise: same results.
  int128 product = 0;
  bool narrow = !wide_sum;
  for (const auto& w : weights) {
    narrow = narrow && !__builtin_mul_overflow(units, w.raw(), &product);
  }
  std::vector<int128> floor_units;
  if (narrow) {
    floor_units = largest_remainder<int128>(units, weights, wsum128, tie_keys);
  } else {
    int256 wsum = 0;
    for (const auto& w : weights) wsum += to_wide(w.raw());
    floor_units = largest_remainder<int256>(to_wide(units), weights, wsum, tie_keys);
  }
  std::vector<Decimal> parts;
  parts.reserve(weights.size());
  for (const auto u : floor_units) {
    const int128 r = u * step;  // never larger than |total|
    parts.push_back(Decimal::from_raw(negative ? -r : r));
  }
  return parts;
}

std::vector<Decimal> allocate(const Decimal& total, std::span<const Decimal> weights, int places) {
  std::vector<std::size_t> keys(weights.size());
  std::iota(keys.begin(), keys.end(), std::size_t{0});
  return allocate(total, weights, places, keys);
}

std::vector<Money> allocate(const Money& total, std::span<const Decimal> weights) {
  const auto parts = allocate(total.amount(), weights, total.currency().minor_units());
  std::vector<Money> out;
  out.reserve(parts.size());
  for (const auto& p : parts) out.emplace_back(p, total.currency());
  return out;
}

std::vector<Decimal> allocate_percent(const Decimal& total, std::span<const Decimal> percents,
                                      int places) {
  Decimal sum;
  for (const auto& p : percents) sum += p;
  if (sum != Decimal(100)) {
    throw InvalidInputError("allocate.percent_sum", "percents",
                            "percentages sum to " + sum.to_string() +
                                ", not 100; fix them or allocate by weights instead");
  }
  return allocate(total, percents, places);
}

}  // namespace spm
