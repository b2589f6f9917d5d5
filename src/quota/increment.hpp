// Quotas come in multiples of an increment (0.01, 1, 1000): rounding to it and testing for it.
#pragma once

#include <spm/core/decimal.hpp>
#include <spm/core/rounding.hpp>

namespace spm::quota::detail {

/// `v` rounded to a multiple of `inc` (> 0) by `mode`: one integer division of the raw counts.
inline Decimal round_to(const Decimal& v, const Decimal& inc, Rounding mode) {
  return Decimal::from_raw(spm::detail::div_round(v.raw(), inc.raw(), mode) * inc.raw());
}

/// True when `v` is a whole number of increments.
inline bool is_multiple(const Decimal& v, const Decimal& inc) { return v.raw() % inc.raw() == 0; }

}  // namespace spm::quota::detail
