// Indirect credits: hierarchy roll-ups and relationship overlays, with the plan's policy for
// several paths to one payee (private to prepare).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inputs.hpp"

namespace spm::comp::detail {

/// One indirect credit of a transaction: to `payee`, `percent` of the deal, by `path`.
struct Indirect {
  std::string payee;
  Decimal percent;
  std::string path;
};

/// A transaction's direct or split credits: (payee, percent).
using BaseCredits = std::vector<std::pair<std::string_view, Decimal>>;

/// Per transaction row (only rows with ok[r]), its indirect credits under the plan's roll-up
/// rules; `base(r, out)` fills the row's direct or split credits. Bad hierarchy and relationship
/// rows go to `rejects`; a cycle in the reporting lines throws InvalidInputError
/// "comp.hierarchy". Empty when the plan has no roll-up rules.
std::vector<std::vector<Indirect>> indirect_credits(
    const Plan& plan, const CompInputs& in, const std::vector<std::uint8_t>& ok,
    const std::function<void(std::size_t, BaseCredits&)>& base, Rejects& rejects);

}  // namespace spm::comp::detail
