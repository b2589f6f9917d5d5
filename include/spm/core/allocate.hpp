// Allocation that conserves totals: parts always sum exactly to the whole.
#pragma once

#include <span>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/money.hpp>

namespace spm {

/// Splits `total` into parts proportional to `weights`, each a multiple of 10^-places, whose sum
/// is exactly `total`.
///
/// Remainder rule (largest remainder, Hamilton): every part first gets its exact share rounded
/// toward zero; the units left over go one each to the parts with the largest discarded
/// remainders; equal remainders go to the part with the smaller tie key (by default its position).
/// A negative total is allocated as its magnitude and negated, so allocate(-x) == -allocate(x).
///
/// Errors (InvalidInputError): a negative weight ("allocate.negative_weight", path
/// "weights[i]"), all weights zero ("allocate.zero_weights"), `total` with more than `places`
/// decimals ("allocate.places").
[[nodiscard]] std::vector<Decimal> allocate(const Decimal& total, std::span<const Decimal> weights,
                                            int places);
/// As above, breaking ties by `tie_keys` (smaller key first) instead of position.
[[nodiscard]] std::vector<Decimal> allocate(const Decimal& total, std::span<const Decimal> weights,
                                            int places, std::span<const std::size_t> tie_keys);
/// Splits money into parts in its currency's minor units.
[[nodiscard]] std::vector<Money> allocate(const Money& total, std::span<const Decimal> weights);
/// Splits by percentages, which must sum to exactly 100 ("allocate.percent_sum" otherwise).
[[nodiscard]] std::vector<Decimal> allocate_percent(const Decimal& total,
                                                    std::span<const Decimal> percents, int places);

}  // namespace spm
