// Checks of territory inputs shared by the solver and the metrics (private): each throws
// InvalidInputError with the caller's code, naming the unit or field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <spm/territory/instance.hpp>

namespace spm::territory::detail {

/// The unit's id, or its index when the units have no ids.
[[nodiscard]] std::string unit_name(const Units& u, std::size_t i);

/// Lengths, coordinates (finite, within max_coordinate; longitude and latitude in range when
/// geographic), ids (none empty), activity (finite, >= 0), edges (two different units each).
void check_units(const Units& u, const char* code);
/// One tau for all measures or one per measure, each >= 0 and finite.
void check_tolerance(std::span<const double> tolerance, std::size_t measures, const char* code);
/// How far from 1 the target shares may sum: closer, they are scaled to sum to 1.
inline constexpr double share_slack = 1e-6;
/// Empty, or one finite share >= 0 per territory, summing to 1 within share_slack: the shares
/// scaled to sum to 1 (as given when they already do).
[[nodiscard]] std::vector<double> check_share(std::span<const double> share, std::size_t territories, const char* code);
/// Empty, or one territory per unit in [0, territories) (or -1 for none when `none_allowed`).
void check_territories(std::span<const std::int32_t> v, std::size_t territories, const Units& u,
                       const std::string& what, bool none_allowed, const char* code);
/// Empty, or one home unit (or -1) per territory, each unit the home of one territory at most
/// (two could not both hold it). Returns per unit the territory it is the home of, or -1.
std::vector<std::int32_t> check_homes(std::span<const std::int32_t> home, std::size_t territories, const Units& u,
                                      const char* code);

}  // namespace spm::territory::detail
