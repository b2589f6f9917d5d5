#include <spm/core/allocate.hpp>

#include <algorithm>
#include <numeric>

#include <spm/core/error.hpp>

#include "wide_int.hpp"

namespace spm {

using detail::int128;
using detail::int256;
using detail::to_wide;

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
  int256 wsum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i].sign() < 0) {
      throw InvalidInputError("allocate.negative_weight", "weights[" + std::to_string(i) + "]",
                              "weight " + weights[i].to_string() +
                                  " is negative; weights must be zero or more");
    }
    wsum += to_wide(weights[i].raw());
  }
  if (wsum == 0) {
    throw InvalidInputError("allocate.zero_weights", "weights",
                            "all weights are zero (or there are none), so there is no share to "
                            "give; give at least one positive weight");
  }
  const int128 step = detail::pow10_128(Decimal::scale - places);
  const bool negative = total.sign() < 0;
  const int256 units = to_wide(total.abs().raw() / step);
  std::vector<int256> floor_units(weights.size());
  std::vector<int256> remainder(weights.size());
  int256 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const int256 n = units * to_wide(weights[i].raw());
    floor_units[i] = n / wsum;
    remainder[i] = n % wsum;
    given += floor_units[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
    return tie_keys[a] != tie_keys[b] ? tie_keys[a] < tie_keys[b] : a < b;
  });
  auto left = static_cast<std::size_t>(units - given);  // < number of parts
  for (std::size_t k = 0; k < left; ++k) floor_units[order[k]] += 1;
  std::vector<Decimal> parts;
  parts.reserve(weights.size());
  for (const auto& u : floor_units) {
    int128 r = 0;
    detail::try_narrow(u * to_wide(step), r);  // never larger than |total|
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
